// How much of each equal bin a paste's gaps (TraceModel.gaps) cover: nothing is known there, so a
// per-time series divides by the rest of the bin and has no value where nothing is left.

import type { GapTable } from '../model/types';

/**
 * Nanoseconds of bins [start + k·binNs, start + (k+1)·binNs) covered by the union of the gaps (rows may
 * overlap: two marks in a row span the same stretch), exactly binNs for a bin wholly inside, or null when no gap of positive length overlaps them.
 * `end` (default start + bins·binNs) ends the last bin, which may be shorter; only the gaps' time in
 * [from, end) counts (computeTimeline: a gap reaching before the trace's first switch is unknown there already).
 */
export function gapCoverPerBin(
  gaps: GapTable,
  start: number,
  binNs: number,
  bins: number,
  end = start + bins * binNs,
  from = start,
): Float64Array | null {
  let cover: Float64Array | null = null;
  // The union, walked in start order: [s, e) grows while the next row starts inside it.
  let s = 0;
  let e = -Infinity;
  const flush = () => {
    const a = Math.max(s, start, from);
    const b = Math.min(e, end);
    if (!(b > a)) return;
    cover ??= new Float64Array(bins);
    for (let k = Math.max(0, Math.floor((a - start) / binNs)); k < bins; k++) {
      const b0 = start + k * binNs;
      const b1 = k === bins - 1 ? end : start + (k + 1) * binNs;
      if (b0 >= b) break;
      // A bin wholly inside is exactly binNs (the pieces of the union are apart: only one can cover it).
      cover[k] += a <= b0 && b >= b1 ? binNs : Math.max(0, Math.min(b, b1) - Math.max(a, b0));
    }
  };
  for (let i = 0; i < gaps.length; i++) {
    if (gaps.start[i] <= e) e = Math.max(e, gaps.end[i]);
    else {
      flush();
      s = gaps.start[i];
      e = gaps.end[i];
    }
  }
  flush();
  return cover;
}
