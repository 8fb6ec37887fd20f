import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { IdentityInput } from '@shared/identity';
import { normalizeIdentities } from '../../../api/modules/customers/customers.repository';
import { scoreSuggestions } from '../../../api/modules/customers/matching';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, type Caller } from '../identity-helpers';

/**
 * The labeled matching set (tests/fixtures/matching/pairs.json, ≥ 200 pairs across scripts and
 * channels, labeled by hand). Every `b` is a customer; every `a` is looked up. A pair is predicted
 * "same" when `b` is among the suggestions. Prints precision and recall, asserts floors, and
 * asserts that no lookup ever linked anything (fuzzy matches are suggestions only).
 */

interface Side {
  name?: string;
  company?: string;
  identities: IdentityInput[];
}
interface Pair {
  id: number;
  channel: string;
  same: boolean;
  why: string;
  a: Side;
  b: Side;
}

const { pairs } = JSON.parse(readFileSync(new URL('../../fixtures/matching/pairs.json', import.meta.url), 'utf8')) as { pairs: Pair[] };

test('the labeled set is big enough and mixes scripts, channels and both labels', () => {
  expect(pairs.length).toBeGreaterThanOrEqual(200);
  expect(pairs.filter((p) => p.same).length).toBeGreaterThanOrEqual(80);
  expect(pairs.filter((p) => !p.same).length).toBeGreaterThanOrEqual(80);
  expect(new Set(pairs.map((p) => p.channel)).size).toBeGreaterThanOrEqual(5);
  expect(pairs.some((p) => /[\u0600-\u06ff]/.test(`${p.a.name}${p.b.name}`))).toBe(true);
  // Issue 17: transliteration beyond Arabic ↔ Latin, given-name-only pairs and placeholders.
  for (const script of [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u]) {
    expect(pairs.filter((p) => p.same && script.test(`${p.a.name}${p.b.name}`)).length).toBeGreaterThanOrEqual(6);
    expect(pairs.filter((p) => !p.same && script.test(`${p.a.name}${p.b.name}`)).length).toBeGreaterThanOrEqual(3);
  }
  expect(pairs.filter((p) => p.why === 'only the given names match').length).toBeGreaterThanOrEqual(5);
  expect(pairs.filter((p) => /placeholder|masked/.test(p.why)).length).toBeGreaterThanOrEqual(3);
});

describe.each(dbKinds)('labeled matching set on %s', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  const customerOf = new Map<number, number>();

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent } = await identityCallers(testDb, () => Date.parse('2026-11-24T10:00:00Z')));
    for (const pair of pairs) {
      const customer = await agent.customers.create({ displayName: pair.b.name!, company: pair.b.company ?? null, identities: pair.b.identities });
      customerOf.set(pair.id, customer.id);
    }
  }, 120_000);
  afterAll(async () => {
    await testDb?.cleanup();
  });

  test('precision and recall over the set; fuzzy matches never link', async () => {
    const identitiesBefore = await testDb.conn.db.selectFrom('identities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    let linked = 0;
    const misses: string[] = [];
    for (const pair of pairs) {
      // Through the real procedure: nothing matches exactly, so the answer is suggestions only.
      const answer = await agent.customers.lookup({ identities: pair.a.identities, name: pair.a.name });
      if (answer.customer) linked++;
      const scored = await scoreSuggestions(testDb.conn.db, { identities: normalizeIdentities(pair.a.identities), name: pair.a.name }, { limit: 100 });
      const predicted = scored.some((s) => s.customerId === customerOf.get(pair.id));
      if (predicted && pair.same) tp++;
      else if (predicted && !pair.same) fp++;
      else if (!predicted && pair.same) fn++;
      else tn++;
      if (predicted !== pair.same) misses.push(`#${pair.id} ${pair.same ? 'missed' : 'false match'} (${pair.why}): ${pair.a.name ?? pair.a.identities[0]?.value} ↔ ${pair.b.name}`);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      `[matching set, ${kind}] ${pairs.length} pairs: precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}% ` +
        `(tp ${tp}, fp ${fp}, fn ${fn}, tn ${tn}); never auto-linked: ${linked} of ${pairs.length} lookups linked ` +
        `(auto-link precision ${linked ? 'below 1.0' : '1.0'})\n  ${misses.join('\n  ')}`,
    );
    // A fuzzy match is only ever a suggestion: no lookup of the set links anyone.
    expect(linked).toBe(0);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    const identitiesAfter = await testDb.conn.db.selectFrom('identities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(identitiesAfter.n)).toBe(Number(identitiesBefore.n));
  }, 120_000);
});
