// The switch timeline's curves as points of a step-after curve over its bins (SwitchTimeline draws them
// with d3's curveStepAfter). A bin without a value (wholly in a gap of the pasted text, or outside the
// trace) breaks the curve; a bin the trace starts or ends in is drawn over its part inside the trace only,
// as its rate counts that part only (computeTimeline).

import type { Timeline } from './panel';

export type StepPoint<V> = { t: number; value: V | null };

/**
 * Each bin's value from its start (or the trace's first switch), and a closing point at its end (or the
 * trace's last switch) where the next bin has no value, starts later, or there is none: a bin without
 * a value is an undefined point.
 */
export function stepPoints<V>(tl: Timeline, at: (k: number) => V | null): StepPoint<V>[] {
  const out: StepPoint<V>[] = [];
  for (let k = 0; k < tl.bins; k++) {
    const start = tl.start + k * tl.binNs;
    const value = at(k);
    if (value === null) {
      out.push({ t: start, value: null });
      continue;
    }
    out.push({ t: Math.max(start, tl.traceStart), value });
    const end = tl.start + (k + 1) * tl.binNs;
    const to = Math.min(end, tl.traceEnd);
    if (k === tl.bins - 1 || to < end || at(k + 1) === null) out.push({ t: to, value });
  }
  return out;
}
