import { describe, expect, test } from 'vitest';
import { decodeDataUrl, sikayetvarAdapter } from '../../../extension/sites/sikayetvar/sikayetvar.adapter';
import { expectReviewsPage, loadReviewFixture } from './review-fixture';

const BRAND = 'sikayetvar-brand-turkcell-2024.html';
const DETAIL = 'sikayetvar-complaint-detail-rebuilt.html';
const brandUrl = new URL('https://www.sikayetvar.com/turkcell');
const business = { name: 'Turkcell', url: 'https://www.sikayetvar.com/turkcell' };

describe('brand page (real capture, 2024)', () => {
  const page = expectReviewsPage(sikayetvarAdapter.recognize(loadReviewFixture('sikayetvar', BRAND), brandUrl));

  test('company from the heading, 20 complaint cards', () => {
    expect(page.business).toEqual(business);
    expect(page.reviews).toHaveLength(20);
    expect(page.unreadable).toEqual([]);
    expect(page.focusReviewId).toBeNull();
  });

  test.each([
    {
      index: 0,
      reviewId: '28843816',
      title: 'Turkcell Merkezde Şebeke Sorunu Ve Taahhüt Telaşı',
      path: '/turkcell/turkcell-merkezde-sebeke-sorunu-ve-taahhut-telasi',
      reviewerName: 'Eyüp',
      profile: '/uye/eyup-6133807',
      raw: '21 Mayıs 20:46',
      tags: ['#Hat Taşıma'],
    },
    {
      index: 1,
      reviewId: '28843807',
      title: "Turkcell'in Faturaya Yansıttığı Bosnet Saçmalığı",
      path: '/turkcell/turkcellin-faturaya-yansittigi-bosnet-sacmaligi',
      reviewerName: 'Murat',
      profile: '/uye/murat-5251663',
      raw: '21 Mayıs 20:38',
      tags: ['#Faturalı Paketler'],
    },
  ])('card $index: $title', (expected) => {
    expect(page.reviews[expected.index]).toMatchObject({
      site: 'sikayetvar',
      reviewId: expected.reviewId,
      permalink: `https://www.sikayetvar.com${expected.path}`,
      reviewerName: expected.reviewerName,
      reviewerProfileUrl: `https://www.sikayetvar.com${expected.profile}`,
      rating: null,
      title: expected.title,
      // The card shows no year; the JSON-LD Review of the same complaint says 2024-05-21.
      date: { iso: '2024-05-21', raw: expected.raw, yearKnown: true },
      status: null,
      business,
      tags: expected.tags,
      language: null,
    });
  });

  test('full text from the JSON-LD replaces the card teaser', () => {
    const text = page.reviews[0]!.text;
    expect(text.startsWith('Turkcell hattını kullanmaktayım.')).toBe(true);
    expect(text.endsWith('Aynı evde 4 farklı kullanıcı için cayma bedeli ödeme talepleri hizmet kalitesine hiç yakışmadı.')).toBe(true);
    expect(text).not.toContain('...');
  });

  test('the one card with stars (the complainant rated the outcome) keeps them: Hasan, 1 of 5', () => {
    const rated = page.reviews.filter((r) => r.rating !== null);
    expect(rated.map((r) => [r.reviewerName, r.title, r.rating])).toEqual([
      ['Hasan', 'Turkcell Nefret Ediyor Nefret', { value: 1, best: 5, worst: 1 }],
    ]);
  });

  test('two complainants named Hasan stay two complaints with two profiles', () => {
    const hasans = page.reviews.filter((r) => r.reviewerName === 'Hasan');
    expect(hasans.map((r) => r.reviewId)).toEqual(['28842906', '28842566']);
    expect(new Set(hasans.map((r) => r.reviewerProfileUrl)).size).toBe(2);
  });

  test('reviewItems gives the article cards', () => {
    const items = sikayetvarAdapter.reviewItems!(loadReviewFixture('sikayetvar', BRAND), brandUrl);
    expect(items).toHaveLength(20);
    expect(items[0]!.element.getAttribute('data-id')).toBe('28843816');
  });
});

describe('single complaint page (rebuilt, unverified selectors)', () => {
  const url = new URL('https://www.sikayetvar.com/turkcell/turkcell-fatura-itirazi-sonucsuz-kaldi');
  const page = expectReviewsPage(sikayetvarAdapter.recognize(loadReviewFixture('sikayetvar', DETAIL), url));

  test('reads the complaint, answered by the brand', () => {
    expect(page.focusReviewId).toBe('28839001');
    expect(page.reviews).toEqual([
      {
        site: 'sikayetvar',
        reviewId: '28839001',
        permalink: url.href,
        reviewerName: 'Zeynep',
        reviewerProfileUrl: 'https://www.sikayetvar.com/uye/zeynep-1234567',
        rating: null,
        title: 'Turkcell Fatura İtirazı Sonuçsuz Kaldı',
        text: 'Nisan faturama kullanmadığım bir servis için 149 TL yansıtıldı.\n\nMüşteri hizmetlerine iki kez itiraz ettim, her seferinde 48 saat içinde dönüş yapılacağı söylendi ama kimse aramadı. Tutarın iadesini istiyorum.',
        date: { iso: '2024-05-20', raw: '20 Mayıs 14:05', yearKnown: true },
        status: 'answered',
        business,
        tags: ['#Fatura İtirazı'],
        language: null,
      },
    ]);
  });

  test('without the brand answer the complaint is waiting', () => {
    const doc = loadReviewFixture('sikayetvar', DETAIL);
    doc.querySelector('.brand-answer')!.remove();
    const waiting = expectReviewsPage(sikayetvarAdapter.recognize(doc, url));
    expect(waiting.reviews[0]!.status).toBe('waiting');
  });
});

test('a Cloudflare challenge instead of the page → blocked, nothing read', () => {
  expect(sikayetvarAdapter.recognize(loadReviewFixture('blocked', 'cloudflare-just-a-moment-rebuilt.html'), brandUrl)).toEqual({
    kind: 'blocked',
    site: 'sikayetvar',
    url: brandUrl.href,
    reason: 'bot-challenge',
  });
});

test.each(['/uye/eyup-6133807', '/', '/giris'])('%s is not a complaint page', (path) => {
  expect(sikayetvarAdapter.recognize(loadReviewFixture('sikayetvar', BRAND), new URL(`https://www.sikayetvar.com${path}`))).toBeUndefined();
});

test.each([
  ['L3V5ZS9leXVwLTYxMzM4MDc=', '/uye/eyup-6133807'],
  ['L3V5ZS9tdXJhdC01MjUxNjYz', '/uye/murat-5251663'],
  [' L3R1cmtjZWxsL3R1cmtjZWxsLW5lZnJldC1lZGl5b3ItbmVmcmV0 ', '/turkcell/turkcell-nefret-ediyor-nefret'],
  ['amF2YXNjcmlwdDphbGVydCgxKQ==', null], // "javascript:alert(1)": not a path
  ['not base64!', null],
  ['', null],
])('decodeDataUrl(%j) → %j', (input, output) => {
  expect(decodeDataUrl(input)).toBe(output);
});
