import { createResource, createSignal, Show } from 'solid-js';
import { browser } from 'wxt/browser';
import { ask } from '../messaging/client';
import type { TabMessage } from '../messaging/protocol';
import { formatList, t } from '../i18n';
import { connectionText } from '../i18n/labels';
import { enableSite, isSiteEnabled, originPattern } from './site-access';
import { unverifiedSites } from '../sites/verification';

/** Connection status, toggle the sidebar on this tab, open the options, enable Rafiq on this site. */
export function Popup() {
  const [status] = createResource(() => ask({ type: 'getStatus' }));
  const [tab] = createResource(async () => (await browser.tabs.query({ active: true, currentWindow: true }))[0] ?? null);
  const [enabled, { refetch }] = createResource(tab, (t) => (t?.url ? isSiteEnabled(t.url) : false));
  const [message, setMessage] = createSignal<string | null>(null);

  const toggle = async () => {
    const id = tab()?.id;
    if (id === undefined) return;
    const msg: TabMessage = { type: 'toggleSidebar' };
    const reached = await browser.tabs.sendMessage(id, msg).then(
      () => true,
      () => false,
    );
    if (reached) window.close();
    else setMessage(t('popup.notOnPage'));
  };

  const enable = async () => {
    const current = tab();
    if (!current?.url) return;
    const ok = await enableSite(current.url, current.id);
    setMessage(ok ? t('popup.siteEnabled', { host: new URL(current.url).host }) : null);
    void refetch();
  };

  return (
    <main class="popup stack">
      <h1 class="popup-title">{t('app.name')}</h1>
      <Show when={status()} fallback={<span class="muted">{t('state.loading')}</span>}>
        {(s) => (
          <p class={s().state === 'connected' ? 'ok' : 'error'} data-testid="popup-status">
            {s().state === 'connected' && s().agent ? t('popup.connected', { name: s().agent!.name }) : connectionText(s())}
          </p>
        )}
      </Show>
      <button type="button" onClick={() => void toggle()}>
        {t('popup.toggle')}
      </button>
      <Show when={tab()?.url && originPattern(tab()!.url!) && enabled() === false}>
        <button type="button" data-testid="popup-enable-site" onClick={() => void enable()}>
          {t('popup.enableSite')}
        </button>
      </Show>
      <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popup.options')}
      </button>
      <button type="button" data-testid="popup-queues" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/queue.html') })}>
        {t('queue.open')}
      </button>
      <button type="button" data-testid="popup-dashboard" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/dashboard.html') })}>
        {t('nav.dashboard')}
      </button>
      <button type="button" data-testid="popup-identity" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/identity.html') })}>
        {t('nav.identity')}
      </button>
      <Show when={message()}>
        <p role="status">{message()}</p>
      </Show>
      <Show when={unverifiedSites.length}>
        <p class="muted small" data-testid="popup-unverified">{t('popup.unverified', { sites: formatList([...unverifiedSites]) })}</p>
      </Show>
    </main>
  );
}
