import { createEffect, createMemo, createResource, createSignal, Match, on, onCleanup, onMount, Show, Switch, untrack, type Accessor, type JSX } from 'solid-js';
import { ask, BackgroundError, newIdempotencyKey } from '../messaging/client';
import type { ConnectionStatus } from '../messaging/protocol';
import { pageContextKey } from '../content/page-sidebar';
import { CONTEXT_CHANGED, makePageWriter, PageWriterContext } from './primitives/page-writer';
import { direction, t } from '../i18n';
import { errorText as localizedError } from '../i18n/labels';
import { applyLocaleSettings } from '../i18n/apply-settings';
import { serverUrlSetting, sidebarOpenSetting, sidebarWidthSetting, themeSetting, tokenSetting } from '../storage/settings';
import { outboxItem } from '../background/outbox';
import { relativeTime } from '../i18n';
import type { PageHooks, PageState } from './page-state';
import { CustomerHeader } from './sections/CustomerHeader';
import { NotesSection } from './sections/NotesSection';
import { OrdersSection } from './sections/OrdersSection';
import { QuickActions } from './sections/QuickActions';
import { publicReplySubject } from './sections/PublicReplyCheck';
import { recordTemplateUse, SuggestedReplies } from './sections/SuggestedReplies';
import { SatisfactionSection } from './sections/SatisfactionSection';
import { SearchBox } from './sections/SearchBox';
import { SuggestionCard } from './sections/SuggestionCard';
import { TicketsSection } from './sections/TicketsSection';
import { TeamSection } from './sections/TeamSection';
import { TimelineSection } from './sections/TimelineSection';
import { UnknownPerson } from './sections/UnknownPerson';

export interface SidebarProps {
  page: Accessor<PageState>;
  hooks: PageHooks;
  /** Site-specific panel shown above the customer (e.g. the reviews on this page). */
  extra?: () => JSX.Element;
  /** Set by the page (toolbar button, keyboard shortcut) to toggle. */
  toggleSignal?: Accessor<number>;
  /** Bumped when the background says who is a customer changed (`identityChanged`): the card re-asks. */
  identitySignal?: Accessor<number>;
  /** Told when the panel opens, closes or is resized, so the page can make room for it. */
  onLayout?(open: boolean, width: number): void;
}

const MIN_WIDTH = 280;

/** Errors a lookup retries by itself (a moment later the server may answer). */
const SELF_RETRYING = new Set(['TOO_MANY_REQUESTS', 'UNREACHABLE', 'INTERNAL_SERVER_ERROR']);
/** How often an offline sidebar asks whether the API is back (the card refreshes within 10 s). */
const RECONNECT_POLL_MS = 3_000;
const MAX_WIDTH = 640;

/** In the agent's language, by error code; the English detail from the server stays in data-detail. */
function errorText(error: unknown): string {
  return localizedError(error);
}
function errorDetail(error: unknown): string {
  return error instanceof BackgroundError ? error.message : String((error as Error)?.message ?? error);
}

/** Header + stack of sections. Every state is designed: loading, not connected, not recognized, unknown, error. */
export function Sidebar(props: SidebarProps) {
  const [open, setOpen] = createSignal(true);
  const [width, setWidth] = createSignal(360);
  const [theme, setTheme] = createSignal<'auto' | 'light' | 'dark'>('auto');
  // The direction follows the language signal, which applyLocaleSettings keeps on its setting.
  const dir = direction;
  const [version, setVersion] = createSignal(0);
  const refresh = () => setVersion(version() + 1);

  // "queued (n)": writes waiting in the background's durable outbox for the API to come back.
  const [queued, setQueued] = createSignal(0);
  // Watched synchronously: an onCleanup after an await has no owner and would never run.
  onCleanup(outboxItem.watch((items) => setQueued(items?.length ?? 0)));
  onMount(() => void outboxItem.getValue().then((items) => setQueued(items.length)));

  // Theme, language and direction follow their settings live: a change made in the options page
  // shows in an open sidebar without reloading the host page. The watchers are registered
  // synchronously so the component's cleanup removes them.
  const unwatchTheme = themeSetting.watch((v) => setTheme(v ?? 'auto'));
  let unwatchLocale: (() => void) | undefined;
  let disposed = false;
  onCleanup(() => {
    disposed = true;
    unwatchTheme();
    unwatchLocale?.();
  });
  // Solid ignores what onMount returns: the load runs on its own.
  onMount(() => void (async () => {
    const [isOpen, w, th] = await Promise.all([sidebarOpenSetting.getValue(), sidebarWidthSetting.getValue(), themeSetting.getValue()]);
    setOpen(isOpen);
    setWidth(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));
    setTheme(th);
    // Language, digits and calendar: read, kept live, and the language's texts fetched (one place).
    const unwatch = await applyLocaleSettings();
    if (disposed) unwatch();
    else unwatchLocale = unwatch;
  })());

  createEffect(on(() => props.toggleSignal?.() ?? 0, () => void setOpenPersisted(!open()), { defer: true }));
  createEffect(on(() => props.identitySignal?.() ?? 0, () => refresh(), { defer: true }));
  const setOpenPersisted = async (value: boolean) => {
    setOpen(value);
    await sidebarOpenSetting.setValue(value);
  };

  createEffect(() => props.onLayout?.(open(), width()));

  const [status, { refetch: refetchStatus }] = createResource(() => ask({ type: 'getStatus' }));
  // A new server address or token (options page) changes what "connected" means: ask again, and
  // reload the card from the server now in use (or show it offline when that one can't be reached).
  const connectionChanged = () => void Promise.resolve(refetchStatus()).then(() => refresh());
  const unwatchServer = serverUrlSetting.watch(connectionChanged);
  const unwatchToken = tokenSetting.watch(connectionChanged);
  onCleanup(() => {
    unwatchServer();
    unwatchToken();
  });
  const statusValue = () => (status.state === 'ready' || status.state === 'refreshing' ? status.latest : undefined);

  // Everything shown for a person lives under the page's context key (see PersonPanel).
  const contextKey = createMemo(() => pageContextKey(props.page()));

  // Back online by itself (issue 17): while the API is unreachable or the card is the offline
  // copy, ask again every few seconds; once it answers, the card refreshes without a Retry.
  const [stale, setStale] = createSignal(false);
  const offline = () => statusValue()?.state === 'unreachable' || stale();
  createEffect(() => {
    if (!offline()) return;
    const timer = setInterval(() => {
      void Promise.resolve(refetchStatus()).then(() => {
        // Connected but still showing the offline copy (the API came back between two asks).
        if (stale() && statusValue()?.state === 'connected') refresh();
      });
    }, RECONNECT_POLL_MS);
    onCleanup(() => clearInterval(timer));
  });
  createEffect(on(() => statusValue()?.state, (state, previous) => previous && previous !== 'connected' && state === 'connected' && refresh(), { defer: true }));

  // Resize by dragging the inline-start edge; the width is remembered.
  const startResize = (event: PointerEvent) => {
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = width();
    const rtl = dir() === 'rtl';
    const move = (e: PointerEvent) => {
      const delta = rtl ? e.clientX - startX : startX - e.clientX;
      setWidth(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, startWidth + delta)));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      void sidebarWidthSetting.setValue(width());
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return (
    <div class="rafiq-root" dir={dir()} data-theme={theme()} data-open={open() ? 'true' : 'false'} style={{ '--rafiq-width': `${width()}px` }}>
      <Show
        when={open()}
        fallback={
          <button type="button" class="reopen" data-testid="rafiq-expand" title={t('sidebar.expand')} aria-label={t('sidebar.expand')} onClick={() => void setOpenPersisted(true)}>
            <span aria-hidden="true">R</span>
          </button>
        }
      >
        <aside class="panel-root" data-testid="rafiq-panel" aria-label={t('sidebar.label')}>
          <div class="resize" title={t('sidebar.resize')} onPointerDown={startResize} />
          <div class="bar">
            <strong>{t('app.name')}</strong>
            <Show when={queued() > 0}>
              <span class="queued" data-testid="rafiq-queued" title={t('state.queuedTitle')}>
                {t('state.queued', { count: queued() })}
              </span>
            </Show>
            <button type="button" class="icon-button" data-testid="rafiq-collapse" title={t('sidebar.collapse')} aria-label={t('sidebar.collapse')} onClick={() => void setOpenPersisted(false)}>
              ⟩
            </button>
          </div>
          <div class="scroll">
            <Show when={props.extra && statusValue()?.state === 'connected'}>{props.extra!()}</Show>
            <Switch>
              {/* Only the first ask: re-asking while offline must not unmount the card. */}
              <Match when={status.state === 'pending' || status.state === 'unresolved'}>
                <Skeleton />
              </Match>
              <Match when={status.state === 'errored'}>
                <ErrorState message={errorText(status.error)} detail={errorDetail(status.error)} onRetry={refetchStatus} />
              </Match>
              <Match when={statusValue()?.state === 'not-configured' || statusValue()?.state === 'unauthorized'}>
                <div class="state" data-testid="rafiq-not-connected">
                  <p>{statusValue()?.state === 'unauthorized' ? t('state.unauthorized') : t('state.notConnected')}</p>
                  <button type="button" onClick={() => void ask({ type: 'openOptions' })}>
                    {t('state.openOptions')}
                  </button>
                </div>
              </Match>
              <Match when={status.state === 'ready' || status.state === 'refreshing'}>
                {/* Keyed: a new page context mounts a new panel; nothing of the previous one survives. */}
                <Show when={contextKey()} keyed>
                  {(key) => (
                    <PersonPanel
                      contextKey={key}
                      isCurrent={() => contextKey() === key}
                      page={props.page}
                      hooks={props.hooks}
                      status={statusValue()!}
                      version={version}
                      onChanged={refresh}
                      onRetryStatus={refetchStatus}
                      onStale={setStale}
                    />
                  )}
                </Show>
              </Match>
            </Switch>
          </div>
        </aside>
      </Show>
    </div>
  );
}

/**
 * The sidebar for one page context: lookup, card, actions and every dialog. Mounted under the
 * context key, so a late answer for an earlier context has nowhere to paint, and every write it
 * makes carries that key and the customer shown (`makePageWriter`).
 */
function PersonPanel(props: {
  contextKey: string;
  isCurrent(): boolean;
  page: Accessor<PageState>;
  hooks: PageHooks;
  status: ConnectionStatus;
  version: Accessor<number>;
  onChanged(): void;
  onRetryStatus(): void;
  onStale(stale: boolean): void;
}) {
  // The person is fixed for this context (the key includes them); read once, untracked.
  const person = untrack(() => {
    const page = props.page();
    return page.status === 'recognized' ? page.person : null;
  });
  const [manualCustomerId, setManualCustomerId] = createSignal<number | null>(null);
  const canRead = () => props.status.state === 'connected' || props.status.state === 'unreachable';
  const [lookup, { refetch: refetchLookup }] = createResource(
    () => (canRead() && person ? { v: props.version() } : null),
    // Tagged with the version it was asked for: the card it brings belongs to that version only.
    async ({ v }) => ({ ...(await ask({ type: 'lookupPerson', person: person!, withView: true })), version: v }),
  );
  // Reading an errored resource throws in Solid: look at `.state` before the value.
  const lookupValue = () => (lookup.state === 'ready' || lookup.state === 'refreshing' ? lookup.latest : undefined);
  // A busy server (429: an agent moving fast through threads spends the team's per-minute budget)
  // or one out of reach is asked again by itself while this page context is on screen: after 1,
  // 2 and 4 s, then the Retry button is the way. The error and its Retry show meanwhile.
  let lookupRetries = 0;
  createEffect(() => {
    if (lookup.state === 'ready') lookupRetries = 0;
    if (lookup.state !== 'errored') return;
    const error: unknown = lookup.error;
    if (!(error instanceof BackgroundError) || !SELF_RETRYING.has(error.code) || lookupRetries >= 3) return;
    const timer = setTimeout(() => void refetchLookup(), 1000 * 2 ** lookupRetries++);
    onCleanup(() => clearTimeout(timer));
  });

  const customerId = createMemo(() => manualCustomerId() ?? (person ? (lookupValue()?.customer?.id ?? null) : null));
  const [view, { refetch: refetchView }] = createResource(
    () => {
      const id = customerId();
      return id && canRead() ? { id, v: props.version() } : null;
    },
    ({ id, v }) => {
      // The card the lookup brought (the background's cached view of this very customer, asked
      // for this version): no second message. Otherwise (a manual pick, a refresh) ask.
      const brought = untrack(lookupValue);
      if (brought?.view && brought.version === v && brought.view.customer.id === id) return brought.view;
      return ask({ type: 'getCustomerView', customerId: id });
    },
  );
  // Only the card of the customer this panel is about now: while another one loads, the old
  // card is not shown (a manual pick or a relink never paints the previous person's card).
  const viewValue = () => {
    const v = view.state === 'ready' || view.state === 'refreshing' ? view.latest : undefined;
    return v && v.customer.id === customerId() ? v : undefined;
  };
  createEffect(() => props.onStale(Boolean(viewValue()?.staleSince)));
  onCleanup(() => props.onStale(false));

  const writer = makePageWriter(props.contextKey, () => viewValue()?.customer.id ?? null, props.isCurrent);
  const unlink = async (identityId: number) => {
    await writer.write({ type: 'unlinkIdentity', idempotencyKey: newIdempotencyKey(), identityId });
    props.onChanged();
  };
  const setTicketStatus = async (ticketId: number, next: 'resolved' | 'open') => {
    await writer.write({ type: 'updateTicket', idempotencyKey: newIdempotencyKey(), ticketId, status: next });
    props.onChanged();
  };

  const searchFallback = (message: string) => (
    <div class="state">
      <p>{message}</p>
      <SearchBox onPick={(c) => setManualCustomerId(c.id)} />
    </div>
  );

  return (
    <PageWriterContext.Provider value={writer}>
      <div class="context" data-testid="rafiq-context" data-context-key={props.contextKey}>
        <Switch>
          <Match when={viewValue()}>
            {(v) => (
              <>
                <Show when={v().staleSince || props.status.state === 'unreachable'}>
                  <p class="notice notice-error" data-testid="rafiq-offline">
                    {v().staleSince ? t('state.offline', { age: relativeTime(v().staleSince!) }) : t('state.offlineRecent')}
                  </p>
                </Show>
                <CustomerHeader view={v()} onUnlink={(id) => void unlink(id)} onChanged={props.onChanged} />
                <AfterFirstPaint>
                  <QuickActions
                    customerId={v().customer.id}
                    logTarget={props.hooks.logTarget(props.page())}
                    ticketDraft={props.hooks.ticketDraft(props.page())}
                    insertReply={(text) => (props.isCurrent() ? props.hooks.insertReply(text) : Promise.reject(new BackgroundError(CONTEXT_CHANGED, t('notice.contextChanged'))))}
                    publicReply={publicReplySubject(props.page(), v(), props.status.agent?.email)}
                    checkPublicReply={props.hooks.checkPublicReply}
                    onTemplateInserted={(templateId, text) => recordTemplateUse(writer, props.page(), v().customer.id, templateId, text)}
                    onChanged={props.onChanged}
                  />
                  <TeamSection tickets={v().openTickets} conversationKey={props.hooks.conversationKey?.(props.page()) ?? props.hooks.ticketDraft(props.page())?.sourceKey ?? null} me={props.status.agent?.id ?? null} onChanged={props.onChanged} />
                  <SuggestedReplies
                    customerId={v().customer.id}
                    page={props.page()}
                    insertReply={(text) => (props.isCurrent() ? props.hooks.insertReply(text) : Promise.reject(new BackgroundError(CONTEXT_CHANGED, t('notice.contextChanged'))))}
                    publicReply={publicReplySubject(props.page(), v(), props.status.agent?.email)}
                    checkPublicReply={props.hooks.checkPublicReply}
                  />
                  <TicketsSection tickets={v().openTickets} onStatus={(id, s) => void setTicketStatus(id, s)} />
                  <SatisfactionSection customerId={v().customer.id} />
                  <TimelineSection customerId={v().customer.id} first={v().timeline} />
                  <OrdersSection orders={v().orders} />
                  <NotesSection notes={v().notes} />
                </AfterFirstPaint>
              </>
            )}
          </Match>
          <Match when={view.state === 'errored'}>
            <ErrorState message={errorText(view.error)} detail={errorDetail(view.error)} onRetry={refetchView} />
          </Match>
          <Match when={lookup.state === 'errored'}>
            <ErrorState message={errorText(lookup.error)} detail={errorDetail(lookup.error)} onRetry={refetchLookup} />
          </Match>
          <Match when={lookup.loading || view.loading || (customerId() !== null && !viewValue())}>
            <Skeleton />
          </Match>
          <Match when={props.page().status === 'failed'}>{searchFallback(t('state.recognizeFailed'))}</Match>
          <Match when={props.page().status === 'blocked'}>{searchFallback(t('state.blocked'))}</Match>
          <Match when={props.status.state === 'unreachable'}>
            <ErrorState message={t('state.unreachable')} detail={props.status.message ?? ''} onRetry={props.onRetryStatus} />
          </Match>
          <Match when={person && lookupValue() && !lookupValue()!.customer && !manualCustomerId()}>
            <SuggestionCard person={person!} suggestions={lookupValue()!.suggestions ?? []} onResolved={(id) => setManualCustomerId(id)} />
            <UnknownPerson person={person!} onResolved={(id) => setManualCustomerId(id)} />
          </Match>
          <Match when={true}>{searchFallback(t('state.notRecognized'))}</Match>
        </Switch>
      </div>
    </PageWriterContext.Provider>
  );
}

function Skeleton() {
  return (
    <div class="skeleton" data-testid="rafiq-loading" aria-busy="true" aria-label={t('state.loading')}>
      <div class="sk sk-avatar" />
      <div class="sk sk-line" />
      <div class="sk sk-line short" />
      <div class="sk sk-block" />
    </div>
  );
}

function ErrorState(props: { message: string; detail?: string; onRetry(): void }) {
  return (
    <div class="state" data-testid="rafiq-error" role="alert">
      {/* The server's English detail is kept for support (devtools), not shown to the agent. */}
      <p data-detail={props.detail}>{props.message}</p>
      <button type="button" onClick={() => props.onRetry()}>
        {t('state.retry')}
      </button>
    </div>
  );
}

/**
 * Children rendered once the frame before them has painted: the customer's name and header show
 * first, and the sections below (actions, team, suggestions, tickets, timeline, orders, notes)
 * follow a frame later instead of holding the header's first paint (issue 20). A hidden page
 * gets no frames: the timer renders them anyway.
 */
function AfterFirstPaint(props: { children: JSX.Element }) {
  const [ready, setReady] = createSignal(false);
  const show = () => setReady(true);
  requestAnimationFrame(() => setTimeout(show));
  setTimeout(show, 100);
  return <Show when={ready()}>{props.children}</Show>;
}
