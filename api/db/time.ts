/** Epoch milliseconds (what the database stores) to the ISO strings the API speaks. */
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
export const fromIso = (iso: string): number => Date.parse(iso);
