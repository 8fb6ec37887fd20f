import { blockText } from './text';

export type MicrodataValue = string | Element;

/** The properties of one microdata item (`itemscope` element), nested items left as elements. */
export function microdata(item: Element): Map<string, MicrodataValue[]> {
  const props = new Map<string, MicrodataValue[]>();
  for (const el of item.querySelectorAll('[itemprop]')) {
    // Only this item's own properties: the nearest itemscope above `el` must be `item`.
    const owner = el.parentElement?.closest('[itemscope]');
    if (owner !== item) continue;
    const value: MicrodataValue = el.hasAttribute('itemscope') ? el : microdataValue(el);
    for (const name of (el.getAttribute('itemprop') ?? '').split(/\s+/).filter(Boolean)) {
      const key = name.replace(/^https?:\/\/schema\.org\//i, '');
      const list = props.get(key) ?? [];
      list.push(value);
      props.set(key, list);
    }
  }
  return props;
}

function microdataValue(el: Element): string {
  const tag = el.tagName.toUpperCase();
  if (tag === 'META') return el.getAttribute('content') ?? '';
  if (tag === 'A' || tag === 'LINK' || tag === 'AREA') return el.getAttribute('href') ?? '';
  if (['IMG', 'AUDIO', 'VIDEO', 'SOURCE', 'IFRAME', 'EMBED'].includes(tag)) return el.getAttribute('src') ?? '';
  if (tag === 'TIME') return el.getAttribute('datetime') ?? el.textContent ?? '';
  if (tag === 'DATA' || tag === 'METER') return el.getAttribute('value') ?? '';
  if (el.hasAttribute('content')) return el.getAttribute('content') ?? '';
  return blockText(el);
}

/** First value of a microdata property as text (a nested item gives its `name`, else its text). */
export function microText(props: Map<string, MicrodataValue[]>, key: string): string | null {
  const value = props.get(key)?.[0];
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  const nested = microdata(value);
  return microText(nested, 'name') ?? blockText(value);
}

/** First nested item of a microdata property. */
export function microItem(props: Map<string, MicrodataValue[]>, key: string): Map<string, MicrodataValue[]> | null {
  const value = props.get(key)?.find((v): v is Element => typeof v !== 'string');
  return value ? microdata(value) : null;
}

export function itemTypeIs(el: Element, ...types: string[]): boolean {
  const list = (el.getAttribute('itemtype') ?? '').split(/\s+/).map((t) => t.replace(/^https?:\/\/schema\.org\//i, ''));
  return list.some((t) => types.includes(t));
}
