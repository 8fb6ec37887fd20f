import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

/**
 * The database as Kysely sees it. Times are epoch milliseconds in both SQLite and PostgreSQL
 * (bigint there, parsed back to numbers): durations and buckets are plain arithmetic in SQL on
 * both, and no driver turns them into local-time Date objects. JSON-ish columns are text.
 */
type Millis = number;
type Json = string;

export interface AgentTable {
  id: Generated<number>;
  name: string;
  email: string;
  role: 'admin' | 'agent';
  locale: string;
  created_at: Millis;
}

export interface ApiTokenTable {
  id: Generated<number>;
  agent_id: number;
  /** sha256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  label: string;
  created_at: Millis;
  last_used_at: Millis | null;
  revoked_at: Millis | null;
  expires_at: Millis | null;
}

export interface CustomerTable {
  id: Generated<number>;
  display_name: string;
  /** foldName(display_name): what search and matching compare. */
  name_folded: string;
  company: string | null;
  locale: string | null;
  tags: Json;
  custom_fields: Json;
  created_at: Millis;
  updated_at: Millis;
}

export interface IdentityTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  value: string;
  normalized: string;
  linked_by: 'import' | 'agent' | 'auto' | 'seed';
  linked_by_agent_id: number | null;
  created_at: Millis;
}

export interface InteractionTable {
  id: Generated<number>;
  customer_id: number;
  channel: string;
  direction: 'inbound' | 'outbound' | 'internal';
  occurred_at: Millis;
  summary: string;
  excerpt: string | null;
  url: string | null;
  external_id: string | null;
  agent_id: number | null;
  ticket_id: number | null;
  created_at: Millis;
}

export interface TicketTable {
  id: Generated<number>;
  customer_id: number;
  subject: string;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  reopen_count: ColumnType<number, number | undefined, number>;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  channel: string;
  assignee_id: number | null;
  first_response_at: Millis | null;
  resolved_at: Millis | null;
  source_url: string | null;
  /** Unique origin, e.g. `review:trustpilot:<reviewId>` or `email:<threadId>`: creating twice returns the first. */
  source_key: string | null;
  /** Channel-specific facts (review site, rating, reviewer, business) as JSON. */
  details: Json;
  created_at: Millis;
  updated_at: Millis;
}

export interface NoteTable {
  id: Generated<number>;
  customer_id: number;
  agent_id: number | null;
  body: string;
  created_at: Millis;
}

export interface OrderTable {
  id: Generated<number>;
  customer_id: number;
  number: string;
  status: 'placed' | 'paid' | 'shipped' | 'delivered' | 'returned' | 'cancelled';
  total_cents: number;
  currency: string;
  placed_at: Millis;
  items: Json;
}

export interface ReplyTemplateTable {
  id: Generated<number>;
  name: string;
  shortcut: string;
  body: string;
  language: string;
  created_at: Millis;
}

/** One language's body of a reply template (issue 22); the template's own body is its default. */
export interface ReplyTemplateVariantTable {
  id: Generated<number>;
  template_id: number;
  language: string;
  body: string;
  created_at: Millis;
  updated_at: Millis;
}

/** A reply an agent sent through Rafiq and the incoming message it answered (issue 22). */
export interface ReplyHistoryTable {
  id: Generated<number>;
  customer_id: number | null;
  ticket_id: number | null;
  agent_id: number | null;
  template_id: number | null;
  channel: string;
  language: string | null;
  incoming: string;
  reply: string;
  source: 'template' | 'suggestion' | 'snippet' | 'logged' | 'ticket';
  used_at: Millis;
}

/** PostgreSQL only: which history messages hold a term (SQLite keeps these in FTS5). */
export interface ReplyPostingTable {
  term: string;
  history_id: number;
}

/** Document frequency of a history term; the empty term holds the number of messages. */
export interface ReplyTermTable {
  term: string;
  df: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  agent_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  before: Json | null;
  after: Json | null;
  at: Millis;
}

export interface IdempotencyKeyTable {
  /** The caller: `agent:<id>` of the verified agent (older rows: sha256 of the Authorization header). */
  scope: string;
  key: string;
  path: string;
  /** Null while the first request is still running. */
  status: number | null;
  body: string | null;
  created_at: Millis;
  /** While status is null: the lease of the request answering it; after it, the next attempt takes over. */
  locked_until: Millis | null;
}

/** Rate-limit token buckets shared by every API process (api/rate-limit.ts). */
export interface RateLimitBucketTable {
  key: string;
  tokens: number;
  updated_at: Millis;
}

export interface SurveyTable {
  id: Generated<number>;
  /** The random link token (192 bits, base64url); the link is the only credential a customer has. */
  token: string;
  ticket_id: number;
  customer_id: number;
  scale: 'csat' | 'nps';
  score: number | null;
  comment: string | null;
  locale: string | null;
  created_by_agent_id: number | null;
  created_at: Millis;
  answered_at: Millis | null;
}

/** Status transitions of tickets, written by database triggers (migration 2026_11_23_080030). */
export interface TicketEventTable {
  id: Generated<number>;
  ticket_id: number;
  at: Millis;
  kind: 'created' | 'resolved' | 'reopened' | 'status';
  from_status: string | null;
  to_status: string;
  backlog_delta: number;
}

/** Name and company-domain keys per customer (shared/name-match.ts `nameKeys`): suggestion candidates by key. */
export interface CustomerMatchKeyTable {
  key: string;
  customer_id: number;
}

/** One search document per customer: FTS5 on SQLite (rowid = customer id), tsvector on PostgreSQL. */
export interface CustomerSearchTable {
  customer_id: number;
  terms: string;
}

/** PostgreSQL only: one row per word of a customer's search document (prefix ranges for search). */
export interface CustomerTermTable {
  term: string;
  customer_id: number;
}

/** What one merge moved (ids per table) and the merged customer's row, so an unmerge restores both. */
export interface MergeTable {
  id: Generated<number>;
  survivor_id: number;
  merged_id: number;
  merged_customer: Json;
  moved: Json;
  survivor_updated_at: Millis;
  agent_id: number | null;
  merged_at: Millis;
  undone_at: Millis | null;
  undone_by_agent_id: number | null;
}

/** A team and its business calendar (shared/sla.ts `BusinessCalendar` as JSON); migration 2026_12_03_150000. */
export interface TeamTable {
  id: Generated<number>;
  name: string;
  calendar: Json;
  /** 1: an unassigned ticket goes to the agent who first replies to it. */
  claim_on_first_reply: number;
  /** 1: new tickets without an assignee go to the available member given one longest ago. */
  round_robin: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface TeamMemberTable {
  agent_id: number;
  team_id: number;
  available: number;
  last_assigned_at: Millis | null;
}

export interface SlaPolicyTable {
  id: Generated<number>;
  /** A channel or `*`. */
  channel: string;
  /** A priority or `*`. */
  priority: string;
  first_response_minutes: number;
  resolution_minutes: number;
  updated_at: Millis;
}

/** One row per agent and browser tab, kept fresh by a heartbeat. */
export interface PresenceTable {
  agent_id: number;
  tab_id: string;
  conversation_key: string;
  activity: 'viewing' | 'replying';
  opened_at: Millis;
  seen_at: Millis;
}

export interface ConversationActivityTable {
  id: Generated<number>;
  conversation_key: string;
  agent_id: number;
  kind: 'replied' | 'logged';
  at: Millis;
}

export interface Database {
  teams: TeamTable;
  team_members: TeamMemberTable;
  sla_policies: SlaPolicyTable;
  presence: PresenceTable;
  conversation_activity: ConversationActivityTable;
  customer_match_keys: CustomerMatchKeyTable;
  customer_search: CustomerSearchTable;
  customer_terms: CustomerTermTable;
  merges: MergeTable;
  idempotency_keys: IdempotencyKeyTable;
  rate_limit_buckets: RateLimitBucketTable;
  agents: AgentTable;
  api_tokens: ApiTokenTable;
  customers: CustomerTable;
  identities: IdentityTable;
  interactions: InteractionTable;
  tickets: TicketTable;
  notes: NoteTable;
  orders: OrderTable;
  reply_templates: ReplyTemplateTable;
  reply_template_variants: ReplyTemplateVariantTable;
  reply_history: ReplyHistoryTable;
  reply_terms: ReplyTermTable;
  reply_postings: ReplyPostingTable;
  audit_log: AuditLogTable;
  surveys: SurveyTable;
  ticket_events: TicketEventTable;
  metrics_zones: MetricsZoneTable;
  zone_days: ZoneDayTable;
}

/**
 * What a repository function queries through: the database or an open transaction, so callers
 * can compose writes in one transaction. (Not `Db` from connection.ts, the connection handle
 * with its dialect `kind` and `close`.)
 */
export type Db = Kysely<Database> | Transaction<Database>;

/** Zones whose local-day retention rollup is kept (migration 2026_12_03_150000). */
export interface MetricsZoneTable {
  zone: string;
}
export interface ZoneDayTable {
  zone: string;
  day: number;
  /** The 15-minute UTC slot (epoch ms / 900000) where the local day starts. */
  start_slot: number;
}

export type AgentRow = Selectable<AgentTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type CustomerRowUpdate = Updateable<CustomerTable>;
export type IdentityRow = Selectable<IdentityTable>;
export type InteractionRow = Selectable<InteractionTable>;
export type NewInteractionRow = Insertable<InteractionTable>;
export type TicketRow = Selectable<TicketTable>;
export type TicketRowUpdate = Updateable<TicketTable>;
export type NoteRow = Selectable<NoteTable>;
export type OrderRow = Selectable<OrderTable>;
export type ReplyTemplateRow = Selectable<ReplyTemplateTable>;
export type SurveyRow = Selectable<SurveyTable>;
export type MergeRow = Selectable<MergeTable>;
export type TeamRow = Selectable<TeamTable>;
export type SlaPolicyRow = Selectable<SlaPolicyTable>;
