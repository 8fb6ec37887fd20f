import { createSignal, For, Show } from 'solid-js';
import type { PublicReplyChecker, PublicReplySubject, PublicReplyWarning, PublicReplyWarningKind } from '@shared/public-reply-check';
import type { CustomerView } from '../../messaging/protocol';
import type { PageState } from '../page-state';
import { t } from '../../i18n';
import type { TextKey as MessageKey } from '../../i18n';

/**
 * The check before a public reply (issue 22), in the sidebar: on a review or complaint page, a
 * reply about to be inserted is checked first; when it warns, the agent sees why and chooses
 * "Insert anyway" or "Back to edit". Nothing is ever blocked for good.
 */

/** What the check knows about this page's reviewer, or null when the page is not public (Gmail). */
export function publicReplySubject(page: PageState, view: CustomerView | undefined, agentEmail: string | null | undefined): PublicReplySubject | null {
  if (page.status !== 'recognized' || page.context.kind !== 'reviews') return null;
  const context = page.context;
  const identities = view?.customer.identities ?? [];
  const customerNames = [view?.customer.displayName, page.person?.displayName].filter((n): n is string => !!n);
  const own = new Set(customerNames.map((n) => n.toLowerCase()));
  const agentDomain = agentEmail?.includes('@') ? agentEmail.slice(agentEmail.lastIndexOf('@') + 1) : null;
  return {
    emails: identities.filter((i) => i.kind === 'email').map((i) => i.value),
    phones: identities.filter((i) => i.kind === 'phone').map((i) => i.value),
    orderNumbers: (view?.orders.items ?? []).map((o) => o.number),
    customerNames,
    // Other reviewers on this page: their names are what a reply could leak.
    otherCustomerNames: context.reviews.map((r) => r.reviewerName).filter((n) => n && !own.has(n.toLowerCase())),
    // The team's own address is the one a public reply may give.
    business: { emailDomains: agentDomain ? [agentDomain] : [] },
  };
}

const kindKey: Record<PublicReplyWarningKind, MessageKey> = {
  email: 'publicReply.email',
  phone: 'publicReply.phone',
  'order-number': 'publicReply.orderNumber',
  'asks-to-change-review': 'publicReply.asksToChange',
  'names-other-customer': 'publicReply.namesOther',
};

interface Pending {
  warnings: PublicReplyWarning[];
  decide(insert: boolean): void;
}

/**
 * `confirm(text)` resolves true at once when the check finds nothing (or the page is not public),
 * else shows `<Warning/>` and resolves with the agent's choice. `check` is the page's
 * (`PageHooks.checkPublicReply`): only the review sites' script has one.
 */
export function createPublicReplyCheck(subject: () => PublicReplySubject | null, check: () => PublicReplyChecker | undefined) {
  const [pending, setPending] = createSignal<Pending | null>(null);

  const confirm = (text: string): Promise<boolean> => {
    const s = subject();
    const checker = check();
    if (!s || !checker) return Promise.resolve(true);
    const warnings = checker(text, s);
    if (!warnings.length) return Promise.resolve(true);
    pending()?.decide(false);
    return new Promise<boolean>((resolve) => {
      setPending({
        warnings,
        decide: (insert) => {
          setPending(null);
          resolve(insert);
        },
      });
    });
  };

  const Warning = () => (
    <Show when={pending()}>
      {(p) => (
        <div class="notice notice-error public-reply-check" role="alert" data-testid="rafiq-public-reply-warning">
          <strong>{t('publicReply.title')}</strong>
          <ul class="list">
            <For each={p().warnings}>
              {(w) => (
                <li data-kind={w.kind}>
                  {t(kindKey[w.kind])} <bdi dir="auto">{w.match}</bdi>
                </li>
              )}
            </For>
          </ul>
          <div class="row">
            <button type="button" data-testid="rafiq-public-reply-edit" onClick={() => p().decide(false)}>
              {t('publicReply.back')}
            </button>
            <button type="button" class="link" data-testid="rafiq-public-reply-anyway" onClick={() => p().decide(true)}>
              {t('publicReply.insertAnyway')}
            </button>
          </div>
        </div>
      )}
    </Show>
  );

  return { confirm, Warning, pending };
}
