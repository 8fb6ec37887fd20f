// The toolbar badge (issue 21): "Mine" on blue, "mine/breaching" on red when tickets are about to
// breach, never a "0" when there is nothing or the counts are unknown.
import { describe, expect, test } from 'vitest';
import { badgeFor } from '../../extension/background/queue-badge';

const counts = (mine: number, breaching: number, unassigned = 0) => ({ mine, breaching, unassigned, breachingAtLeast: false });
const BLUE = '#0969da';
const RED = '#cf222e';

describe('badgeFor', () => {
  test('unknown counts (not configured, offline): no badge text, the plain name as tooltip', () => {
    expect(badgeFor(null)).toEqual({ text: '', color: '#57606a', title: 'Rafiq' });
  });

  test.each([
    { c: counts(0, 0, 4), text: '', color: BLUE },
    { c: counts(3, 0), text: '3', color: BLUE },
    { c: counts(99, 0), text: '99', color: BLUE },
    { c: counts(100, 0), text: '99+', color: BLUE },
    { c: counts(5, 2), text: '5/2', color: RED },
    { c: counts(0, 7), text: '0/7', color: RED },
    { c: counts(150, 3), text: '99+/3', color: RED },
    // Too long for the badge: only the breaching count, marked.
    { c: counts(150, 12), text: '!12', color: RED },
    { c: counts(150, 150), text: '!99+', color: RED },
  ])('mine $c.mine, breaching $c.breaching → "$text"', ({ c, text, color }) => {
    const badge = badgeFor(c);
    expect(badge.text).toBe(text);
    expect(badge.color).toBe(color);
    expect(badge.text.length).toBeLessThanOrEqual(5);
  });

  test('a capped scan (breachingAtLeast) shows the breaching count as a floor, in the badge and the tooltip', () => {
    const atLeast = { mine: 4, breaching: 7, unassigned: 2, breachingAtLeast: true };
    expect(badgeFor(atLeast).text).toBe('4/7+');
    expect(badgeFor({ ...atLeast, mine: 120 }).text).toBe('!7+');
    expect(badgeFor(atLeast).title.replace(/[\u2066-\u2069]/g, '')).toBe('Mine 4 · Breaching soon 7+ · Unassigned 2');
  });

  test('the tooltip names all three queues with their counts', () => {
    const title = badgeFor(counts(5, 2, 9)).title.replace(/[\u2066-\u2069]/g, '');
    expect(title).toBe('Mine 5 · Breaching soon 2 · Unassigned 9');
  });
});
