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

/**
 * Database errors that mean the input was wrong, not the server: an id pointing at nothing (a
 * foreign key), a number past an integer column's range or a NUL character in text (both only
 * PostgreSQL refuses). Null for anything else. Found by tests/api/server/fuzz.test.ts.
 */
export function badInputMessage(error: unknown): string | null {
  const e = error as { code?: string } | null;
  switch (e?.code) {
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case '23503':
      return 'an id in the input refers to a record that does not exist';
    case '22003':
      return 'a number in the input is out of range';
    case '22021':
      return 'text in the input contains a character that cannot be stored (e.g. NUL)';
    default:
      return null;
  }
}
