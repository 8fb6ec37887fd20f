import '../../sidebar/sidebar.css';
import { createSignal } from 'solid-js';
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { Tweet } from '@shared/page-context';
import { readTweet, recognizeX, TweetCache, tweetColumn, tweetItems } from '../../sites/x/x.adapter';
import { touchesTweets, type TargetMemo } from '../../sites/x/x.observe';
import { contentScriptMatches } from '../../sites/hosts';
import { findXReplyBox, insertXReply } from '../../sites/x/x.reply';
import { startPageSnippets } from '../../content/snippets-page';
import { startSentReplies } from '../../content/sent-replies';
import { xSelectors } from '../../sites/x/x.selectors';
import { mountPageSidebar } from '../../content/page-sidebar';
import { TweetBadges, tweetPerson } from '../../content/tweet-badges';
import type { PageState } from '../../sidebar/page-state';
import type { TabMessage } from '../../messaging/protocol';
import { agentXHandlesSetting } from '../../storage/settings';

export default defineContentScript({
  matches: contentScriptMatches('x'),
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    const ownHandles = new Set((await agentXHandlesSetting.getValue()).map((h) => h.toLowerCase()));
    // The tweet whose badge was clicked last; leaving its URL clears it for good. Comparing the
    // URL alone was not enough: a focus set on the mentions page came back when the agent
    // returned to mentions later, naming someone nobody clicked (wandering e2e, seed 638513763).
    const [focus, setFocus] = createSignal<Tweet | null>(null);
    let focusUrl = '';
    const focusedTweet = () => {
      if (focusUrl && focusUrl !== location.href) {
        focusUrl = '';
        setFocus(null);
      }
      return focusUrl ? focus() : null;
    };
    ctx.addEventListener(window, 'wxt:locationchange', () => void focusedTweet());

    const badges = new TweetBadges(
      (article) => readTweet(article, new URL(location.href)),
      (tweet) => {
        focusUrl = location.href;
        setFocus(tweet);
        sidebar.rerun();
      },
    );

    ctx.onInvalidated(() => badges.dispose());

    // The agent created or linked a customer (here or in another tab): badges ask again at once.
    const onMessage = (message: unknown) => {
      if ((message as TabMessage | null)?.type === 'identityChanged') void badges.refresh();
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));

    const stateTweet = (state: PageState): Tweet | null => {
      if (state.status !== 'recognized') return null;
      const f = focusedTweet();
      if (f) return f;
      return state.context.kind === 'x-status' ? state.context.tweet : null;
    };

    // Issue 20: a burst of inserted tweets reads only the new or changed cells, and churn outside
    // tweets (X's side column, the compose box, counters) does not re-read the page at all.
    const tweetCache = new TweetCache();
    let callback: { seen: TargetMemo; marked: Set<Element> } | null = null;

    const sidebar = await mountPageSidebar(ctx, {
      siteId: 'x',
      // The primary column holds every timeline and conversation; X re-renders the rest often.
      scope: () => document.querySelector('[data-testid="primaryColumn"]') ?? document.querySelector('main[role="main"]') ?? document.querySelector('main'),
      debounceMs: 100,
      // Issue 20: a burst of inserted tweets (X renders ~10 a frame while scrolling) is read at its
      // first change, at most every 300 ms while it lasts, and 100 ms after it settles: each read
      // walks the whole column, so the 100 ms leading edge read a 10-frame burst four or five times.
      leadingMs: 300,
      relevant: (record) => {
        // One memo per observer callback (dropped in the microtask after it): the records of a
        // burst share their targets (the list the cells go into).
        if (!callback) {
          callback = { seen: new Map(), marked: new Set() };
          queueMicrotask(() => (callback = null));
        }
        const touched = touchesTweets(record, callback.seen);
        if (touched && !callback.marked.has(touched)) {
          callback.marked.add(touched);
          tweetCache.changed(touched);
        }
        return touched !== null;
      },
      read(): PageState {
        const url = new URL(location.href);
        const items = tweetItems(tweetColumn(document), url, tweetCache);
        const unknown = badges.sync(items);
        // resolve() marks the placed badges itself: no second read of every tweet.
        if (unknown.length) void badges.resolve(unknown);
        const context = recognizeX(document, url, tweetCache);
        if (!context) return { status: 'unrecognized' };
        const f = focusedTweet();
        if (f) return { status: 'recognized', context, person: tweetPerson(f) };
        if (context.kind === 'x-status' || context.kind === 'x-profile') {
          const handle = context.customer.identities[0]?.value.toLowerCase() ?? '';
          return { status: 'recognized', context, person: ownHandles.has(handle) ? null : context.customer };
        }
        return { status: 'recognized', context, person: null };
      },
      hooks: {
        async insertReply(text) {
          const box = findXReplyBox(document);
          return box && insertXReply(box, text) ? 'inserted' : 'no-box';
        },
        logTarget(state) {
          const tweet = stateTweet(state);
          if (!tweet) return null;
          return {
            label: 'action.logMention',
            channel: 'x',
            externalId: tweet.id,
            summary: `@${tweet.authorHandle}: ${tweet.text}`.slice(0, 500),
            excerpt: tweet.text.slice(0, 5000),
            url: tweet.url,
            occurredAt: tweet.time,
          };
        },
        ticketDraft(state) {
          const tweet = stateTweet(state);
          if (!tweet) return null;
          return {
            subject: `@${tweet.authorHandle}: ${tweet.text}`.slice(0, 120),
            channel: 'x',
            sourceUrl: tweet.url,
            sourceKey: `x:${tweet.id}`,
            excerpt: tweet.text.slice(0, 5000),
          };
        },
      },
    });
    // Snippets (issue 22) in the reply composer only: never in a new-post composer.
    const replyBoxes = {
      channel: 'x',
      isReplyBox: (el: HTMLElement) => findXReplyBox(document) === el,
      page: sidebar.page,
      incoming: () => stateTweet(sidebar.page())?.text ?? null,
    } as const;
    await startPageSnippets(ctx, replyBoxes);
    // A reply posted from there feeds the reply history (Reply/Post button, or Ctrl/Cmd+Enter).
    ctx.onInvalidated(await startSentReplies(document, { ...replyBoxes, sendControl: xSelectors.sendButton, sendKeys: true }));
  },
});

