import { storage } from 'wxt/utils/storage';
import type { CustomerView, LookupResult } from '../messaging/protocol';

interface Saved<T> {
  value: T;
  savedAt: number;
}
const MAX_ENTRIES = 200;

// Kept in storage.local (the service worker's memory does not survive being stopped), bounded.
const lookupsItem = storage.defineItem<Record<string, Saved<LookupResult>>>('local:staleLookups', { fallback: {}, version: 1 });
const viewsItem = storage.defineItem<Record<string, Saved<CustomerView>>>('local:staleViews', { fallback: {}, version: 1 });

function bounded<T>(entries: Record<string, Saved<T>>): Record<string, Saved<T>> {
  const list = Object.entries(entries);
  if (list.length <= MAX_ENTRIES) return entries;
  return Object.fromEntries(list.sort(([, a], [, b]) => b.savedAt - a.savedAt).slice(0, MAX_ENTRIES));
}

/** The last known answers, served marked as offline when the API can't be reached. */
export const staleReads = {
  async saveLookup(key: string, value: LookupResult) {
    await lookupsItem.setValue(bounded({ ...(await lookupsItem.getValue()), [key]: { value, savedAt: Date.now() } }));
  },
  async lookup(key: string): Promise<LookupResult | null> {
    return (await lookupsItem.getValue())[key]?.value ?? null;
  },
  async saveView(customerId: number, value: CustomerView) {
    await viewsItem.setValue(bounded({ ...(await viewsItem.getValue()), [String(customerId)]: { value, savedAt: Date.now() } }));
  },
  async view(customerId: number): Promise<CustomerView | null> {
    const saved = (await viewsItem.getValue())[String(customerId)];
    return saved ? { ...saved.value, staleSince: new Date(saved.savedAt).toISOString() } : null;
  },
};
