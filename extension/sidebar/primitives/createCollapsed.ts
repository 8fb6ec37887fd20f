import { createSignal, onMount } from 'solid-js';
import { collapsedSectionsSetting } from '../../storage/settings';

/** A section's open/closed state, persisted across pages and sessions. */
export function createCollapsed(sectionId: string) {
  const [collapsed, setCollapsed] = createSignal(false);
  onMount(() => void collapsedSectionsSetting.getValue().then((all) => setCollapsed(all.includes(sectionId))));
  const toggle = async () => {
    const next = !collapsed();
    setCollapsed(next);
    const all = new Set(await collapsedSectionsSetting.getValue());
    if (next) all.add(sectionId);
    else all.delete(sectionId);
    await collapsedSectionsSetting.setValue([...all]);
  };
  return [collapsed, toggle] as const;
}
