import { describe, expect, it } from 'vitest';
import type { Timeline } from './panel';
import { timelineReadout } from './timelineReadout';

/** Two 1 ms bins from 1 s; four VMs, of which two are switched in during the second bin and three in the first. */
const tl: Timeline = {
  start: 1e9,
  end: 1.002e9,
  bins: 2,
  binNs: 1e6,
  traceStart: 0,
  traceEnd: 2e9,
  total: [12000, 3000],
  vms: [
    [1000, 0],
    [4000, 2000],
    [0, 500],
    [2500, 0],
  ],
};
const names = ['A', 'B', 'C', 'D'];

describe('the switch timeline readout', () => {
  it('the bin under the cursor: its rate and the busiest VMs first (at most three, none without switch-ins)', () => {
    expect(timelineReadout(tl, 1.0005e9, names)).toBe(
      '1.000500 s: 12,000 switches/s · vCPU switch-ins/s B 4,000, D 2,500, A 1,000',
    );
    expect(timelineReadout(tl, 1.0015e9, names)).toBe(
      '1.001500 s: 3,000 switches/s · vCPU switch-ins/s B 2,000, C 500',
    );
  });

  it('a bin wholly in a gap of the pasted text: that the text was cut there, no rate', () => {
    const cut: Timeline = { ...tl, total: [12000, null], vms: tl.vms.map((s) => [s[0], null]) };
    expect(timelineReadout(cut, 1.0015e9, names)).toBe(
      '1.001500 s: the pasted text was cut here, its switches are not in the trace',
    );
    expect(timelineReadout(cut, 1.0005e9, names)).toBe(timelineReadout(tl, 1.0005e9, names));
  });

  it('past the last switch or before the first: no rate, whatever the bin holds', () => {
    const ends: Timeline = { ...tl, traceStart: 1.0002e9, traceEnd: 1.0012e9 };
    expect(timelineReadout(ends, 1.0015e9, names)).toBe("1.001500 s: after the trace's last switch (1.001200 s)");
    expect(timelineReadout(ends, 1.0001e9, names)).toBe("1.000100 s: before the trace's first switch (1.000200 s)");
    expect(timelineReadout(ends, 1.0011e9, names)).toBe(
      timelineReadout(tl, 1.0015e9, names)!.replace('1.001500', '1.001100'),
    );
  });

  it('nothing outside the bins', () => {
    expect(timelineReadout(tl, 0.9999e9, names)).toBeNull();
    expect(timelineReadout(tl, 1.002e9, names)).toBeNull();
  });
});
