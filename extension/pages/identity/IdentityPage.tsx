import { createSignal, For, Show } from 'solid-js';
import type { ResponseMap } from '../../messaging/protocol';
import { ask, BackgroundError } from '../../messaging/client';
import { t } from '../../i18n';
import { serverUrlSetting, tokenSetting } from '../../storage/settings';
import { MergeDialog } from '../../sidebar/sections/MergeDialog';
import { importCsv, type ImportRow, type ImportSummary } from './import-stream';

const MAX_SHOWN_ROWS = 500;

/** Customers: CSV import with a progress bar and a per-row report, and the duplicates list with merge. */
export function IdentityPage() {
  return (
    <main class="page" dir="auto">
      <h1>{t('identity.pageTitle')}</h1>
      <ImportPanel />
      <DuplicatesPanel />
    </main>
  );
}

function ImportPanel() {
  const [file, setFile] = createSignal<File | null>(null);
  const [dryRun, setDryRun] = createSignal(true);
  const [running, setRunning] = createSignal(false);
  const [progress, setProgress] = createSignal(0);
  const [rows, setRows] = createSignal<ImportRow[]>([]);
  const [summary, setSummary] = createSignal<ImportSummary | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const start = async () => {
    const f = file();
    if (!f) return;
    setRunning(true);
    setRows([]);
    setSummary(null);
    setError(null);
    setProgress(0);
    // Rejected rows are always kept; others only up to a bound (a million-row report would not render).
    const shown: ImportRow[] = [];
    try {
      const [serverUrl, token] = await Promise.all([serverUrlSetting.getValue(), tokenSetting.getValue()]);
      for await (const event of importCsv(serverUrl, token, f, dryRun())) {
        if (event.kind === 'row' && (event.row.action === 'reject' || shown.length < MAX_SHOWN_ROWS)) shown.push(event.row);
        else if (event.kind === 'progress') {
          setProgress(f.size ? Math.min(1, event.offset / f.size) : 1);
          setRows([...shown]);
        } else if (event.kind === 'summary') setSummary(event.summary);
        else if (event.kind === 'error') setError(event.message);
      }
      setProgress(1);
      setRows([...shown]);
    } catch (e) {
      setError(String((e as Error).message ?? e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section class="card" data-testid="rafiq-import">
      <h2>{t('identity.import')}</h2>
      <input type="file" accept=".csv,text/csv" data-testid="rafiq-import-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <label>
        <input type="checkbox" checked={dryRun()} onChange={(e) => setDryRun(e.currentTarget.checked)} /> {t('identity.dryRun')}
      </label>
      <button type="button" data-testid="rafiq-import-start" disabled={!file() || running()} onClick={() => void start()}>
        {t('identity.start')}
      </button>
      <Show when={running() || summary()}>
        <progress data-testid="rafiq-import-progress" max="1" value={progress()} />
      </Show>
      <Show when={summary()}>
        {(s) => (
          <p data-testid="rafiq-import-summary">
            {t('identity.summary', { created: s().created, updated: s().updated, unchanged: s().unchanged, rejected: s().rejected, rows: s().rows })}
          </p>
        )}
      </Show>
      <Show when={error()}>
        <p class="notice notice-error" role="alert">{error()}</p>
      </Show>
      <Show when={rows().length}>
        <table data-testid="rafiq-import-report">
          <tbody>
            <For each={rows()}>
              {(row) => (
                <tr data-action={row.action}>
                  <td>{t('identity.line', { line: row.line })}</td>
                  <td>{row.action}</td>
                  <td dir="auto">{row.reason ?? ''}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}

type DuplicatePair = ResponseMap['findDuplicates']['items'][number];

function DuplicatesPanel() {
  const [pairs, setPairs] = createSignal<DuplicatePair[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [done, setDone] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [open, setOpen] = createSignal<DuplicatePair | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const more = async () => {
    setError(null);
    try {
      const page = await ask({ type: 'findDuplicates', cursor: cursor() });
      setPairs([...pairs(), ...page.items]);
      setCursor(page.nextCursor);
      setDone(!page.nextCursor);
      setLoaded(true);
    } catch (e) {
      setError(e instanceof BackgroundError ? e.message : String(e));
    }
  };
  void more();

  return (
    <section class="card" data-testid="rafiq-duplicates">
      <h2>{t('identity.duplicates')}</h2>
      <Show when={loaded() && !pairs().length}>
        <p class="muted">{t('identity.none')}</p>
      </Show>
      <ul class="list">
        <For each={pairs()}>
          {(pair) => (
            <li data-testid="rafiq-duplicate">
              <strong dir="auto">{pair.a.displayName}</strong> ↔ <strong dir="auto">{pair.b.displayName}</strong>{' '}
              <span class="muted">{t('identity.score', { score: Math.round(pair.score * 100) })}</span>
              <ul class="reasons">
                <For each={pair.reasons}>{(reason) => <li dir="auto">{reason.message}</li>}</For>
              </ul>
              <button type="button" onClick={() => setOpen(pair)}>
                {t('identity.confirmMerge')}
              </button>
              <Show when={open() === pair}>
                <MergeDialog a={pair.a} b={pair.b} onDone={() => undefined} onClose={() => setOpen(null)} />
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={!done()}>
        <button type="button" class="link" onClick={() => void more()}>
          {t('identity.more')}
        </button>
      </Show>
      <Show when={error()}>
        <p class="notice notice-error" role="alert">{error()}</p>
      </Show>
    </section>
  );
}
