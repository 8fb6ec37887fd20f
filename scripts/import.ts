// `npm run import -- customers.csv [--dry-run]`: imports customers, identities and orders from a
// CSV file into the configured database (DATA_DIR or DATABASE_URL), streamed: any file size.
// Prints the first 1000 rejected rows with their line and reason, then the counts (rejects by
// reason). Exit code 1 when rows were rejected.
// The columns are documented in api/modules/customers/README.md.
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { parseEnv } from '../api/env';
import { DomainError } from '../api/errors';
import { importCustomersCsv } from '../api/modules/customers/import';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run import -- customers.csv [--dry-run]');
  process.exit(2);
}

const env = parseEnv();
const db = connect({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
await migrateToLatest(db.db);
let shownRejects = 0;
try {
  const summary = await importCustomersCsv(db, createReadStream(file, { highWaterMark: 256 * 1024 }), {
    dryRun: values['dry-run'],
    now: Date.now(),
    agentId: null,
    onRow: (row) => {
      if (row.action === 'reject' && shownRejects++ < 1000) console.log(`line ${row.line}: rejected: ${row.reason}`);
    },
    onProgress: ({ rows }) => {
      if (!values.quiet && process.stderr.isTTY) process.stderr.write(`\r${rows} rows…`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  if (shownRejects > 1000) console.log(`… and ${shownRejects - 1000} more rejected rows`);
  const reasons = Object.entries(summary.rejectedByReason).map(([code, count]) => `${code} ${count}`);
  if (reasons.length) console.log(`Rejected by reason: ${reasons.join(', ')}`);
  if (summary.cleaned) console.log(`${summary.cleaned} rows had control, bidi or zero-width characters removed (shared/text.ts)`);
  console.log(
    `${summary.dryRun ? 'Dry run: would create' : 'Created'} ${summary.created}, ${summary.dryRun ? 'update' : 'updated'} ${summary.updated}, ` +
      `unchanged ${summary.unchanged}, rejected ${summary.rejected} of ${summary.rows} rows in ${(summary.ms / 1000).toFixed(1)} s`,
  );
  process.exitCode = summary.rejected ? 1 : 0;
} catch (error) {
  console.error(error instanceof DomainError ? `import failed: ${error.message}` : error);
  process.exitCode = 2;
} finally {
  await db.close();
}
