// The one rule by which a paste's gaps (TraceModel.gaps, where an elision mark cut the text) enter a time
// integral: nothing is known inside a gap, so every interval [a, b) that a metric integrates (a slice, a
// piece of constant r(t), a wait) counts only its part outside the union of the gaps. The denominators
// (knownDuration in window.ts) leave the same time out, so no number mixes known and unknown time.
//
// Callers test `clip.none` first (or hold null for a trace without gaps) so that a trace without marks
// pays one predictable branch, not a call, per interval.

import type { GapTable } from '../model/types';

export class GapClip {
  /** True when the trace has no gap of positive length: every interval is wholly known. */
  readonly none: boolean;
  /** The union of the gaps: disjoint [start[g], end[g]) in time order, each of positive length. */
  private readonly start: Float64Array;
  private readonly end: Float64Array;

  constructor(gaps: GapTable) {
    const s: number[] = [];
    const e: number[] = [];
    // Rows are in start order and may overlap (two marks in a row span the same stretch): merge them.
    for (let i = 0; i < gaps.length; i++) {
      const a = gaps.start[i];
      const b = gaps.end[i];
      if (!(b > a)) continue;
      const last = s.length - 1;
      if (last >= 0 && a <= e[last]) e[last] = Math.max(e[last], b);
      else {
        s.push(a);
        e.push(b);
      }
    }
    this.start = Float64Array.from(s);
    this.end = Float64Array.from(e);
    this.none = s.length === 0;
  }

  /** Nanoseconds of [a, b) inside the gaps (0 when b <= a). */
  gapIn(a: number, b: number): number {
    if (!(b > a) || this.none) return 0;
    const { start, end } = this;
    let sum = 0;
    for (let g = this.first(a); g < start.length && start[g] < b; g++) {
      const x = start[g] > a ? start[g] : a;
      const y = end[g] < b ? end[g] : b;
      if (y > x) sum += y - x;
    }
    return sum;
  }

  /** Nanoseconds of [a, b) outside the gaps (0 when b <= a). */
  known(a: number, b: number): number {
    return b > a ? b - a - this.gapIn(a, b) : 0;
  }

  /** Calls `each` on the pieces of [a, b) outside the gaps, in time order (each of positive length). */
  pieces(a: number, b: number, each: (from: number, to: number) => void): void {
    if (!(b > a)) return;
    const { start, end } = this;
    let at = a;
    for (let g = this.first(a); g < start.length && start[g] < b; g++) {
      if (start[g] > at) each(at, start[g]);
      if (end[g] > at) at = end[g];
    }
    if (b > at) each(at, b);
  }

  /** Index of the first gap of the union that ends after t (binary search: a paste may carry many marks). */
  private first(t: number): number {
    const end = this.end;
    let lo = 0;
    let hi = end.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (end[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The clip of a model's gaps, or null when the trace has none (the common case: callers skip the call). */
export function gapClipOf(gaps: GapTable): GapClip | null {
  if (gaps.length === 0) return null;
  const clip = new GapClip(gaps);
  return clip.none ? null : clip;
}
