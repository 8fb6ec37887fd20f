import { z } from 'zod';
import { plainText } from './text-schema';
import { identityInputSchema } from './identity';
import { LIMITS, EMAIL_LIMITS } from './limits';

/**
 * What a site adapter reads off a page. Content scripts send this to the background, which
 * validates it again (the page is hostile), so every string has a bound.
 */
export const siteIds = [
  'gmail',
  'x',
  'trustpilot',
  'yelp',
  'google',
  'g2',
  'amazon',
  'sikayetvar',
  'eshtki',
  'generic',
] as const;
export const siteIdSchema = z.enum(siteIds);
export type SiteId = z.infer<typeof siteIdSchema>;

// Page text under the boundary policy (shared/text-schema.ts): invisible characters removed, spacing kept.
const text = (max: number) => plainText(max);
const url = plainText(LIMITS.url);

/** The person an adapter thinks the page is about, with every identity it could read. */
export const pagePersonSchema = z.object({
  displayName: text(300),
  identities: z.array(identityInputSchema).min(1).max(20),
});
export type PagePerson = z.infer<typeof pagePersonSchema>;

export const emailParticipantSchema = z.object({
  name: text(EMAIL_LIMITS.name),
  email: text(EMAIL_LIMITS.email),
  /** `from` of at least one message in the thread (not only a recipient). */
  isSender: z.boolean(),
});

export const gmailThreadSchema = z.object({
  kind: z.literal('email-thread'),
  site: z.literal('gmail'),
  url,
  threadId: text(EMAIL_LIMITS.threadId),
  subject: text(EMAIL_LIMITS.subject),
  participants: z.array(emailParticipantSchema).max(EMAIL_LIMITS.participants),
  /** Messages newest last, as Gmail shows them. */
  messages: z
    .array(
      z.object({
        id: text(EMAIL_LIMITS.messageId).nullable(),
        fromName: text(EMAIL_LIMITS.name),
        fromEmail: text(EMAIL_LIMITS.email),
        /** ISO time when Gmail exposes one, else null. */
        time: text(EMAIL_LIMITS.time).nullable(),
        timeText: text(EMAIL_LIMITS.timeText).nullable(),
      }),
    )
    .max(EMAIL_LIMITS.messages),
  /** The latest inbound sender who is not one of the agent's own addresses; null when none. */
  customer: pagePersonSchema.nullable(),
});

export const gmailListSchema = z.object({
  kind: z.literal('email-list'),
  site: z.literal('gmail'),
  url,
});

export const gmailComposeSchema = z.object({
  kind: z.literal('email-compose'),
  site: z.literal('gmail'),
  url,
  recipients: z.array(text(EMAIL_LIMITS.email)).max(EMAIL_LIMITS.recipients),
  subject: text(EMAIL_LIMITS.subject),
  customer: pagePersonSchema.nullable(),
});

export const tweetSchema = z.object({
  id: text(40),
  authorHandle: text(20),
  authorName: text(300),
  text: text(40_000),
  /** ISO time from `time[datetime]`, null when the tweet shows none. */
  time: text(64).nullable(),
  url,
  /** The quoted tweet's author: shown inside this tweet but NOT its author. */
  quoted: z.object({ id: text(40).nullable(), authorHandle: text(20).nullable() }).nullable(),
  /** Set when X shows a placeholder instead of the tweet ("This post is unavailable"). */
  placeholder: z.enum(['deleted', 'protected', 'unavailable']).nullable(),
});
export type Tweet = z.infer<typeof tweetSchema>;

export const xStatusSchema = z.object({
  kind: z.literal('x-status'),
  site: z.literal('x'),
  url,
  /** The tweet the URL names. */
  tweet: tweetSchema,
  /** Conversation id: the root tweet's id when the page shows it, else the focal tweet's. */
  conversationId: text(40),
  /** Every other tweet on the page (ancestors and replies), in page order. */
  conversation: z.array(tweetSchema).max(500),
  customer: pagePersonSchema,
});

export const xProfileSchema = z.object({
  kind: z.literal('x-profile'),
  site: z.literal('x'),
  url,
  handle: text(20),
  displayName: text(300).nullable(),
  tweets: z.array(tweetSchema).max(500),
  customer: pagePersonSchema,
});

export const xTimelineSchema = z.object({
  kind: z.literal('x-timeline'),
  site: z.literal('x'),
  url,
  /** home | search | notifications | other */
  timeline: z.enum(['home', 'search', 'notifications', 'other']),
  tweets: z.array(tweetSchema).max(500),
});

/** A review or complaint, as honest as the page allows: unknown fields are null, never guessed. */
export const reviewSchema = z.object({
  site: siteIdSchema,
  /** The site's own id of the review when it has one, else derived from the permalink. */
  reviewId: text(LIMITS.reviewId),
  /** Absolute URL of the review itself, or null when the site has no per-review link. */
  permalink: url.nullable(),
  reviewerName: text(LIMITS.name),
  /** Absolute profile URL, or null (the identity then falls back to the name). */
  reviewerProfileUrl: url.nullable(),
  /** Null for complaints (no stars) and when the page shows none. */
  rating: z.object({ value: z.number(), best: z.number(), worst: z.number() }).nullable(),
  title: text(LIMITS.title).nullable(),
  text: text(LIMITS.text),
  date: z.object({
    /** ISO date or date-time when the page gives one with a year. */
    iso: text(LIMITS.iso).nullable(),
    /** What the page shows, e.g. "21 Mayıs 20:46". */
    raw: text(LIMITS.raw).nullable(),
    /** False when the page shows a date without a year (sikayetvar cards). */
    yearKnown: z.boolean(),
  }),
  /** Complaint sites: whether the company answered publicly. Null on review sites that don't say. */
  status: z.enum(['answered', 'waiting']).nullable(),
  business: z.object({ name: text(LIMITS.business), url: url.nullable() }),
  tags: z.array(text(LIMITS.tag)).max(LIMITS.tags),
  language: text(LIMITS.language).nullable(),
});
export type Review = z.infer<typeof reviewSchema>;

export const reviewsPageSchema = z.object({
  kind: z.literal('reviews'),
  site: siteIdSchema,
  url,
  business: z.object({ name: text(LIMITS.business), url: url.nullable() }),
  reviews: z.array(reviewSchema).max(LIMITS.reviews),
  /** Review cards that could not be read fully: never logged, listed in the sidebar instead. */
  unreadable: z
    .array(z.object({ position: z.number().int(), reviewerName: text(LIMITS.name).nullable(), reason: text(LIMITS.reason) }))
    .max(LIMITS.reviews),
  /** Single-review pages: the review the URL names. */
  focusReviewId: text(LIMITS.reviewId).nullable(),
});

/** The site answered with a bot challenge or an error page instead of content. */
export const blockedPageSchema = z.object({
  kind: z.literal('blocked'),
  site: siteIdSchema,
  url,
  reason: z.enum(['bot-challenge', 'error-page', 'signed-out']),
});

export const pageContextSchema = z.discriminatedUnion('kind', [
  gmailThreadSchema,
  gmailListSchema,
  gmailComposeSchema,
  xStatusSchema,
  xProfileSchema,
  xTimelineSchema,
  reviewsPageSchema,
  blockedPageSchema,
]);
export type PageContext = z.infer<typeof pageContextSchema>;
export type PageContextOf<K extends PageContext['kind']> = Extract<PageContext, { kind: K }>;
