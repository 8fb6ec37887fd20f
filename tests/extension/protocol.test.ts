import { describe, expect, test } from 'vitest';
import { requestSchema } from '../../extension/messaging/protocol';
import { isExtensionPage, isTrustedSender, pageOnlyMessages } from '../../extension/background/trust';
import { parseConnectionString } from '../../extension/storage/settings';
import { ReadCache } from '../../extension/background/cache';

// Content scripts run inside hostile pages: every message is validated before the background acts.
describe('message validation', () => {
  test.each([
    ['unknown type', { type: 'deleteEverything' }],
    ['no type', { person: {} }],
    ['not an object', 'lookupPerson'],
    ['identity kind not in the list', { type: 'lookupPerson', person: { displayName: 'a', identities: [{ kind: 'bank', value: '1' }] } }],
    ['empty identities', { type: 'lookupPerson', person: { displayName: 'a', identities: [] } }],
    ['huge note', { type: 'addNote', idempotencyKey: 'k-12345678', customerId: 1, body: 'x'.repeat(10_001) }],
    ['negative id', { type: 'getCustomerView', customerId: -1 }],
    ['string id', { type: 'getCustomerView', customerId: '1 OR 1=1' }],
    ['javascript: url', { type: 'createTicket', idempotencyKey: 'k-12345678', customerId: 1, subject: 's', channel: 'email', sourceUrl: 'not a url', sourceKey: null, excerpt: null }],
    ['101 people', { type: 'lookupMany', people: Array.from({ length: 101 }, () => ({ displayName: 'a', identities: [{ kind: 'x', value: 'a' }] })) }],
    ['a reply use of an unknown source', { type: 'recordReplyUse', customerId: null, templateId: null, channel: 'email', incoming: 'hi', reply: 'x', source: 'typed' }],
    ['a huge sent reply', { type: 'recordReplyUse', customerId: null, templateId: null, channel: 'email', incoming: 'hi', reply: 'x'.repeat(20_001), source: 'logged' }],
    ['a sent reply on a string ticket', { type: 'recordReplyUse', customerId: null, templateId: null, ticketId: '4', channel: 'email', incoming: 'hi', reply: 'x', source: 'logged' }],
  ])('rejects %s', (_name, message) => {
    expect(requestSchema.safeParse(message).success).toBe(false);
  });

  test('accepts a well-formed lookup', () => {
    const parsed = requestSchema.parse({ type: 'lookupPerson', person: { displayName: 'Layla', identities: [{ kind: 'email', value: 'layla@example.com' }] } });
    expect(parsed.type).toBe('lookupPerson');
  });

  test('accepts a reply the agent sent (logged), with or without its ticket', () => {
    const sent = { type: 'recordReplyUse', context: { key: 'k', customerId: 7 }, customerId: 7, templateId: null, channel: 'x', incoming: 'hi', reply: 'Thanks!', source: 'logged' };
    expect(requestSchema.safeParse(sent).success).toBe(true);
    expect(requestSchema.safeParse({ ...sent, ticketId: 41 }).success).toBe(true);
  });
});

describe('trusted senders', () => {
  const id = 'abcdefghijklmnop';
  const origin = `chrome-extension://${id}/`;
  test.each([
    ['our content script on https', { id, tab: { id: 1 }, url: 'https://mail.google.com/mail/u/0/' }, true],
    ['our options page', { id, url: `${origin}options.html` }, true],
    ['our dashboard page in a tab', { id, tab: { id: 2 }, url: `${origin}dashboard.html` }, true],
    ['another extension', { id: 'zzzzzzzz', url: 'https://mail.google.com/' }, false],
    ['our id but a file: page', { id, tab: { id: 1 }, url: 'file:///etc/passwd' }, false],
    ['our id, no tab, foreign url', { id, url: 'https://evil.example/' }, false],
  ])('%s → %s', (_name, sender, expected) => {
    expect(isTrustedSender(sender as never, id, origin)).toBe(expected);
  });
});

describe('connection string', () => {
  test('takes the line npm start prints', () => {
    expect(parseConnectionString(' http://127.0.0.1:8787#token=rfq_abc-DEF_123 ')).toEqual({ serverUrl: 'http://127.0.0.1:8787', token: 'rfq_abc-DEF_123' });
  });
  test.each(['rfq_abc', 'http://127.0.0.1:8787', 'ftp://x#token=a', 'http://x#token='])('rejects %s', (input) => {
    expect(parseConnectionString(input)).toBeNull();
  });
});

describe('read cache', () => {
  test('expires entries and evicts the least recently used', () => {
    let now = 0;
    const cache = new ReadCache<number>(1000, 2, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    now = 2000;
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('page-only messages', () => {
  const origin = 'chrome-extension://abcdefghijklmnop/';
  test('testing credentials and team reports are refused to content scripts', () => {
    expect([...pageOnlyMessages].sort()).toEqual(['metricsSummary', 'removeSlaPolicy', 'setSlaPolicy', 'slaAttainment', 'surveyFollowUps', 'testConnection', 'updateTeam']);
    expect(isExtensionPage({ id: 'x', tab: { id: 1 } as never, url: 'https://mail.google.com/' }, origin)).toBe(false);
    expect(isExtensionPage({ id: 'x', tab: { id: 1 } as never, url: `${origin}options.html` }, origin)).toBe(true);
  });
});
