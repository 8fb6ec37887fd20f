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

export type DeliveryResult = 'delivered' | 'retry' | 'rejected';

export class Outbox {
  private flushing: Promise<number> | null = null;
  constructor(private readonly now: () => number = Date.now) {}

  async add(request: OutboxItem['request'], error: string): Promise<number> {
    const items = await outboxItem.getValue();
    if (!items.some((i) => i.key === request.idempotencyKey)) {
      items.push({ key: request.idempotencyKey, request, attempts: 0, nextAttemptAt: this.now() + backoffDelay(0), createdAt: this.now(), lastError: error });
      await outboxItem.setValue(items);
    }
    return items.length;
  }

  async size(): Promise<number> {
    return (await outboxItem.getValue()).length;
  }

  /**
   * Sends every due item in the order they were made, one at a time (a note must not overtake
   * the customer it belongs to). Stops at the first item that can't be delivered yet.
   */
  flush(deliver: (item: OutboxItem) => Promise<{ result: DeliveryResult; error?: string }>, options: { force?: boolean } = {}): Promise<number> {
    this.flushing ??= this.run(deliver, options.force ?? false).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async run(deliver: (item: OutboxItem) => Promise<{ result: DeliveryResult; error?: string }>, force: boolean): Promise<number> {
    let delivered = 0;
    for (let guard = 0; guard < 10_000; guard++) {
      const items = await outboxItem.getValue();
      const item = items[0];
      if (!item || (!force && item.nextAttemptAt > this.now())) break;
      const { result, error } = await deliver(item);
      const current = await outboxItem.getValue();
      const rest = current.filter((i) => i.key !== item.key);
      if (result === 'delivered') {
        delivered++;
        await outboxItem.setValue(rest);
        continue;
      }
      if (result === 'rejected') {
        await outboxItem.setValue(rest);
        await outboxRejectedItem.setValue([...(await outboxRejectedItem.getValue()), { ...item, lastError: error ?? null, rejectedAt: this.now() }]);
        continue;
      }
      const attempts = item.attempts + 1;
      await outboxItem.setValue(current.map((i) => (i.key === item.key ? { ...i, attempts, nextAttemptAt: this.now() + backoffDelay(attempts), lastError: error ?? null } : i)));
      break;
    }
    return delivered;
  }
}
