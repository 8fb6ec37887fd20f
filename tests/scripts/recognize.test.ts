import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { recognizeHtml } from '../../scripts/recognize';

const root = resolve(import.meta.dirname, '../..');
const page = (path: string) => readFileSync(resolve(root, 'tests/fixtures/pages', path), 'utf8');

type Expect = { adapter: string; kind: string; items?: number; first?: string };
// `npm run recognize` must keep working for every site: what it reads off each saved page.
const table: [string, string, Expect][] = [
  ['gmail/gmail-thread-customer.html', 'https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7', { adapter: 'gmail', kind: 'email-thread', first: 'Layla Haddad' }],
  ['gmail/gmail-thread-participants.html', 'https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6b8', { adapter: 'gmail', kind: 'email-thread', first: 'Mehmet Yılmaz' }],
  ['gmail/gmail-inbox-thread-list-2014-inboxsdk.html', 'https://mail.google.com/mail/u/0/#inbox', { adapter: 'gmail', kind: 'email-list' }],
  ['gmail/gmail-compose-new-message-2020.html', 'https://mail.google.com/mail/u/0/#inbox?compose=new', { adapter: 'gmail', kind: 'email-compose' }],
  ['x/x-status-with-replies.html', 'https://x.com/layla_haddad/status/1858000000000000001', { adapter: 'x', kind: 'x-status', first: 'Layla Haddad' }],
  ['x/x-home-timeline-2026.html', 'https://x.com/home', { adapter: 'x', kind: 'x-timeline' }],
  ['x/x-profile-layla.html', 'https://x.com/layla_haddad', { adapter: 'x', kind: 'x-profile', first: 'Layla Haddad' }],
  ['x/x-article-status-arscontexta-2026.html', 'https://x.com/arscontexta/status/2013045749580259680', { adapter: 'x', kind: 'x-status', first: 'Heinrich' }],
  ['trustpilot/trustpilot-it-studiosamo-2025.html', 'https://it.trustpilot.com/review/studiosamo.it', { adapter: 'trustpilot', kind: 'reviews', items: 20, first: 'Elisa Pacchioni' }],
  ['yelp/yelp-biz-rosinas-italian-oceanside-2016.html', 'https://www.yelp.com/biz/rosinas-italian-restaurant-oceanside-oceanside', { adapter: 'yelp', kind: 'reviews', items: 20, first: 'Marcus C.' }],
  ['g2/g2-getemail-reviews-2023.html', 'https://www.g2.com/products/getemail/reviews', { adapter: 'g2', kind: 'reviews', first: 'Eddy L.' }],
  ['amazon/amazon-com-product-B0011UCPM4-2024.html', 'https://www.amazon.com/Whole-Truth-Shaw-Book-ebook/dp/B0011UCPM4', { adapter: 'amazon', kind: 'reviews', items: 13, first: 'lighthouse88' }],
  ['amazon/amazon-es-product-2024.html', 'https://www.amazon.es/dp/B01MUGXRT9', { adapter: 'amazon', kind: 'reviews', items: 7, first: 'Teresa P.' }],
  ['sikayetvar/sikayetvar-brand-turkcell-2024.html', 'https://www.sikayetvar.com/turkcell', { adapter: 'sikayetvar', kind: 'reviews', items: 20, first: 'Eyüp' }],
  ['generic/shop-product-jsonld.html', 'https://shop.example/products/linen-shirt', { adapter: 'generic', kind: 'reviews', first: 'Hannah K.' }],
  ['blocked/cloudflare-just-a-moment-rebuilt.html', 'https://www.trustpilot.com/review/studiosamo.it', { adapter: 'trustpilot', kind: 'blocked' }],
];

describe('recognize a saved page', () => {
  test.each(table)('%s', (file, url, expected) => {
    const result = recognizeHtml(page(file), url, ['support@rafiq.example']);
    expect(result.schemaErrors).toEqual([]);
    expect(result.adapter).toBe(expected.adapter);
    const context = result.recognized;
    expect(context?.kind).toBe(expected.kind);
    if (context?.kind === 'reviews') {
      if (expected.items !== undefined) expect(context.reviews).toHaveLength(expected.items);
      expect(context.reviews[0]?.reviewerName).toBe(expected.first);
    } else if (expected.first && context && 'customer' in context) {
      expect(context.customer?.displayName).toBe(expected.first);
    }
  });

  test('the CLI prints the JSON and names a bad --url', () => {
    const cli = resolve(root, 'node_modules/.bin/tsx');
    const out = execFileSync(cli, ['scripts/recognize.ts', 'tests/fixtures/pages/trustpilot/trustpilot-it-studiosamo-2025.html', '--url', 'https://www.trustpilot.com/review/studiosamo.it'], { cwd: root, encoding: 'utf8' });
    const parsed = JSON.parse(out) as { adapter: string; recognized: { reviews: unknown[] } };
    expect(parsed.adapter).toBe('trustpilot');
    expect(parsed.recognized.reviews).toHaveLength(20);
    expect(() => execFileSync(cli, ['scripts/recognize.ts', 'x.html', '--url', 'not a url'], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).toThrow(/is not a URL/);
  });
});
