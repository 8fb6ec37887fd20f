import '../../sidebar/sidebar.css';
import { createSignal, For, Show } from 'solid-js';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { PageContextOf, Review } from '@shared/page-context';
import { complaintSourceKey, reviewerIdentity } from '@shared/review-identity';
import { checkPublicReply } from '@shared/public-reply-check';
import { reviewAdapterForUrl } from '../../sites/review-registry';
import { contentScriptMatches, reviewSiteIds } from '../../sites/hosts';
import { ComplaintButton } from '../../content/complaint-button';
import { insertIntoTextField } from '../../content/editor-insert';
import { mountPageSidebar } from '../../content/page-sidebar';
import { startPageSnippets } from '../../content/snippets-page';
import { startSentReplies } from '../../content/sent-replies';
import { ask } from '../../messaging/client';
import type { TicketView } from '../../messaging/protocol';
import type { PageState } from '../../sidebar/page-state';
import { Section } from '../../sidebar/sections/Section';
import { formatId, formatNumber, t } from '../../i18n';
import { ticketStatusLabel } from '../../i18n/labels';
import { applyLocaleSettings } from '../../i18n/apply-settings';

type ReviewsPage = PageContextOf<'reviews'>;
/** The business account's reply box on review pages (shown only when signed in as the business). */
const BUSINESS_REPLY_BOX = 'textarea[name="reply"], textarea[data-reply-textarea], textarea[aria-label*="reply" i]';
/** What submits a form (a submit button, or a button with no type); the form's `submit` event is watched too. */
const REPLY_SUBMIT = 'form button:not([type="button"]):not([type="reset"]), form input[type="submit"]';

/**
 * Review and complaint sites: a "Log complaint" button on every review card that could be read
 * fully, the reviewer's customer in the sidebar, and the reviews on this page with their tickets.
 * Also the script the popup registers on sites the user enables (generic schema.org adapter).
 */
export default defineContentScript({
  matches: reviewSiteIds.flatMap(contentScriptMatches),
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    // Buttons on review cards are made outside the sidebar: they need the agent's language first.
    await applyLocaleSettings().catch(() => undefined);
    const adapter = reviewAdapterForUrl(new URL(location.href));
    const buttons = new Map<string, ComplaintButton>();
    const [tickets, setTickets] = createSignal<Record<string, TicketView>>({});
    const [focus, setFocus] = createSignal<Review | null>(null);
    const [reviewsPage, setReviewsPage] = createSignal<ReviewsPage | null>(null);

    const recordTicket = (reviewId: string, ticket: TicketView) => setTickets({ ...tickets(), [reviewId]: ticket });

    /** One button per readable review card; the button always carries the card's current review. */
    const placeButtons = () => {
      const items = adapter.reviewItems?.(document, new URL(location.href)) ?? [];
      for (const { element, item } of items) {
        let button = buttons.get(item.reviewId);
        if (!button) {
          button = new ComplaintButton(
            item,
            () => location.href,
            (ticket) => {
              recordTicket(item.reviewId, ticket);
              setFocus(button!.review);
              sidebar.rerun();
            },
            (review) => {
              setFocus(review);
              sidebar.rerun();
            },
          );
          buttons.set(item.reviewId, button);
        }
        button.review = item;
        // A re-rendered or recycled card may still hold the button of the review it showed
        // before: that button goes, so a card only ever carries its own review's button.
        for (const host of element.querySelectorAll('rafiq-complaint')) {
          if (host !== button.host && host.getAttribute('data-review-id') !== item.reviewId) host.remove();
        }
        if (!element.contains(button.host)) element.append(button.host);
      }
      // Reviews no longer on the page take their buttons with them.
      const present = new Set(items.map((i) => i.item.reviewId));
      for (const [reviewId, button] of buttons) if (!present.has(reviewId)) button.host.remove();
      return items.map((i) => i.item);
    };

    const refreshStatuses = async (reviews: Review[]) => {
      if (!reviews.length) return;
      try {
        const statuses = await ask({ type: 'complaintStatus', reviews: reviews.slice(0, 200).map((r) => ({ site: r.site, reviewId: r.reviewId })) });
        for (const s of statuses) {
          if (!s.ticket) continue;
          buttons.get(s.reviewId)?.showTicket(s.ticket);
          recordTicket(s.reviewId, s.ticket);
        }
      } catch {
        // Not connected yet: the sidebar says so; buttons still work once connected.
      }
    };

    let lastIds = '';
    const sidebar = await mountPageSidebar(ctx, {
      siteId: adapter.id,
      scope: () => document.querySelector('main') ?? document.body,
      debounceMs: 250,
      read(): PageState {
        const context = adapter.recognize(document, new URL(location.href));
        if (!context) return { status: 'unrecognized' };
        if (context.kind === 'blocked') return { status: 'blocked' };
        if (context.kind !== 'reviews') return { status: 'unrecognized' };
        setReviewsPage(context);
        const reviews = placeButtons();
        const ids = reviews.map((r) => r.reviewId).join(',');
        if (ids !== lastIds) {
          lastIds = ids;
          void refreshStatuses(reviews);
        }
        const focused = focus() ?? context.reviews.find((r) => r.reviewId === context.focusReviewId) ?? null;
        // An anonymous reviewer ("Amazon Customer") has no identity to look up: the sidebar says no customer.
        const identity = focused ? reviewerIdentity(focused) : null;
        const person = focused && identity ? { displayName: focused.reviewerName, identities: [identity] } : null;
        return { status: 'recognized', context, person };
      },
      hooks: {
        // Replies here are public: checked before they go in (issue 22). Only this script carries the check.
        checkPublicReply,
        async insertReply(text) {
          // Business replies need the business account's own reply box, which these pages only
          // show when signed in as the business; otherwise the reply goes to the clipboard.
          const box = document.querySelector<HTMLTextAreaElement>(BUSINESS_REPLY_BOX);
          if (box) {
            insertIntoTextField(box, text);
            return 'inserted';
          }
          await navigator.clipboard.writeText(text);
          return 'copied';
        },
        logTarget: () => null,
        ticketDraft: () => null,
        // The focused review is the conversation: its complaint ticket's clock, who else is on it.
        conversationKey(state) {
          if (state.status !== 'recognized' || state.context.kind !== 'reviews') return null;
          const context = state.context;
          const focused = focus() ?? context.reviews.find((r) => r.reviewId === context.focusReviewId) ?? null;
          return focused ? complaintSourceKey(focused.site, focused.reviewId) : null;
        },
      },
      extra: () => (
        <Show when={reviewsPage()}>
          {(page) => (
            <Section id="reviews" title={t('section.reviews')} count={page().reviews.length}>
              <Show when={page().reviews.length} fallback={<p class="muted">{t('complaint.none')}</p>}>
                <ul class="list reviews">
                  <For each={page().reviews.slice(0, 100)}>
                    {(review) => (
                      <li class="review" data-testid="rafiq-page-review" data-review-id={review.reviewId}>
                        <button type="button" class="link" onClick={() => (setFocus(review), sidebar.rerun())}>
                          <span dir="auto">{review.reviewerName}</span>
                        </button>
                        <span class="muted">
                          {review.rating ? `${t('complaint.rating', { value: formatNumber(review.rating.value), best: formatNumber(review.rating.best) })} · ` : ''}
                          <bdi>{(review.title ?? review.text).slice(0, 80)}</bdi>
                        </span>
                        <Show when={tickets()[review.reviewId]}>
                          {(ticket) => (
                            <span class={`status status-${ticket().status}`}>
                              {t('complaint.ticket', { number: t('tickets.number', { id: formatId(ticket().id) }), status: ticketStatusLabel(ticket().status) })}
                            </span>
                          )}
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <For each={page().unreadable}>
                {(u) => (
                  <p class="notice notice-error" data-testid="rafiq-unreadable-review">
                    {t('complaint.unreadable', { position: u.position, name: u.reviewerName ?? t('complaint.unknownReviewer') })}
                  </p>
                )}
              </For>
            </Section>
          )}
        </Show>
      ),
    });
    // Snippets (issue 22) in the business reply box; the review answered is the focused one.
    const replyBoxes = {
      channel: 'review',
      isReplyBox: (el: HTMLElement) => el.matches(BUSINESS_REPLY_BOX),
      page: sidebar.page,
      incoming: () => {
        const page = reviewsPage();
        const focused = focus() ?? page?.reviews.find((r) => r.reviewId === page.focusReviewId) ?? null;
        return focused ? [focused.title, focused.text].filter(Boolean).join('\n') : null;
      },
    } as const;
    // A business reply the agent submits feeds the reply history (its form's submit or submit button).
    ctx.onInvalidated(await startSentReplies(document, { ...replyBoxes, sendControl: REPLY_SUBMIT, sendKeys: false }));
    await startPageSnippets(ctx, {
      ...replyBoxes,
      // A reply here is public: the check sees the page's other reviewers (issue 22).
      publicReply: {
        subject: () => {
          const page = reviewsPage();
          const focused = focus() ?? page?.reviews.find((r) => r.reviewId === page.focusReviewId) ?? null;
          const own = focused?.reviewerName ?? null;
          return { customerNames: own ? [own] : [], otherCustomerNames: (page?.reviews ?? []).map((r) => r.reviewerName).filter((n) => n !== own) };
        },
        check: checkPublicReply,
      },
    });
  },
});
