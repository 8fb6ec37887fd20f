import { unguardCsvText } from '@shared/csv';
import { identityKinds, normalizeIdentity, type IdentityKind } from '@shared/identity';
import { cleanLineText, cleanPersonName, hasStrippedCharacters } from '@shared/text';
import type { OrderTable } from '../../../db/database';
import { DomainError } from '../../../errors';

/**
 * Parse: one CSV record → one `ParsedRow` or a reject (code + reason), with no database.
 *
 * What the import does to the text of a cell, so nothing changes silently (issue 18 item 9):
 * - The export's formula guard is undone exactly (`unguardCsvText`: the apostrophe it puts
 *   before `=+-@`, tab or CR at the start of a cell or after `;`); any other apostrophe is data
 *   ("'Tis Tea" stays as it is). An apostrophe a person typed before a formula character in a
 *   file of their own ("'+971…", the spreadsheet way of saying "text") reads as that same guard.
 * - Control, bidi and zero-width characters follow the one policy, `shared/text.ts`: stripped
 *   (NUL included; ZWNJ kept), whitespace runs become one space. A row that lost such
 *   characters says so: its report names the columns (`cleaned`).
 * - Bytes that are not UTF-8 reject the row with its line (csv-records.ts says why no guess).
 */

export const ORDER_COLUMNS = ['order_number', 'order_status', 'order_total', 'order_currency', 'order_placed_at'] as const;
export const CUSTOMER_COLUMNS = ['name', 'company', 'locale', 'tags'] as const;
/** Written by the export, ignored by the import (ids are this database's, not external keys). */
const IGNORED_COLUMNS = new Set(['id', 'created_at', 'updated_at']);
export const IMPORT_COLUMNS = [...CUSTOMER_COLUMNS, ...identityKinds, ...ORDER_COLUMNS] as const;

const ORDER_STATUSES = new Set<OrderTable['status']>(['placed', 'paid', 'shipped', 'delivered', 'returned', 'cancelled']);
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Why a row is rejected, as a closed set: the report counts rejects by these past its listing limit. */
export const rejectCodes = ['not_utf8', 'field_count', 'too_long', 'locale', 'identity', 'order', 'no_keys', 'no_name', 'conflict'] as const;
export type RejectCode = (typeof rejectCodes)[number];

export interface Reject {
  code: RejectCode;
  reason: string;
}

export interface ParsedOrder {
  number: string;
  status: OrderTable['status'];
  total_cents: number | null;
  currency: string | null;
  placed_at: number | null;
}

export interface ParsedIdentity {
  kind: IdentityKind;
  value: string;
  normalized: string;
}

export interface ParsedRow {
  line: number;
  name: string | null;
  company: string | null;
  locale: string | null;
  tags: string[];
  identities: ParsedIdentity[];
  order: ParsedOrder | null;
  /** Columns whose text lost characters under the text policy. */
  cleaned: string[];
}

export interface Header {
  /** Index of each known column in a record, -1 when absent. */
  index: Record<(typeof IMPORT_COLUMNS)[number], number>;
  width: number;
}

export function parseHeader(fields: string[]): Header {
  const columns = fields.map((f) => cleanLineText(f).toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS);
  const unknown = columns.filter((c) => !known.has(c) && !IGNORED_COLUMNS.has(c));
  if (unknown.length) {
    throw new DomainError('invalid', `unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}; allowed: ${IMPORT_COLUMNS.join(', ')}`, { field: 'header' });
  }
  const dupes = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (dupes.length) throw new DomainError('invalid', `column ${JSON.stringify(dupes[0])} appears twice (several values go in one cell, separated by ";")`, { field: 'header' });
  if (!columns.some((c) => (identityKinds as readonly string[]).includes(c) || c === 'order_number')) {
    throw new DomainError('invalid', `the header needs at least one identity column (${identityKinds.join(', ')}) or order_number: rows are matched by them`, { field: 'header' });
  }
  const index = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, columns.indexOf(c)])) as Header['index'];
  return { index, width: columns.length };
}

export function notUtf8Reject(line: number): Reject {
  return { code: 'not_utf8', reason: `line ${line} is not UTF-8 text (a file saved as Latin-1 or Windows-1252?): save it as "CSV UTF-8" and import it again` };
}

export function parseRow(header: Header, fields: string[], line: number): ParsedRow | Reject {
  if (fields.length !== header.width) return { code: 'field_count', reason: `has ${fields.length} fields, the header has ${header.width}` };
  const cleaned: string[] = [];
  /** A cell as text: the export's guard undone, then the text policy. `;`-lists are split after this. */
  const cell = (name: (typeof IMPORT_COLUMNS)[number]): string => {
    const index = header.index[name];
    if (index < 0) return '';
    const raw = fields[index]!;
    if (raw === '') return '';
    const text = unguardCsvText(raw.trim());
    if (hasStrippedCharacters(text)) cleaned.push(name);
    return name === 'name' ? cleanPersonName(text) : cleanLineText(text);
  };
  const name = cell('name');
  if (name.length > 300) return { code: 'too_long', reason: 'name is longer than 300 characters' };
  const company = cell('company');
  const locale = cell('locale');
  if (locale && !LOCALE.test(locale)) return { code: 'locale', reason: `locale ${JSON.stringify(locale)} is not a language tag like en, ar, fa-IR or tr` };
  const tagsText = cell('tags');
  const tags = tagsText
    ? tagsText
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  const identities: ParsedIdentity[] = [];
  for (const kind of identityKinds) {
    const text = cell(kind);
    if (!text) continue;
    for (const part of text.split(';')) {
      const value = part.trim();
      if (!value) continue;
      if (value.length > 512) return { code: 'too_long', reason: `${kind} value is longer than 512 characters` };
      const result = normalizeIdentity({ kind, value });
      if (!result.ok) return { code: 'identity', reason: `${kind} ${JSON.stringify(value.slice(0, 80))} ${result.reason}` };
      if (!identities.some((i) => i.kind === kind && i.normalized === result.normalized)) identities.push({ kind, value, normalized: result.normalized });
    }
  }
  let order: ParsedOrder | null = null;
  const number = cell('order_number');
  if (number) {
    if (number.length > 100) return { code: 'too_long', reason: 'order_number is longer than 100 characters' };
    const status = (cell('order_status') || 'placed').toLowerCase() as OrderTable['status'];
    if (!ORDER_STATUSES.has(status)) return { code: 'order', reason: `order_status ${JSON.stringify(status)} is not one of ${[...ORDER_STATUSES].join(', ')}` };
    const totalText = cell('order_total');
    let total_cents: number | null = null;
    if (totalText) {
      if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(totalText)) return { code: 'order', reason: `order_total ${JSON.stringify(totalText)} is not an amount like 12.50` };
      total_cents = Math.round(Number(totalText) * 100);
    }
    const currencyText = cell('order_currency').toUpperCase();
    if (currencyText && !/^[A-Z]{3}$/.test(currencyText)) return { code: 'order', reason: `order_currency ${JSON.stringify(currencyText)} is not a 3-letter code like EUR` };
    const placedText = cell('order_placed_at');
    let placed_at: number | null = null;
    if (placedText) {
      placed_at = /^\d{10,13}$/.test(placedText) ? Number(placedText) : Date.parse(placedText);
      if (!Number.isFinite(placed_at)) return { code: 'order', reason: `order_placed_at ${JSON.stringify(placedText)} is not a date (ISO 8601 or epoch milliseconds)` };
    }
    order = { number, status, total_cents, currency: currencyText || null, placed_at };
  }
  if (!identities.length && !order) return { code: 'no_keys', reason: 'no email, phone, handle, profile or order number: nothing to match the row by' };
  return { line, name: name || null, company: company || null, locale: locale || null, tags, identities, order, cleaned };
}
