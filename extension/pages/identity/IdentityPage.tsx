import { createSignal, For, Show } from 'solid-js';
import type { ResponseMap } from '../../messaging/protocol';
import { ask } from '../../messaging/client';
import type { CustomerWithIdentities } from '../../messaging/protocol';
import { direction, formatId, language, t } from '../../i18n';
import { errorText, reasonText } from '../../i18n/labels';
import { channelIcon } from '../../sidebar/channel-icons';
import { serverUrlSetting, tokenSetting } from '../../storage/settings';
import { MergeDialog } from '../../sidebar/sections/MergeDialog';
import { importCsv, type ImportRow, type ImportSummary } from './import-stream';

const MAX_SHOWN_ROWS = 500;

/** Customers: CSV import with a progress bar and a per-row report, and the duplicates list with merge. */
export function IdentityPage() {
  return (
    <main class="page identity-page" dir={direction()} lang={language()}>
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
      setError(errorText(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section class="card" data-testid="rafiq-import">
      <h2>{t('identity.import')}</h2>
      <label>
        {t('identity.file')}
        <input type="file" accept=".csv,text/csv" data-testid="rafiq-import-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </label>
      <label class="check">
        <input type="checkbox" checked={dryRun()} onChange={(e) => setDryRun(e.currentTarget.checked)} /> {t('identity.dryRun')}
      </label>
      <button type="button" data-testid="rafiq-import-start" disabled={!file() || running()} onClick={() => void start()}>
        {t('identity.start')}
      </button>
      <Show when={running() || summary()}>
        <progress data-testid="rafiq-import-progress" aria-label={t('identity.progress')} max="1" value={progress()} />
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
        <div class="table-scroll" tabindex="0" role="region" aria-label={t('identity.import')}>
          <table data-testid="rafiq-import-report">
            <thead>
              <tr>
                <th scope="col">{t('identity.col.line')}</th>
                <th scope="col">{t('identity.col.result')}</th>
                <th scope="col">{t('identity.col.reason')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(row) => (
                  <tr data-action={row.action}>
                    <td>{formatId(row.line)}</td>
                    <td>{t(`identity.result.${row.action}`)}</td>
                    {/* The server's reason names the field and the value; shown as it came. */}
                    <td class="wrap">
                      <bdi>{row.reason ?? ''}</bdi>
                    </td>
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
      setError(errorText(e));
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
            <li class="duplicate" data-testid="rafiq-duplicate">
              <div class="duplicate-head">
                <span class="muted">{t('identity.score', { score: Math.round(pair.score * 100) })}</span>
              </div>
              {/* Both records with the identities that make them look alike, side by side. */}
              <div class="duplicate-pair">
                <PairSide customer={pair.a} other={pair.b} />
                <PairSide customer={pair.b} other={pair.a} />
              </div>
              <h3 class="small">{t('identity.whyAlike')}</h3>
              <ul class="reasons">
                <For each={pair.reasons}>{(reason) => <li>{reasonText(reason)}</li>}</For>
              </ul>
              <button type="button" data-testid="rafiq-duplicate-merge" onClick={() => setOpen(pair)}>
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

/** What makes two records alike beyond the name: the same normalized identity, or the same email domain. */
function sharedWith(identity: CustomerWithIdentities['identities'][number], other: CustomerWithIdentities): boolean {
  const domain = (v: string) => (v.includes('@') ? v.split('@').pop()!.toLowerCase() : null);
  return other.identities.some(
    (o) => (o.kind === identity.kind && o.normalized === identity.normalized) || (identity.kind === 'email' && o.kind === 'email' && domain(o.value) === domain(identity.value)),
  );
}

function PairSide(props: { customer: CustomerWithIdentities; other: CustomerWithIdentities }) {
  return (
    <div class="pair-side" data-testid="rafiq-duplicate-side">
      <strong dir="auto">{props.customer.displayName}</strong>
      <ul class="chips" aria-label={t('identity.identitiesOf', { name: props.customer.displayName })}>
        <For each={props.customer.identities} fallback={<li class="muted">{t('identity.noIdentities')}</li>}>
          {(identity) => (
            <li class="chip" data-kind={identity.kind} data-shared={sharedWith(identity, props.other) ? 'true' : 'false'}>
              <span aria-hidden="true">{channelIcon[identity.kind] ?? '•'}</span>
              <bdi dir="ltr">{identity.value}</bdi>
              <Show when={sharedWith(identity, props.other)}>
                <span class="shared-mark">{t('identity.sharedMark')}</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
