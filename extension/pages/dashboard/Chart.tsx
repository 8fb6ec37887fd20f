import { onCleanup, onMount, createEffect, on } from 'solid-js';
import { Chart as ChartJs, registerables, type ChartConfiguration } from 'chart.js';

ChartJs.register(...registerables);

/**
 * Chart.js in a Solid component: the chart is created on mount, its data replaced when `config`
 * changes (no re-creation, so no flicker), and destroyed on cleanup (Chart.js keeps resize
 * observers and animation frames that would otherwise outlive the page section).
 */
export function Chart(props: { config: () => ChartConfiguration; label: string; testId?: string }) {
  let canvas!: HTMLCanvasElement;
  let chart: ChartJs | undefined;

  onMount(() => {
    chart = new ChartJs(canvas, props.config());
    onCleanup(() => {
      chart?.destroy();
      chart = undefined;
    });
  });

  createEffect(
    on(
      () => props.config(),
      (config) => {
        if (!chart) return;
        chart.data = config.data;
        if (config.options) chart.options = config.options;
        chart.update();
      },
      { defer: true },
    ),
  );

  return (
    <div class="chart-box">
      <canvas ref={canvas} role="img" aria-label={props.label} data-testid={props.testId} />
    </div>
  );
}
