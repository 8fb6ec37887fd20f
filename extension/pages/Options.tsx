import { createSignal, onMount, Show } from 'solid-js';
import type { ConnectionStatus } from '../messaging/protocol';
import { browser } from 'wxt/browser';
import { ask } from '../messaging/client';
import { originPattern } from './site-access';
import { calendarsFor, direction, language, setLanguage, setLocaleOptions, t, type CalendarId, type DigitSystem, type Language } from '../i18n';
import { roleLabel } from '../i18n/labels';
import {
  agentEmailsSetting,
  agentXHandlesSetting,
  calendarSetting,
  digitsSetting,
  languageSetting,
  learnFromSentSetting,
  parseConnectionString,
  serverUrlSetting,
  snippetPrefixSetting,
  themeSetting,
  tokenSetting,
} from '../storage/settings';

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Connecting (issue 17): one form takes the pasted connection string (or, opened below it, the
 * server URL and token), **tests it first**, and saves it only when the server answered and
 * accepted the token, so a typo never replaces a working connection. "Connected as …" reflects
 * the saved connection and stays visible whatever else is saved. The other settings (own
 * addresses, X handles, language, theme) are saved on their own and never touch the connection.
 */
export function Options() {
  const [serverUrl, setServerUrl] = createSignal('');
  const [token, setToken] = createSignal('');
  const [connection, setConnection] = createSignal('');
  const [emails, setEmails] = createSignal('');
  const [handles, setHandles] = createSignal('');
  const [lang, setLang] = createSignal<Language | 'auto'>('auto');
  const [theme, setTheme] = createSignal<'auto' | 'light' | 'dark'>('auto');
  const [snippetPrefix, setSnippetPrefix] = createSignal(';');
  const [learnFromSent, setLearnFromSent] = createSignal(true);
  const [digits, setDigits] = createSignal<DigitSystem>('native');
  const [calendar, setCalendar] = createSignal<CalendarId>('gregory');
  /** The outcome of the last Connect (an error, or null once connected). */
  const [result, setResult] = createSignal<{ ok: boolean; text: string; kept?: boolean } | null>(null);
  /** The saved connection, as the background last saw it. */
  const [current, setCurrent] = createSignal<ConnectionStatus | null>(null);
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const refreshStatus = async () => setCurrent(await ask({ type: 'getStatus' }).catch(() => null));

  // Solid ignores what onMount returns: the load runs on its own.
  onMount(() => void (async () => {
    setServerUrl(await serverUrlSetting.getValue());
    setToken(await tokenSetting.getValue());
    setEmails((await agentEmailsSetting.getValue()).join('\n'));
    setHandles((await agentXHandlesSetting.getValue()).join('\n'));
    setLang(await languageSetting.getValue());
    setTheme(await themeSetting.getValue());
    setSnippetPrefix(await snippetPrefixSetting.getValue());
    setLearnFromSent(await learnFromSentSetting.getValue());
    setDigits(await digitsSetting.getValue());
    setCalendar(await calendarSetting.getValue());
    setLanguage(lang());
    document.documentElement.dir = direction();
    await refreshStatus();
  })());

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

  const failure = (status: ConnectionStatus): string => {
    if (status.state === 'unreachable') return t('options.nothingAnswered', { url: status.serverUrl });
    if (status.state === 'unauthorized') return t('state.unauthorized');
    if (status.state === 'not-configured') return t('options.badConnectionString');
    return status.message ?? status.state;
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

  const connect = async () => {
    setResult(null);
    let candidate: { serverUrl: string; token: string };
    if (connection().trim()) {
      const parsed = parseConnectionString(connection());
      if (!parsed) {
        setResult({ ok: false, text: t('options.badConnectionString') });
        return;
      }
      candidate = parsed;
    } else {
      candidate = { serverUrl: serverUrl().trim().replace(/\/+$/, ''), token: token().trim() };
    }
    if (!URL.canParse(candidate.serverUrl) || !/^https?:/i.test(candidate.serverUrl) || !candidate.token) {
      setResult({ ok: false, text: t('options.badConnectionString') });
      return;
    }
    if (!(await allowServer(candidate.serverUrl))) {
      setResult({ ok: false, text: t('options.permissionDenied') });
      return;
    }
    setBusy(true);
    try {
      const status = await ask({ type: 'testConnection', serverUrl: candidate.serverUrl, token: candidate.token }).catch(
        (error: Error): ConnectionStatus => ({ configured: true, state: 'unreachable', serverUrl: candidate.serverUrl, agent: null, message: error.message, queued: 0 }),
      );
      if (status.state !== 'connected' || !status.agent) {
        // Never replace what works with what does not: the saved connection stays as it was.
        setResult({ ok: false, text: failure(status), kept: current()?.state === 'connected' });
        return;
      }
      await serverUrlSetting.setValue(candidate.serverUrl.replace(/\/+$/, ''));
      await tokenSetting.setValue(candidate.token);
      setServerUrl(candidate.serverUrl);
      setToken(candidate.token);
      setConnection('');
      await refreshStatus();
      // Pre-fill the agent's own address from the server, so their replies are never the customer.
      const agentEmail = status.agent.email;
      if (!lines(emails()).includes(agentEmail)) {
        setEmails([...lines(emails()), agentEmail].join('\n'));
        await agentEmailsSetting.setValue(lines(emails()));
      }
    } finally {
      setBusy(false);
    }
  };

  const saveSettings = async () => {
    await agentEmailsSetting.setValue(lines(emails()));
    await agentXHandlesSetting.setValue(lines(handles()).map((h) => h.replace(/^@/, '').toLowerCase()));
    await languageSetting.setValue(lang());
    await themeSetting.setValue(theme());
    // A prefix nobody types in prose (issue 22); empty falls back to ";".
    await snippetPrefixSetting.setValue(snippetPrefix().trim().slice(0, 3) || ';');
    await learnFromSentSetting.setValue(learnFromSent());
    await digitsSetting.setValue(digits());
    await calendarSetting.setValue(calendarsFor(language()).includes(calendar()) ? calendar() : 'gregory');
    setSaved(true);
  };

  return (
    <main class="page">
      <h1>{t('options.title')}</h1>
      <section>
        <h2>{t('options.connection')}</h2>
        <Show when={current()?.state === 'connected' && current()?.agent}>
          {(agent) => (
            <p class="ok" role="status" data-testid="options-connected">
              {t('options.connectedAs', { name: agent().name, role: roleLabel(agent().role), url: current()!.serverUrl })}
            </p>
          )}
        </Show>
        <form
          class="stack"
          data-testid="options-connection-form"
          onSubmit={(e) => {
            e.preventDefault();
            void connect();
          }}
        >
          <label>
            {t('options.connectionString')}
            <input data-testid="options-connection-string" value={connection()} onInput={(e) => setConnection(e.currentTarget.value)} placeholder="http://127.0.0.1:8787#token=rfq_…" dir="ltr" />
          </label>
          <details>
            <summary>
              {t('options.serverUrl')} · {t('options.token')}
            </summary>
            <div class="stack">
              <label>
                {t('options.serverUrl')}
                <input data-testid="options-server-url" value={serverUrl()} onInput={(e) => setServerUrl(e.currentTarget.value)} dir="ltr" />
              </label>
              <label>
                {t('options.token')}
                <input data-testid="options-token" type="password" value={token()} onInput={(e) => setToken(e.currentTarget.value)} autocomplete="off" dir="ltr" />
              </label>
            </div>
          </details>
          <button type="submit" data-testid="options-connect" disabled={busy()}>
            {busy() ? t('options.testing') : t('options.connect')}
          </button>
          <Show when={result()}>
            {(r) => (
              <div role="alert">
                <p class={r().ok ? 'ok' : 'error'} data-testid="options-result">
                  {r().text}
                </p>
                <Show when={r().kept}>
                  <p data-testid="options-kept">{t('options.notSaved')}</p>
                </Show>
              </div>
            )}
          </Show>
        </form>
      </section>
      <section class="stack">
        <h2>{t('options.settings')}</h2>
        <label>
          {t('options.agentEmails')}
          <textarea data-testid="options-agent-emails" dir="ltr" rows={3} value={emails()} onInput={(e) => setEmails(e.currentTarget.value)} />
        </label>
        <label>
          {t('options.agentHandles')}
          <textarea dir="ltr" rows={2} value={handles()} onInput={(e) => setHandles(e.currentTarget.value)} />
        </label>
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
        <label>
          {t('settings.snippetPrefix')}
          <input type="text" dir="ltr" maxLength={3} data-testid="options-snippet-prefix" value={snippetPrefix()} onInput={(e) => setSnippetPrefix(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" data-testid="options-learn-from-sent" aria-describedby="options-learn-hint" checked={learnFromSent()} onChange={(e) => setLearnFromSent(e.currentTarget.checked)} />{' '}
          {t('settings.learnFromSent')}
        </label>
        <p class="muted" id="options-learn-hint">
          {t('settings.learnFromSentHint')}
        </p>
        <button type="button" data-testid="options-save" onClick={() => void saveSettings()}>
          {t('options.save')}
        </button>
        <Show when={saved()}>
          <p class="ok" role="status" data-testid="options-saved">
            {t('options.saved')}
          </p>
        </Show>
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
