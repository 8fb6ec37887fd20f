import { createEffect, createSignal } from 'solid-js';
import { direction } from '../i18n';
import { clearDelegatedEvents, delegateEvents, render } from 'solid-js/web';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { TabMessage } from '../messaging/protocol';
import { Sidebar, type SidebarProps } from '../sidebar/Sidebar';

/**
 * Mounts the Solid sidebar in a shadow root (styles isolated both ways). Keyboard events stay
 * inside it, so typing a note never triggers Gmail's or X's shortcuts. The toolbar button and the
 * keyboard shortcut reach it as a `toggleSidebar` tab message.
 */
export async function mountSidebar(ctx: ContentScriptContext, props: Omit<SidebarProps, 'toggleSignal' | 'identitySignal'>) {
  const [toggle, setToggle] = createSignal(0);
  // Someone became (or stopped being) a customer — here, in another tab, or through a logged
  // complaint: the card asks again, so "New to us" never outlives the customer it named.
  const [identity, setIdentity] = createSignal(0);
  const onMessage = (message: unknown) => {
    const type = (message as TabMessage | null)?.type;
    if (type === 'toggleSidebar') setToggle((n) => n + 1);
    if (type === 'identityChanged') setIdentity((n) => n + 1);
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));

  const ui = await createShadowRootUi(ctx, {
    name: 'rafiq-sidebar',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container) {
      // isolateEvents stops keyboard events at the shadow root's body (so the host page's own
      // shortcuts never see what the agent types), which also kept them from the document, where
      // Solid listens for its delegated onKeyDown: Escape never closed the merge dialog. Solid
      // listens for them on the container too (the document never sees these, so none runs twice).
      const keyEvents = ['keydown', 'keyup'];
      delegateEvents(keyEvents, container as unknown as Document);
      const dispose = render(() => {
        // The room follows the panel: its side comes from the agent's language (the panel sits at
        // the inline end of the sidebar's direction: the right in English and Turkish, the left in
        // Arabic and Persian), whatever the direction of the page itself.
        const [layout, setLayout] = createSignal({ open: false, width: 0 });
        createEffect(() => reservePageSpace(layout().open, layout().width, direction()));
        return <Sidebar {...props} toggleSignal={toggle} identitySignal={identity} onLayout={(open, width) => setLayout({ open, width })} />;
      }, container);
      // Returned so onRemove really unmounts Solid (no leaked effects or listeners after invalidation).
      return () => {
        dispose();
        clearDelegatedEvents(container as unknown as Document);
      };
    },
    onRemove(unmount) {
      unmount?.();
    },
  });
  ui.mount();
  ctx.onInvalidated(() => reservePageSpace(false, 0, 'ltr'));
  return ui;
}

const RESERVE_STYLE_ID = 'rafiq-page-space';

/**
 * Makes room for the open panel instead of covering the page: the page's body gets a margin as
 * wide as the panel on the side the panel is on. A physical side on purpose: a logical
 * `margin-inline-end` would follow the page's direction (an English Gmail in an Arabic sidebar
 * would get its room on the wrong side). The only style Rafiq puts into the page, removed when
 * the panel closes.
 */
export function reservePageSpace(open: boolean, width: number, panelDirection: 'ltr' | 'rtl') {
  let style = document.getElementById(RESERVE_STYLE_ID);
  if (!open) {
    style?.remove();
    return;
  }
  if (!style) {
    style = document.createElement('style');
    style.id = RESERVE_STYLE_ID;
    document.head.append(style);
  }
  const side = panelDirection === 'rtl' ? 'left' : 'right';
  style.textContent = `html body { margin-${side}: ${Math.round(width)}px !important; }`;
}
