import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.
//
// Team workflows (issue 21):
// 1. `teams`: a business calendar (JSON: time zone, working periods per weekday, holidays; see
//    shared/sla.ts) and how new tickets find an agent (claim on first reply, round-robin).
//    One team exists from the start ("Support", Monday–Friday 09:00–17:00 UTC) so every ticket
//    has a calendar before a team lead sets the real one.
// 2. `team_members`: which team an agent works in (one), whether they are available for
//    round-robin, and when they were last given a ticket by it (the fairness order).
// 3. `sla_policies`: first-response and resolution targets in business minutes per channel and
//    priority (`*` = any). A default `*`/`*` policy (4 business hours / 3 business days).
// 4. `presence`: one row per agent and browser tab, refreshed by a heartbeat; rows older than the
//    expiry are ignored by readers and removed by the next writer.
// 5. `conversation_activity`: when an agent replied to or logged a conversation (a Gmail thread,
//    a tweet, a review: the ticket source key), for the collision guard.

const DEFAULT_CALENDAR = JSON.stringify({
  timeZone: 'UTC',
  week: {
    sun: [],
    mon: [{ start: '09:00', end: '17:00' }],
    tue: [{ start: '09:00', end: '17:00' }],
    wed: [{ start: '09:00', end: '17:00' }],
    thu: [{ start: '09:00', end: '17:00' }],
    fri: [{ start: '09:00', end: '17:00' }],
    sat: [],
  },
  holidays: [],
});

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = isPg ? 'serial' : 'integer';
  const now = Date.now();

  await db.schema
    .createTable('teams')
    .addColumn('id', idType, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('claim_on_first_reply', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('round_robin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('teams').values({ name: 'Support', calendar: DEFAULT_CALENDAR, claim_on_first_reply: 1, round_robin: 0, created_at: now, updated_at: now }).execute();

  await db.schema
    .createTable('team_members')
    .addColumn('agent_id', 'integer', (c) => c.primaryKey().references('agents.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('available', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_assigned_at', 'bigint')
    .execute();
  await db.schema.createIndex('team_members_team').on('team_members').columns(['team_id', 'available', 'last_assigned_at']).execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', idType, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull().check(sql`first_response_minutes > 0`))
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull().check(sql`resolution_minutes > 0`))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sla_policies_channel_priority', ['channel', 'priority'])
    .execute();
  await db.insertInto('sla_policies').values({ channel: '*', priority: '*', first_response_minutes: 240, resolution_minutes: 1440, updated_at: now }).execute();

  await db.schema
    .createTable('presence')
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('tab_id', 'text', (c) => c.notNull())
    .addColumn('conversation_key', 'text', (c) => c.notNull())
    .addColumn('activity', 'text', (c) => c.notNull().check(sql`activity in ('viewing', 'replying')`))
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('presence_pk', ['agent_id', 'tab_id'])
    .execute();
  await db.schema.createIndex('presence_conversation').on('presence').columns(['conversation_key', 'seen_at']).execute();
  await db.schema.createIndex('presence_seen').on('presence').columns(['seen_at']).execute();

  await db.schema
    .createTable('conversation_activity')
    .addColumn('id', idType, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('conversation_key', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('replied', 'logged')`))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_activity_key').on('conversation_activity').columns(['conversation_key', 'at']).execute();

  // Open tickets by assignee and status: the Mine / Unassigned queues and their counts.
  await db.schema.createIndex('tickets_assignee_status').on('tickets').columns(['assignee_id', 'status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_assignee_status').execute();
  for (const table of ['conversation_activity', 'presence', 'sla_policies', 'team_members', 'teams']) {
    await db.schema.dropTable(table).execute();
  }
}
