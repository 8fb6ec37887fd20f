import { createSignal, onCleanup, onMount, type Accessor } from 'solid-js';
import { clockOffsetSetting } from '../../storage/settings';

/**
 * "Now" for SLA clocks, ticking every second: the device clock plus the test offset (0 in use;
 * see `clockOffsetSetting`). A signal, so a clock on screen re-renders as time passes.
 */
export function createTeamClock(everyMs = 1_000): Accessor<number> {
  const [offset, setOffset] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  onMount(() => {
    const unwatch = clockOffsetSetting.watch((value) => {
      setOffset(value ?? 0);
      setNow(Date.now());
    });
    onCleanup(unwatch);
    void clockOffsetSetting.getValue().then(setOffset);
  });
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return () => now() + offset();
}
