import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers } from '../background/handlers';
import { isExtensionPage, isTrustedSender, pageOnlyMessages } from '../background/trust';
import { requestSchema, type ResponseMap, type TabMessage } from '../messaging/protocol';
import { QUEUE_BADGE_MINUTES, showQueueBadge } from '../background/queue-badge';
import { highPriorityRatingSetting, serverUrlSetting, tokenSetting } from '../storage/settings';

const TAB_CONTEXTS_KEY = 'rafiq-tab-contexts';

export default defineBackground(() => {
  const handlers = createHandlers({
    openOptions: () => browser.runtime.openOptionsPage(),
    getServerUrl: () => serverUrlSetting.getValue(),
    getToken: () => tokenSetting.getValue(),
    getHighPriorityRating: () => highPriorityRatingSetting.getValue(),
    // The service worker may stop between messages: each tab's page context outlives it here.
    tabContexts: {
      load: async () => ((await browser.storage.session.get(TAB_CONTEXTS_KEY))[TAB_CONTEXTS_KEY] as Record<string, string | null> | undefined) ?? {},
      save: (contexts) => browser.storage.session.set({ [TAB_CONTEXTS_KEY]: contexts }),
    },
    // A customer was created, linked or merged: every tab's X badges ask again (issue 17). Tabs
    // without a Rafiq content script reject the message; that is expected and ignored.
    onIdentityChanged: () => {
      const message: TabMessage = { type: 'identityChanged' };
      void browser.tabs.query({}).then((tabs) => {
        for (const tab of tabs) if (tab.id !== undefined) browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
      });
    },
  });
  browser.tabs.onRemoved.addListener((tabId) => void handlers.forgetTab(tabId));
  const origin = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (!isTrustedSender(sender, browser.runtime.id, origin)) return false;
    const parsed = requestSchema.safeParse(message);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.') || '(message)'] ??= []).push(issue.message);
      sendResponse({ ok: false, error: { code: 'BAD_MESSAGE', message: 'the message was not understood', fieldErrors } });
      return false;
    }
    // Only extension pages may test credentials or read team reports; content scripts never do.
    if (pageOnlyMessages.has(parsed.data.type) && !isExtensionPage(sender, origin)) {
      sendResponse({ ok: false, error: { code: 'FORBIDDEN', message: `${parsed.data.type} is only for Rafiq's own pages` } });
      return false;
    }
    // A content script's tab and frame: its writes are checked against the context it reported.
    const tab = !isExtensionPage(sender, origin) && sender.tab?.id !== undefined ? `${sender.tab.id}:${sender.frameId ?? 0}` : null;
    // A handler that throws still answers, so the content script's await never hangs.
    handlers.handle(parsed.data, { tab }).then(sendResponse, (error: unknown) =>
      sendResponse({ ok: false, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }),
    );
    return true;
  });

  const toggleSidebar = async () => {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) {
      const message: TabMessage = { type: 'toggleSidebar' };
      await browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
    }
  };
  browser.commands.onCommand.addListener((command) => {
    if (command === 'toggle-sidebar') void toggleSidebar();
  });

  // The outbox: delivered on start (a browser restart), every 30 s, and whenever the API answers.
  void browser.alarms.create('rafiq-outbox', { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === 'rafiq-outbox') void handlers.flushOutbox();
  });
  // Queue counts on the toolbar badge (issue 21): every 30 s and at start.
  const refreshBadge = async () => {
    const answer = await handlers.handle({ type: 'queueCounts' });
    await showQueueBadge(answer.ok ? (answer.data as ResponseMap['queueCounts']) : null).catch(() => undefined);
  };
  void browser.alarms.create('rafiq-queues', { periodInMinutes: QUEUE_BADGE_MINUTES });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === 'rafiq-queues') void refreshBadge();
  });
  void refreshBadge();
  browser.runtime.onStartup.addListener(() => void handlers.flushOutbox(true));
  void handlers.flushOutbox(true);

  const openOptionsOnFirstInstall = async () => {
    if (!(await tokenSetting.getValue())) await browser.runtime.openOptionsPage();
  };
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void openOptionsOnFirstInstall();
  });
});
