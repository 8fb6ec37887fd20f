/**
 * The one policy for characters that are not text (issues 17 and 18). Every string that enters
 * Rafiq — read off a page by a site adapter, sent to the API, imported from a CSV — passes
 * through these functions, so the same person read from Gmail, X or a review site is stored and
 * folded the same way, and no control character is ever stored.
 *
 * Policy:
 * - C0 and C1 control characters (NUL included) are **stripped**, except tab and line feed in
 *   multi-line text (CR LF and CR become LF). A NUL once hung the SQLite API (issue 18).
 * - Bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates) are **stripped**: they are
 *   invisible and used to spoof names and reverse text ("U+202E"). Rafiq isolates data in the UI
 *   itself (`<bdi>`, `dir="auto"`), so nothing is lost.
 * - Zero-width space, word joiner, invisible operators and BOM are **stripped**.
 * - Zero-width non-joiner (U+200C) **is kept**: it is part of how Persian names are spelt
 *   ("مهسا‌سادات" is two joined parts). Zero-width joiner (U+200D) is kept too: emoji need it.
 *   When a name is *folded for matching*, ZWNJ becomes a word break (see `foldBreaks`), so
 *   "مهسا‌سادات" and "مهسا سادات" fold to the same key whichever site wrote them.
 *
 * No DOM, no Node APIs: used by the extension and the API alike.
 */

// C0 except \t and \n, DEL, C1. Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROLS_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi controls: LRM, RLM, ALM, LRE..RLO, LRI..PDI.
const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
// Zero-width space, word joiner and invisible operators (U+2060..2064), BOM / ZWNBSP.
const ZERO_WIDTH = /[\u200b\u2060-\u2064\ufeff]/g;
// eslint-disable-next-line no-control-regex
const ANY_STRIPPED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u061c\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** True when `value` holds a character the policy strips (for validators that refuse instead). */
export function hasStrippedCharacters(value: string): boolean {
  return ANY_STRIPPED.test(value) || value.includes('\r');
}

/** Multi-line text: CR LF / CR → LF, controls, bidi controls and zero-width characters removed. */
export function stripInvisible(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROLS_MULTILINE, '').replace(BIDI_CONTROLS, '').replace(ZERO_WIDTH, '');
}

/** One line of text: `stripInvisible`, then every whitespace run (tab, newline, NBSP) is one space, trimmed. */
export function cleanLineText(value: string | null | undefined): string {
  if (!value) return '';
  return stripInvisible(value).replace(/\s+/g, ' ').trim();
}

/** Multi-line text: `stripInvisible`, spaces collapsed inside lines, at most one blank line, trimmed. */
export function cleanBlockText(value: string | null | undefined): string {
  if (!value) return '';
  return stripInvisible(value)
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A person's display name: one line under the policy (ZWNJ kept, so Persian names render right). */
export function cleanPersonName(value: string | null | undefined): string {
  return cleanLineText(value);
}

/**
 * For folding only: the characters that separate words without looking like a space (ZWNJ)
 * become spaces, after the policy has removed what it strips.
 */
export function foldBreaks(value: string): string {
  return stripInvisible(value).replace(/\u200c/g, ' ');
}
