import { describe, expect, test } from 'vitest';
import { genericAdapter } from '../../../extension/sites/generic/generic.adapter';
import { expectReviewsPage, loadReviewFixture, parseHtml } from './review-fixture';

describe('shop product page with JSON-LD reviews (Product.review[] and a separate @graph)', () => {
  const url = new URL('https://shop.example.com/products/nordic-wool-blanket?variant=2');
  const doc = loadReviewFixture('generic', 'shop-product-jsonld.html');
  const page = expectReviewsPage(genericAdapter.recognize(doc, url));
  const blanket = { name: 'Nordic Wool Blanket', url: 'https://shop.example.com/products/nordic-wool-blanket' };

  test('three reviews of the product, none unreadable', () => {
    expect(page.site).toBe('generic');
    expect(page.business).toEqual(blanket);
    expect(page.reviews.map((r) => r.reviewerName)).toEqual(['Hannah K.', 'Jonas Berg', 'Priya Raman']);
    expect(page.unreadable).toEqual([]);
  });

  test.each([
    {
      index: 0,
      reviewId: 'https://shop.example.com/products/nordic-wool-blanket#review-5512',
      permalink: null,
      reviewerName: 'Hannah K.',
      reviewerProfileUrl: null,
      rating: { value: 3, best: 5, worst: 1 },
      title: 'Warm but sheds',
      text: 'Very warm and soft.\nIt sheds a lot in the first weeks & the label says dry clean only.',
      date: { iso: '2024-11-03', raw: null, yearKnown: true },
      language: 'en',
    },
    {
      index: 2,
      reviewId: 'https://shop.example.com/reviews/7781',
      permalink: 'https://shop.example.com/reviews/7781',
      reviewerName: 'Priya Raman',
      reviewerProfileUrl: 'https://shop.example.com/community/priya-raman',
      rating: { value: 2, best: 5, worst: 1 },
      title: 'Not the colour in the photos',
      text: 'The grey is much darker than shown. Returned it.',
      date: { iso: '2025-02-02', raw: null, yearKnown: true },
      language: null,
    },
  ])('$reviewerName', ({ index, ...expected }) => {
    expect(page.reviews[index]).toEqual({ site: 'generic', status: null, business: blanket, tags: [], ...expected });
  });

  test('a review without @id or url gets a stable derived id', () => {
    const jonas = page.reviews[1]!;
    expect(jonas.reviewId).toMatch(/^h[0-9a-z]+$/);
    const again = expectReviewsPage(genericAdapter.recognize(loadReviewFixture('generic', 'shop-product-jsonld.html'), url));
    expect(again.reviews[1]!.reviewId).toBe(jonas.reviewId);
    expect(jonas.rating).toEqual({ value: 4, best: 5, worst: 1 });
    expect(jonas.date).toEqual({ iso: '2025-01-19T08:12:00+01:00', raw: null, yearKnown: true });
  });

  test('reviewItems finds the visible card of each JSON-LD review it can (by its text)', () => {
    const items = genericAdapter.reviewItems!(doc, url);
    expect(items.map((i) => [i.item.reviewerName, i.element.tagName, i.element.className])).toEqual([
      ['Hannah K.', 'ARTICLE', 'review-card'],
      ['Jonas Berg', 'ARTICLE', 'review-card'],
    ]);
  });
});

describe('shop product page with microdata reviews', () => {
  const url = new URL('https://shop.example.com/p/espressomuehle-m2');
  const page = expectReviewsPage(genericAdapter.recognize(loadReviewFixture('generic', 'shop-product-microdata.html'), url));
  const grinder = { name: 'Espressomühle M2', url: 'https://shop.example.com/p/espressomuehle-m2' };

  test('business is the enclosing Product', () => {
    expect(page.business).toEqual(grinder);
  });

  test.each([
    {
      index: 0,
      reviewId: 'review-301',
      reviewerName: 'Katrin Vogel',
      reviewerProfileUrl: 'https://shop.example.com/kunden/katrin-vogel',
      rating: { value: 5, best: 5, worst: 1 },
      text: 'Mahlt sehr gleichmäßig.\n\nEtwas laut, aber das war zu erwarten.',
      date: { iso: '2024-09-14', raw: null, yearKnown: true },
    },
    {
      index: 1,
      reviewId: 'review-302',
      reviewerName: 'Ömer Yıldız',
      reviewerProfileUrl: null,
      rating: { value: 3, best: 5, worst: 1 },
      text: 'Nach drei Monaten klemmt der Einstellring.',
      date: { iso: '2025-01-05', raw: null, yearKnown: true },
    },
  ])('$reviewerName', ({ index, ...expected }) => {
    expect(page.reviews[index]).toEqual({
      site: 'generic',
      permalink: null,
      title: null,
      status: null,
      business: grinder,
      tags: [],
      language: null,
      ...expected,
    });
  });

  test('reviewItems gives the microdata <li> elements', () => {
    const items = genericAdapter.reviewItems!(loadReviewFixture('generic', 'shop-product-microdata.html'), url);
    expect(items.map((i) => i.element.id)).toEqual(['review-301', 'review-302']);
  });
});

test('a standalone Review in an array, itemReviewed naming the business', () => {
  const doc = parseHtml(`<html><head><script type="application/ld+json">[{"@context":"https://schema.org","@type":"WebSite","name":"Blog"},
    {"@context":"https://schema.org","@type":"Review","itemReviewed":{"@type":"Restaurant","name":"Kebapçı Halil","url":"https://halil.example"},
     "author":{"@type":"Person","name":"Deniz"},"reviewBody":"Best adana in town.","reviewRating":{"@type":"Rating","ratingValue":"9","bestRating":"10"},"url":"/posts/halil"}]</script></head><body></body></html>`);
  const page = expectReviewsPage(genericAdapter.recognize(doc, new URL('https://blog.example/posts/halil')));
  expect(page.reviews).toEqual([
    {
      site: 'generic',
      reviewId: 'https://blog.example/posts/halil',
      permalink: 'https://blog.example/posts/halil',
      reviewerName: 'Deniz',
      reviewerProfileUrl: null,
      rating: { value: 9, best: 10, worst: 1 },
      title: null,
      text: 'Best adana in town.',
      date: { iso: null, raw: null, yearKnown: false },
      status: null,
      business: { name: 'Kebapçı Halil', url: 'https://halil.example/' },
      tags: [],
      language: null,
    },
  ]);
});

test('a page without schema.org reviews is not recognized', () => {
  const doc = parseHtml('<html><head><script type="application/ld+json">{"@type":"Product","name":"X"}</script></head><body><p>Nice</p></body></html>');
  expect(genericAdapter.recognize(doc, new URL('https://shop.example.com/x'))).toBeUndefined();
});
