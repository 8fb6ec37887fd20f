import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../api/db/database';
import { appRouter } from '../../api/router';
import { createAgent, createToken, revokeToken } from '../../api/modules/agents/agents.repository';

/**
 * HTTP helpers shared by the security tests (fuzz, role matrix, abuse): every procedure of the
 * real router, called the way the extension calls it (queries as GET `?input=`, mutations as
 * POST JSON) through `app.request`, so middleware, tRPC's HTTP layer and the error formatter are
 * all in the path.
 */

export type ProcedureType = 'query' | 'mutation' | 'subscription';
export interface ProcedureEntry {
  path: string;
  type: ProcedureType;
  /** The procedure's input parsers (zod schemas), outermost first. */
  inputs: unknown[];
}

/** Every procedure in the router, read at run time: a procedure added tomorrow is covered tomorrow. */
export function routerProcedures(): ProcedureEntry[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType; inputs?: unknown[] } }>;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs ?? [] }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  text: string;
}

export async function callProcedure(
  app: Hono,
  procedure: Pick<ProcedureEntry, 'path' | 'type'>,
  input: unknown,
  options: {
    token?: string | null;
    headers?: Record<string, string>;
    /** Sent as is instead of `JSON.stringify(input)`: broken JSON, empty bodies. */
    raw?: string;
  } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const encoded = options.raw ?? (input === undefined ? undefined : JSON.stringify(input));
  let response: Response;
  if (procedure.type === 'query') {
    const query = encoded === undefined ? '' : `?input=${encodeURIComponent(encoded)}`;
    response = await app.request(`http://127.0.0.1/trpc/${procedure.path}${query}`, { headers });
  } else {
    headers['content-type'] = 'application/json';
    response = await app.request(`http://127.0.0.1/trpc/${procedure.path}`, { method: 'POST', headers, body: encoded });
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text; the caller's assertions say what was expected.
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** `error.message` of an error answer (tRPC's shape and the Hono middleware's share it), or null. */
export function errorMessage(body: unknown): string | null {
  const error = (body as { error?: { message?: unknown; json?: { message?: unknown } } } | null)?.error;
  const message = error?.message ?? error?.json?.message;
  return typeof message === 'string' ? message : null;
}

export interface AuthFixture {
  adminId: number;
  agentId: number;
  adminTokenId: number;
  admin: string;
  agent: string;
  /** An admin token revoked before the test: even an admin's old token must be refused. */
  revoked: string;
  /** An admin token whose expiry has passed. */
  expired: string;
  /** Well-formed but never issued. */
  unknown: string;
}

export async function seedAuth(db: Kysely<Database>, now: number): Promise<AuthFixture> {
  const admin = await createAgent(db, { name: 'Ada Admin', email: `admin-${now}@rafiq.test`, role: 'admin' }, now);
  const agent = await createAgent(db, { name: 'Sam Agent', email: `agent-${now}@rafiq.test`, role: 'agent' }, now);
  const adminToken = await createToken(db, admin.id, now);
  const agentToken = await createToken(db, agent.id, now);
  const revoked = await createToken(db, admin.id, now, { label: 'revoked' });
  await revokeToken(db, revoked.id, now);
  const expired = await createToken(db, admin.id, now - 10_000, { label: 'expired', expiresAt: now - 1 });
  return {
    adminId: admin.id,
    agentId: agent.id,
    adminTokenId: adminToken.id,
    admin: adminToken.token,
    agent: agentToken.token,
    revoked: revoked.token,
    expired: expired.token,
    unknown: `rfq_${'A'.repeat(43)}`,
  };
}
