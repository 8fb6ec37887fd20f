import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../api/app';
import { importCustomersCsv, type ImportRowReport } from '../../../api/modules/customers/import';
import { REPORT_ROWS_PER_ACTION } from '../../../api/modules/customers/transfer.routes';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, snapshot, type Caller } from '../identity-helpers';

/**
 * Issue 18 items 7–9 for the CSV import and export: nothing changes silently (bytes that are not
 * UTF-8, control characters, apostrophes), the export guards every cell a spreadsheet could
 * split, the answer stays small whatever the rejects, and a dry run that spans batches says
 * exactly what the real run then does.
 */

async function* chunksOf(data: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe.each(dbKinds)('customer import safety (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let adminToken = '';
  const clock = Date.parse('2026-12-03T12:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent, adminToken } = await identityCallers(testDb, () => clock));
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  const run = async (data: string | Uint8Array, dryRun = false, batchSize = 3, on = testDb) => {
    const rows: ImportRowReport[] = [];
    const summary = await importCustomersCsv(on.conn, chunksOf(data, 5), { dryRun, now: clock, agentId: null, batchSize, onRow: (r) => rows.push(r) });
    return { summary, rows, byLine: Object.fromEntries(rows.map((r) => [r.line, r])) };
  };
  const customerByEmail = async (email: string) => (await agent.customers.lookup({ identities: [{ kind: 'email', value: email }] })).customer;

  test('a row that is not UTF-8 (Latin-1) is rejected with its line; the other rows import', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('name,email\r\nAyşe Yılmaz,ayse@utf8.example\r\n'),
      Buffer.from('Jos\xe9 Garc\xeda,jose@latin1.example\r\n', 'latin1'),
      Buffer.from('"Two\nLines",two@utf8.example\r\n'),
      Buffer.from('Ren\xe9,rene@latin1.example\r\n', 'latin1'),
    ]);
    const { summary, byLine } = await run(latin1);
    expect(summary).toMatchObject({ rows: 4, created: 2, rejected: 2, rejectedByReason: { not_utf8: 2 } });
    expect(byLine[3]).toMatchObject({ action: 'reject', code: 'not_utf8' });
    expect(byLine[3]!.reason).toMatch(/^line 3 is not UTF-8 text/);
    // Line numbers stay right after a quoted line break.
    expect(byLine[6]).toMatchObject({ action: 'reject', code: 'not_utf8' });
    expect(await customerByEmail('jose@latin1.example')).toBeNull();
    expect((await customerByEmail('ayse@utf8.example'))?.displayName).toBe('Ayşe Yılmaz');
    expect(JSON.stringify(await snapshot(testDb.conn.db))).not.toContain('\ufffd');

    await expect(run(Buffer.from('n\xe4me,email\r\n', 'latin1'))).rejects.toThrow(/line 1 is not UTF-8 text/);
  });

  test('control, bidi and zero-width characters are stripped (shared/text.ts) and the row says so; ZWNJ stays', async () => {
    const file = 'name,company,tags,email\r\n' + '"Ali\u0000 Ka\u202eya","Acme\u0007 Tea","vip\u200b;tea",nul@import.example\r\n' + 'مهسا\u200cسادات,,,zwnj@import.example\r\n';
    const { byLine, summary } = await run(file);
    expect(byLine[2]).toMatchObject({ action: 'create', cleaned: ['name', 'company', 'tags'] });
    expect(byLine[3]!.cleaned).toBeUndefined();
    expect(summary.cleaned).toBe(1);
    expect(await customerByEmail('nul@import.example')).toMatchObject({ displayName: 'Ali Kaya', company: 'Acme Tea', tags: ['vip', 'tea'] });
    expect((await customerByEmail('zwnj@import.example'))?.displayName).toBe('مهسا\u200cسادات');
    const stored = JSON.stringify(await snapshot(testDb.conn.db));
    for (const invisible of [String.raw`\u0000`, String.raw`\u0007`, "\u202e", "\u200b"]) expect(stored).not.toContain(invisible);
  });

  test('apostrophes: data is kept, only the export guard is undone, and export → import is exact', async () => {
    const names = ["'Tis Tea", '=SUM(A1)', "'=already guarded", 'Ali;=1+1', '@handle person', '-minus', "O'Brien", "''=two"];
    for (const [i, displayName] of names.entries()) {
      await agent.customers.create({ displayName, tags: i === 1 ? ['vip', '=cmd()', "'+x"] : [], identities: [{ kind: 'email', value: `apostrophe${i}@import.example` }] });
    }
    const app = createApp({ db: testDb.conn, now: () => clock });
    const exported = await (await app.request('/export/customers.csv', { headers: { authorization: `Bearer ${adminToken}` } })).text();
    // Every cell a spreadsheet could split off (on , ; tab CR LF) is guarded.
    for (const line of exported.split('\r\n')) {
      for (const piece of line.replace(/"/g, '').split(/[,;\t\r\n]/)) expect(piece.trimStart()).not.toMatch(/^[=+\-@]/);
    }
    expect(exported).toContain("Ali;'=1+1");
    expect(exported).toContain("vip;'=cmd();''+x");

    const before = await snapshot(testDb.conn.db);
    const { summary } = await run(exported, false, 4);
    expect(summary).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    expect(await snapshot(testDb.conn.db)).toEqual(before);
    for (const [i, name] of names.entries()) expect((await customerByEmail(`apostrophe${i}@import.example`))?.displayName).toBe(name);
    expect((await customerByEmail('apostrophe1@import.example'))?.tags).toEqual(['vip', '=cmd()', "'+x"]);

    // A file of one's own: an apostrophe before a formula character is the spreadsheet's "text" mark.
    await run("name,phone,email\r\n'O'Hara,'+971501234567,ohara@import.example\r\n");
    const ohara = await customerByEmail('ohara@import.example');
    expect(ohara?.displayName).toBe("'O'Hara");
    expect(ohara?.identities.find((i) => i.kind === 'phone')?.normalized).toBe('+971501234567');
  });

  test('the answer lists the first rejects with lines and counts the rest by reason, however many there are', async () => {
    const bad = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `Bad ${i},not-an-email-${i}` : i % 3 === 1 ? `No Keys ${i},` : `,nobody${i}@import.example`));
    const file = `name,email\r\n${bad.join('\r\n')}\r\n`;
    const app = createApp({ db: testDb.conn, now: () => clock });
    const response = await app.request('/import/customers.csv?dryRun=1', { method: 'POST', body: file, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' } });
    const text = await response.text();
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const rejects = lines.filter((l) => l.action === 'reject');
    expect(rejects).toHaveLength(REPORT_ROWS_PER_ACTION);
    expect(rejects[0]).toMatchObject({ line: 2, code: 'identity' });
    expect(lines.at(-1)).toMatchObject({
      summary: { rows: 3000, rejected: 3000, rejectedByReason: { identity: 1000, no_keys: 1000, no_name: 1000 }, omitted: { reject: 3000 - REPORT_ROWS_PER_ACTION } },
    });
    // Bounded by the listing limit, not by the file: about 110 bytes a listed reject.
    expect(text.length).toBeLessThan(REPORT_ROWS_PER_ACTION * 200);
  });

  test('a dry run across batches says exactly what the real run does, and that equals a row-at-a-time run', async () => {
    await agent.customers.create({ displayName: 'Batch Existing', identities: [{ kind: 'email', value: 'existing@batches.example' }] });
    const rows = ['name,tags,email,x,order_number,order_status'];
    for (let i = 0; i < 40; i++) {
      rows.push(`Person ${i},t${i % 3},p${i}@batches.example,,B-${i},placed`);
      // Later batches refer to customers and orders created (or changed) in earlier ones.
      if (i % 4 === 3) rows.push(`,t9,p${i - 2}@batches.example,@p${i - 2}_x,B-${i - 2},paid`);
      if (i % 5 === 0) rows.push(`,vip,existing@batches.example,,,`);
    }
    const file = `${rows.join('\r\n')}\r\n`;
    const dry = await run(file, true, 4);
    const before = await snapshot(testDb.conn.db);
    const real = await run(file, false, 4);
    expect(real.rows.map((r) => [r.line, r.action, r.reason])).toEqual(dry.rows.map((r) => [r.line, r.action, r.reason]));
    expect(dry.summary).toMatchObject({ created: 40, rejected: 0 });
    expect(dry.summary.unchanged).toBeGreaterThan(0); // the existing customer's "vip" is new only once
    expect(await snapshot(testDb.conn.db)).not.toEqual(before);

    // The same file in one batch and row by row, each on a fresh database: the same rows result.
    const wide = await createTestDb(kind);
    const narrow = await createTestDb(kind);
    try {
      for (const db of [wide, narrow]) {
        const { agent: other } = await identityCallers(db, () => clock);
        await other.customers.create({ displayName: 'Batch Existing', identities: [{ kind: 'email', value: 'existing@batches.example' }] });
      }
      const a = await run(file, false, 5000, wide);
      const b = await run(file, false, 1, narrow);
      expect(a.rows.map((r) => [r.line, r.action, r.reason])).toEqual(b.rows.map((r) => [r.line, r.action, r.reason]));
      // Row ids follow write order, which batching changes; what each customer owns must not.
      const owned = (rows: unknown[], key: string) => rows.map((r): Record<string, unknown> => ({ ...(r as Record<string, unknown>), id: 0 })).sort((x, y) => String(x[key]).localeCompare(String(y[key])));
      const strip = (s: Awaited<ReturnType<typeof snapshot>>) => ({ customers: s.customers, identities: owned(s.identities, 'normalized'), orders: owned(s.orders, 'number') });
      expect(strip(await snapshot(wide.conn.db))).toEqual(strip(await snapshot(narrow.conn.db)));
    } finally {
      await wide.cleanup();
      await narrow.cleanup();
    }
  }, 60_000);
});
