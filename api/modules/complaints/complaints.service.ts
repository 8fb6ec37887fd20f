import type { Kysely } from 'kysely';
import type { Review } from '@shared/page-context';
import type { IdentityKind } from '@shared/identity';
import { complaintSourceKey, reviewerIdentity } from '@shared/review-identity';
import type { Ticket } from '@shared/ticket';
import type { Database } from '../../db/database';
import { fromIso } from '../../db/time';
import { DomainError, isUniqueViolation } from '../../errors';
import { createCustomer, lookupCustomers, normalizeIdentities } from '../customers/customers.repository';
import { createTicket, findTicketBySourceKey } from '../tickets/tickets.repository';
import { logInteraction } from '../timeline/timeline.repository';

/**
 * One click on "Log complaint": find or create the reviewer's customer, open a ticket (channel
 * `review`, high priority for low ratings) and put the review on their timeline. Every step is
 * idempotent on a unique key, so a second click, a reload or a teammate's click returns the same
 * ticket with `created: false`.
 */
export async function logComplaint(
  db: Kysely<Database>,
  input: { review: Review; pageUrl: string; highPriorityAtOrBelow: number; agentId: number; now: number },
): Promise<{ ticket: Ticket; created: boolean; customerId: number }> {
  const { review } = input;
  const reviewer = reviewerIdentity(review);
  let customerId: number;
  if (reviewer) {
    const [identity] = normalizeIdentities([reviewer], 'review.reviewer');
    customerId = await findOrCreateCustomer(db, review.reviewerName, identity!, input.agentId, input.now);
  } else {
    // An anonymous or masked reviewer ("Amazon Customer", "M***** K.") with no profile link: the
    // complaint gets a customer of its own with no identity, so it is never merged with the other
    // thousands of "Amazon Customer"s. A repeat click finds the ticket by its source key first.
    const existing = await findTicketBySourceKey(db, complaintSourceKey(review.site, review.reviewId));
    customerId = existing
      ? existing.customer_id
      : (await createCustomer(db, { displayName: review.reviewerName || review.site, identities: [], linkedBy: 'agent', agentId: input.agentId }, input.now)).id;
  }

  const ratingLow =
    review.rating !== null && normalizedStars(review.rating) <= input.highPriorityAtOrBelow;
  const headline = review.title ?? review.text.slice(0, 80);
  const { ticket, created } = await createTicket(db, {
    customerId,
    subject: `${review.business.name}: ${headline}`.slice(0, 500),
    channel: 'review',
    priority: ratingLow ? 'high' : 'normal',
    assigneeId: input.agentId,
    sourceUrl: review.permalink ?? input.pageUrl,
    sourceKey: complaintSourceKey(review.site, review.reviewId),
    details: {
      site: review.site,
      rating: review.rating,
      reviewer: { name: review.reviewerName, profileUrl: review.reviewerProfileUrl },
      business: review.business,
      permalink: review.permalink,
      date: review.date,
      status: review.status,
      tags: review.tags,
      language: review.language,
    },
    excerpt: review.text.slice(0, 5000),
    agentId: input.agentId,
    createdAt: input.now,
  });
  const postedAt = review.date.iso ? fromIso(review.date.iso) : NaN;
  await logInteraction(db, {
    customer_id: ticket.customerId,
    channel: 'review',
    direction: 'inbound',
    occurred_at: Number.isFinite(postedAt) ? postedAt : input.now,
    summary: `${review.rating ? `${review.rating.value}/${review.rating.best} ` : ''}${review.site} review: ${headline}`.slice(0, 500),
    excerpt: review.text.slice(0, 5000),
    url: review.permalink ?? input.pageUrl,
    external_id: `${review.site}:${review.reviewId}`,
    agent_id: null,
    ticket_id: ticket.id,
    created_at: input.now,
  });
  return { ticket, created, customerId: ticket.customerId };
}

/** Ratings on any scale (1–5 stars, sikayetvar's 0–100) as stars out of 5. */
function normalizedStars(rating: { value: number; best: number; worst: number }): number {
  if (rating.best === 5 && rating.worst <= 1) return rating.value;
  const span = rating.best - rating.worst || 1;
  return 1 + ((rating.value - rating.worst) / span) * 4;
}

async function findOrCreateCustomer(
  db: Kysely<Database>,
  name: string,
  identity: { kind: IdentityKind; value: string; normalized: string },
  agentId: number,
  now: number,
): Promise<number> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [found] = await lookupCustomers(db, [[identity]]);
    if (found?.customer) return found.customer.id;
    try {
      const customer = await createCustomer(db, { displayName: name, identities: [identity], linkedBy: 'agent', agentId }, now);
      return customer.id;
    } catch (error) {
      // A teammate created the same reviewer a moment ago: look again.
      if (!(error instanceof DomainError && error.code === 'conflict') && !isUniqueViolation(error)) throw error;
    }
  }
  throw new DomainError('conflict', 'the reviewer could not be matched or created; try again');
}
