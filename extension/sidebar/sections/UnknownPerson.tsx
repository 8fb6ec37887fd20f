import { createSignal, For, Show } from 'solid-js';
import type { PagePerson } from '@shared/page-context';
import { newIdempotencyKey } from '../../messaging/client';
import { t } from '../../i18n';
import { errorText } from '../../i18n/labels';
import { usePageWriter } from '../primitives/page-writer';
import { SearchBox } from './SearchBox';

/** Nobody matches this person: create them (prefilled) or link their identity to someone we know. */
export function UnknownPerson(props: { person: PagePerson; onResolved(customerId: number): void }) {
  // Writes are bound to the page context this panel was mounted for (issue 17).
  const writer = usePageWriter();
  const [name, setName] = createSignal(props.person.displayName);
  const [linking, setLinking] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const identity = () => props.person.identities[0]!;

  const create = async () => {
    setError(null);
    try {
      const customer = await writer.write({ type: 'createCustomer', idempotencyKey: newIdempotencyKey(), displayName: name(), identities: props.person.identities });
      props.onResolved(customer.id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const link = async (customerId: number) => {
    setError(null);
    try {
      await writer.write({ type: 'linkIdentity', idempotencyKey: newIdempotencyKey(), customerId, identity: identity() });
      props.onResolved(customerId);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="unknown" data-testid="rafiq-unknown">
      <h2 dir="auto">{t('unknown.title', { name: props.person.displayName })}</h2>
      <p class="muted identities">
        <For each={props.person.identities}>{(i) => <bdi dir="ltr">{i.value}</bdi>}</For>
      </p>
      <form
        class="panel"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <input data-testid="rafiq-create-name" aria-label={t('unknown.nameLabel')} dir="auto" value={name()} maxLength={300} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" data-testid="rafiq-create-customer" disabled={!name().trim()}>
          {t('unknown.create')}
        </button>
      </form>
      <button type="button" class="link" data-testid="rafiq-link-existing" onClick={() => setLinking(!linking())}>
        {t('unknown.link')}
      </button>
      <Show when={linking()}>
        <SearchBox
          initial={props.person.displayName.split(/\s+/)[0]}
          actionLabel={(c) => t('unknown.linkTo', { identity: identity().value, name: c.displayName })}
          onPick={(c) => void link(c.id)}
        />
      </Show>
      <Show when={error()}>
        <p class="notice notice-error" role="alert">{error()}</p>
      </Show>
    </div>
  );
}
