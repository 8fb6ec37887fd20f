/**
 * Summary statistics shared by the sidebar benchmarks (bench/sidebar.bench.ts for Gmail,
 * bench/sidebar-x.ts for X): the same percentile and rounding everywhere, so the numbers in
 * bench/results/sidebar.json compare across sites.
 */

/** A latency distribution in ms, rounded to 0.1 ms. */
export interface LatencyStats {
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentile (`p` in 0–100) of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** p50, p95, min, max and mean of `values`, or null when there are none. */
export function stats(values: number[]): LatencyStats | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    min: round1(sorted[0]!),
    max: round1(sorted[sorted.length - 1]!),
    mean: round1(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
