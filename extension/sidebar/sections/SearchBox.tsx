import { createResource, createSignal, For, Show } from 'solid-js';
import type { CustomerWithIdentities } from '../../messaging/protocol';
import { ask } from '../../messaging/client';
import { t } from '../../i18n';

/** Debounced customer search; `onPick` decides what a click does (open or link). */
export function SearchBox(props: { initial?: string; actionLabel?: (c: CustomerWithIdentities) => string; onPick(customer: CustomerWithIdentities): void }) {
  const [query, setQuery] = createSignal(props.initial ?? '');
  const [debounced, setDebounced] = createSignal(props.initial ?? '');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const [results] = createResource(
    () => debounced().trim() || null,
    (q) => ask({ type: 'searchCustomers', query: q }),
  );
  return (
    <div class="search">
      <input
        type="search"
        data-testid="rafiq-search"
        aria-label={t('search.label')}
        dir="auto"
        placeholder={t('search.placeholder')}
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          clearTimeout(timer);
          timer = setTimeout(() => setDebounced(query()), 200);
        }}
      />
      <Show when={results()}>
        {(page) => (
          <Show when={page().items.length} fallback={<p class="muted">{t('search.noResults', { query: debounced() })}</p>}>
            <ul class="list">
              <For each={page().items}>
                {(customer) => (
                  <li>
                    <button type="button" class="result" data-testid="rafiq-search-result" onClick={() => props.onPick(customer)}>
                      <span dir="auto">{props.actionLabel ? props.actionLabel(customer) : customer.displayName}</span>
                      <bdi class="muted" dir="ltr">{customer.identities[0]?.value}</bdi>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </div>
  );
}
