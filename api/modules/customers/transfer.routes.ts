import { Hono, type Context as HonoContext } from 'hono';
import { stream } from 'hono/streaming';
import { csvField } from '@shared/csv';
import { identityKinds } from '@shared/identity';
import type { Db } from '../../db/connection';
import type { AgentRow } from '../../db/database';
import { DomainError } from '../../errors';
import { importCustomersCsv, type ImportAction, type ImportRowReport } from './import';

/**
 * Bulk transfer over plain HTTP (not tRPC: bodies and answers are streams, not JSON values).
 *
 * - `POST /import/customers.csv[?dryRun=1]`: the request body is the CSV, read as it arrives
 *   (the app's 1 MB body limit skips exactly this path, see app.ts). The answer is NDJSON, one
 *   line per row that creates, updates or is rejected — the first `REPORT_ROWS_PER_ACTION` of
 *   each action, with line numbers — `{"progress":…}` after each batch, and a last
 *   `{"summary":…}` line (or `{"error":…}`) that counts every row, rejects by reason, and says
 *   how many rows of each action were not listed (`omitted`). So the answer stays a few hundred
 *   KB for a file of any size (50 MB of rejected rows once made a 185 MB answer, issue 18).
 * - `GET /export/customers.csv`: every customer with identities, streamed page by page.
 *
 * Both need an admin token: they read or write everyone's personal data at once. The token is
 * checked (and rate-limited) by `authenticate` in app.ts, which runs before these routes.
 */
export const IMPORT_CUSTOMERS_PATH = '/import/customers.csv';
export const EXPORT_CUSTOMERS_PATH = '/export/customers.csv';

const EXPORT_PAGE = 1000;
/** Rows listed per action in an import's answer; the summary counts the rest. */
export const REPORT_ROWS_PER_ACTION = 1000;

/**
 * The agent `authenticate` verified for this request (app.ts runs it on both paths first, so a
 * bad token is counted and limited like any other); no verified agent is a 401.
 */
function adminOf(c: HonoContext): AgentRow | Response {
  const agent = c.get('agent');
  if (!agent) return c.json({ error: { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <admin token>' } }, 401);
  if (agent.role !== 'admin') return c.json({ error: { code: 'FORBIDDEN', message: 'only admins can import or export customers' } }, 403);
  return agent;
}

export function customerTransfer(options: { db: Db; now: () => number }): Hono {
  const { db, now } = options;
  const app = new Hono();

  app.post(IMPORT_CUSTOMERS_PATH, async (c) => {
    const agent = adminOf(c);
    if (agent instanceof Response) return agent;
    const body = c.req.raw.body;
    if (!body) return c.json({ error: { code: 'BAD_REQUEST', message: 'send the CSV file as the request body' } }, 400);
    const dryRun = ['1', 'true'].includes(c.req.query('dryRun') ?? '');
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      // Row lines are buffered per batch and written at each progress tick: one write per batch.
      let pending: string[] = [];
      const listed: Record<ImportAction, number> = { create: 0, update: 0, unchanged: 0, reject: 0 };
      const omitted = { create: 0, update: 0, reject: 0 };
      const onRow = (report: ImportRowReport) => {
        if (report.action === 'unchanged') return;
        if (listed[report.action]++ < REPORT_ROWS_PER_ACTION) pending.push(JSON.stringify(report));
        else omitted[report.action]++;
      };
      try {
        const summary = await importCustomersCsv(db, body as unknown as AsyncIterable<Uint8Array>, {
          dryRun,
          now: now(),
          agentId: agent.id,
          onRow,
          onProgress: async (progress) => {
            pending.push(JSON.stringify({ progress }));
            await out.write(`${pending.join('\n')}\n`);
            pending = [];
          },
        });
        pending.push(JSON.stringify({ summary: { ...summary, omitted } }));
      } catch (error) {
        const message = error instanceof DomainError ? error.message : 'the import failed';
        if (!(error instanceof DomainError)) console.error('[api] import failed', error);
        pending.push(JSON.stringify({ error: { code: error instanceof DomainError ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', message } }));
      }
      await out.write(`${pending.join('\n')}\n`);
    });
  });

  app.get(EXPORT_CUSTOMERS_PATH, async (c) => {
    const agent = adminOf(c);
    if (agent instanceof Response) return agent;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="customers.csv"');
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      for await (const chunk of exportCustomersCsv(db)) await out.write(chunk);
    });
  });

  return app;
}

export const EXPORT_COLUMNS = ['id', 'name', 'company', 'locale', 'tags', ...identityKinds, 'created_at', 'updated_at'] as const;

/**
 * All customers as CSV, 1000 at a time in id order (keyset paging: constant cost per page).
 * The columns are the import's, so an export re-imports as "unchanged".
 */
export async function* exportCustomersCsv(db: Db): AsyncGenerator<string> {
  yield `\ufeff${EXPORT_COLUMNS.join(',')}\r\n`;
  let after = 0;
  for (;;) {
    const customers = await db.db
      .selectFrom('customers')
      .select(['id', 'display_name', 'company', 'locale', 'tags', 'created_at', 'updated_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(EXPORT_PAGE)
      .execute();
    if (!customers.length) return;
    const ids = customers.map((r) => r.id);
    const identities = await db.db.selectFrom('identities').select(['customer_id', 'kind', 'value']).where('customer_id', 'in', ids).orderBy('id').execute();
    const byCustomer = new Map<number, Map<string, string[]>>();
    for (const i of identities) {
      const kinds = byCustomer.get(i.customer_id) ?? new Map<string, string[]>();
      kinds.set(i.kind, [...(kinds.get(i.kind) ?? []), i.value]);
      byCustomer.set(i.customer_id, kinds);
    }
    let text = '';
    for (const c of customers) {
      const kinds = byCustomer.get(c.id);
      const row = [
        c.id,
        c.display_name,
        c.company,
        c.locale,
        (JSON.parse(c.tags) as string[]).join(';'),
        ...identityKinds.map((k) => (kinds?.get(k) ?? []).join(';')),
        new Date(c.created_at).toISOString(),
        new Date(c.updated_at).toISOString(),
      ];
      text += `${row.map(csvField).join(',')}\r\n`;
    }
    yield text;
    after = ids[ids.length - 1]!;
  }
}
