import type { TestProject } from 'vitest/node';
import { pgAdminUrl, probePostgres, redactUrl } from './postgres-probe';

/**
 * Global setup of the node project: asks the local PostgreSQL once per run whether it answers,
 * so the skip message is printed once (not once per test file) and every file agrees.
 * tests/api/test-db.ts reads the answer with `inject('postgres')`.
 */
export default async function setup(project: TestProject): Promise<void> {
  const probe = await probePostgres(pgAdminUrl);
  project.provide('postgres', probe);
  if (!probe.reachable && !process.env.CI) {
    console.warn(
      `\n[skip] PostgreSQL not reachable at ${redactUrl(pgAdminUrl)} (${probe.reason}): the PG half of the API suite is skipped; CI runs it.` +
        ' Start PostgreSQL or set TEST_DATABASE_URL to run it here.\n',
    );
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { reachable: boolean; reason: string };
  }
}
