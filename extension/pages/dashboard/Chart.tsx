import { onCleanup, onMount, createEffect, on } from 'solid-js';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

// Only what the dashboard draws: line and bar charts (vertical, stacked, horizontal) on
// category/linear axes with legends and tooltips. No fills, titles, time/log scales or other
// chart types; a new chart type or `fill` needs its controller or Filler registered here.
ChartJs.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

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
