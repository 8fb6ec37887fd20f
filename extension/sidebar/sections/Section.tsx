import { Show, type JSX } from 'solid-js';
import { formatNumber } from '../../i18n';
import { createCollapsed } from '../primitives/createCollapsed';

export function Section(props: { id: string; title: string; count?: number; children: JSX.Element }) {
  const [collapsed, toggle] = createCollapsed(props.id);
  return (
    <section class="section" data-testid={`rafiq-section-${props.id}`}>
      <button type="button" class="section-title" aria-expanded={!collapsed()} aria-controls={`rafiq-section-body-${props.id}`} onClick={toggle}>
        <span class="chevron" aria-hidden="true">{collapsed() ? '▸' : '▾'}</span>
        {props.title}
        <Show when={props.count !== undefined}>
          <span class="count">{formatNumber(props.count!)}</span>
        </Show>
      </button>
      <Show when={!collapsed()}>
        <div class="section-body" id={`rafiq-section-body-${props.id}`}>
          {props.children}
        </div>
      </Show>
    </section>
  );
}
