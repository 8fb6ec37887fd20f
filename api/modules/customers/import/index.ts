import type { Db } from '../../../db/connection';
import { DomainError } from '../../../errors';
import { writeAudit } from '../../audit/audit.repository';
import { CsvError, readCsv } from './csv-records';
import { DryRunStore } from './dry-run';
import { notUtf8Reject, parseHeader, parseRow, type Header, type ParsedRow, type RejectCode } from './parse';
import { resolveBatch, type ImportAction, type ImportView } from './resolve';
import { postgresSink, postgresView, sqliteSink, sqliteView, type BatchSink } from './write';

/**
 * CSV import of customers, their identities and orders (one order per row; a customer may span
 * rows), in three steps with one file each:
 *
 *   parse.ts    record → row or reject (the text policy, the export's formula guard undone)
 *   resolve.ts  batch of rows → create / update / unchanged / reject, from what exists
 *   write.ts    resolved batch → the database (dry-run.ts: → a scratch store instead)
 *
 * Streamed: records are read (csv-records.ts, csv-parse), resolved and written a batch at a
 * time in one transaction per batch; neither the file nor the report is ever held. Matching,
 * idempotency and what an import may change are described in resolve.ts and
 * api/modules/customers/README.md.
 */

export { CUSTOMER_COLUMNS, IMPORT_COLUMNS, ORDER_COLUMNS, rejectCodes, type RejectCode } from './parse';
export type { ImportAction } from './resolve';

export interface ImportRowReport {
  line: number;
  action: ImportAction;
  /** Why a row is rejected (a closed set, for counting). */
  code?: RejectCode;
  /** Why a row is rejected, or what an update changes. */
  reason?: string;
  /** Null for a customer a dry run would create. */
  customerId?: number | null;
  /** Columns whose text lost control, bidi or zero-width characters (shared/text.ts). */
  cleaned?: string[];
}

export interface ImportSummary {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rejected rows by reason: the whole count, however many rows a report lists. */
  rejectedByReason: Partial<Record<RejectCode, number>>;
  /** Rows whose text lost characters under the text policy. */
  cleaned: number;
  ms: number;
}

/** Rows per batch: one transaction and three lookups each; also how often progress is reported. */
export const IMPORT_BATCH_SIZE = 5000;

export interface ImportOptions {
  dryRun: boolean;
  now: number;
  agentId: number | null;
  batchSize?: number;
  onRow?(report: ImportRowReport): void;
  onProgress?(progress: { rows: number; offset: number }): void | Promise<void>;
}

/**
 * Imports a CSV stream. `dryRun` resolves every row exactly as a real run would (including rows
 * that refer to customers created earlier in the same file) and writes nothing.
 */
export async function importCustomersCsv(conn: Db, input: AsyncIterable<Uint8Array | string>, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { db } = conn;
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
  const summary: ImportSummary = { dryRun: options.dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, rejectedByReason: {}, cleaned: 0, ms: 0 };
  const report = (r: ImportRowReport) => {
    summary.rows++;
    if (r.action === 'create') summary.created++;
    else if (r.action === 'update') summary.updated++;
    else if (r.action === 'unchanged') summary.unchanged++;
    else {
      summary.rejected++;
      summary.rejectedByReason[r.code!] = (summary.rejectedByReason[r.code!] ?? 0) + 1;
    }
    if (r.cleaned?.length) summary.cleaned++;
    options.onRow?.(r);
  };

  const sqlite = conn.sqlite;
  const context = { now: options.now, agentId: options.agentId };
  const sink: BatchSink = sqlite ? sqliteSink(sqlite, context) : postgresSink(context);
  const databaseView = (trx: typeof db): ImportView => (sqlite ? sqliteView(sqlite) : postgresView(trx));
  const dryRun = options.dryRun ? new DryRunStore(databaseView(db)) : null;

  let header: Header | null = null;
  let batch: ParsedRow[] = [];
  let lastOffset = 0;
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const run = async (trx: typeof db, view: ImportView, to: BatchSink) => {
      const { outcomes, touched } = await resolveBatch(view, rows);
      await to.write(trx, touched);
      return outcomes;
    };
    // SQLite: holding Kysely's one connection keeps the raw statements of a batch from
    // interleaving with another request's transaction.
    const outcomes = dryRun ? await db.connection().execute((c) => run(c, dryRun, dryRun)) : await db.transaction().execute((trx) => run(trx, databaseView(trx), sink));
    for (const o of outcomes) {
      const id = o.target?.id ?? null;
      report({
        line: o.line,
        action: o.action,
        ...(o.action === 'reject' ? { code: o.code, reason: o.reason } : { ...(o.reason !== undefined && { reason: o.reason }), customerId: id !== null && id > 0 ? id : null }),
        ...(o.cleaned.length && { cleaned: o.cleaned }),
      });
    }
    await options.onProgress?.({ rows: summary.rows, offset: lastOffset });
  };

  // SQLite: a bigger page cache while the indexes of a large file grow (2 MB by default; the
  // random-key b-trees of identities and match keys thrash it). Restored afterwards.
  const cacheBefore = sqlite ? Number(sqlite.pragma('cache_size', { simple: true })) : undefined;
  if (sqlite) sqlite.pragma('cache_size = -131072');
  try {
    for await (const record of readCsv(input)) {
      lastOffset = record.offset;
      if (!header) {
        if (record.notUtf8 !== undefined) throw new DomainError('invalid', notUtf8Reject(record.notUtf8).reason, { field: 'header' });
        header = parseHeader(record.fields);
        continue;
      }
      const parsed = record.notUtf8 !== undefined ? notUtf8Reject(record.notUtf8) : parseRow(header, record.fields, record.line);
      if ('code' in parsed) report({ line: record.line, action: 'reject', code: parsed.code, reason: parsed.reason });
      else batch.push(parsed);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof CsvError) throw new DomainError('invalid', `the file is not valid CSV: ${error.message}`, { field: 'file' });
    throw error;
  } finally {
    if (sqlite && cacheBefore !== undefined) sqlite.pragma(`cache_size = ${cacheBefore}`);
    dryRun?.close();
  }
  if (!header) throw new DomainError('invalid', 'the file is empty (expected a header line)', { field: 'file' });
  summary.ms = Math.round(performance.now() - started);
  if (!options.dryRun && (summary.created || summary.updated)) {
    const { dryRun: _dryRun, ms: _ms, rejectedByReason: _reasons, ...counts } = summary;
    await writeAudit(db, { agentId: options.agentId, action: 'customer.import', entity: 'customer', entityId: null, after: counts, at: options.now });
  }
  return summary;
}

