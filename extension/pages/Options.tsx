import { createSignal, onMount, Show } from 'solid-js';
import type { ConnectionStatus } from '../messaging/protocol';
import { browser } from 'wxt/browser';
import { ask } from '../messaging/client';
import { originPattern } from './site-access';
import { calendarsFor, direction, language, setLanguage, setLocaleOptions, t, type CalendarId, type DigitSystem, type Language } from '../i18n';
import { connectionText, errorText, roleLabel } from '../i18n/labels';
import {
  agentEmailsSetting,
  agentXHandlesSetting,
  calendarSetting,
  digitsSetting,
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
  const [digits, setDigits] = createSignal<DigitSystem>('native');
  const [calendar, setCalendar] = createSignal<CalendarId>('gregory');
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
    setDigits(await digitsSetting.getValue());
    setCalendar(await calendarSetting.getValue());
    setLanguage(lang());
    document.documentElement.dir = direction();
  })());

  const describe = (status: ConnectionStatus) =>
    status.state === 'connected' && status.agent
      ? { ok: true, text: t('options.ok', { url: status.serverUrl, name: status.agent.name, role: roleLabel(status.agent.role) }) }
      : { ok: false, text: connectionText(status) };

  const test = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult(describe(await ask({ type: 'testConnection', serverUrl: serverUrl(), token: token() })));
    } catch (error) {
      setResult({ ok: false, text: errorText(error) });
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
    await digitsSetting.setValue(digits());
    await calendarSetting.setValue(calendarsFor(language()).includes(calendar()) ? calendar() : 'gregory');
  };
  // The language picked here shows at once (and sets which digits and calendars are offered).
  const previewLanguage = (value: Language | 'auto') => {
    setLang(value);
    setLanguage(value);
    setLocaleOptions({ digits: digits(), calendar: calendar() });
    document.documentElement.dir = direction();
    document.documentElement.lang = language();
  };
  const example = (system: DigitSystem) => {
    const native = { ar: 'ar-u-nu-arab', fa: 'fa-u-nu-arabext' }[language() as 'ar' | 'fa'];
    return new Intl.NumberFormat(system === 'native' && native ? native : 'en', { useGrouping: false }).format(1234567890);
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
            <input data-testid="options-connection-string" dir="ltr" value={connection()} onInput={(e) => setConnection(e.currentTarget.value)} placeholder="http://127.0.0.1:8787#token=rfq_…" />
          </label>
          <button type="submit" data-testid="options-connect">
            {t('options.connect')}
          </button>
        </form>
        <div class="stack">
          <label>
            {t('options.serverUrl')}
            <input data-testid="options-server-url" dir="ltr" value={serverUrl()} onInput={(e) => setServerUrl(e.currentTarget.value)} />
          </label>
          <label>
            {t('options.token')}
            <input data-testid="options-token" dir="ltr" type="password" value={token()} onInput={(e) => setToken(e.currentTarget.value)} autocomplete="off" />
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
          <textarea data-testid="options-agent-emails" dir="ltr" rows={3} value={emails()} onInput={(e) => setEmails(e.currentTarget.value)} />
        </label>
        <label>
          {t('options.agentHandles')}
          <textarea dir="ltr" rows={2} value={handles()} onInput={(e) => setHandles(e.currentTarget.value)} />
        </label>
      </section>
      <section class="stack">
        <h2>{t('options.preferences')}</h2>
        <label>
          {t('options.language')}
          <select data-testid="options-language" value={lang()} onChange={(e) => previewLanguage(e.currentTarget.value as Language | 'auto')}>
            <option value="auto">{t('options.languageAuto')}</option>
            {/* Each language named in itself, so anyone finds theirs. */}
            <option value="en" lang="en">English</option>
            <option value="ar" lang="ar">العربية</option>
            <option value="fa" lang="fa">فارسی</option>
            <option value="tr" lang="tr">Türkçe</option>
          </select>
        </label>
        <Show when={language() === 'ar' || language() === 'fa'}>
          <label>
            {t('options.digits')}
            <select
              data-testid="options-digits"
              value={digits()}
              onChange={(e) => {
                setDigits(e.currentTarget.value as DigitSystem);
                setLocaleOptions({ digits: digits() });
              }}
            >
              <option value="native">{t('options.digitsNative', { example: example('native') })}</option>
              <option value="latin">{t('options.digitsLatin', { example: example('latin') })}</option>
            </select>
          </label>
        </Show>
        <Show when={calendarsFor(language()).length > 1}>
          <label>
            {t('options.calendar')}
            <select
              data-testid="options-calendar"
              value={calendarsFor(language()).includes(calendar()) ? calendar() : 'gregory'}
              onChange={(e) => {
                setCalendar(e.currentTarget.value as CalendarId);
                setLocaleOptions({ calendar: calendar() });
              }}
            >
              <option value="gregory">{t('options.calendarGregory')}</option>
              <Show when={language() === 'fa'}>
                <option value="persian">{t('options.calendarPersian')}</option>
              </Show>
              <Show when={language() === 'ar'}>
                <option value="islamic-umalqura">{t('options.calendarHijri')}</option>
              </Show>
            </select>
          </label>
        </Show>
        <label>
          {t('options.theme')}
          <select data-testid="options-theme" value={theme()} onChange={(e) => setTheme(e.currentTarget.value as 'auto' | 'light' | 'dark')}>
            <option value="auto">{t('options.themeAuto')}</option>
            <option value="light">{t('options.themeLight')}</option>
            <option value="dark">{t('options.themeDark')}</option>
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
      <nav class="stack" aria-label={t('options.pages')}>
        <h2>{t('options.pages')}</h2>
        <a href="/dashboard.html" data-testid="options-dashboard">
          {t('nav.dashboard')}
        </a>
        <a href="/identity.html" data-testid="options-identity">
          {t('nav.identity')}
        </a>
      </nav>
    </main>
  );
}
