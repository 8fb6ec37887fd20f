import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../api/router';
import type { ErrorInfo } from '../messaging/protocol';

export type ApiClient = ReturnType<typeof makeApiClient>;

/** The extension's only API client. Calls made in the same tick share one HTTP request (batching). */
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

/** Turns any failure into what the sidebar shows: a code, a message, and which fields were wrong. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; fieldErrors?: Record<string, string[]> | null } | undefined;
    if (!data?.code) return { code: 'UNREACHABLE', message: `The Rafiq API could not be reached (${error.message})` };
    return { code: data.code, message: error.message, fieldErrors: data.fieldErrors ?? null };
  }
  return { code: 'INTERNAL', message: String((error as Error)?.message ?? error) };
}
