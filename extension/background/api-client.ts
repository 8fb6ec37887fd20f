import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../api/router';
import type { ErrorInfo } from '../messaging/protocol';

export type ApiClient = ReturnType<typeof makeApiClient>;

/** Reads: calls made in the same tick share one HTTP request (batching). */
export function makeApiClient(serverUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${serverUrl.replace(/\/+$/, '')}/trpc`,
        maxURLLength: 4000,
        headers: () => ({ Authorization: `Bearer ${token}` }),
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
