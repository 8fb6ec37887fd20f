import { For, Show } from 'solid-js';
import { toCsv, type CsvValue } from '@shared/csv';
import { formatNumber, t } from '../../i18n';

export interface Column<Row> {
  title: string;
  value: (row: Row) => CsvValue;
  /** How the cell reads on screen; the CSV gets `value`. */
  show?: (row: Row) => string;
  /** Names, subjects, comments: text from outside, isolated for bidi. */
  data?: boolean;
  /** Long text that may wrap (everything else stays on one line). */
  wrap?: boolean;
}

/** Saves `text` as a file through a temporary object URL (no permission needed on an extension page). */
export function downloadCsv(fileName: string, text: string): void {
  // A byte-order mark so spreadsheet apps read Arabic, Persian and Turkish names as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function tableCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  return toCsv(
    columns.map((c) => c.title),
    rows.map((row) => columns.map((c) => c.value(row))),
  );
}

/** A table with a caption and an "Export CSV" button that writes exactly the rows shown. */
export function DataTable<Row>(props: { id: string; title: string; columns: Column<Row>[]; rows: Row[]; fileName: string }) {
  const cell = (column: Column<Row>, row: Row) => {
    if (column.show) return column.show(row);
    const v = column.value(row);
    if (v === null || v === undefined || v === '') return '—';
    return typeof v === 'number' ? formatNumber(v) : String(v);
  };
  return (
    <section class="card table-card" data-testid={`dashboard-table-${props.id}`}>
      <div class="card-head">
        <h2 id={`table-${props.id}`}>{props.title}</h2>
        <button type="button" data-testid={`dashboard-csv-${props.id}`} onClick={() => downloadCsv(props.fileName, tableCsv(props.columns, props.rows))}>
          {t('dashboard.exportCsv')}
        </button>
      </div>
      <Show when={props.rows.length} fallback={<p class="muted">{t('dashboard.noData')}</p>}>
        {/* Wide tables scroll inside their card (focusable, so a keyboard can scroll it too). */}
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby={`table-${props.id}`}>
          <table aria-labelledby={`table-${props.id}`}>
            <thead>
              <tr>
                <For each={props.columns}>{(c) => <th scope="col">{c.title}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={props.rows}>
                {(row) => (
                  <tr>
                    <For each={props.columns}>
                      {(c) => <td class={c.wrap ? 'wrap' : undefined}>{c.data ? <bdi>{cell(c, row)}</bdi> : cell(c, row)}</td>}
                    </For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
