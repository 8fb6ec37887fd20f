import { z } from 'zod';
import { cleanLineText, hasStrippedCharacters, stripInvisible } from './text';

/**
 * The boundary policy of `shared/text.ts` as zod schemas (issue 18): every text field the API
 * accepts is one of these, so no control, bidi-control or zero-width character is ever stored
 * (ZWNJ kept). Text is **cleaned first, then validated**: the length limits apply to what will
 * be stored, and a field that is empty once cleaned ("\u0000", "\u200b") is a field error that
 * says so, not an empty row.
 *
 * - `lineText`: one line (names, subjects, tags, identity values): controls removed, whitespace
 *   runs become one space, trimmed.
 * - `blockText`: multi-line text (notes, excerpts, reply bodies): controls removed except tab and
 *   newline, CR LF → LF; spacing inside the text is the writer's and kept, ends trimmed.
 * - `plainText`: like `blockText` but not trimmed (text read off a page, kept as the page had it).
 * - `urlText`: a URL is not prose: one holding a control or invisible character is refused.
 * - `clippedText`: text the API only learns from (a message read off a page): cleaned like
 *   `plainText`, then cut to a length instead of refused.
 * - `cleanJsonStrings`: every string (and key) inside free-form JSON (ticket `details`).
 *
 * Each schema made here is recorded in `cleanedTextSchemas`, and `isCleanedText` says whether a
 * schema is one of them (or a refinement of one: zod's registries follow clones to their parent).
 * `tests/api/server/text-fields.test.ts` walks every procedure's input with it, so a plain `z.string()`
 * that would store a NUL cannot come back unnoticed.
 */

export type TextPolicy = 'line' | 'block' | 'plain' | 'clipped' | 'url';
const cleanedTextSchemas = z.registry<{ textPolicy: TextPolicy }>();

function mark<T extends z.ZodType>(schema: T, textPolicy: TextPolicy): T {
  cleanedTextSchemas.add(schema, { textPolicy });
  return schema;
}

/** The policy a schema made by this module applies, or null for any other schema. */
export function cleanedTextPolicy(schema: z.ZodType): TextPolicy | null {
  return cleanedTextSchemas.get(schema)?.textPolicy ?? null;
}

export function isCleanedText(schema: z.ZodType): boolean {
  return cleanedTextPolicy(schema) !== null;
}

const EMPTY = 'must not be empty';
const ONLY_INVISIBLE = 'must not be empty: it holds only control or invisible characters, which are removed';
const tooLong = (max: number) => `at most ${max.toLocaleString('en')} characters`;

function bounded(min: number, max: number, minMessage?: string) {
  let out = z.string().max(max, tooLong(max));
  if (min > 0) out = out.min(min, minMessage ?? (min === 1 ? EMPTY : `at least ${min} characters`));
  return out;
}

/** Cleans, and names the reason when a required field had only characters the policy removes. */
function cleaned(clean: (value: string) => string, required: boolean) {
  return z.string().transform((value, ctx) => {
    const out = clean(value);
    if (required && !out && value.trim()) ctx.issues.push({ code: 'custom', message: ONLY_INVISIBLE, input: value });
    return out;
  });
}

export function lineText(max: number, options: { min?: number; minMessage?: string } = {}) {
  const min = options.min ?? 1;
  return mark(cleaned(cleanLineText, min > 0).pipe(bounded(min, max, options.minMessage)), 'line');
}

export function blockText(max: number, options: { min?: number } = {}) {
  const min = options.min ?? 1;
  return mark(cleaned((value) => stripInvisible(value).trim(), min > 0).pipe(bounded(min, max)), 'block');
}

export function plainText(max: number) {
  return mark(
    z
      .string()
      .transform((value) => stripInvisible(value))
      .pipe(bounded(0, max)),
    'plain',
  );
}

/**
 * Text the API only learns from, never shows as typed (the message a reply answered): at most
 * `accept` characters are accepted, cleaned like `plainText`, then cut to `keep` characters.
 */
export function clippedText(accept: number, keep: number, options: { min?: number } = {}) {
  let accepted = z.string().max(accept, tooLong(accept));
  if (options.min) accepted = accepted.min(options.min, options.min === 1 ? EMPTY : `at least ${options.min} characters`);
  return mark(
    accepted.transform((value) => stripInvisible(value).slice(0, keep)),
    'clipped',
  );
}

export function urlText(max = 2048, message = 'must be an http(s) URL') {
  return mark(
    z
      .url({ message })
      .max(max, tooLong(max))
      .refine((value) => !hasStrippedCharacters(value), 'must not contain control or invisible characters'),
    'url',
  );
}

/** Strings and keys of a JSON value cleaned with `stripInvisible`, at any depth (bounded by the body limit). */
export function cleanJsonStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return stripInvisible(value);
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cleanJsonStrings(item, depth + 1));
  // fromEntries defines own properties: a "__proto__" key stays a key, never a prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [stripInvisible(key), cleanJsonStrings(item, depth + 1)]));
}
