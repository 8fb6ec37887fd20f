/**
 * What PostgreSQL's json parser refuses inside a string: a high surrogate not followed by a low
 * one, a low one not preceded by a high one, and NUL (`\u0000`, "unsupported Unicode escape").
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');

/**
 * JSON text for a text column that SQL may later read as JSON. `JSON.stringify` writes a lone
 * UTF-16 surrogate (e.g. from a hostile review: "\ud800") as the escape `\ud800` and NUL as
 * `\u0000`, both of which PostgreSQL's json/jsonb parser rejects, so one such row made every
 * `details::jsonb` query fail (found by tests/api/server/fuzz.test.ts via metrics.summary). They become
 * U+FFFD, in keys and values alike; other text is unchanged.
 */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string') return wellFormed(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.some(([k]) => wellFormed(k) !== k)) return Object.fromEntries(entries.map(([k, x]) => [wellFormed(k), x]));
    }
    return v;
  });
}
