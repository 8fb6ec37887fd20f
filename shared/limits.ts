/**
 * How long a value read off a page may be: the bounds `shared/page-context.ts`'s schemas enforce
 * and the site kit cuts to before sending (a content script reading a hostile page sends bounded
 * values, and the background's validation then never refuses a page for being long).
 */
export const LIMITS = {
  reviewId: 300,
  name: 300,
  title: 2000,
  text: 100_000,
  raw: 200,
  iso: 64,
  url: 2048,
  business: 500,
  tag: 200,
  tags: 50,
  language: 20,
  reason: 500,
  reviews: 1000,
} as const;

/** The same for Gmail's threads and compose windows (the Gmail adapter cuts to these). */
export const EMAIL_LIMITS = {
  url: 2048,
  threadId: 200,
  subject: 10_000,
  name: 300,
  email: 320,
  messageId: 200,
  time: 64,
  timeText: 200,
  participants: 200,
  messages: 500,
  recipients: 200,
} as const;
