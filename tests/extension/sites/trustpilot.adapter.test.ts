import { describe, expect, test } from 'vitest';
import { trustpilotAdapter } from '../../../extension/sites/trustpilot/trustpilot.adapter';
import { readJsonLd, findJsonLd, stringOf } from '../../../extension/sites/kit';
import { expectReviewsPage, loadReviewFixture } from './review-fixture';

const COMPANY = 'trustpilot-it-studiosamo-2025.html';
const SINGLE = 'trustpilot-it-studiosamo-single-review-derived-2025.html';

// The capture was served at it.trustpilot.com; end-to-end tests serve it at www.trustpilot.com.
describe.each(['https://it.trustpilot.com', 'https://www.trustpilot.com'])('company page served at %s', (origin) => {
  const url = new URL(`${origin}/review/studiosamo.it`);
  const page = expectReviewsPage(trustpilotAdapter.recognize(loadReviewFixture('trustpilot', COMPANY), url));

  test('business and counts (20 main-list cards, the 4 carousel cards are not double-counted)', () => {
    expect(page.site).toBe('trustpilot');
    expect(page.business).toEqual({ name: 'Studio Samo', url: `${origin}/review/studiosamo.it` });
    expect(page.reviews).toHaveLength(20);
    expect(page.unreadable).toEqual([]);
    expect(page.focusReviewId).toBeNull();
    expect(new Set(page.reviews.map((r) => r.reviewId)).size).toBe(20);
    // Nicoletta Masetti Calzolari is in the carousel AND the list: once.
    expect(page.reviews.filter((r) => r.reviewerName === 'Nicoletta Masetti Calzolari')).toHaveLength(1);
  });

  test.each([
    {
      index: 0,
      reviewId: '6836054b101367b4dce3ee3e',
      reviewerName: 'Elisa Pacchioni',
      profile: '/users/683605448a537581ff52c0fe',
      iso: '2025-05-27T20:32:43.000Z',
      title: 'Utile e denso di argomenti interessanti…',
      text: 'Utile e denso di argomenti interessanti grazie',
    },
    {
      index: 1,
      reviewId: '6835e19b912ec711da84c9a1',
      reviewerName: 'Antonio Elia',
      profile: '/users/6835e18b2824b5112cf79f48',
      iso: '2025-05-27T18:00:27.000Z',
      title: 'Corso Ai per il Digital Marketing, Studio Samo supera le aspettative',
      text: "Avevo già seguito altri corsi e master di Studio Samo, riconoscendo l'elevata competenza e professionalità dei docenti e degli organizzatori. Hanno sempre contribuito positivamente alla mia formazione. Anche nell'ultimo corso Ai per Digital Marketing non si sono smentiti!",
    },
  ])('review $index: $reviewerName', (expected) => {
    expect(page.reviews[expected.index]).toEqual({
      site: 'trustpilot',
      reviewId: expected.reviewId,
      permalink: `${origin}/reviews/${expected.reviewId}`,
      reviewerName: expected.reviewerName,
      reviewerProfileUrl: `${origin}${expected.profile}`,
      rating: { value: 5, best: 5, worst: 1 },
      title: expected.title,
      text: expected.text,
      date: { iso: expected.iso, raw: '27 mag 2025', yearKnown: true },
      status: null,
      business: { name: 'Studio Samo', url: `${origin}/review/studiosamo.it` },
      tags: [],
      language: 'it',
    });
  });
});

describe('cross-check with the page JSON-LD', () => {
  const doc = loadReviewFixture('trustpilot', COMPANY);
  const page = expectReviewsPage(trustpilotAdapter.recognize(doc, new URL('https://www.trustpilot.com/review/studiosamo.it')));
  const ld = new Map(
    findJsonLd(readJsonLd(doc), 'Review').map(({ node }) => [
      /([0-9a-f]{24})$/.exec(stringOf(node['@id']) ?? '')?.[1],
      { name: stringOf(node.author), rating: Number((node.reviewRating as Record<string, string>).ratingValue) },
    ]),
  );

  test('every review is one of the 20 JSON-LD reviews, with the same author and rating', () => {
    expect(ld.size).toBe(20);
    for (const review of page.reviews) {
      expect(ld.get(review.reviewId), review.reviewId).toEqual({ name: review.reviewerName, rating: review.rating?.value });
    }
  });

  test.each([
    { reviewerName: 'MARIA IDA', rating: 4 },
    { reviewerName: 'Massimo Longobucco', rating: 4 },
    { reviewerName: 'Michela Silvestrin', rating: 4 },
    { reviewerName: 'Marina Marchionni', rating: 5 },
  ])('$reviewerName rated $rating', ({ reviewerName, rating }) => {
    expect(page.reviews.find((r) => r.reviewerName === reviewerName)?.rating?.value).toBe(rating);
  });

  test('the last card is dated 2024 and keeps its Italian short date', () => {
    expect(page.reviews.at(-1)?.date).toEqual({ iso: '2024-11-10T07:34:28.000Z', raw: '10 nov 2024', yearKnown: true });
  });
});

describe('reviewItems', () => {
  const doc = loadReviewFixture('trustpilot', COMPANY);
  const url = new URL('https://www.trustpilot.com/review/studiosamo.it');

  test('one element per main-list card, each the <article> holding the rating hook', () => {
    const items = trustpilotAdapter.reviewItems!(doc, url);
    expect(items).toHaveLength(20);
    for (const { element } of items) {
      expect(element.tagName).toBe('ARTICLE');
      expect(element.querySelector('[data-service-review-rating]')).not.toBeNull();
    }
  });

  test('a subtree (one card added by the page) gives just that review', () => {
    const card = doc.querySelectorAll('article[data-service-review-card-paper]')[5]!;
    const items = trustpilotAdapter.reviewItems!(card, url);
    expect(items.map((i) => i.item.reviewerName)).toEqual(['Antonio Elia']);
    expect(items[0]!.element).toBe(card);
  });

  test('a carousel card alone gives nothing', () => {
    const carousel = doc.querySelector('article[data-service-review-card-paper]')!;
    expect(carousel.querySelector('[data-service-review-rating]')).toBeNull();
    expect(trustpilotAdapter.reviewItems!(carousel, url)).toEqual([]);
  });
});

describe('single review page (derived fixture)', () => {
  test.each(['https://it.trustpilot.com', 'https://www.trustpilot.com'])('at %s it names the focused review', (origin) => {
    const url = new URL(`${origin}/reviews/6836054b101367b4dce3ee3e`);
    const page = expectReviewsPage(trustpilotAdapter.recognize(loadReviewFixture('trustpilot', SINGLE), url));
    expect(page.focusReviewId).toBe('6836054b101367b4dce3ee3e');
    expect(page.business).toEqual({ name: 'Studio Samo', url: `${origin}/review/studiosamo.it` });
    expect(page.reviews).toHaveLength(1);
    expect(page.reviews[0]).toMatchObject({
      reviewId: '6836054b101367b4dce3ee3e',
      reviewerName: 'Elisa Pacchioni',
      reviewerProfileUrl: `${origin}/users/683605448a537581ff52c0fe`,
      language: 'it',
    });
  });
});

describe('pages that are not Trustpilot review pages', () => {
  test.each(['/', '/categories/online_marketing_agency', '/users/683605448a537581ff52c0fe', '/search?query=samo'])('%s → undefined', (path) => {
    const doc = loadReviewFixture('trustpilot', COMPANY);
    expect(trustpilotAdapter.recognize(doc, new URL(`https://www.trustpilot.com${path}`))).toBeUndefined();
  });

  test.each([
    { file: 'cloudflare-just-a-moment-rebuilt.html', reason: 'bot-challenge' },
    { file: 'error-404-rebuilt.html', reason: 'error-page' },
  ])('$file → blocked ($reason)', ({ file, reason }) => {
    const url = new URL('https://www.trustpilot.com/review/studiosamo.it');
    expect(trustpilotAdapter.recognize(loadReviewFixture('blocked', file), url)).toEqual({
      kind: 'blocked',
      site: 'trustpilot',
      url: url.href,
      reason,
    });
  });
});
