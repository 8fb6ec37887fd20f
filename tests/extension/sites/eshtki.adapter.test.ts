import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { eshtkiAdapter } from '../../../extension/sites/eshtki/eshtki.adapter';
import { expectReviewsPage, loadReviewFixture, parseHtml } from './review-fixture';

// SYNTHETIC fixture: eshtki.com's real markup is unknown. These tests only prove the code paths.
describe('eshtki (unverified selectors, synthetic fixture)', () => {
  const url = new URL('https://www.eshtki.com/company/example-telecom');
  const page = expectReviewsPage(eshtkiAdapter.recognize(loadReviewFixture('eshtki', 'eshtki-synthetic-list.html'), url));
  const business = { name: 'شركة المثال للاتصالات', url: 'https://www.eshtki.com/company/example-telecom' };

  test.each([
    {
      index: 0,
      reviewId: '10452',
      reviewerName: 'أحمد منصور',
      profile: 'https://www.eshtki.com/user/ahmad-85',
      title: 'انقطاع الإنترنت منذ أسبوع',
      date: { iso: '2025-03-02T10:15:00+03:00', raw: '٢ مارس ٢٠٢٥', yearKnown: true },
      status: 'waiting' as const,
    },
    {
      index: 1,
      reviewId: '10453',
      reviewerName: 'سارة خالد',
      profile: 'https://www.eshtki.com/user/sara-k',
      title: 'خصم مبلغ بدون اشتراك',
      date: { iso: '2025-03-01', raw: '١ مارس ٢٠٢٥', yearKnown: true },
      status: 'answered' as const,
    },
  ])('$reviewerName', (expected) => {
    expect(page.reviews[expected.index]).toMatchObject({
      site: 'eshtki',
      reviewId: expected.reviewId,
      permalink: `https://www.eshtki.com/complaint/${expected.reviewId}`,
      reviewerName: expected.reviewerName,
      reviewerProfileUrl: expected.profile,
      rating: null,
      title: expected.title,
      date: expected.date,
      status: expected.status,
      business,
      language: 'ar',
    });
  });

  test('a card without a name is unreadable', () => {
    expect(page.unreadable).toEqual([{ position: 3, reviewerName: null, reason: 'no reviewer name (the markup may have changed)' }]);
  });

  test('falls back to schema.org reviews when no guessed card matches', () => {
    const doc = parseHtml(`<html lang="ar"><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Review","@id":"https://www.eshtki.com/c/77",
      "itemReviewed":{"@type":"Organization","name":"متجر المثال"},"author":{"@type":"Person","name":"نور"},"reviewBody":"لم يصل الطلب."}</script></head><body></body></html>`);
    const fallback = expectReviewsPage(eshtkiAdapter.recognize(doc, new URL('https://www.eshtki.com/c/77')));
    expect(fallback.reviews.map((r) => [r.reviewId, r.reviewerName, r.text, r.business.name])).toEqual([
      ['https://www.eshtki.com/c/77', 'نور', 'لم يصل الطلب.', 'متجر المثال'],
    ]);
  });

  test('a page with neither is not recognized', () => {
    expect(eshtkiAdapter.recognize(parseHtml('<html><body><h1>اشتكي</h1></body></html>'), new URL('https://www.eshtki.com/'))).toBeUndefined();
  });

  test('its README says the adapter is unverified', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../extension/sites/eshtki/README.md'), 'utf8');
    expect(readme).toMatch(/unverified/i);
  });
});
