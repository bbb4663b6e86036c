// The slices the model ended at a gap in the input (SliceEnd.Gap: a `[...]` in a paste). They end at the last
// time before the gap, before the next switch on their CPU, so a sweep over the switches that replays r(t)
// ends them as it passes that time (the next switch on the CPU, after the gap, does not). Pastes only: found by
// a native scan of the end reasons, then walked in end order.

import { SliceEnd, type TraceModel } from '../model/types';

export class GapEnded {
  private readonly rows: number[] = [];
  private readonly end: Float64Array;
  private at = 0;

  constructor(model: TraceModel) {
    const { end, endReason } = model.slices;
    this.end = end;
    for (let j = endReason.indexOf(SliceEnd.Gap); j >= 0; j = endReason.indexOf(SliceEnd.Gap, j + 1)) this.rows.push(j);
    this.rows.sort((a, b) => end[a] - end[b] || a - b);
  }

  /** End time of the next slice not yet passed; Infinity when none is left. */
  nextEnd(): number {
    return this.at < this.rows.length ? this.end[this.rows[this.at]] : Infinity;
  }

  /** The next slice that ends at or before t (it is then passed), or -1. */
  takeUpTo(t: number): number {
    if (this.at >= this.rows.length || this.end[this.rows[this.at]] > t) return -1;
    return this.rows[this.at++];
  }
}
