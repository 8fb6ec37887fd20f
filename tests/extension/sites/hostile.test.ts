import { describe, expect, test } from 'vitest';
import { foldName } from '@shared/normalize';
import { genericAdapter } from '../../../extension/sites/generic/generic.adapter';
import { trustpilotAdapter } from '../../../extension/sites/trustpilot/trustpilot.adapter';
import { expectReviewsPage, loadReviewFixture } from './review-fixture';

// Synthetic hostile pages (tests/fixtures/pages/hostile/README.md): page text is attacker-controlled.
// What names never keep (shared/text.ts); ZWNJ (U+200C) and ZWJ (U+200D) are kept.
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('Trustpilot markup with hostile values', () => {
  const page = expectReviewsPage(
    trustpilotAdapter.recognize(loadReviewFixture('hostile', 'trustpilot-markup-hostile.html'), new URL('https://www.trustpilot.com/review/evil.example')),
  );
  const byId = (suffix: string) => page.reviews.find((r) => r.reviewId.endsWith(suffix))!;

  test('schema passes; 8 readable cards, the nameless one listed as unreadable', () => {
    expect(page.reviews).toHaveLength(8);
    expect(page.unreadable).toEqual([{ position: 8, reviewerName: null, reason: 'no reviewer name (the markup may have changed)' }]);
  });

  test('HTML typed by a reviewer stays literal text; a real <script> element in the card is not text', () => {
    expect(byId('0001').reviewerName).toBe('<img src=x onerror=alert(1)>Mallory');
    expect(byId('0001').text).toBe('<script>alert("x")</script> I paid twice. Bold part.');
    expect(JSON.stringify(page)).not.toContain('window.stolen');
    // The business name is literal text too.
    expect(page.business.name).toBe('Evil <b>Shop</b>');
  });

  test('bidi overrides and zero-width spaces are stripped from names; the Persian ZWNJ is kept and folds as a word break', () => {
    expect(byId('0002').reviewerName).toBe('محمد العلي');
    expect(byId('0003').reviewerName).toBe('مهسا\u200cسادات رضایی');
    expect(foldName(byId('0003').reviewerName)).toBe(foldName('مهسا سادات رضایی'));
    for (const review of page.reviews) expect(review.reviewerName).not.toMatch(INVISIBLE);
    // Review text keeps what the reader sees (the ZWNJ in "نمی‌دهد" is part of the word).
    expect(byId('0003').text).toBe('پشتیبانی پاسخ نمی\u200cدهد.');
  });

  test('missing or impossible ratings are null, never guessed', () => {
    expect(byId('0002').rating).toBeNull();
    expect(byId('0009').rating).toBeNull();
  });

  test('two reviews by the same name keep distinct ids and profiles', () => {
    const same = page.reviews.filter((r) => r.reviewerName === 'Çağrı Öztürk');
    expect(same.map((r) => r.reviewId)).toEqual(['aaaaaaaaaaaaaaaaaaaa0004', 'aaaaaaaaaaaaaaaaaaaa0005']);
    expect(same[0]!.reviewerProfileUrl).not.toBe(same[1]!.reviewerProfileUrl);
  });

  test('long values: 10,000 characters kept; over the schema max truncated with an ellipsis', () => {
    expect(byId('0006').text).toHaveLength(10_000);
    const huge = byId('0007');
    expect(huge.text).toHaveLength(100_000);
    expect(huge.text.endsWith('…')).toBe(true);
    expect(huge.reviewerName).toHaveLength(300);
    expect(huge.title).toHaveLength(2000);
  });
});

describe('JSON-LD with hostile values', () => {
  const page = expectReviewsPage(genericAdapter.recognize(loadReviewFixture('hostile', 'generic-jsonld-hostile.html'), new URL('https://evil.example/p/1')));
  const byId = (n: number) => page.reviews.find((r) => r.reviewId === `https://evil.example/r/${n}`)!;

  test('a broken JSON-LD script is skipped; the valid one is read', () => {
    expect(page.reviews).toHaveLength(6);
    expect(page.unreadable.map((u) => u.position)).toEqual([7, 8]);
  });

  test('names are literal text; HTML in review bodies is reduced to its text, scripts dropped', () => {
    expect(byId(1).reviewerName).toBe('<img src=x onerror=alert(1)>Mallory');
    expect(byId(1).text).toBe('Broken on arrival & no refund.');
    expect(page.business.name).toBe('Evil <script>Gadget</script>');
  });

  test('impossible date and ratings become null', () => {
    expect(byId(1).date).toEqual({ iso: null, raw: null, yearKnown: false }); // 2025-02-30
    expect(byId(4).rating).toBeNull(); // 0 on a 1–5 scale
    expect(byId(3).rating).toEqual({ value: 4.5, best: 5, worst: 1 }); // "4,5"
  });

  test('non-Latin names, same name twice, author given as an array', () => {
    expect(byId(2).reviewerName).toBe('فاطمة الزهراء');
    expect(byId(5).reviewerName).toBe('رضا\u200cمحمدی');
    expect(foldName(byId(5).reviewerName)).toBe(foldName('رضا محمدی'));
    expect([byId(3).reviewerName, byId(4).reviewerName]).toEqual(['Çağrı Öztürk', 'Çağrı Öztürk']);
    expect(byId(6).reviewerName).toBe('Listed Author');
  });

  test('10,000 characters kept, 150,000 truncated to the schema max', () => {
    expect(byId(5).text).toHaveLength(10_000);
    expect(byId(6).text).toHaveLength(100_000);
  });
});
