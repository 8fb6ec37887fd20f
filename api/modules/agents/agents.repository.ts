import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Agent, AgentRole } from '@shared/agent';
import type { AgentRow, Database, Db } from '../../db/database';
import { DomainError, isUniqueViolation } from '../../errors';
import { attempt } from '../../db/request-transaction';

/** 256 random bits, URL-safe; the `rfq_` prefix lets secret scanners recognize a leaked token. */
export function generateToken(): string {
  return `rfq_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Last-used time is written at most once a minute per token: a write per request would halve
// lookup throughput for a value nobody needs to the millisecond.
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Recently verified tokens, per database, for a few seconds: every request (and every call in a
 * batch) is authenticated, and the token query was a third of a lookup's cost. Revoking through
 * this process clears the cache at once; a revocation made by another process (the CLI) takes
 * effect within AUTH_CACHE_TTL_MS.
 *
 * Several API processes on one PostgreSQL (issue 20): each process listens for token changes
 * (api/modules/agents/token-events.ts; a trigger announces every change to `api_tokens` and
 * `agents`) and drops the changed token at once, so a revocation made anywhere stops working
 * everywhere within the notification's delay (milliseconds). While that listener is not
 * connected the cache is off (`setAuthCacheTtl(db, 0)`): correctness first.
 */
export const AUTH_CACHE_TTL_MS = 5_000;
const authCache = new WeakMap<object, Map<string, { agent: AgentRow; until: number; expiresAt: number | null }>>();
const authCacheTtl = new WeakMap<object, number>();

export function clearAuthCache(db: Kysely<Database>): void {
  authCache.get(db)?.clear();
}

/** Drops one token (by hash) from the cache, or every token for '*'. */
export function forgetCachedToken(db: Kysely<Database>, hashOrAll: string): void {
  if (hashOrAll === '*') clearAuthCache(db);
  else authCache.get(db)?.delete(hashOrAll);
}

/** How long a verified token is trusted without asking the database (0: always ask). */
export function setAuthCacheTtl(db: Kysely<Database>, ms: number): void {
  authCacheTtl.set(db, ms);
  if (ms === 0) clearAuthCache(db);
}

/** A token verified recently and still cached, without asking the database (null: not cached). */
export function findCachedAgent(db: Kysely<Database>, token: string, now: number): AgentRow | null {
  if (token.length > 200) return null;
  const hit = authCache.get(db)?.get(hashToken(token));
  return hit && hit.until > now && (hit.expiresAt === null || hit.expiresAt > now) ? hit.agent : null;
}

export async function findAgentByToken(db: Kysely<Database>, token: string, now: number): Promise<AgentRow | undefined> {
  if (token.length > 200) return undefined;
  const hash = hashToken(token);
  const cache = authCache.get(db) ?? new Map();
  authCache.set(db, cache);
  const hit = cache.get(hash);
  if (hit && hit.until > now && (hit.expiresAt === null || hit.expiresAt > now)) return hit.agent;
  const agent = await findAgentByTokenHash(db, hash, now);
  const ttl = authCacheTtl.get(db) ?? AUTH_CACHE_TTL_MS;
  if (agent && ttl > 0) {
    if (cache.size > 1_000) cache.clear();
    cache.set(hash, { agent: agent.row, until: now + ttl, expiresAt: agent.expiresAt });
  } else {
    cache.delete(hash);
  }
  return agent?.row;
}

async function findAgentByTokenHash(db: Kysely<Database>, hash: string, now: number): Promise<{ row: AgentRow; expiresAt: number | null } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('agents', 'agents.id', 'api_tokens.agent_id')
    .select([
      'agents.id',
      'agents.name',
      'agents.email',
      'agents.role',
      'agents.locale',
      'agents.created_at',
      'api_tokens.id as token_id',
      'api_tokens.token_hash',
      'api_tokens.revoked_at',
      'api_tokens.expires_at',
      'api_tokens.last_used_at',
    ])
    .where('api_tokens.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  // The index found the row by hash; compare again in constant time so no timing difference
  // depends on how much of the hash matched.
  if (!timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) return undefined;
  if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  if (row.last_used_at === null || now - row.last_used_at > LAST_USED_GRANULARITY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return { row: { id: row.id, name: row.name, email: row.email, role: row.role, locale: row.locale, created_at: row.created_at }, expiresAt: row.expires_at };
}

export async function createAgent(
  db: Db,
  input: { name: string; email: string; role: AgentRole; locale?: string },
  now: number,
): Promise<AgentRow> {
  try {
    // A savepoint in a request transaction: the catch below reads the existing agent after a unique violation.
    return await attempt(db, (d) =>
      d
        .insertInto('agents')
        .values({ name: input.name, email: input.email.toLowerCase(), role: input.role, locale: input.locale ?? 'en', created_at: now })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      const existing = await findAgentByEmail(db, input.email);
      throw new DomainError('conflict', `an agent with email ${input.email} already exists (agent ${existing?.id})`, {
        entity: 'agent',
        id: existing?.id,
        field: 'email',
      });
    }
    throw error;
  }
}

export function findAgentByEmail(db: Db, email: string) {
  return db.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function listAgents(db: Kysely<Database>) {
  return db.selectFrom('agents').select(['id', 'name', 'email', 'role', 'locale', 'created_at']).orderBy('id').limit(1000).execute();
}

/** Creates a token and returns it in clear text: the only time anyone sees it. */
export async function createToken(
  db: Db,
  agentId: number,
  now: number,
  options: { label?: string; expiresAt?: number | null } = {},
): Promise<{ id: number; token: string }> {
  const token = generateToken();
  const row = await db
    .insertInto('api_tokens')
    .values({
      agent_id: agentId,
      token_hash: hashToken(token),
      label: options.label ?? '',
      created_at: now,
      expires_at: options.expiresAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export async function revokeToken(db: Kysely<Database>, tokenId: number, now: number): Promise<boolean> {
  clearAuthCache(db);
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function listTokens(db: Kysely<Database>, agentId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'label', 'created_at', 'last_used_at', 'revoked_at', 'expires_at'])
    .where('agent_id', '=', agentId)
    .orderBy('id')
    .execute();
}

export function toAgent(row: AgentRow): Agent {
  return { id: row.id, name: row.name, email: row.email, role: row.role, locale: row.locale };
}
