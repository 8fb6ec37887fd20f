import { createSignal, onMount, Show } from 'solid-js';
import type { ConnectionStatus } from '../messaging/protocol';
import { browser } from 'wxt/browser';
import { ask } from '../messaging/client';
import { originPattern } from './site-access';
import { direction, setLanguage, t, type Language } from '../i18n';
import {
  agentEmailsSetting,
  agentXHandlesSetting,
  languageSetting,
  parseConnectionString,
  serverUrlSetting,
  themeSetting,
  tokenSetting,
} from '../storage/settings';

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Server URL + token (or one pasted connection string), the agent's own addresses, language, theme. */
export function Options() {
  const [serverUrl, setServerUrl] = createSignal('');
  const [token, setToken] = createSignal('');
  const [connection, setConnection] = createSignal('');
  const [emails, setEmails] = createSignal('');
  const [handles, setHandles] = createSignal('');
  const [lang, setLang] = createSignal<Language | 'auto'>('auto');
  const [theme, setTheme] = createSignal<'auto' | 'light' | 'dark'>('auto');
  const [result, setResult] = createSignal<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);

  // Solid ignores what onMount returns: the load runs on its own.
  onMount(() => void (async () => {
    setServerUrl(await serverUrlSetting.getValue());
    setToken(await tokenSetting.getValue());
    setEmails((await agentEmailsSetting.getValue()).join('\n'));
    setHandles((await agentXHandlesSetting.getValue()).join('\n'));
    setLang(await languageSetting.getValue());
    setTheme(await themeSetting.getValue());
    setLanguage(lang());
    document.documentElement.dir = direction();
  })());

  const describe = (status: ConnectionStatus) =>
    status.state === 'connected' && status.agent
      ? { ok: true, text: t('options.ok', { url: status.serverUrl, name: status.agent.name, role: status.agent.role }) }
      : { ok: false, text: status.message ?? status.state };

  const test = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult(describe(await ask({ type: 'testConnection', serverUrl: serverUrl(), token: token() })));
    } catch (error) {
      setResult({ ok: false, text: String((error as Error).message) });
    } finally {
      setBusy(false);
    }
  };

  /**
   * The build may reach the local API (127.0.0.1/localhost) without asking; a team server
   * elsewhere needs the user's permission for that one origin (minimal host permissions).
   */
  const allowServer = async (url: string): Promise<boolean> => {
    const pattern = originPattern(url);
    if (!pattern || /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/\*$/.test(pattern)) return true;
    if (await browser.permissions.contains({ origins: [pattern] })) return true;
    return browser.permissions.request({ origins: [pattern] });
  };

  const save = async () => {
    if (!(await allowServer(serverUrl()))) {
      setResult({ ok: false, text: t('options.permissionDenied') });
      return;
    }
    await serverUrlSetting.setValue(serverUrl().replace(/\/+$/, ''));
    await tokenSetting.setValue(token().trim());
    await agentEmailsSetting.setValue(lines(emails()));
    await agentXHandlesSetting.setValue(lines(handles()).map((h) => h.replace(/^@/, '').toLowerCase()));
    await languageSetting.setValue(lang());
    await themeSetting.setValue(theme());
  };

  const connect = async () => {
    const parsed = parseConnectionString(connection());
    if (!parsed) {
      setResult({ ok: false, text: t('options.badConnectionString') });
      return;
    }
    setServerUrl(parsed.serverUrl);
    setToken(parsed.token);
    await save();
    await test();
    // Pre-fill the agent's own address from the server, so their replies are never the customer.
    const status = await ask({ type: 'getStatus' }).catch(() => null);
    if (status?.agent && !lines(emails()).includes(status.agent.email)) {
      setEmails([...lines(emails()), status.agent.email].join('\n'));
      await agentEmailsSetting.setValue(lines(emails()));
    }
  };

  return (
    <main class="page">
      <h1>{t('options.title')}</h1>
      <section>
        <h2>{t('options.connection')}</h2>
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void connect();
          }}
        >
          <label>
            {t('options.connectionString')}
            <input data-testid="options-connection-string" value={connection()} onInput={(e) => setConnection(e.currentTarget.value)} placeholder="http://127.0.0.1:8787#token=rfq_…" />
          </label>
          <button type="submit" data-testid="options-connect">
            {t('options.connect')}
          </button>
        </form>
        <div class="stack">
          <label>
            {t('options.serverUrl')}
            <input data-testid="options-server-url" value={serverUrl()} onInput={(e) => setServerUrl(e.currentTarget.value)} />
          </label>
          <label>
            {t('options.token')}
            <input data-testid="options-token" type="password" value={token()} onInput={(e) => setToken(e.currentTarget.value)} autocomplete="off" />
          </label>
          <button type="button" data-testid="options-test" disabled={busy()} onClick={() => void test()}>
            {busy() ? t('options.testing') : t('options.test')}
          </button>
          <Show when={result()}>
            {(r) => (
              <p class={r().ok ? 'ok' : 'error'} role="status" data-testid="options-result">
                {r().text}
              </p>
            )}
          </Show>
        </div>
      </section>
      <section class="stack">
        <label>
          {t('options.agentEmails')}
          <textarea data-testid="options-agent-emails" rows={3} value={emails()} onInput={(e) => setEmails(e.currentTarget.value)} />
        </label>
        <label>
          {t('options.agentHandles')}
          <textarea rows={2} value={handles()} onInput={(e) => setHandles(e.currentTarget.value)} />
        </label>
        <label>
          {t('options.language')}
          <select value={lang()} onChange={(e) => setLang(e.currentTarget.value as Language | 'auto')}>
            <option value="auto">Auto</option>
            <option value="en">English</option>
            <option value="ar">العربية</option>
            <option value="fa">فارسی</option>
            <option value="tr">Türkçe</option>
          </select>
        </label>
        <label>
          {t('options.theme')}
          <select value={theme()} onChange={(e) => setTheme(e.currentTarget.value as 'auto' | 'light' | 'dark')}>
            <option value="auto">Auto</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <button
          type="button"
          data-testid="options-save"
          onClick={async () => {
            await save();
            setResult({ ok: true, text: t('options.saved') });
          }}
        >
          {t('options.save')}
        </button>
      </section>
    </main>
  );
}
