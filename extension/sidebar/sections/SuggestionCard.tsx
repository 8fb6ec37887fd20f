import { createSignal, For, Show } from 'solid-js';
import type { PagePerson } from '@shared/page-context';
import type { LookupResult } from '../../messaging/protocol';
import { newIdempotencyKey } from '../../messaging/client';
import { t } from '../../i18n';
import { errorText, reasonText } from '../../i18n/labels';
import { usePageWriter } from '../primitives/page-writer';
import { channelIcon } from '../channel-icons';

type Suggestion = LookupResult['suggestions'][number];

/**
 * "Is this the same person?": fuzzy matches from customers.lookup, each with its reasons. Nothing
 * is linked until the agent clicks yes (which links every identity of this page's person with
 * identities.link); "no" only hides the card.
 */
export function SuggestionCard(props: { person: PagePerson; suggestions: Suggestion[]; onResolved(customerId: number): void }) {
  // Writes are bound to the page context this panel was mounted for (issue 17).
  const writer = usePageWriter();
  const [hidden, setHidden] = createSignal<number[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const visible = () => props.suggestions.filter((s) => !hidden().includes(s.customer.id));

  const confirm = async (suggestion: Suggestion) => {
    setError(null);
    setBusy(true);
    try {
      for (const identity of props.person.identities) {
        await writer.write({ type: 'linkIdentity', idempotencyKey: newIdempotencyKey(), customerId: suggestion.customer.id, identity });
      }
      props.onResolved(suggestion.customer.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={visible().length}>
      <section class="panel suggestions" data-testid="rafiq-suggestions" aria-label={t('identity.samePerson')}>
        <h3>{t('identity.samePerson')}</h3>
        <ul class="list">
          <For each={visible()}>
            {(suggestion) => (
              <li class="suggestion" data-testid="rafiq-suggestion">
                <div>
                  <strong dir="auto">{suggestion.customer.displayName}</strong>{' '}
                  <span class="muted">{t('identity.score', { score: Math.round(suggestion.score * 100) })}</span>
                </div>
                <ul class="reasons">
                  <For each={suggestion.reasons}>{(reason) => <li>{reasonText(reason)}</li>}</For>
                </ul>
                <div class="chips">
                  <For each={suggestion.customer.identities.slice(0, 4)}>
                    {(identity) => (
                      <span class="chip" title={identity.value}>
                        <span aria-hidden="true">{channelIcon[identity.kind] ?? '•'}</span>
                        <bdi class="chip-value" dir="ltr">{identity.value}</bdi>
                      </span>
                    )}
                  </For>
                </div>
                <div class="actions">
                  <button type="button" data-testid="rafiq-suggestion-confirm" disabled={busy()} onClick={() => void confirm(suggestion)}>
                    {t('identity.confirm', { name: suggestion.customer.displayName })}
                  </button>
                  <button type="button" class="link" data-testid="rafiq-suggestion-reject" onClick={() => setHidden([...hidden(), suggestion.customer.id])}>
                    {t('identity.reject')}
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
        <Show when={error()}>
          <p class="notice notice-error" role="alert">{error()}</p>
        </Show>
      </section>
    </Show>
  );
}
