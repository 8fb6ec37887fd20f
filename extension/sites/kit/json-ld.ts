export type JsonLdNode = Record<string, unknown>;

/** Every JSON-LD object of the page, with `@graph` and top-level arrays flattened. */
export function readJsonLd(doc: Document): JsonLdNode[] {
  const nodes: JsonLdNode[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    const parsed = parseJsonLoose(script.textContent ?? '');
    const queue: unknown[] = Array.isArray(parsed) ? [...parsed] : [parsed];
    while (queue.length) {
      const item = queue.shift();
      if (Array.isArray(item)) {
        queue.push(...item);
      } else if (isObject(item)) {
        nodes.push(item);
        const graph = item['@graph'];
        if (graph !== undefined) queue.push(...(Array.isArray(graph) ? graph : [graph]));
      }
    }
  }
  return nodes;
}

function parseJsonLoose(text: string): unknown {
  const cleaned = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\/\*<!\[CDATA\[\*\/|\/\*\]\]>\*\/$/g, '')
    .trim();
  if (!cleaned) return null;
  try {
    return JSON.parse(cleaned);
  } catch {
    // Some CMSs leave raw newlines inside strings; JSON forbids them.
    try {
      return JSON.parse(cleaned.replace(/[\n\r\t]+/g, ' '));
    } catch {
      return null;
    }
  }
}

export function isObject(value: unknown): value is JsonLdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `@type` as bare names ("http://schema.org/Review" → "Review"). */
export function typesOf(node: unknown): string[] {
  if (!isObject(node)) return [];
  const raw = node['@type'];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^https?:\/\/schema\.org\//i, ''));
}

export function hasType(node: unknown, ...types: string[]): boolean {
  return typesOf(node).some((t) => types.includes(t));
}

/** Values of a property as an array (schema.org allows one value or many). */
export function valuesOf(node: unknown, key: string): unknown[] {
  if (!isObject(node)) return [];
  const value = node[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A string out of a property that may be a string, a number, or {name}/{@value}. */
export function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return stringOf(value[0]);
  if (isObject(value)) return stringOf(value['@value'] ?? value.name);
  return null;
}

/** Resolves `{ "@id": … }` references against the other nodes of the page. */
export function makeResolver(nodes: JsonLdNode[]): (value: unknown) => unknown {
  const byId = new Map<string, JsonLdNode>();
  const index = (node: unknown): void => {
    if (!isObject(node)) return;
    const id = node['@id'];
    if (typeof id === 'string' && Object.keys(node).length > 1 && !byId.has(id)) byId.set(id, node);
  };
  nodes.forEach(index);
  return (value) => {
    if (isObject(value) && typeof value['@id'] === 'string' && Object.keys(value).length === 1) {
      return byId.get(value['@id']) ?? value;
    }
    return value;
  };
}

/**
 * Every node of one of `types`, searched through nested properties too (Product.review[],
 * LocalBusiness.review[]); each comes with the nearest enclosing item (what the review is about).
 */
export function findJsonLd(nodes: JsonLdNode[], ...types: string[]): { node: JsonLdNode; parent: JsonLdNode | null }[] {
  const found: { node: JsonLdNode; parent: JsonLdNode | null }[] = [];
  const seen = new Set<JsonLdNode>();
  const walk = (value: unknown, parent: JsonLdNode | null, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, parent, depth + 1));
      return;
    }
    if (!isObject(value) || seen.has(value)) return;
    seen.add(value);
    if (hasType(value, ...types)) found.push({ node: value, parent });
    for (const [key, child] of Object.entries(value)) {
      if (key === '@graph' || key === '@context') continue;
      walk(child, value, depth + 1);
    }
  };
  nodes.forEach((node) => walk(node, null, 0));
  return found;
}
