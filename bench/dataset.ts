import { foldName, normalizeIdentity } from '@shared/identity';

/**
 * The benchmark's synthetic workspace, defined as pure functions of the customer id so the
 * seeders (JS rows on SQLite, generate_series SQL on PostgreSQL) and the load generators agree
 * on who exists without keeping a million emails in memory.
 *
 * Customer i (1..N): one email, an X handle when i % 3 === 0, and 10 interactions spread over
 * the last 90 days. Identity ids: the email is i, the X handle N + i / 3.
 *
 * Interactions are generated in time order, as a live workspace receives them: slot k
 * (0..10N-1) happens at t0 - 90 days + k * step and belongs to customer ((k mod N) * P mod N) + 1,
 * a permutation (P is a prime that does not divide N), so every customer gets exactly one entry
 * per 9-day window and a customer's timeline is scattered over the table like in real life.
 */

/** [as displayed, ASCII for the email local part]; names in English, Arabic, Persian and Turkish. */
export const FIRST_NAMES: readonly (readonly [string, string])[] = [
  ['Layla', 'layla'],
  ['ليلى', 'layla'],
  ['Mehmet', 'mehmet'],
  ['Ayşe', 'ayse'],
  ['محمد', 'mohammad'],
  ['Zeynep', 'zeynep'],
  ['رضا', 'reza'],
  ['Sara', 'sara'],
  ['İbrahim', 'ibrahim'],
  ['Emily', 'emily'],
  ['نور', 'nour'],
  ['Omar', 'omar'],
  ['مریم', 'maryam'],
  ['John', 'john'],
  ['Elif', 'elif'],
  ['Yusuf', 'yusuf'],
];
export const LAST_NAMES: readonly (readonly [string, string])[] = [
  ['Haddad', 'haddad'],
  ['حداد', 'haddad'],
  ['Yılmaz', 'yilmaz'],
  ['Kaya', 'kaya'],
  ['رضایی', 'rezaei'],
  ['Smith', 'smith'],
  ['Karimi', 'karimi'],
  ['Öztürk', 'ozturk'],
  ['السيد', 'alsayed'],
  ['Demir', 'demir'],
  ['Ahmadi', 'ahmadi'],
  ['Brown', 'brown'],
  ['Şahin', 'sahin'],
];
export const DOMAINS = ['example.com', 'mail.example.net', 'shop.example.org', 'example.com.tr', 'example.ae'] as const;
export const LOCALES = ['en', 'ar', 'fa', 'tr'] as const;
export const CHANNELS = ['email', 'x', 'review', 'note', 'ticket', 'order', 'call', 'chat'] as const;
export const DIRECTIONS = ['inbound', 'outbound', 'inbound', 'internal', 'inbound', 'outbound', 'inbound', 'outbound'] as const;
export const SUMMARIES = [
  'Email: where is my order?',
  'Mention on X about late delivery',
  'Review: 2 stars, packaging damaged',
  'Note: prefers Arabic replies',
  'Ticket opened: refund request',
  'Order placed',
  'Call: asked about warranty',
  'Chat: changed shipping address',
] as const;
export const EXCERPT = 'Hello, I ordered last week and the parcel has not arrived yet. Can you check the tracking?';

export const DAY_MS = 86_400_000;
export const TIMELINE_SPAN_MS = 90 * DAY_MS;

const F = FIRST_NAMES.length;
const L = LAST_NAMES.length;
const D = DOMAINS.length;

// Multipliers coprime with the table sizes so neighbours get different names.
export const firstIndex = (i: number) => i % F;
export const lastIndex = (i: number) => (i * 7) % L;

export function displayNameOf(i: number): string {
  return `${FIRST_NAMES[firstIndex(i)]![0]} ${LAST_NAMES[lastIndex(i)]![0]}`;
}

export const FIRST_FOLDED = FIRST_NAMES.map(([name]) => foldName(name));
export const LAST_FOLDED = LAST_NAMES.map(([name]) => foldName(name));

export function nameFoldedOf(i: number): string {
  return `${FIRST_FOLDED[firstIndex(i)]} ${LAST_FOLDED[lastIndex(i)]}`;
}

/** Email as stored (already normalized: lower-case, not a Gmail address). */
export function emailOf(i: number): string {
  return `${FIRST_NAMES[firstIndex(i)]![1]}.${LAST_NAMES[lastIndex(i)]![1]}${i}@${DOMAINS[i % D]}`;
}

export const hasXHandle = (i: number) => i % 3 === 0;

/** X handle as a user would type it (with @ and capitals); ≤ 15 characters up to id 36^6. */
export function xHandleValueOf(i: number): string {
  const first = FIRST_NAMES[firstIndex(i)]![1].slice(0, 6);
  return `@${first[0]!.toUpperCase()}${first.slice(1)}_${i.toString(36)}`;
}
export function xHandleNormalizedOf(i: number): string {
  return xHandleValueOf(i).slice(1).toLowerCase();
}

export const INTERACTIONS_PER_CUSTOMER = 10;

export function customerCreatedAt(i: number, t0: number): number {
  return t0 - 365 * DAY_MS + (i % (300 * DAY_MS));
}

export interface InteractionPlan {
  n: number;
  total: number;
  /** Multiplier of the customer permutation. */
  p: number;
  /** Milliseconds between consecutive slots. */
  step: number;
  /** occurred_at of slot 0. */
  start: number;
}

export function interactionPlan(n: number, t0: number): InteractionPlan {
  const p = [1_000_003, 1_000_033, 1_000_037].find((prime) => n % prime !== 0)!;
  const total = n * INTERACTIONS_PER_CUSTOMER;
  return { n, total, p, step: Math.floor(TIMELINE_SPAN_MS / total), start: t0 - TIMELINE_SPAN_MS };
}

/** Slot k: its customer, its index j in that customer's timeline (0..9) and its time. */
export function interactionSlot(plan: InteractionPlan, k: number): { customerId: number; j: number; at: number } {
  return { customerId: (((k % plan.n) * plan.p) % plan.n) + 1, j: Math.floor(k / plan.n), at: plan.start + k * plan.step };
}

/**
 * The seeders write values they computed themselves, so make sure the API's own normalization
 * and name folding agree with them; otherwise every lookup would silently miss.
 */
export function assertDatasetMatchesNormalization(): void {
  for (let f = 0; f < F; f++) {
    for (let l = 0; l < L; l++) {
      const folded = foldName(`${FIRST_NAMES[f]![0]} ${LAST_NAMES[l]![0]}`);
      if (folded !== `${FIRST_FOLDED[f]} ${LAST_FOLDED[l]}`) throw new Error(`name folding differs for ${folded}`);
    }
  }
  for (const i of [1, 2, 3, 999_999, 1_000_000, 12_345_678]) {
    const email = normalizeIdentity({ kind: 'email', value: emailOf(i) });
    if (!email.ok || email.normalized !== emailOf(i)) throw new Error(`email of ${i} does not normalize to itself`);
    const x = normalizeIdentity({ kind: 'x', value: xHandleValueOf(i) });
    if (!x.ok || x.normalized !== xHandleNormalizedOf(i)) throw new Error(`X handle of ${i} normalizes differently`);
  }
}
