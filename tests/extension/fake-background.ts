// The background as a table of answers, for component tests: components talk to it only through
// `ask` (extension/messaging/client.ts). Import this module before the components (their own
// imports are dynamic, after it), set `answers` per test and read what was `asked`.
import { vi } from 'vitest';

export const answers = new Map<string, (request: Record<string, unknown>) => unknown>();
export const asked: Record<string, unknown>[] = [];

vi.mock('../../extension/messaging/client', () => ({
  BackgroundError: class BackgroundError extends Error {
    constructor(
      readonly code: string,
      message: string,
      readonly fieldErrors: Record<string, string[]> | null = null,
    ) {
      super(message);
    }
  },
  newIdempotencyKey: () => 'key-12345678',
  ask: vi.fn(async (request: Record<string, unknown>) => {
    asked.push(request);
    const answer = answers.get(request.type as string);
    if (!answer) throw new Error(`no answer for ${String(request.type)}`);
    return answer(request);
  }),
}));
