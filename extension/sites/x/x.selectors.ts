/**
 * Every selector the X adapter reads, newest markup first. X's class names are generated
 * (React Native Web atoms such as `css-175oi2r r-18u37iz`) and change with every deploy, so only
 * `data-testid`, ARIA roles and link shapes are used.
 *
 * Eras, with the fixture that proves each (tests/fixtures/pages/x/README.md):
 * - 2026: x-article-status-arscontexta-2026.html (real) and the rebuilt x-*.html pages.
 * - 2025 tombstones and quotes: modelled on the real captures in ajw1970/X-Ghosted `samples/`.
 * - 2021: twitter-home-timeline-2021.html (real, `css-1dbjc4n` era, no User-Name/tweetText hooks).
 */
export const xSelectors = {
  /** Main column; the sidebar's "Relevant people"/"Who to follow" are never tweets we want. */
  primaryColumn: '[data-testid="primaryColumn"]',

  /**
   * One tweet, newest first:
   * - 2022+: the article itself carries the test id (`article[data-testid=tweet][role=article]`).
   * - 2019–2022: a `div[data-testid=tweet]` inside a bare `article[role=article]`.
   */
  tweet: ['article[data-testid="tweet"]', 'div[data-testid="tweet"]'],

  /**
   * Placeholders instead of a tweet:
   * - 2024+: a bare `article[role=article]` (no test id) holding only the notice, e.g. "This Post
   *   was deleted by the Post author. Learn more" (X-Ghosted Conversation-with-now-deleted-post).
   * - older/other surfaces: `[data-testid=tombstone]`, or a timeline cell with only the notice.
   */
  placeholderArticle: 'article[role="article"]:not([data-testid])',
  tombstone: '[data-testid="tombstone"]',
  timelineCell: 'div[data-testid="cellInnerDiv"]',

  /** 2022+: the author block, display name first, then `@handle`, then (timeline) the time link. */
  userName: '[data-testid="User-Name"]',
  /** 2022+: avatar container named after the handle, a second hook for the author. */
  avatarContainer: '[data-testid^="UserAvatar-Container-"]',
  /** 2021 fallback for the author: profile links `a[href="/<handle>"][role=link]`. */
  legacyProfileLink: 'a[role="link"][href^="/"]',

  /** Tweet body: 2022+ `tweetText`; 2021 the first `div[lang]`. */
  tweetText: '[data-testid="tweetText"]',
  legacyTweetText: 'div[lang]',
  /** X Articles (long-form posts, 2024+): title and Draft.js body instead of `tweetText`. */
  articleTitle: '[data-testid="twitter-article-title"]',
  articleBody: '[data-testid="longformRichTextComponent"]',
  /** Draft.js blocks inside the article body: one paragraph each. */
  articleBlock: '[data-block="true"]',

  time: 'time[datetime]',
  /** Links whose path names a tweet: `/<handle>/status/<id>` (plus `/photo/1`, `/analytics` ...). */
  statusLink: 'a[href*="/status/"]',

  /** "X reposted" / "Pinned" above the author; the reposter is NOT the author. */
  socialContext: '[data-testid="socialContext"]',

  /**
   * A quoted tweet inside a tweet: 2021–2026 a `div[role=link]` card (X-Ghosted
   * This-Quote-Repost-Into-Community, 2021 postlight capture); a quoted placeholder is a nested
   * bare `article` (X-Ghosted Conversation-with-quoted-post-unavailable) or a `tombstone` box
   * (named by other X readers; modelled in the rebuilt home fixture, no capture).
   */
  quoteBlock: 'div[role="link"], article, [data-testid="tombstone"]',

  /** Profile header (2022+): display name and @handle of the profile being viewed. */
  profileUserName: '[data-testid="UserName"]',
  profileDescription: '[data-testid="UserDescription"]',

  /**
   * Post composers (Draft.js): `tweetTextarea_0` in the inline reply form under the focal tweet
   * (2026 arscontexta capture: aria-label "Post text", placeholder "Post your reply"), in the
   * reply dialog, and in the home "What's happening?" box. 2021: aria-label "Tweet text".
   */
  composerTextbox: '[data-testid^="tweetTextarea_"][role="textbox"]',
  /** Marks the inline reply form (button "Reply" under the focal tweet; the home composer's "Post"). */
  inlineReplyOffscreen: '[data-testid="inline_reply_offscreen"]',
  inlineReplyButton: '[data-testid="tweetButtonInline"]',
  /** What posts a composer: the inline form's button, or the reply dialog's (`tweetButton`). Never by its label ("Reply", "Post" are localized). */
  sendButton: '[data-testid="tweetButtonInline"], [data-testid="tweetButton"]',
  dialog: '[role="dialog"]',
} as const;
