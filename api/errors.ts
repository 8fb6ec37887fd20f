/**
 * Errors modules raise. A closed union of codes (not HTTP or tRPC codes): the tRPC edge maps
 * them in one place (api/trpc.ts).
 */
export type DomainErrorCode = 'not-found' | 'conflict' | 'invalid' | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra facts a client can act on, e.g. the id of the record a conflict is with. */
    readonly details: { field?: string; entity?: string; id?: number | string } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (entity: string, id: number | string) =>
  new DomainError('not-found', `${entity} ${id} does not exist`, { entity, id });

/** True for a unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
