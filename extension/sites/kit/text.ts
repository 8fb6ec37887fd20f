import { LIMITS } from '@shared/limits';
import { cleanBlockText, cleanLineText, cleanPersonName } from '@shared/text';

// Page text as plain, bounded values. Never innerHTML: page text is attacker-controlled. What
// happens to control, bidi and zero-width characters is shared/text.ts's one policy; this file
// only reads text out of elements, bounds it and shapes it into lines.
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'BUTTON']);
const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE',
  'TR', 'UL',
]);

/** Cuts to `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = max - 1;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut)}…`;
}

/** One line under the policy (`cleanLineText`): whitespace runs collapsed to one space, trimmed, bounded. */
export function cleanLine(value: string | null | undefined, max: number = LIMITS.text): string {
  return truncate(cleanLineText(value), max);
}

/**
 * A person's name as an identity: the one policy of `shared/text.ts` (`cleanPersonName`: bidi
 * controls and zero-width spaces stripped, the Persian zero-width non-joiner kept), bounded.
 * Folding turns that ZWNJ into a word break, so "مهسا‌سادات" and "مهسا سادات" are one person.
 */
export function cleanName(value: string | null | undefined, max: number = LIMITS.name): string {
  return truncate(cleanPersonName(value), max);
}

/** Multi-line text under the policy (`cleanBlockText`): spaces collapsed inside lines, at most one blank line, bounded. */
export function cleanBlock(value: string | null | undefined, max: number = LIMITS.text): string {
  return truncate(cleanBlockText(value), max);
}

interface TextOptions {
  /** Selector of descendants to leave out (e.g. "Read more" buttons, site boilerplate). */
  exclude?: string;
}

/**
 * The text a reader sees in `el`, as plain text: block elements and <br> become line breaks,
 * scripts/styles/buttons are skipped. Never innerHTML: page text is attacker-controlled.
 */
export function blockText(el: Element | null | undefined, options: TextOptions = {}, max: number = LIMITS.text): string {
  if (!el) return '';
  const parts: string[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        parts.push(child.nodeValue ?? '');
      } else if (child.nodeType === 1) {
        const element = child as Element;
        const tag = element.tagName.toUpperCase();
        if (SKIP_TAGS.has(tag)) continue;
        if (options.exclude && element.matches(options.exclude)) continue;
        if (tag === 'BR') {
          parts.push('\n');
          continue;
        }
        const block = BLOCK_TAGS.has(tag);
        if (block) parts.push('\n');
        walk(element);
        if (block) parts.push('\n');
      }
    }
  };
  walk(el);
  return cleanBlock(parts.join(''), max);
}

/** `blockText` on one line (names, titles, dates). */
export function lineText(el: Element | null | undefined, options: TextOptions = {}, max: number = LIMITS.text): string {
  return cleanLine(blockText(el, options, Number.MAX_SAFE_INTEGER), max);
}

/** Plain text out of a JSON-LD string, which some sites fill with HTML (`<br>`, entities). */
export function htmlStringToText(value: unknown, max: number = LIMITS.text): string {
  if (typeof value !== 'string') return '';
  const text = value
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|#39);/gi, (entity, code: string) => {
      const lower = code.toLowerCase();
      if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10));
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[lower] ?? entity;
    });
  return cleanBlock(text, max);
}

function safeCodePoint(code: number): string {
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** The same text for comparisons: one line, lower case, without a trailing ellipsis. */
export function comparable(value: string): string {
  return cleanLine(value)
    .replace(/(\.\.\.|…)$/, '')
    .trim()
    .toLowerCase();
}
