// The switch-rate timeline over a paste's gap (TraceModel.gaps): on a real recording with a stretch of lines
// behind `[...]`, bins wholly inside the gap have no rate (null, not a measured 0), bins partly in it divide
// by their known time, and every other bin is the one the same text without the mark gives.

import { describe, expect, it } from 'vitest';
import { cutScript } from '../testing/cutPaste';
import { computeTimeline } from './panel';
import { timelineReadout } from './timelineReadout';

describe('the switch timeline over a gap in the pasted text', () => {
  it('null bins exactly over the gap, known-time rates where it covers part of a bin, the rest unchanged', async () => {
    const { cut, plain } = await cutScript();
    const g = cut.model.gaps;
    expect(g.length).toBe(1);
    expect(plain.model.gaps.length).toBe(0);
    expect(cut.model.switches.length).toBe(plain.model.switches.length);
    expect(cut.vms.length).toBeGreaterThan(0);

    const { time } = cut.model.switches;
    const q = { start: 0, end: time[time.length - 1] + 1, bins: 400, cpus: null };
    const a = computeTimeline(cut, q);
    const b = computeTimeline(plain, q);
    const [s, e] = [g.start[0], g.end[0]];
    let wholly = 0;
    let partly = 0;
    for (let k = 0; k < a.bins; k++) {
      const b0 = a.start + k * a.binNs;
      const b1 = a.start + (k + 1) * a.binNs;
      const over = Math.max(0, Math.min(e, b1) - Math.max(s, b0));
      const series = [[a.total, b.total], ...a.vms.map((v, i) => [v, b.vms[i]])] as const;
      if (s <= b0 && b1 <= e) {
        wholly++;
        // Nothing is known there: the text without the mark has no switches there and said 0.
        for (const [x, y] of series) {
          expect(x[k]).toBeNull();
          expect(y[k]).toBe(0);
        }
        expect(timelineReadout(a, (b0 + b1) / 2, cut.vms.map((v) => v.name))).toMatch(
          /^\d+\.\d+ s: the pasted text was cut here, its switches are not in the trace$/,
        );
      } else if (over > 0) {
        partly++;
        for (const [x, y] of series) expect(x[k]).toBeCloseTo((y[k]! * a.binNs) / (a.binNs - over), 6);
      } else {
        for (const [x, y] of series) expect(x[k]).toBe(y[k]);
      }
    }
    // The gap (110 ms of a few seconds) spans several bins and cuts into the ones at its ends.
    expect(wholly).toBeGreaterThan(3);
    expect(partly).toBe(2);
    expect(a.total.filter((x) => x === null)).toHaveLength(wholly);
    expect(b.total.some((x) => x === null)).toBe(false);
    // Outside the gap the readout is the rate, as before.
    const k = a.total.findIndex((x) => x !== null && x > 0);
    expect(timelineReadout(a, a.start + (k + 0.5) * a.binNs, [])).toMatch(/ switches\/s/);
  });

  it('two marks in a row (two rows over one stretch) cover it once: the same bins as one mark', async () => {
    const { cut: one } = await cutScript();
    const { cut: two } = await cutScript(['[...]', '<snip>']);
    expect(two.model.gaps.length).toBe(2);
    expect(two.model.gaps.start[1]).toBe(two.model.gaps.start[0]);
    const { time } = one.model.switches;
    const q = { start: 0, end: time[time.length - 1] + 1, bins: 400, cpus: null };
    const a = computeTimeline(one, q);
    expect(a.total.some((x) => x === null)).toBe(true);
    expect(computeTimeline(two, q)).toEqual(a);
  });
});
