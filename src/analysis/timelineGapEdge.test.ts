// A paste's gap that reaches outside the trace's switches (a wakeup before the mark, the first switch after
// it): the time before the first switch is unknown once, not once as outside the trace and again as the gap.

import { describe, expect, it } from 'vitest';
import { PrevState, WakeupKind } from '../model/types';
import { builder, makeRun, US } from '../testing/runs';
import { computeTimeline } from './panel';

describe('the switch timeline where a gap starts before the first switch', () => {
  it('a bin the first switch falls in divides by its time after that switch', () => {
    const b = builder();
    const a0 = b.task(10, 'CPU 0/KVM', 0);
    b.addWakeup(50 * US, a0, 0, WakeupKind.Waking);
    b.addGap(2, '[...]', 50 * US); // perf script's reader: the last line's time, a wakeup's
    b.addSwitch(150 * US, 0, 0, PrevState.Runnable, a0);
    b.addSwitch(250 * US, 0, a0, PrevState.Sleeping, 0);
    b.addSwitch(300 * US, 0, 0, PrevState.Runnable, a0);
    const run = makeRun(b.finish(), [{ name: 'A', vcpus: [a0] }]);
    const g = run.model.gaps;
    expect([g.length, g.start[0], g.end[0]]).toEqual([1, 50 * US, 150 * US]);
    const tl = computeTimeline(run, { start: 0, end: 300 * US, bins: 3, cpus: null });
    expect([tl.traceStart, tl.traceEnd]).toEqual([150 * US, 300 * US]);
    // Bin 0 [0, 100): before the trace. Bin 1 [100, 200): one switch (at 150) in the 50 µs from the first
    // switch (the gap's [100, 150) is that same unknown time). Bin 2 [200, 300): one switch in 100 µs.
    expect(tl.total).toEqual([null, 1e9 / (50 * US), 1e9 / (100 * US)]);
  });
});
