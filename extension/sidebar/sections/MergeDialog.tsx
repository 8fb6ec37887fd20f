import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import type { CustomerWithIdentities, ResponseMap } from '../../messaging/protocol';
import { formatList, isolate, t } from '../../i18n';
import { errorText } from '../../i18n/labels';
import { usePageWriter } from '../primitives/page-writer';

/**
 * Merge two customers: choose who is kept, see what moves, confirm; then an undo notice (undo
 * is customers.unmerge, which restores both exactly). Used by the sidebar header and by the
 * duplicates list on the identity page.
 */
export function MergeDialog(props: { a: CustomerWithIdentities; b: CustomerWithIdentities; onDone(survivorId: number | null): void; onClose(): void }) {
  // Writes are bound to the page context this panel was mounted for (issue 17).
  const writer = usePageWriter();
  const [keepA, setKeepA] = createSignal(true);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [merged, setMerged] = createSignal<ResponseMap['mergeCustomers'] | null>(null);
  const [undone, setUndone] = createSignal(false);
  const survivor = () => (keepA() ? props.a : props.b);
  const other = () => (keepA() ? props.b : props.a);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const merge = () =>
    run(async () => {
      const result = await writer.write({ type: 'mergeCustomers', survivorId: survivor().id, mergedId: other().id });
      setMerged(result);
      props.onDone(result.survivor.id);
    });
  const undo = () =>
    run(async () => {
      await writer.write({ type: 'unmergeCustomers', mergeId: merged()!.merge.id });
      setUndone(true);
      props.onDone(null);
    });

  // Keyboard: the dialog takes focus when it opens, and Escape closes it (as every dialog does).
  let dialog: HTMLDivElement | undefined;
  onMount(() => dialog?.focus());
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    props.onClose();
  };

  return (
    <div
      ref={dialog}
      class="panel merge-dialog"
      role="dialog"
      tabindex="-1"
      aria-label={t('identity.mergeTitle')}
      data-testid="rafiq-merge-dialog"
      onKeyDown={onKeyDown}
    >
      <h3>{t('identity.mergeTitle')}</h3>
      <Switch>
        <Match when={undone()}>
          <p class="notice" role="status">{t('identity.undone', { name: other().displayName })}</p>
          <button type="button" onClick={() => props.onClose()}>{t('identity.close')}</button>
        </Match>
        <Match when={merged()}>
          <p class="notice" role="status" data-testid="rafiq-merge-undo-notice">
            {t('identity.merged', { merged: other().displayName, survivor: survivor().displayName })}{' '}
            <button type="button" class="link" data-testid="rafiq-merge-undo" disabled={busy()} onClick={() => void undo()}>
              {t('identity.undo')}
            </button>
          </p>
        </Match>
        <Match when={true}>
          <fieldset>
            <label>
              <input type="radio" name="rafiq-keep" checked={keepA()} onChange={() => setKeepA(true)} /> <span dir="auto">{t('identity.keep', { name: props.a.displayName })}</span>
            </label>
            <label>
              <input type="radio" name="rafiq-keep" checked={!keepA()} onChange={() => setKeepA(false)} /> <span dir="auto">{t('identity.keep', { name: props.b.displayName })}</span>
            </label>
          </fieldset>
          <p dir="auto" data-testid="rafiq-merge-preview">
            {t('identity.moves', {
              name: survivor().displayName,
              identities: other().identities.length ? formatList(other().identities.map((i) => isolate(i.value))) : t('identity.noIdentities'),
            })}
          </p>
          <div class="actions">
            <button type="button" data-testid="rafiq-merge-confirm" disabled={busy()} onClick={() => void merge()}>
              {t('identity.confirmMerge')}
            </button>
            <button type="button" class="link" onClick={() => props.onClose()}>
              {t('identity.cancel')}
            </button>
          </div>
        </Match>
      </Switch>
      <Show when={error()}>
        <p class="notice notice-error" role="alert">{error()}</p>
      </Show>
    </div>
  );
}
