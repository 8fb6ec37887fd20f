import type { MessageKey } from './messages.en';
import { en } from './messages.en';
import { formatList, isolate, t, type TextKey } from './index';

/**
 * Words for values that arrive as codes (ticket states, channels, error codes, match reasons):
 * the API and the background speak in codes and English details; the UI shows the agent's
 * language. An unknown code falls back to a neutral phrase, never to the English detail.
 */

const has = (key: string): key is TextKey => key in en && !key.includes('#');

export function ticketStatusLabel(status: string): string {
  const key = `status.${status}`;
  return has(key) ? t(key) : isolate(status);
}

/** Order states are free text from the shop; the usual ones are translated, others shown as data. */
export function orderStatusLabel(status: string): string {
  const key = `order.${status.toLowerCase()}`;
  return has(key) ? t(key) : isolate(status);
}

export function channelLabel(channel: string): string {
  const key = `channel.${channel}`;
  return has(key) ? t(key) : isolate(channel);
}

/** A ticket priority (low, normal, high, urgent); '*' in an SLA target means any. */
export function priorityLabel(priority: string): string {
  if (priority === '*') return t('team.anyPriority');
  const key = `priority.${priority}`;
  return has(key) ? t(key) : isolate(priority);
}

export function roleLabel(role: string): string {
  const key = `role.${role}`;
  return has(key) ? t(key) : isolate(role);
}

/** What the agent reads for a failed request: by error code (see extension/background/api-client.ts). */
export function errorText(error: unknown): string {
  const e = error as { code?: string; fieldErrors?: Record<string, string[]> | null } | null;
  const code = e?.code ?? '';
  const byCode: Record<string, MessageKey> = {
    UNREACHABLE: 'error.unreachable',
    NO_BACKGROUND: 'error.noBackground',
    CONTEXT_INVALIDATED: 'error.reload',
    UNAUTHORIZED: 'error.unauthorized',
    FORBIDDEN: 'error.forbidden',
    NOT_FOUND: 'error.notFound',
    CONFLICT: 'error.conflict',
    TOO_MANY_REQUESTS: 'error.rateLimited',
    QUEUED: 'error.queued',
    NOT_CONFIGURED: 'error.notConfigured',
    NO_REPLY_BOX: 'action.replyNoBox',
    CONTEXT_CHANGED: 'notice.contextChanged',
  };
  // Raised by the sidebar itself with a message already in the agent's language (issue 21:
  // the collision guard, a team-settings form check).
  if (code === 'COLLISION' || code === 'BAD_HOURS') return String((error as Error).message);
  if (code === 'BAD_REQUEST' || code === 'PARSE_ERROR' || code === 'UNPROCESSABLE_CONTENT') {
    const fields = Object.keys(e?.fieldErrors ?? {});
    return fields.length ? t('error.badRequest', { fields: formatList(fields) }) : t('error.badInput');
  }
  const key = byCode[code];
  return key && has(key) ? t(key) : t('error.generic');
}

/** A connection status in words (the background's `message` is an English detail). */
export function connectionText(status: { state: string }): string {
  switch (status.state) {
    case 'not-configured':
      return t('state.notConnected');
    case 'unauthorized':
      return t('state.unauthorized');
    case 'unreachable':
      return t('error.unreachable');
    default:
      return t('state.loading');
  }
}

/**
 * A match reason (api/modules/customers/matching.ts) in the UI language. The reason carries a
 * code and an English message; the names or domain it quotes are read back out of the message.
 */
export function reasonText(reason: { code: string; message: string }): string {
  const key = `reason.${reason.code}`;
  if (!has(key)) return t('reason.other');
  const pairs = /\(([^()]*)\)\s*$/.exec(reason.message)?.[1] ?? '';
  const domain = /domain (\S+) is/.exec(reason.message)?.[1] ?? '';
  return t(key, { pairs, domain });
}
