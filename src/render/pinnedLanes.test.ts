// Pinned lanes: first in pin order, laid out in a band that does not scroll, the scrolled lanes cut
// under it, hit testing and labels following the cut.
import { describe, expect, it } from 'vitest';
import { laneLabelPlan } from './laneLabels';
import { cpuLanes, pinLanes, type Lane } from './lanes';
import { laneAtY, layoutLanes } from './layout';

const cpus = (n: number): Lane[] => cpuLanes({ cpus: Array.from({ length: n }, (_, i) => i), declaredCpuCount: null });
const cpuOf = (l: Lane): number => (l.kind === 'cpu' ? l.cpu : -1);

describe('pinLanes', () => {
  it('puts the pinned lanes first in pin order and keeps the others in order', () => {
    const { lanes, pinned } = pinLanes(cpus(6), { cpu: [4, 1, 99], vcpu: [] });
    expect(pinned).toBe(2);
    expect(lanes.map(cpuOf)).toEqual([4, 1, 0, 2, 3, 5]);
    expect(pinLanes(cpus(3), { cpu: [], vcpu: [7] })).toEqual({ lanes: cpus(3), pinned: 0 });
  });
});

describe('layoutLanes with a pinned band', () => {
  // 10 lanes of 20 px, 1 px gaps, a 4 px gap below the 2 pinned lanes, in a 100 px map scrolled by 50.
  const { lanes } = pinLanes(cpus(10), { cpu: [7, 3], vcpu: [] });
  const lay = layoutLanes(lanes, 100, 100, { laneHeight: 20, scrollY: 50, pinned: 2 });

  it('keeps the band at the top whatever the scroll and scrolls the rest under it', () => {
    expect([lay.top[0], lay.top[1]]).toEqual([0, 21]);
    expect(lay.band).toBe(41 + 1 + 4);
    // Unscrolled, lane 2 would start at the band; scrolled by 50 it is under the band: cut to nothing.
    const unscrolled = layoutLanes(lanes, 100, 100, { laneHeight: 20, pinned: 2 });
    expect(unscrolled.top[2]).toBe(46);
    expect(lay.contentHeight).toBe(unscrolled.contentHeight);
    expect(unscrolled.contentHeight).toBe(46 + 8 * 20 + 7);
    // Lane 3 would be at 46 + 21 - 50 = 17 to 37: cut to 46..46 (gone); lane 4 at 38..58: cut to 46..58.
    expect([lay.top[2], lay.laneHeight[2]]).toEqual([46, 0]);
    expect([lay.top[3], lay.laneHeight[3]]).toEqual([46, 0]);
    expect([lay.top[4], lay.laneHeight[4]]).toEqual([46, 12]);
    expect([lay.top[5], lay.laneHeight[5]]).toEqual([59, 20]);
  });

  it('hit tests the pinned and the cut lanes', () => {
    expect(laneAtY(lay, 5)).toBe(0);
    expect(laneAtY(lay, 25)).toBe(1);
    expect(laneAtY(lay, 43)).toBe(-1); // the gap below the band
    expect(laneAtY(lay, 47)).toBe(4);
    expect(laneAtY(lay, 60)).toBe(5);
  });

  it('hit tests every row as a scan of the lanes does, at any scroll, with and without the band', () => {
    const vcpuGroups = Array.from({ length: 12 }, (_, i): Lane => ({
      kind: 'vcpu',
      key: `v${i}`,
      label: `vCPU ${i % 4}`,
      vm: Math.floor(i / 4),
      vmName: `vm${Math.floor(i / 4)}`,
      position: i % 4,
      vcpuIndex: i % 4,
      tid: 100 + i,
      task: i,
    }));
    for (const [all, pinned] of [
      [lanes, 2],
      [lanes, 0],
      [vcpuGroups, 0],
      [vcpuGroups, 4],
    ] as const)
      for (const scrollY of [0, 7, 29, 50, 113])
        for (const laneHeight of [3, 20]) {
          const l = layoutLanes(all, 100, 100, { laneHeight, scrollY, pinned });
          for (let y = -30; y < 130; y++) {
            let want = -1;
            for (let i = 0; i < all.length; i++) if (l.top[i] <= y && y < l.top[i] + l.laneHeight[i]) want = i;
            expect(laneAtY(l, y)).toBe(want);
          }
        }
  });

  it('labels the band and the lanes showing below it, not the lanes hidden under it', () => {
    const plan = laneLabelPlan(lanes, lay, 100);
    expect(plan.lanes.map((l) => cpuOf(lanes[l.lane]))).toEqual([7, 3, 2, 4, 5]);
    expect(plan.lanes.map((l) => l.lane)).toEqual([0, 1, 4, 5, 6]);
  });
});
