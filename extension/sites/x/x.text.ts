/**
 * Turning X's DOM text into plain, bounded strings. Tweets and names are attacker-controlled:
 * we only ever read `textContent`-style text (and the `alt` of X's own emoji images), never HTML.
 */
import { cleanLineText, cleanPersonName, stripInvisible as stripByPolicy } from '@shared/text';

/** X renders emoji as `<img alt="😡" src="https://abs-0.twimg.com/emoji/v2/svg/1f621.svg">`. */
const EMOJI_IMG_SRC = /\/emoji\//;
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'svg', 'SVG', 'BUTTON']);
const BLOCK_TAGS = new Set(['DIV', 'P', 'LI', 'BR', 'H1', 'H2', 'H3', 'BLOCKQUOTE', 'PRE']);

/**
 * Text of a node as a reader sees it: text nodes plus emoji `alt`s, block elements on new lines.
 * Skips scripts/styles and buttons (e.g. an extension's injected Mute/Block buttons).
 */
export function visibleText(node: Node, blocks = false): string {
  let out = '';
  const walk = (current: Node): void => {
    for (let child = current.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        out += child.nodeValue ?? '';
      } else if (child.nodeType === 1) {
        const element = child as Element;
        if (SKIP_TAGS.has(element.tagName)) continue;
        if (element.tagName === 'IMG') {
          if (EMOJI_IMG_SRC.test(element.getAttribute('src') ?? '')) out += element.getAttribute('alt') ?? '';
          continue;
        }
        const block = blocks && BLOCK_TAGS.has(element.tagName);
        if (block) out += '\n';
        walk(element);
        if (block) out += '\n';
      }
    }
  };
  walk(node);
  return out;
}

/** Cuts to `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = max - 1;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut)}…`;
}

/** One line under the shared policy (controls, bidi and zero-width characters removed): every whitespace run one space; trimmed and bounded. */
export function oneLine(value: string, max: number): string {
  return truncate(cleanLineText(value), max);
}

/** Tweet text: spaces collapsed within lines, blank lines dropped, paragraphs kept; emoji kept. */
export function paragraphs(value: string, max: number): string {
  const text = stripByPolicy(value)
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return truncate(text, max);
}

/**
 * Bidi controls (LRM/RLM, ALM, embeddings/overrides incl. U+202E, isolates) and zero-width
 * characters (ZWSP, word joiner, invisible operators, BOM): invisible, and used to spoof names.
 * ZWJ is kept inside emoji sequences (👩‍💻) and ZWNJ between Arabic-script letters (Persian
 * spelling), where they are part of what the person typed; everywhere else they go.
 */
const INVISIBLE = /[\u200b\u200e\u200f\u061c\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const STRAY_ZWJ = /(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;
const STRAY_ZWNJ = /(?<![\u0600-\u06ff\u0750-\u077f])\u200c|\u200c(?![\u0600-\u06ff\u0750-\u077f])/g;

export function stripInvisible(value: string): string {
  return value.replace(INVISIBLE, '').replace(STRAY_ZWJ, '').replace(STRAY_ZWNJ, '');
}

/**
 * A person's name: the one policy every adapter shares (`cleanPersonName` in shared/text.ts: bidi
 * controls and zero-width spaces stripped, ZWNJ and ZWJ kept), bounded. Not `stripInvisible`
 * above: that one is for handles and emptiness checks, where nothing invisible may remain.
 */
export function cleanName(value: string, max: number): string {
  return truncate(cleanPersonName(value), max);
}
