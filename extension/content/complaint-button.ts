import type { Review } from '@shared/page-context';
import { complaintSourceKey } from '@shared/review-identity';
import { conversation, noteConversationWrite, takeCollisionWarning } from '../sidebar/collision';
import { ask, BackgroundError, newIdempotencyKey } from '../messaging/client';
import type { TicketView } from '../messaging/protocol';
import { direction, formatId, language, t } from '../i18n';
import { errorText, ticketStatusLabel } from '../i18n/labels';

const BUTTON_CSS = `
:host { all: initial; display: inline-block; margin-block: 6px; }
button { font: 600 12px/1.4 system-ui, sans-serif; cursor: pointer; border-radius: 6px; padding: 4px 10px;
  border: 1px solid #0b6e4f; background: #0b6e4f; color: #fff; }
button[data-state='logged'] { background: #e6f4ee; color: #0b5a40; border-color: #9fd3bd; }
button[data-state='logged']::before { content: '✓ '; }
button[data-state='error'] { background: #fff; color: #b42318; border-color: #b42318; }
button[data-state='warning'] { background: #fff8e6; color: #7a4b00; border-color: #d99a00; white-space: normal; text-align: start; max-inline-size: 40em; }
button:focus-visible { outline: 2px solid #0b6e4f; outline-offset: 2px; }
button:disabled { opacity: .7; cursor: default; }`;

/**
 * The "Log complaint" button on one review card, in its own shadow root (page CSS can't restyle
 * it, its CSS can't leak). Text is always set with textContent: review text is attacker-controlled.
 */
export class ComplaintButton {
  readonly host: HTMLElement;
  private readonly button: HTMLButtonElement;
  review: Review;

  constructor(
    review: Review,
    private readonly pageUrl: () => string,
    private readonly onLogged: (ticket: TicketView) => void,
    /** A click on an already logged review shows its reviewer in the sidebar (nothing is written). */
    private readonly onFocus: (review: Review) => void = () => undefined,
  ) {
    this.review = review;
    this.host = document.createElement('rafiq-complaint');
    this.host.setAttribute('data-review-id', review.reviewId);
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = BUTTON_CSS;
    this.button = document.createElement('button');
    this.button.type = 'button';
    // The page may be in any language or direction: the button follows the agent's.
    this.button.lang = language();
    this.button.dir = direction();
    this.button.setAttribute('data-testid', 'rafiq-log-complaint');
    this.button.textContent = t('complaint.log');
    this.button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      void this.log();
    });
    shadow.append(style, this.button);
  }

  showTicket(ticket: TicketView) {
    this.button.dataset.state = 'logged';
    this.button.dataset.ticketId = String(ticket.id);
    this.button.textContent = t('complaint.ticket', { number: t('tickets.number', { id: formatId(ticket.id) }), status: ticketStatusLabel(ticket.status) });
  }

  private async log() {
    if (this.button.disabled) return;
    if (this.button.dataset.state === 'logged') {
      this.onFocus(this.review);
      return;
    }
    // The sidebar's collision guard (issue 21) knows the focused review: when this is it and a
    // teammate logged or replied to it since this tab opened it, say so once; the next click logs.
    const key = complaintSourceKey(this.review.site, this.review.reviewId);
    const warning = conversation()?.key === key ? takeCollisionWarning() : null;
    if (warning) {
      this.button.dataset.state = 'warning';
      this.button.textContent = t('collision.confirm', { warning });
      return;
    }
    this.button.disabled = true;
    this.button.textContent = t('complaint.logging');
    try {
      const { ticket } = await ask({ type: 'logComplaint', idempotencyKey: newIdempotencyKey(), review: this.review, pageUrl: this.pageUrl() });
      this.showTicket(ticket);
      // Teammates on this review see it logged (their guard warns before they log it again).
      void noteConversationWrite('logged', { key, ticketId: ticket.id });
      this.onLogged(ticket);
    } catch (error) {
      this.button.dataset.state = 'error';
      this.button.textContent = errorText(error);
      this.button.dataset.detail = error instanceof BackgroundError ? error.message : String(error);
    } finally {
      this.button.disabled = false;
    }
  }
}
