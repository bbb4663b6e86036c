// The switch timeline past a trace's end, as a view lock shows a shorter trace beside a longer one: on a
// real recording, the bins after its last switch have no rate (nothing is known there, not a measured 0),
// the bin it ends in divides by its part inside the trace and is drawn over that part only.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { runOfLines } from '../testing/cutPaste';
import { computeTimeline } from './panel';
import { timelineReadout } from './timelineReadout';
import { stepPoints } from './timelineSteps';

describe('the switch timeline past the end of the trace', () => {
  it('no rate after the last switch; the bin it ends in is a rate over its known part, drawn that wide', async () => {
    const run = await runOfLines('qemu.script.txt', fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n'));
    const { time } = run.model.switches;
    const [t0, t1] = [time[0], time[time.length - 1]];
    // Half as long again: the view of a locked pane whose other trace is longer. 301 bins: t1 inside one.
    const q = { start: t0, end: t0 + 1.5 * (t1 - t0), bins: 301, cpus: null };
    const tl = computeTimeline(run, q);
    expect([tl.traceStart, tl.traceEnd]).toEqual([t0, t1]);
    const last = Math.floor((t1 - tl.start) / tl.binNs);
    const lastStart = tl.start + last * tl.binNs;
    expect(t1 - lastStart).toBeGreaterThan(0.1 * tl.binNs);
    expect(t1 - lastStart).toBeLessThan(0.9 * tl.binNs);
    const switchesIn = (a: number, b: number): number => time.filter((t) => t >= a && t < b).length;
    for (let k = 0; k < tl.bins; k++) {
      const b0 = tl.start + k * tl.binNs;
      const b1 = tl.start + (k + 1) * tl.binNs;
      if (k < last) expect(tl.total[k]).toBeCloseTo((switchesIn(b0, b1) * 1e9) / tl.binNs, 6);
      else if (k === last) expect(tl.total[k]).toBeCloseTo((switchesIn(b0, b1) * 1e9) / (t1 - b0), 6);
      else expect(tl.total[k]).toBeNull();
    }
    expect(tl.total.filter((x) => x === null)).toHaveLength(tl.bins - 1 - last);
    for (const v of tl.vms) expect(v.slice(last + 1).every((x) => x === null)).toBe(true);
    // The bin the trace ends in holds switches; as a whole bin's rate it would read lower than it was.
    expect(switchesIn(lastStart, t1 + 1)).toBeGreaterThan(0);

    // Drawn: the curve ends at the last switch with the last bin's rate; nothing is defined after it.
    const pts = stepPoints(tl, (k) => tl.total[k]);
    const defined = pts.filter((p) => p.value !== null);
    expect(defined.at(-1)).toEqual({ t: t1, value: tl.total[last] });
    expect(defined.filter((p) => p.t > t1)).toEqual([]);
    expect(pts.filter((p) => p.t > t1).every((p) => p.value === null)).toBe(true);
    // Up to there, one point at each bin's start and the closing one: the plain step curve.
    expect(defined.map((p) => p.t)).toEqual([
      ...Array.from({ length: last + 1 }, (_, k) => tl.start + k * tl.binNs),
      t1,
    ]);

    const after = (t1 + q.end) / 2;
    expect(
      timelineReadout(
        tl,
        after,
        run.vms.map((v) => v.name),
      ),
    ).toMatch(/: after the trace's last switch \(\d+\.\d{6} s\)$/);
    expect(timelineReadout(tl, (lastStart + t1) / 2, [])).toMatch(/ switches\/s/);
  });
});
