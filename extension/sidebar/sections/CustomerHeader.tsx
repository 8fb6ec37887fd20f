import { createSignal, For, Show } from 'solid-js';
import type { CustomerView, CustomerWithIdentities } from '../../messaging/protocol';
import { formatMoney, t, tp } from '../../i18n';
import { channelIcon } from '../channel-icons';
import { MergeDialog } from './MergeDialog';
import { SearchBox } from './SearchBox';

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => [...w][0] ?? '')
    .join('')
    .toUpperCase();
}

export function CustomerHeader(props: { view: CustomerView; onUnlink(identityId: number): void; onChanged?(): void }) {
  const lifetime = () => props.view.orders.lifetime;
  // Merge with another customer: pick them by search, preview, confirm, undo (issue 7).
  const [merging, setMerging] = createSignal(false);
  const [mergeWith, setMergeWith] = createSignal<CustomerWithIdentities | null>(null);
  return (
    <header class="customer-header">
      <div class="avatar" aria-hidden="true">{initials(props.view.customer.displayName)}</div>
      <div class="who">
        <h2 class="name" data-testid="rafiq-customer-name" dir="auto">{props.view.customer.displayName}</h2>
        <Show when={props.view.customer.company}>
          <div class="company" dir="auto">{props.view.customer.company}</div>
        </Show>
        <Show when={lifetime().length}>
          <div class="lifetime" data-testid="rafiq-lifetime">
            <For each={lifetime()}>{(l) => <span>{tp('customer.lifetime', l.count, { total: formatMoney(l.total, l.currency) })}</span>}</For>
          </div>
        </Show>
        <div class="tags">
          <For each={props.view.customer.tags}>{(tag) => <span class="tag" dir="auto">{tag}</span>}</For>
        </div>
      </div>
      <ul class="chips" aria-label={t('customer.identities')}>
        <For each={props.view.customer.identities}>
          {(identity) => (
            <li class="chip" data-testid="rafiq-identity-chip" data-kind={identity.kind} title={identity.value}>
              <span aria-hidden="true">{channelIcon[identity.kind] ?? '•'}</span>
              <bdi class="chip-value" dir="ltr">{identity.value}</bdi>
              <button type="button" class="chip-unlink" title={t('customer.unlink')} aria-label={t('customer.unlinkIdentity', { identity: identity.value })} onClick={() => props.onUnlink(identity.id)}>
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
      <button type="button" class="link" data-testid="rafiq-merge-open" onClick={() => setMerging(!merging())}>
        {t('identity.merge')}
      </button>
      <Show when={merging() && !mergeWith()}>
        <SearchBox onPick={(c) => c.id !== props.view.customer.id && setMergeWith(c)} />
      </Show>
      <Show when={mergeWith()}>
        {(other) => (
          <MergeDialog
            a={props.view.customer}
            b={other()}
            onDone={() => props.onChanged?.()}
            onClose={() => {
              setMergeWith(null);
              setMerging(false);
            }}
          />
        )}
      </Show>
    </header>
  );
}
