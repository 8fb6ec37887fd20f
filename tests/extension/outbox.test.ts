import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Outbox, outboxItem, outboxRejectedItem, type DeliveryResult, type OutboxItem } from '../../extension/background/outbox';

/**
 * Issue 18 item 2: the outbox skips past an item that is waiting (its key still being answered)
 * instead of holding everything behind it, and `add` / `run` are serialized so a write queued
 * during a delivery is never lost. Each of these failed on main before the change.
 */

const note = (n: number) =>
  ({ type: 'addNote', customerId: 1, body: `note ${n}`, idempotencyKey: `outbox-race-${String(n).padStart(4, '0')}` }) as unknown as OutboxItem['request'];

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Storage as a real browser's: every read and write yields, and a read is a copy (fakeBrowser
 * hands back its own array), so unserialized rewrites interleave and overwrite each other.
 */
function slowStorage() {
  const read = outboxItem.getValue.bind(outboxItem);
  const write = outboxItem.setValue.bind(outboxItem);
  vi.spyOn(outboxItem, 'getValue').mockImplementation(async () => {
    const value = structuredClone(await read());
    await tick();
    return value;
  });
  vi.spyOn(outboxItem, 'setValue').mockImplementation(async (value) => {
    await tick();
    await write(structuredClone(value));
  });
}

describe('Outbox', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('a waiting item is skipped past: the writes behind it are delivered', async () => {
    let now = 1_000;
    const outbox = new Outbox(() => now);
    for (let n = 0; n < 3; n++) await outbox.add(note(n), 'offline');
    now += 10 * 60_000; // all due
    const seen: string[] = [];
    const delivered = await outbox.flush(async (item) => {
      seen.push(item.key);
      return { result: (item.key.endsWith('0000') ? 'waiting' : 'delivered') as DeliveryResult };
    });
    expect(seen).toEqual(['outbox-race-0000', 'outbox-race-0001', 'outbox-race-0002']);
    expect(delivered).toBe(2);
    const left = await outboxItem.getValue();
    expect(left.map((i) => [i.key, i.attempts])).toEqual([['outbox-race-0000', 1]]);
    expect(left[0]!.nextAttemptAt).toBeGreaterThan(now);
  });

  test('an item backing off does not hold up due items behind it; unreachable stops the run', async () => {
    let now = 1_000;
    const outbox = new Outbox(() => now);
    await outbox.add(note(0), 'offline');
    await outbox.add(note(1), 'offline');
    // The first has failed many times (long backoff); the second is due.
    await outboxItem.setValue((await outboxItem.getValue()).map((i, index) => ({ ...i, nextAttemptAt: index === 0 ? now + 3_600_000 : now })));
    const seen: string[] = [];
    expect(await outbox.flush(async (item) => (seen.push(item.key), { result: 'delivered' }))).toBe(1);
    expect(seen).toEqual(['outbox-race-0001']);

    now += 7_200_000;
    await outbox.add(note(2), 'offline');
    now += 10 * 60_000;
    seen.length = 0;
    await outbox.flush(async (item) => (seen.push(item.key), { result: 'retry', error: 'unreachable' }));
    expect(seen).toEqual(['outbox-race-0000']);
  });

  test('writes queued while a delivery is in flight are never lost (add races run)', async () => {
    slowStorage();
    let now = 1_000;
    const outbox = new Outbox(() => now);
    for (let n = 0; n < 5; n++) await outbox.add(note(n), 'offline');
    now += 10 * 60_000;
    const added: Promise<number>[] = [];
    let next = 100;
    const delivered = await outbox.flush(async () => {
      // While each delivery is on the wire, the agent keeps writing (several at once).
      for (let i = 0; i < 4; i++) added.push(outbox.add(note(next++), 'offline'));
      return { result: 'delivered' };
    });
    await Promise.all(added);
    const keys = new Set((await outboxItem.getValue()).map((i) => i.key));
    // The 5 first ones were delivered; every one added meanwhile is still queued (or was delivered in this run).
    const expected = Array.from({ length: next - 100 }, (_, i) => note(100 + i).idempotencyKey);
    const deliveredKeys = delivered - 5;
    expect(delivered).toBeGreaterThanOrEqual(5);
    expect(expected.filter((k) => keys.has(k)).length + deliveredKeys).toBe(expected.length);
    expect(await outboxRejectedItem.getValue()).toEqual([]);
  });

  test('concurrent adds all land', async () => {
    slowStorage();
    const outbox = new Outbox(() => 1_000);
    await Promise.all(Array.from({ length: 20 }, (_, n) => outbox.add(note(n), 'offline')));
    expect((await outboxItem.getValue()).length).toBe(20);
  });
});
