import { storage } from 'wxt/utils/storage';
import type { CustomerView, LookupResult } from '../messaging/protocol';

interface Saved<T> {
  value: T;
  savedAt: number;
}
const MAX_ENTRIES = 200;

/**
 * The last known answers, kept in storage.local (the service worker's memory does not survive
 * being stopped) and served marked offline when the API can't be reached. One storage key per
 * entry, so saving a card costs the size of that card, not of every card kept; an index keeps
 * the newest 200.
 */
const indexItem = storage.defineItem<string[]>('local:staleIndex', { fallback: [], version: 1 });
const keyOf = (kind: 'lookup' | 'view', id: string) => `local:stale:${kind}:${id}` as const;

let pending: Promise<void> = Promise.resolve();
/** Writes are queued, never awaited by the caller: a read answers as soon as the API did. */
function save<T>(kind: 'lookup' | 'view', id: string, value: T) {
  pending = pending
    .then(async () => {
      const key = keyOf(kind, id);
      await storage.setItem<Saved<T>>(key, { value, savedAt: Date.now() });
      const index = (await indexItem.getValue()).filter((k) => k !== key);
      index.push(key);
      const evicted = index.splice(0, Math.max(0, index.length - MAX_ENTRIES));
      await indexItem.setValue(index);
      if (evicted.length) await storage.removeItems(evicted as `local:${string}`[]);
    })
    .catch(() => undefined);
}

export const staleReads = {
  saveLookup: (key: string, value: LookupResult) => save('lookup', key, value),
  async lookup(key: string): Promise<LookupResult | null> {
    await pending;
    return (await storage.getItem<Saved<LookupResult>>(keyOf('lookup', key)))?.value ?? null;
  },
  saveView: (customerId: number, value: CustomerView) => save('view', String(customerId), value),
  async view(customerId: number): Promise<CustomerView | null> {
    await pending;
    const saved = await storage.getItem<Saved<CustomerView>>(keyOf('view', String(customerId)));
    return saved ? { ...saved.value, staleSince: new Date(saved.savedAt).toISOString() } : null;
  },
};
