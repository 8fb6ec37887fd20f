import { describe, expect, test } from 'vitest';
import { recognizeX, TweetCache, tweetItems, xAdapter } from '../../../extension/sites/x/x.adapter';
import { touchesTweets, type TargetMemo } from '../../../extension/sites/x/x.observe';
import { loadFixture } from './load-fixture';

/** Issue 20: a re-read of an X timeline reads only added or changed cells, and ignores churn outside tweets. */

const HOME = new URL('https://x.com/home');

describe('TweetCache', () => {
  test('a second read of the same timeline reads no tweet again, and gives the same tweets', () => {
    const doc = loadFixture('x', 'x-home-timeline-2026.html');
    const cache = new TweetCache();
    const first = tweetItems(doc, HOME, cache);
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(cache.reads).toBe(first.length);
    cache.reads = 0;
    const again = tweetItems(doc, HOME, cache);
    expect(cache.reads).toBe(0);
    expect(again.map((i) => i.item.id)).toEqual(tweetItems(doc, HOME).map((i) => i.item.id));
    // recognize through the cache is the adapter's own answer (less the text nothing on a
    // timeline reads), without reading anything again.
    const full = xAdapter.recognize(doc, HOME);
    const cached = recognizeX(doc, HOME, cache);
    if (full?.kind !== 'x-timeline' || cached?.kind !== 'x-timeline') throw new Error('not a timeline');
    expect(cached.tweets).toEqual(full.tweets.map((tw) => (tw.placeholder ? tw : { ...tw, text: '', quoted: null })));
    expect(cache.reads).toBe(0);
    // On a status page the tweets are read in full.
    const status = new URL(full.tweets[0]!.url);
    const onStatus = tweetItems(doc, status, cache);
    expect(onStatus.map((i) => i.item)).toEqual(tweetItems(doc, status).map((i) => i.item));
    expect(onStatus.some((i) => i.item.text !== '')).toBe(true);
  });

  test('only an added cell, a changed cell or a recycled node is read again', () => {
    const doc = loadFixture('x', 'x-home-timeline-2026.html');
    const cache = new TweetCache();
    const items = tweetItems(doc, HOME, cache);
    cache.reads = 0;
    // A new cell (a clone of the first with another id) inserted at the top.
    const cell = items[0]!.element.closest('[data-testid="cellInnerDiv"]')!;
    const clone = cell.cloneNode(true) as Element;
    for (const link of clone.querySelectorAll('a[href*="/status/"]')) link.setAttribute('href', link.getAttribute('href')!.replace(/\/status\/\d+/, '/status/1999000000000000001'));
    cell.before(clone);
    // Until the content script says the list changed, the walk is remembered as it was.
    expect(tweetItems(doc, HOME, cache)).toHaveLength(items.length);
    cache.listChanged();
    const withNew = tweetItems(doc, HOME, cache);
    expect(cache.reads).toBe(1);
    expect(withNew[0]!.item.id).toBe('1999000000000000001');
    // A changed text (an edited tweet, a counter that is part of the text) is read again.
    cache.reads = 0;
    const text = items[3]!.element.querySelector('[data-testid="tweetText"]')!;
    text.append(' (edited)');
    cache.changed(text);
    const edited = tweetItems(doc, HOME, cache);
    expect(cache.reads).toBe(1);
    expect(edited.find((i) => i.element === items[3]!.element)!.item.id).toBe(items[3]!.item.id);
    // A recycled node: X keeps the element and gives it another tweet's content.
    cache.reads = 0;
    const donor = items.find((i) => i.item.authorHandle !== items[5]!.item.authorHandle)!;
    items[5]!.element.replaceChildren(...[...donor.element.cloneNode(true).childNodes]);
    // Even without being told: the permalink changed, so the node is read again.
    cache.listChanged();
    const recycled = tweetItems(doc, HOME, cache);
    expect(cache.reads).toBe(1);
    expect(recycled.find((i) => i.element === items[5]!.element)!.item).toEqual(donor.item);
    expect(donor.item.authorHandle).not.toBe(items[5]!.item.authorHandle);
    // The permalink rewritten in place (no changed(), no new node): read again, with the new id.
    cache.reads = 0;
    const permalink = items[7]!.element.querySelector('a[href*="/status/"]')!;
    permalink.setAttribute('href', permalink.getAttribute('href')!.replace(/\/status\/\d+/, '/status/1999000000000000007'));
    cache.listChanged();
    const rewritten = tweetItems(doc, HOME, cache);
    expect(cache.reads).toBe(1);
    expect(rewritten.find((i) => i.element === items[7]!.element)!.item.id).toBe('1999000000000000007');
    // Another page URL reads everything again (tweet URLs are absolute to the page's origin).
    cache.reads = 0;
    tweetItems(doc, new URL('https://twitter.com/home'), cache);
    expect(cache.reads).toBe(recycled.length);
  });
});

describe('touchesTweets', () => {
  const recordsOf = async (doc: Document, change: () => void): Promise<MutationRecord[]> => {
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((r) => records.push(...r));
    observer.observe(doc.body, { childList: true, subtree: true, characterData: true, attributes: true });
    change();
    await Promise.resolve();
    records.push(...observer.takeRecords());
    observer.disconnect();
    return records;
  };

  test('changes in the side column or outside tweets do not count; inside a tweet or a new cell do', async () => {
    document.body.innerHTML = `<main><div data-testid="primaryColumn">
      <div aria-label="Timeline"><div data-testid="cellInnerDiv"><article data-testid="tweet"><span id="likes">3</span></article></div></div>
      <div id="compose"><span id="counter">0</span></div>
      <div data-testid="sidebarColumn"><div data-testid="cellInnerDiv"><span id="trend">#tag</span></div></div>
    </div></main>`;
    const q = (sel: string) => document.querySelector(sel)!;
    // With a memo shared by the records of one callback (as the content script does), the same answers.
    const check = async (change: () => void, expected: boolean) => {
      const records = await recordsOf(document, change);
      const memo: TargetMemo = new Map();
      expect(records.some((r) => touchesTweets(r))).toBe(expected);
      expect(records.map((r) => touchesTweets(r, memo))).toEqual(records.map((r) => touchesTweets(r)));
    };
    const none = (change: () => void) => check(change, false);
    const some = (change: () => void) => check(change, true);
    await none(() => (q('#trend').textContent = '#other'));
    await none(() => q('[data-testid="sidebarColumn"]').append(document.createElement('div')));
    await none(() => (q('#counter').firstChild!.nodeValue = '1'));
    await some(() => (q('#likes').firstChild!.nodeValue = '4'));
    await some(() => {
      const cell = document.createElement('div');
      cell.setAttribute('data-testid', 'cellInnerDiv');
      cell.innerHTML = '<article data-testid="tweet">new</article>';
      q('[aria-label="Timeline"]').prepend(cell);
    });
    await some(() => q('[aria-label="Timeline"] [data-testid="cellInnerDiv"]').remove());
    // Ten cells into the same list in one go: every record counts, the memo answers from one walk.
    await some(() => {
      for (let i = 0; i < 10; i++) {
        const cell = document.createElement('div');
        cell.setAttribute('data-testid', 'cellInnerDiv');
        cell.innerHTML = `<article data-testid="tweet">${i}</article>`;
        q('[aria-label="Timeline"]').append(cell);
      }
    });
  });
});
