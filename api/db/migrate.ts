import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as createCoreTables from './migrations/2026_11_23_070000_create_core_tables';
import * as createIdempotencyKeys from './migrations/2026_11_23_073000_create_idempotency_keys';
import * as createSurveysAndTicketEvents from './migrations/2026_11_23_080030_create_surveys_and_ticket_events';
import * as createIdentityMatching from './migrations/2026_11_24_090000_create_identity_matching';
import * as createMetricsRollups from './migrations/2026_11_24_100000_create_metrics_rollups';
import * as idempotencyLeasesAndRateLimits from './migrations/2026_12_03_140000_idempotency_leases_and_rate_limits';
import * as createZoneActivityRollups from './migrations/2026_12_03_150000_create_zone_activity_rollups';
import * as createTeamWorkflows from './migrations/2026_12_03_150000_create_team_workflows';
import * as createReplyVariantsAndHistory from './migrations/2026_12_03_150000_create_reply_variants_and_history';
import * as replyPostings from './migrations/2026_12_07_040000_reply_postings';
import * as customerTerms from './migrations/2026_12_07_060000_customer_terms';

/**
 * Migrations are listed here (not read from disk) so the API runs the same from tsx, a bundle or
 * a test. Names are the dated file names; Kysely runs them in name order and records each once.
 */
const migrations: Record<string, Migration> = {
  '2026_11_23_070000_create_core_tables': createCoreTables,
  '2026_11_23_073000_create_idempotency_keys': createIdempotencyKeys,
  '2026_11_23_080030_create_surveys_and_ticket_events': createSurveysAndTicketEvents,
  '2026_11_24_090000_create_identity_matching': createIdentityMatching,
  '2026_11_24_100000_create_metrics_rollups': createMetricsRollups,
  '2026_12_03_140000_idempotency_leases_and_rate_limits': idempotencyLeasesAndRateLimits,
  '2026_12_03_150000_create_zone_activity_rollups': createZoneActivityRollups,
  '2026_12_03_150000_create_team_workflows': createTeamWorkflows,
  '2026_12_03_150000_create_reply_variants_and_history': createReplyVariantsAndHistory,
  '2026_12_07_040000_reply_postings': replyPostings,
  '2026_12_07_060000_customer_terms': customerTerms,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

/** Migrates up or down to the named migration (tests of a migration's data path). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateTo(name);
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
}
