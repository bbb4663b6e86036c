// The axes of the panel's small multiples: one run's, or, when runs are
// compared side by side, the union over them, so the same bar height and the
// same position mean the same thing in every pane.

import type { RunMetrics } from './metrics';
import type { SliceHistogram } from './panel';

export interface HistogramAxes {
  /** Slice histogram: absolute log bins [first, end) covered, and the largest share of a VM's slices in a bin. */
  sliceBins: [number, number] | null;
  sliceMaxShare: number;
  /** Co-running histogram: the largest fraction, measured or independent. */
  coRunMax: number;
}

export function histogramAxes(results: readonly { sliceHist: SliceHistogram; metrics: RunMetrics }[]): HistogramAxes {
  let first = Infinity;
  let end = -Infinity;
  let sliceMaxShare = 0;
  let coRunMax = 0;
  for (const { sliceHist: h, metrics } of results) {
    if (h.bins > 0) {
      first = Math.min(first, h.firstBin);
      end = Math.max(end, h.firstBin + h.bins);
    }
    for (const v of h.vms)
      if (v.total > 0) for (const c of v.counts) sliceMaxShare = Math.max(sliceMaxShare, c / v.total);
    for (const vm of metrics.vms)
      for (const f of [...vm.coRunHistogram, ...vm.coRunIndependent]) if (f !== null) coRunMax = Math.max(coRunMax, f);
  }
  return { sliceBins: first < end ? [first, end] : null, sliceMaxShare, coRunMax };
}

/**
 * The x ticks of a log axis over [lo, hi] (> 0): its powers of ten, or its two ends when it holds fewer than
 * two of them (a domain of less than a decade).
 */
export function decadeTicks(lo: number, hi: number): number[] {
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) decades.push(10 ** e);
  return decades.length >= 2 ? decades : [lo, hi];
}
