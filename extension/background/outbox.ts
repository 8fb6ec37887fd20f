import { storage } from 'wxt/utils/storage';
import type { Request } from '../messaging/protocol';

/** A write waiting for the API. Its idempotency key makes redelivery safe. */
export interface OutboxItem {
  key: string;
  request: Extract<Request, { idempotencyKey: string }>;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError: string | null;
}

/** Survives browser restarts (storage.local), unlike the service worker's memory. */
export const outboxItem = storage.defineItem<OutboxItem[]>('local:outbox', { fallback: [], version: 1 });
/** Writes the server refused (4xx) are kept, not dropped, so nothing an agent did silently vanishes. */
export const outboxRejectedItem = storage.defineItem<(OutboxItem & { rejectedAt: number })[]>('local:outboxRejected', { fallback: [], version: 1 });

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Exponential backoff with full jitter: retries from many browsers don't arrive in waves. */
export function backoffDelay(attempts: number, random: () => number = Math.random): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempts, 20));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * - delivered: done, removed.
 * - rejected: the server refused it (4xx): moved to the rejected list.
 * - waiting: this item can't go yet (its key is still being answered, 409 CONFLICT_IN_PROGRESS),
 *   but the server is there: skip past it, deliver the others, come back after its backoff.
 * - retry: the server can't be reached (or is shedding load): stop this run, try later.
 */
export type DeliveryResult = 'delivered' | 'retry' | 'rejected' | 'waiting';

/** Every read-modify-write of the stored queue, across the extension's pages and the worker. */
const LOCK_NAME = 'rafiq-outbox';

export class Outbox {
  private flushing: Promise<number> | null = null;
  /** One writer in this context: queue rewrites run one after another, never interleaved. */
  private tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * `add` and `run` both rewrite the stored queue (issue 18 item 2). Each rewrite reads the
   * queue, changes it and writes it back as one step, serialized here and — where the browser
   * has Web Locks — across contexts, so a write queued while a delivery is in flight is never
   * overwritten by the delivery's bookkeeping.
   */
  private mutate<T>(change: (items: OutboxItem[]) => { items?: OutboxItem[]; result: T } | Promise<{ items?: OutboxItem[]; result: T }>): Promise<T> {
    const step = async () => {
      const items = await outboxItem.getValue();
      const out = await change(items);
      if (out.items) await outboxItem.setValue(out.items);
      return out.result;
    };
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const run = () => (locks ? (locks.request(LOCK_NAME, step) as Promise<T>) : step());
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  add(request: OutboxItem['request'], error: string): Promise<number> {
    return this.mutate((items) => {
      if (items.some((i) => i.key === request.idempotencyKey)) return { result: items.length };
      const now = this.now();
      const next = [...items, { key: request.idempotencyKey, request, attempts: 0, nextAttemptAt: now + backoffDelay(0), createdAt: now, lastError: error }];
      return { items: next, result: next.length };
    });
  }

  async size(): Promise<number> {
    return (await outboxItem.getValue()).length;
  }

  /**
   * Sends the due items in the order they were made, one at a time. An item that is waiting
   * (its key still being answered) is skipped past, so it holds up nothing behind it; a run
   * stops when the server can't be reached.
   */
  flush(deliver: (item: OutboxItem) => Promise<{ result: DeliveryResult; error?: string }>, options: { force?: boolean } = {}): Promise<number> {
    this.flushing ??= this.run(deliver, options.force ?? false).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async run(deliver: (item: OutboxItem) => Promise<{ result: DeliveryResult; error?: string }>, force: boolean): Promise<number> {
    let delivered = 0;
    const tried = new Set<string>();
    for (let guard = 0; guard < 10_000; guard++) {
      const now = this.now();
      // The oldest due item not tried in this run (items not due yet are passed over, not waited on).
      const item = (await outboxItem.getValue()).find((i) => !tried.has(i.key) && (force || i.nextAttemptAt <= now));
      if (!item) break;
      tried.add(item.key);
      const { result, error } = await deliver(item);
      if (result === 'delivered') {
        delivered++;
        await this.mutate((items) => ({ items: items.filter((i) => i.key !== item.key), result: undefined }));
        continue;
      }
      if (result === 'rejected') {
        await this.mutate((items) => ({ items: items.filter((i) => i.key !== item.key), result: undefined }));
        await outboxRejectedItem.setValue([...(await outboxRejectedItem.getValue()), { ...item, lastError: error ?? null, rejectedAt: this.now() }]);
        continue;
      }
      const attempts = item.attempts + 1;
      await this.mutate((items) => ({
        items: items.map((i) => (i.key === item.key ? { ...i, attempts, nextAttemptAt: this.now() + backoffDelay(attempts), lastError: error ?? null } : i)),
        result: undefined,
      }));
      if (result === 'retry') break;
    }
    return delivered;
  }
}
