import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import type { Db } from './db/connection';
import type { AgentRow } from './db/database';
import { badInputMessage, DomainError, isUniqueViolation } from './errors';
import { isQueryTimeout } from './db/query-guard';
import { findAgentByToken } from './modules/agents/agents.repository';
import { parseBearer } from './auth';

export interface Context {
  /** The database connection (its kind, for dialect choices); procedures query through `ctx.conn`. */
  conn: Db;
  /** The raw `Authorization` header; checked by `agentProcedure`. */
  authorization: string | null;
  now: () => number;
  /** Base URL of this API as the client reached it (survey links). */
  baseUrl: string;
  /**
   * The agent api/auth.ts verified for this HTTP request (null: none). Undefined for in-process
   * callers, which `agentProcedure` authenticates from `authorization` itself.
   */
  agent?: AgentRow | null;
  /** TOKEN_TTL_DAYS: tokens made through the API expire after this many days (0 or unset: never). */
  tokenTtlDays?: number;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // A 500's message is the database's or the runtime's (table names, values): logged, not sent.
      message: shape.data.code === 'INTERNAL_SERVER_ERROR' ? 'unexpected error (logged on the server)' : shape.message,
      data: {
        ...shape.data,
        // Which field is wrong and why, e.g. { fieldErrors: { "identities.0.value": ["must not be empty"] } }.
        fieldErrors: zodError
          ? fieldErrorsOf(zodError)
          : error.cause instanceof DomainError && error.cause.details.field
            ? { [error.cause.details.field]: [error.message] }
            : null,
        details: error.cause instanceof DomainError ? error.cause.details : null,
        stack: undefined,
      },
    };
  },
});

/** Flattens a zod error to dotted paths, so nested fields (`identities.0.value`) are named. */
export function fieldErrorsOf(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(input)';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

const domainToTrpc = {
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalid: 'BAD_REQUEST',
  forbidden: 'FORBIDDEN',
} as const;

/** The tRPC error a module's error maps to, or null when it has none (it stays a 500). */
function mappedError(cause: unknown): TRPCError | null {
  if (cause instanceof DomainError) return new TRPCError({ code: domainToTrpc[cause.code], message: cause.message, cause });
  if (isUniqueViolation(cause)) return new TRPCError({ code: 'CONFLICT', message: 'a record with these values already exists', cause });
  if (isQueryTimeout(cause)) return new TRPCError({ code: 'TIMEOUT', message: 'the query took too long and was stopped; narrow the range or retry later', cause });
  const badInput = badInputMessage(cause);
  return badInput ? new TRPCError({ code: 'BAD_REQUEST', message: badInput, cause }) : null;
}

/** Maps errors from modules to tRPC codes in one place; anything unknown stays a 500 and is logged. */
function mapErrors<R extends { ok: boolean }>(result: R): R {
  if (!result.ok) {
    const error = (result as unknown as { error: TRPCError }).error;
    const mapped = mappedError(error.cause);
    if (mapped) throw mapped;
    if (error.code === 'INTERNAL_SERVER_ERROR') console.error('[api] unexpected error', error.cause ?? error);
  }
  return result;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// One middleware per procedure kind, not a chain of small ones: tRPC copies its call options (and
// the context, when a middleware extends it) at every step with a generic object-spread helper,
// which was ~10 % of the server's CPU per `customers.lookup` (issue 20; README, API benchmark).
// Each middleware passes only the keys it adds; tRPC merges them into the context.

/** `ctx.db` is the query builder (Kysely); `ctx.conn` the connection it belongs to (issue 23: `ctx.db` read as nothing). */
export const publicProcedure = t.procedure.use(async ({ ctx, next }) => mapErrors(await next({ ctx: { db: ctx.conn.db } })));

/** The agent behind the request's token: verified by api/auth.ts for HTTP, here for in-process callers. */
export const agentProcedure = t.procedure.use(async ({ ctx, next }) => {
  const token = parseBearer(ctx.authorization);
  if (!token) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <token>' });
  let agent: AgentRow | null | undefined;
  try {
    agent = ctx.agent !== undefined ? ctx.agent : await findAgentByToken(ctx.conn.db, token, ctx.now());
  } catch (cause) {
    const mapped = mappedError(cause);
    if (mapped) throw mapped;
    console.error('[api] unexpected error', cause);
    throw cause;
  }
  if (!agent) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'the token is unknown, revoked or expired' });
  return mapErrors(await next({ ctx: { db: ctx.conn.db, agent } }));
});

export const adminProcedure = agentProcedure.use(({ ctx, next }) => {
  if (ctx.agent.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'only admins can do this' });
  return next();
});

export const idInput = z.object({ id: z.number().int().positive() });
