import { browser } from 'wxt/browser';
import type { Request, RequestType, Response, ResponseMap } from './protocol';

/** Error carrying what the background said went wrong (code, message, which fields). */
export class BackgroundError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string[]> | null = null,
  ) {
    super(message);
  }
}

/**
 * Sends one typed request to the background and unwraps its answer. Content scripts and pages use
 * this; it has no zod (the background validates), so it stays small in content-script bundles.
 */
export async function ask<T extends RequestType>(request: Extract<Request, { type: T }>): Promise<ResponseMap[T]> {
  let response: Response<T> | undefined;
  try {
    response = (await browser.runtime.sendMessage(request)) as Response<T> | undefined;
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/context invalidated/i.test(message)) throw new BackgroundError('CONTEXT_INVALIDATED', 'Rafiq was updated: reload the page');
    throw new BackgroundError('NO_BACKGROUND', message);
  }
  if (!response) throw new BackgroundError('NO_BACKGROUND', 'the extension did not answer');
  if (!response.ok) throw new BackgroundError(response.error.code, response.error.message, response.error.fieldErrors ?? null);
  return response.data;
}

/** A fresh idempotency key for one write (the background and the server dedupe on it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
