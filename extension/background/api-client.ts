import { createTRPCClient, httpBatchLink, httpLink, splitLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../api/router';
import type { ErrorInfo } from '../messaging/protocol';

export type ApiClient = ReturnType<typeof makeApiClient>;

/**
 * Calls that go out alone at once: a thread switch's lookup (which brings the card) is the only
 * call of its moment, and the batch link would hold it for a timer tick first (issue 20).
 */
const UNBATCHED: ReadonlySet<string> = new Set(['customers.lookupWithView']);

/** Reads: calls made in the same tick share one HTTP request (batching), except UNBATCHED ones. */
export function makeApiClient(serverUrl: string, token: string) {
  const url = `${serverUrl.replace(/\/+$/, '')}/trpc`;
  const headers = () => ({ Authorization: `Bearer ${token}` });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => UNBATCHED.has(op.path),
        true: httpLink({ url, headers }),
        false: httpBatchLink({ url, maxURLLength: 4000, headers }),
      }),
    ],
  });
}

/**
 * Writes: one request per call, carrying the write's `Idempotency-Key` (made in the extension
 * when the agent clicked), so a retry from the outbox is answered with the first result.
 */
export function makeWriteClient(serverUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${serverUrl.replace(/\/+$/, '')}/trpc`,
        headers: ({ op }) => ({
          Authorization: `Bearer ${token}`,
          ...(typeof op.context.idempotencyKey === 'string' ? { 'Idempotency-Key': op.context.idempotencyKey } : {}),
        }),
      }),
    ],
  });
}
export type WriteClient = ReturnType<typeof makeWriteClient>;

/** Turns any failure into what the sidebar shows: a code, a message, and which fields were wrong. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; fieldErrors?: Record<string, string[]> | null } | undefined;
    if (!data?.code) return { code: 'UNREACHABLE', message: `The Rafiq API could not be reached (${error.message})` };
    return { code: data.code, message: error.message, fieldErrors: data.fieldErrors ?? null };
  }
  return { code: 'INTERNAL', message: String((error as Error)?.message ?? error) };
}

/** Worth retrying later: the server was not reached, or answered "busy / still running". */
export function isRetryable(info: ErrorInfo): boolean {
  return info.code === 'UNREACHABLE' || info.code === 'TOO_MANY_REQUESTS' || info.code === 'CONFLICT_IN_PROGRESS' || info.code === 'INTERNAL_SERVER_ERROR';
}
