import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { render } from 'solid-js/web';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ConnectionStatus } from '../../extension/messaging/protocol';

/**
 * Issue 17, "Connecting": the options page tests a connection before saving it and never
 * replaces a working one with a failing one; "Connected as …" stays after saving other settings.
 * The background is a small fake here (the real one answers in tests/e2e/options.test.ts).
 */
const WORKING = { url: 'http://127.0.0.1:8787', token: 'rfq_good' };
let saved = { url: '', token: '' };
const asked: Record<string, unknown>[] = [];
const statusOf = (serverUrl: string, token: string): ConnectionStatus => {
  const base = { serverUrl, queued: 0, configured: Boolean(token) };
  if (serverUrl !== WORKING.url) return { ...base, state: 'unreachable', agent: null, message: 'fetch failed' };
  if (token !== WORKING.token) return { ...base, state: 'unauthorized', agent: null, message: 'refused' };
  return { ...base, state: 'connected', agent: { id: 1, name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin' } as ConnectionStatus['agent'], message: null };
};
vi.mock('../../extension/messaging/client', () => ({
  BackgroundError: class BackgroundError extends Error {},
  ask: vi.fn(async (request: { type: string; serverUrl?: string; token?: string }) => {
    asked.push(request);
    const { serverUrlSetting, tokenSetting } = await import('../../extension/storage/settings');
    if (request.type === 'testConnection') return statusOf(request.serverUrl!, request.token!);
    if (request.type === 'getStatus') return statusOf(await serverUrlSetting.getValue(), await tokenSetting.getValue());
    throw new Error(`unexpected ${request.type}`);
  }),
}));

const { Options } = await import('../../extension/pages/Options');
const settings = await import('../../extension/storage/settings');
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

let root: HTMLElement;
let dispose: () => void = () => undefined;
beforeEach(() => {
  fakeBrowser.reset();
  asked.length = 0;
  root = document.createElement('div');
  document.body.replaceChildren(root);
});
afterEach(() => dispose());

/** Visible text: t() wraps parameters in first-strong isolates (U+2068 … U+2069). */
const text = (el: Element | null) => el?.textContent?.replace(/[\u2066-\u2069]/g, '');
const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
async function connectWith(value: string) {
  const input = q('options-connection-string') as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  (q('options-connection-form') as HTMLFormElement).requestSubmit();
  await flush();
}

describe('options: connecting', () => {
  test('one form; a failing string is refused before anything is saved; a working one is saved; a later failure keeps it', async () => {
    dispose = render(() => <Options />, root);
    await flush();
    expect(root.querySelectorAll('form')).toHaveLength(1);
    expect(q('options-connected')).toBeNull();

    await connectWith('http://127.0.0.1:18791#token=rfq_good');
    expect(text(q('options-result'))).toBe('Nothing answered at http://127.0.0.1:18791');
    expect(q('options-kept')).toBeNull();
    expect(await settings.tokenSetting.getValue()).toBe('');
    expect(asked.filter((r) => r.type === 'testConnection')).toHaveLength(1);

    await connectWith(`${WORKING.url}#token=${WORKING.token}`);
    expect(await settings.serverUrlSetting.getValue()).toBe(WORKING.url);
    expect(await settings.tokenSetting.getValue()).toBe(WORKING.token);
    expect(text(q('options-connected'))).toBe(`Connected as Sara Ahmed (admin) to ${WORKING.url}.`);
    expect(q('options-result')).toBeNull();
    expect(await settings.agentEmailsSetting.getValue()).toEqual(['support@rafiq.example']);

    await connectWith('http://127.0.0.1:18791#token=rfq_other');
    expect(text(q('options-result'))).toBe('Nothing answered at http://127.0.0.1:18791');
    expect(text(q('options-kept'))).toBe('Not saved: your working connection is kept.');
    await connectWith(`${WORKING.url}#token=rfq_wrong`);
    expect(text(q('options-result'))).toContain('refused your token');
    expect([await settings.serverUrlSetting.getValue(), await settings.tokenSetting.getValue()]).toEqual([WORKING.url, WORKING.token]);
    expect(text(q('options-connected'))).toBe(`Connected as Sara Ahmed (admin) to ${WORKING.url}.`);
    saved = { url: await settings.serverUrlSetting.getValue(), token: await settings.tokenSetting.getValue() };
    expect(saved).toEqual(WORKING);
  });

  test('saving the other settings keeps "Connected as …" and never touches the connection', async () => {
    await settings.serverUrlSetting.setValue(WORKING.url);
    await settings.tokenSetting.setValue(WORKING.token);
    dispose = render(() => <Options />, root);
    await flush();
    expect(text(q('options-connected'))).toBe(`Connected as Sara Ahmed (admin) to ${WORKING.url}.`);
    const emails = q('options-agent-emails') as HTMLTextAreaElement;
    emails.value = 'me@rafiq.example';
    emails.dispatchEvent(new Event('input', { bubbles: true }));
    q('options-save')!.click();
    await flush();
    expect(text(q('options-saved'))).toBe('Saved.');
    expect(text(q('options-connected'))).toBe(`Connected as Sara Ahmed (admin) to ${WORKING.url}.`);
    expect(await settings.agentEmailsSetting.getValue()).toEqual(['me@rafiq.example']);
    expect([await settings.serverUrlSetting.getValue(), await settings.tokenSetting.getValue()]).toEqual([WORKING.url, WORKING.token]);
    expect(asked.some((r) => r.type === 'testConnection')).toBe(false);
  });
});

describe('options: learning from sent replies (issue 22)', () => {
  test('“Learn from replies I send” is on by default; turned off and saved, it is stored off', async () => {
    dispose = render(() => <Options />, root);
    await flush();
    const box = q('options-learn-from-sent') as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(text(box.closest('label'))).toContain('Learn from replies I send');
    box.click();
    q('options-save')!.click();
    await flush();
    expect(await settings.learnFromSentSetting.getValue()).toBe(false);
  });
});
