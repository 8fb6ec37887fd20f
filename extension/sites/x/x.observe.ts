// Which DOM changes on X are worth re-reading the page for (issue 20, X observer cost).
import { xSelectors as S } from './x.selectors';

/** What a tweet, a timeline cell, a tombstone or a profile header is made of. */
const TWEETISH = ['article', S.timelineCell, S.tombstone, S.profileUserName].join(', ');
const SIDE_COLUMN = '[data-testid="sidebarColumn"]';

/** Per observer callback: where each record target sits (see `touchesTweets`). */
export type TargetMemo = Map<Element, 'side' | 'tweet' | 'other'>;

/**
 * Does this DOM change touch a tweet (or the profile header)? Changes in X's side column
 * (trends, who to follow) and outside every tweet never do; a cell added or removed does.
 * Returns the element that changed (to mark in the TweetCache), or null.
 */
export function touchesTweets(record: MutationRecord, seen?: TargetMemo): Element | null {
  const target = record.target.nodeType === 1 ? (record.target as Element) : record.target.parentElement;
  if (!target) return null;
  // Where the target sits: two walks up to the root. X delivers ten cells a frame into the same
  // list, so one observer callback asks this for the same target ten times: `seen` keeps the
  // answer for the callback (the DOM does not change while it runs).
  let where = seen?.get(target);
  if (where === undefined) {
    where = target.closest(SIDE_COLUMN) ? 'side' : target.closest(TWEETISH) ? 'tweet' : 'other';
    seen?.set(target, where);
  }
  if (where === 'side') return null;
  if (where === 'tweet') return target;
  if (record.type !== 'childList') return null;
  const holdsTweets = (node: Node) => node.nodeType === 1 && ((node as Element).matches(TWEETISH) || (node as Element).querySelector(TWEETISH) !== null);
  for (const node of record.addedNodes) if (holdsTweets(node)) return target;
  for (const node of record.removedNodes) if (holdsTweets(node)) return target;
  return null;
}
