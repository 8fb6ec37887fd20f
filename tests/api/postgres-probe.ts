import pg from 'pg';

/** The PostgreSQL the tests create their throwaway databases through (trust auth locally and in CI). */
export const pgAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable TEST_DATABASE_URL)';
  }
}

/** Connects once with a short timeout; `reason` is the driver's message when it does not answer. */
export async function probePostgres(url: string): Promise<{ reachable: boolean; reason: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { reachable: true, reason: '' };
  } catch (error) {
    const e = error as { message?: string; code?: string };
    return { reachable: false, reason: e.message || e.code || String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
