import { createEffect, createMemo, createResource, createSignal, Match, on, onCleanup, onMount, Show, Switch, type Accessor, type JSX } from 'solid-js';
import { ask, BackgroundError } from '../messaging/client';
import { direction, setLanguage, t } from '../i18n';
import { languageSetting, sidebarOpenSetting, sidebarWidthSetting, themeSetting } from '../storage/settings';
import { outboxItem } from '../background/outbox';
import { relativeTime } from '../i18n';
import type { PageHooks, PageState } from './page-state';
import { CustomerHeader } from './sections/CustomerHeader';
import { NotesSection } from './sections/NotesSection';
import { OrdersSection } from './sections/OrdersSection';
import { QuickActions } from './sections/QuickActions';
import { SatisfactionSection } from './sections/SatisfactionSection';
import { SearchBox } from './sections/SearchBox';
import { SuggestionCard } from './sections/SuggestionCard';
import { TicketsSection } from './sections/TicketsSection';
import { TimelineSection } from './sections/TimelineSection';
import { UnknownPerson } from './sections/UnknownPerson';

export interface SidebarProps {
  page: Accessor<PageState>;
  hooks: PageHooks;
  /** Site-specific panel shown above the customer (e.g. the reviews on this page). */
  extra?: () => JSX.Element;
  /** Set by the page (toolbar button, keyboard shortcut) to toggle. */
  toggleSignal?: Accessor<number>;
  /** Told when the panel opens, closes or is resized, so the page can make room for it. */
  onLayout?(open: boolean, width: number): void;
}

const MIN_WIDTH = 280;
const MAX_WIDTH = 640;

function errorText(error: unknown): string {
  return error instanceof BackgroundError ? error.message : String((error as Error)?.message ?? error);
}

/** Header + stack of sections. Every state is designed: loading, not connected, not recognized, unknown, error. */
export function Sidebar(props: SidebarProps) {
  const [open, setOpen] = createSignal(true);
  const [width, setWidth] = createSignal(360);
  const [theme, setTheme] = createSignal<'auto' | 'light' | 'dark'>('auto');
  const [dir, setDir] = createSignal<'ltr' | 'rtl'>('ltr');
  const [manualCustomerId, setManualCustomerId] = createSignal<number | null>(null);
  const [version, setVersion] = createSignal(0);
  const refresh = () => setVersion(version() + 1);

  // "queued (n)": writes waiting in the background's durable outbox for the API to come back.
  const [queued, setQueued] = createSignal(0);
  onMount(async () => {
    setQueued((await outboxItem.getValue()).length);
    const unwatch = outboxItem.watch((items) => setQueued(items?.length ?? 0));
    onCleanup(unwatch);
  });

  onMount(async () => {
    const [isOpen, w, th, lang] = await Promise.all([sidebarOpenSetting.getValue(), sidebarWidthSetting.getValue(), themeSetting.getValue(), languageSetting.getValue()]);
    setOpen(isOpen);
    setWidth(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));
    setTheme(th);
    setLanguage(lang);
    setDir(direction());
  });

  createEffect(on(() => props.toggleSignal?.() ?? 0, () => void setOpenPersisted(!open()), { defer: true }));
  const setOpenPersisted = async (value: boolean) => {
    setOpen(value);
    await sidebarOpenSetting.setValue(value);
  };

  createEffect(() => props.onLayout?.(open(), width()));

  const [status, { refetch: refetchStatus }] = createResource(() => ask({ type: 'getStatus' }));
  const statusValue = () => (status.state === 'ready' || status.state === 'refreshing' ? status.latest : undefined);

  // The person the page is about; a new page person clears a customer picked by hand.
  const person = createMemo(() => {
    const page = props.page();
    return page.status === 'recognized' ? page.person : null;
  });
  const personKey = createMemo(() => JSON.stringify(person()?.identities ?? null));
  createEffect(on(personKey, () => setManualCustomerId(null), { defer: true }));

  // Unreachable still reads: the background answers with the last known card, marked offline.
  const canRead = () => statusValue()?.state === 'connected' || statusValue()?.state === 'unreachable';
  const [lookup, { refetch: refetchLookup }] = createResource(
    () => (canRead() && person() ? { key: personKey(), v: version() } : null),
    () => ask({ type: 'lookupPerson', person: person()! }),
  );
  // Reading an errored resource throws in Solid: look at `.state` before the value.
  const lookupValue = () => (lookup.state === 'ready' || lookup.state === 'refreshing' ? lookup.latest : undefined);
  const customerId = createMemo(() => manualCustomerId() ?? (person() ? (lookupValue()?.customer?.id ?? null) : null));
  const [view, { refetch: refetchView }] = createResource(
    () => {
      const id = customerId();
      return id && canRead() ? { id, v: version() } : null;
    },
    ({ id }) => ask({ type: 'getCustomerView', customerId: id }),
  );

  const viewValue = () => (view.state === 'ready' || view.state === 'refreshing' ? view.latest : undefined);

  const unlink = async (identityId: number) => {
    await ask({ type: 'unlinkIdentity', idempotencyKey: crypto.randomUUID(), identityId });
    refresh();
  };
  const setTicketStatus = async (ticketId: number, next: 'resolved' | 'open') => {
    await ask({ type: 'updateTicket', idempotencyKey: crypto.randomUUID(), ticketId, status: next });
    refresh();
  };

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

  const searchFallback = (message: string) => (
    <div class="state">
      <p>{message}</p>
      <SearchBox onPick={(c) => setManualCustomerId(c.id)} />
    </div>
  );

  return (
    <div class="rafiq-root" dir={dir()} data-theme={theme()} data-open={open() ? 'true' : 'false'} style={{ '--rafiq-width': `${width()}px` }}>
      <Show
        when={open()}
        fallback={
          <button type="button" class="reopen" data-testid="rafiq-expand" title={t('sidebar.expand')} onClick={() => void setOpenPersisted(true)}>
            R
          </button>
        }
      >
        <aside class="panel-root" data-testid="rafiq-panel" aria-label={t('app.name')}>
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
              <Match when={status.loading}>
                <Skeleton />
              </Match>
              <Match when={status.state === 'errored'}>
                <ErrorState message={errorText(status.error)} onRetry={refetchStatus} />
              </Match>
              <Match when={statusValue()?.state === 'not-configured' || statusValue()?.state === 'unauthorized'}>
                <div class="state" data-testid="rafiq-not-connected">
                  <p>{statusValue()?.state === 'unauthorized' ? t('state.unauthorized') : t('state.notConnected')}</p>
                  <button type="button" onClick={() => void ask({ type: 'openOptions' })}>
                    {t('state.openOptions')}
                  </button>
                </div>
              </Match>
              <Match when={viewValue()}>
                {(v) => (
                  <>
                    <Show when={v().staleSince || statusValue()?.state === 'unreachable'}>
                      <p class="notice notice-error" data-testid="rafiq-offline">
                        {v().staleSince ? t('state.offline', { age: relativeTime(v().staleSince!) }) : t('state.offlineRecent')}
                      </p>
                    </Show>
                    <CustomerHeader view={v()} onUnlink={(id) => void unlink(id)} onChanged={refresh} />
                    <QuickActions
                      customerId={v().customer.id}
                      logTarget={props.hooks.logTarget(props.page())}
                      ticketDraft={props.hooks.ticketDraft(props.page())}
                      insertReply={props.hooks.insertReply}
                      onChanged={refresh}
                    />
                    <TicketsSection tickets={v().openTickets} onStatus={(id, s) => void setTicketStatus(id, s)} />
                    <SatisfactionSection customerId={v().customer.id} />
                    <TimelineSection customerId={v().customer.id} first={v().timeline} />
                    <OrdersSection orders={v().orders} />
                    <NotesSection notes={v().notes} />
                  </>
                )}
              </Match>
              <Match when={view.state === 'errored'}>
                <ErrorState message={errorText(view.error)} onRetry={refetchView} />
              </Match>
              <Match when={lookup.state === 'errored'}>
                <ErrorState message={errorText(lookup.error)} onRetry={refetchLookup} />
              </Match>
              <Match when={lookup.loading || view.loading}>
                <Skeleton />
              </Match>
              <Match when={props.page().status === 'failed'}>{searchFallback(t('state.recognizeFailed'))}</Match>
              <Match when={props.page().status === 'blocked'}>{searchFallback(t('state.blocked'))}</Match>
              <Match when={statusValue()?.state === 'unreachable'}>
                <ErrorState message={t('state.unreachable', { message: statusValue()?.message ?? '' })} onRetry={refetchStatus} />
              </Match>
              <Match when={person() && lookupValue() && !lookupValue()!.customer && !manualCustomerId()}>
                <SuggestionCard person={person()!} suggestions={lookupValue()!.suggestions ?? []} onResolved={(id) => setManualCustomerId(id)} />
                <UnknownPerson person={person()!} onResolved={(id) => setManualCustomerId(id)} />
              </Match>
              <Match when={true}>{searchFallback(t('state.notRecognized'))}</Match>
            </Switch>
          </div>
        </aside>
      </Show>
    </div>
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

function ErrorState(props: { message: string; onRetry(): void }) {
  return (
    <div class="state" data-testid="rafiq-error" role="alert">
      <p>{t('state.error', { message: props.message })}</p>
      <button type="button" onClick={() => props.onRetry()}>
        {t('state.retry')}
      </button>
    </div>
  );
}
