import type { PageContext, PagePerson } from '@shared/page-context';
import type { PublicReplyChecker } from '@shared/public-reply-check';

/** What the content script tells the sidebar about the page. */
export type PageState =
  | { status: 'recognized'; context: PageContext; person: PagePerson | null }
  | { status: 'unrecognized' }
  | { status: 'failed' }
  | { status: 'blocked' };

/** Something on the page that can be put on the customer's timeline with one click. */
export interface LogTarget {
  label: 'action.logEmail' | 'action.logMention';
  channel: 'email' | 'x';
  externalId: string;
  summary: string;
  excerpt: string | null;
  url: string | null;
  occurredAt: string | null;
}

/** Defaults for "create ticket" from what the page shows. */
export interface TicketDraft {
  subject: string;
  channel: 'email' | 'x' | 'review';
  sourceUrl: string | null;
  sourceKey: string | null;
  excerpt: string | null;
}

export type InsertResult = 'inserted' | 'copied' | 'no-box';

/** What a site lets the sidebar do on its page. */
export interface PageHooks {
  insertReply(text: string): Promise<InsertResult>;
  logTarget(state: PageState): LogTarget | null;
  ticketDraft(state: PageState): TicketDraft | null;
  /**
   * The conversation on screen for presence, the collision guard and the SLA clock (issue 21),
   * when the site has one without a ticket draft (review pages: the focused review's complaint).
   * Without it, the ticket draft's source key is the conversation.
   */
  conversationKey?(state: PageState): string | null;
  /**
   * Review and complaint sites, where a reply is public: the check a reply goes through before
   * it is inserted (issue 22). Handed in by the reviews content script so that Gmail's and X's
   * scripts don't carry it (issue 20).
   */
  checkPublicReply?: PublicReplyChecker;
}
