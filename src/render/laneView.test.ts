import { describe, expect, it } from 'vitest';
import {
  FIT_LANES,
  JUMP_LANE_HEIGHT,
  MAX_LANE_HEIGHT,
  clampLaneView,
  revealRows,
  scrollLanes,
  showLanes,
  zoomLanes,
  type LaneGeometry,
} from './laneView';
import { fittedHeight, layoutLanes, mapHeight } from './layout';
import { cpuLanes, laneFullLabel, shownLaneCount, vcpuLanes, type Lane } from './lanes';
import { laneLabelPlan, rulerStep, shortLaneLabel } from './laneLabels';
import type { VmGroup } from '../model/vms';

// 80 CPU lanes in a 560 px map, as the map lays them out.
const lanes80 = cpuLanes({ cpus: Array.from({ length: 80 }, (_, i) => i), declaredCpuCount: null });
const geom = (lanes: readonly Lane[] = lanes80, view = 560): LaneGeometry => ({
  fitHeight: layoutLanes(lanes, 1, view).laneHeight[0],
  fitContent: layoutLanes(lanes, 1, view).contentHeight,
  viewHeight: view,
  contentHeight: (h) => layoutLanes(lanes, 1, view, { laneHeight: h }).contentHeight,
});

function vms(n: number, vcpus: number): { vms: VmGroup[] } {
  return {
    vms: Array.from({ length: n }, (_, v) => ({
      name: `vm${v}`,
      vcpus: Array.from({ length: vcpus }, (_, k) => ({ index: k, tid: 1000 * (v + 1) + k, task: -1 })),
      otherThreads: [],
    })) as unknown as VmGroup[],
  };
}

describe('lane zoom and scroll', () => {
  it('zooms about the anchor: the lane under the pointer stays under it', () => {
    const g = geom();
    expect(g.fitHeight).toBe(6);
    const anchorY = 300;
    const z = zoomLanes(FIT_LANES, 3, anchorY, g);
    expect(z.height).toBe(18);
    const before = layoutLanes(lanes80, 1, 560);
    const after = layoutLanes(lanes80, 1, 560, { laneHeight: z.height!, scrollY: Math.round(z.scroll) });
    const laneAt = (l: typeof before) =>
      Array.from(l.top).findIndex((t, i) => t <= anchorY && anchorY < t + l.laneHeight[i] + 1);
    expect(laneAt(after)).toBe(laneAt(before));
  });

  it('never goes below the fit nor above 64 px, and scroll stays inside the content', () => {
    const g = geom();
    expect(zoomLanes(FIT_LANES, 0.5, 100, g)).toEqual(FIT_LANES);
    const big = zoomLanes(FIT_LANES, 100, 559, g);
    expect(big.height).toBe(64);
    expect(big.scroll).toBeLessThanOrEqual(g.contentHeight(64) - 560);
    const down = scrollLanes(big, 1e9, g);
    expect(down.scroll).toBe(g.contentHeight(64) - 560);
    expect(scrollLanes(down, -1e9, g).scroll).toBe(0);
    // Zooming back out to the fit returns to the whole-host view.
    expect(zoomLanes(big, 1 / 100, 0, g)).toEqual(FIT_LANES);
    // Scrolling the fitted view does nothing.
    expect(scrollLanes(FIT_LANES, 50, g)).toBe(FIT_LANES);
  });

  it('keeps a zoom valid when the map grows, and reveals a lane with the least scroll', () => {
    const z = { height: 20, scroll: 1000 };
    const clamped = clampLaneView(z, geom(lanes80, 900));
    expect(clamped.scroll).toBe(geom(lanes80, 900).contentHeight(20) - 900);
    expect(clampLaneView({ height: 5, scroll: 10 }, geom())).toEqual(FIT_LANES);
    const r = revealRows({ height: 20, scroll: 0 }, 600, 620, geom());
    expect(r.scroll).toBe(60);
    expect(revealRows(r, 100, 120, geom()).scroll).toBe(60);
  });

  it('fittedHeight is the height the fitted lanes take, so no band is left under them', () => {
    const lanes = vcpuLanes(vms(8, 20));
    const h = fittedHeight(160, 7, 614);
    const lay = layoutLanes(lanes, 1, 614);
    expect(h).toBe(lay.contentHeight);
    expect(h).toBeLessThan(614);
    // The map at that height lays the lanes out the same.
    expect(layoutLanes(lanes, 1, h).laneHeight[0]).toBe(lay.laneHeight[0]);
  });
});

describe('map height', () => {
  const run = { model: { cpus: [0, 1, 2, 3, 5] }, ...vms(8, 20) };
  it('counts the lanes shown: hidden CPUs and VMs leave, a VM block is a group', () => {
    expect(shownLaneCount(run, 'cpu', new Set([2, 7]), new Set([0]))).toEqual({ lanes: 4, groups: 0 });
    expect(shownLaneCount(run, 'cpu', new Set([0, 1, 2, 3, 5]), new Set())).toEqual({ lanes: 1, groups: 0 });
    const hidden = new Set([1, 6]);
    const shown = shownLaneCount(run, 'vcpu', new Set(), hidden);
    expect(shown).toEqual({ lanes: 120, groups: 5 });
    // The same as the lanes the map lays out: 6 blocks of 20.
    const lanes = vcpuLanes(run, hidden);
    expect(lanes.length).toBe(shown.lanes);
    expect(new Set(lanes.map((l) => (l.kind === 'vcpu' ? l.vm : -1))).size - 1).toBe(shown.groups);
  });

  it('is 40 px a lane (at least 120) when there is room, else the fitted lanes in the room', () => {
    // 2 lanes of at most 48 px and their 1 px gap, in 120 px.
    expect(mapHeight(2, 0, 800, 1)).toBe(97);
    // 5 lanes in 200 px: 39 px each (whole pixels) and 4 gaps.
    expect(mapHeight(5, 0, 800, 1)).toBe(199);
    expect(mapHeight(5, 0, 150, 1)).toBe(5 * 29 + 4);
    const lanes = vcpuLanes(vms(8, 20));
    for (const dpr of [1, 2]) {
      const h = mapHeight(160, 7, 614, dpr);
      expect(h).toBeLessThanOrEqual(614);
      // No empty band: the lanes laid out in that height fill it to the device pixel.
      expect(Math.ceil(layoutLanes(lanes, 1, Math.round(h * dpr), { dpr }).contentHeight / dpr)).toBe(h);
    }
  });

  it("names a vCPU lane by its VM's label and vCPU index, a CPU lane by its own label", () => {
    const [v] = vcpuLanes(vms(2, 3), new Set([0]));
    expect(laneFullLabel(v, (vm) => `label${vm}`)).toBe('label1 · 0');
    expect(laneFullLabel(lanes80[7], () => 'x')).toBe('CPU 7');
  });
});

describe('lane labels', () => {
  it('labels every lane on screen once lanes are 10 px tall, none off screen', () => {
    const lay = layoutLanes(lanes80, 1, 560, { laneHeight: 12, scrollY: 130 });
    const plan = laneLabelPlan(lanes80, lay, 560);
    expect(plan.ruler).toEqual([]);
    expect(plan.lanes.length).toBeGreaterThan(40);
    for (const l of plan.lanes) expect(l.top + l.height > 0 && l.top < 560).toBe(true);
    expect(plan.lanes[0].lane).toBe(10);
    expect(shortLaneLabel(lanes80[plan.lanes[0].lane])).toBe('CPU 10');
  });

  it("labels a lane cut by the map's edge in its part on screen, none when that is under 10 px", () => {
    // 16 px lanes (17 px pitch) in a 100 px map: every scroll of one pitch, at each cut.
    for (let scroll = 0; scroll < 17; scroll++) {
      const lay = layoutLanes(lanes80, 1, 100, { laneHeight: 16, scrollY: 17 * 20 + scroll });
      const plan = laneLabelPlan(lanes80, lay, 100);
      for (const l of plan.lanes) {
        expect(l.top).toBeGreaterThanOrEqual(0);
        expect(l.top + l.height).toBeLessThanOrEqual(100);
        expect(l.height).toBeGreaterThanOrEqual(10);
      }
      // Each lane with 10 px or more on screen is labelled, in exactly that part.
      const onScreen = lanes80.flatMap((_, i) => {
        const t = Math.max(0, lay.top[i]);
        const b = Math.min(100, lay.top[i] + lay.laneHeight[i]);
        return b - t >= 10 ? [{ lane: i, top: t, height: b - t }] : [];
      });
      expect(plan.lanes).toEqual(onScreen);
      expect(onScreen.length).toBeGreaterThanOrEqual(5);
    }
    // Scrolled 9 px into lane 20: its 7 px left get no label, nor lane 26's 7 px at the bottom edge.
    const lay = layoutLanes(lanes80, 1, 100, { laneHeight: 16, scrollY: 17 * 20 + 9 });
    expect([lay.top[20], lay.top[26]]).toEqual([-9, 93]);
    expect(laneLabelPlan(lanes80, lay, 100).lanes.map((l) => l.lane)).toEqual([21, 22, 23, 24, 25]);
  });

  it('below 10 px a ruler labels every k-th lane, 14 px or more apart', () => {
    expect([1, 2, 5, 10, 20].map((k) => rulerStep(14 / k))).toEqual([1, 2, 5, 10, 20]);
    expect(rulerStep(3)).toBe(5);
    const lay = layoutLanes(lanes80, 1, 560);
    const plan = laneLabelPlan(lanes80, lay, 560);
    expect(plan.lanes).toEqual([]);
    expect(plan.step).toBe(2);
    expect(plan.ruler.map((r) => r.lane).slice(0, 3)).toEqual([0, 2, 4]);
    for (let i = 1; i < plan.ruler.length; i++)
      expect(plan.ruler[i].y - plan.ruler[i - 1].y).toBeGreaterThanOrEqual(14);
  });

  it('vCPU mode: a block per VM at every zoom, clipped to the view, the ruler restarting in each', () => {
    const lanes = vcpuLanes(vms(8, 20));
    const fit = laneLabelPlan(lanes, layoutLanes(lanes, 1, 600), 600);
    expect(fit.groups.map((g) => g.vm)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(fit.groups.map((g) => [g.first, g.last])[1]).toEqual([20, 39]);
    expect(fit.ruler.filter((r) => r.lane >= 20 && r.lane < 40).map((r) => lanes[r.lane].vcpuIndex)[0]).toBe(0);
    // Zoomed into the middle of VM 2: its block fills the view, its name stays on screen.
    const g = geom(lanes, 600);
    const lay = layoutLanes(lanes, 1, 600, { laneHeight: 40, scrollY: 40 * 45 });
    expect(g.fitHeight).toBeLessThan(10);
    const zoomed = laneLabelPlan(lanes, lay, 600);
    expect(zoomed.groups.map((x) => x.vm)).toEqual([2]);
    expect(zoomed.groups[0]).toMatchObject({ top: 0, bottom: 600 });
    expect(shortLaneLabel(lanes[zoomed.lanes[0].lane])).toMatch(/^vCPU \d+$/);
  });

  it("ruler labels stay apart where drawn (the first pushed down to the top); a block's vCPU 0 wins", () => {
    // Drawn from max(0, y - 6), 12 px tall (LaneLabels): boxes overlap 1 px at most, centres 14 px apart.
    const check = (plan: ReturnType<typeof laneLabelPlan>, what: string): void => {
      for (let i = 1; i < plan.ruler.length; i++) {
        const [a, b] = [plan.ruler[i - 1].y, plan.ruler[i].y];
        expect(b - a, what).toBeGreaterThanOrEqual(14);
        expect(Math.max(6, b) - Math.max(6, a), what).toBeGreaterThanOrEqual(11);
      }
    };
    // 128 CPU lanes fitted (3 px lanes at a 1280x720 window's map): CPU 0 and CPU 5 overlapped.
    const cpus128 = cpuLanes({ cpus: Array.from({ length: 128 }, (_, i) => i), declaredCpuCount: null });
    for (const view of [300, 380, 420, 520, 640, 760]) {
      const plan = laneLabelPlan(cpus128, layoutLanes(cpus128, 1, view), view);
      expect(plan.ruler[0].lane).toBe(0);
      check(plan, `128 CPUs in ${view} px`);
    }
    // 16 VMs x 16 vCPUs (256 lanes) and 8 x 20 fitted in the map heights of 1280x720 and 1600x900 windows.
    for (const [n, per] of [
      [16, 16],
      [8, 20],
    ])
      for (const view of [300, 380, 420, 520, 640, 760]) {
        const lanes = vcpuLanes(vms(n, per));
        const lay = layoutLanes(lanes, 1, view);
        const plan = laneLabelPlan(lanes, lay, view);
        expect(plan.lanes).toEqual([]);
        check(plan, `${n}x${per} in ${view} px`);
        // Every block on screen keeps its vCPU 0 mark when its first lane is clear of the previous block's.
        const zeros = plan.ruler.filter((r) => lanes[r.lane].vcpuIndex === 0).map((r) => r.lane / per);
        const mid = (v: number): number => (lay.top[v * per] + lay.laneHeight[0] / 2) / lay.dpr;
        for (let v = 1; v < n; v++)
          if (mid(v) < view && mid(v) - mid(v - 1) >= 14 && mid(v) - Math.max(6, mid(v - 1)) >= 11)
            expect(zeros, `${n}x${per} in ${view} px`).toContain(v);
      }
  });
});

describe('a search jump’s lanes (showLanes)', () => {
  // 8 VMs x 20 vCPUs: 160 vCPU lanes in a 560 px map (3 px each when fitted).
  const lanes = vcpuLanes(vms(8, 20));
  const g = geom(lanes);
  const rows = (first: number, last: number) => (h: number) => {
    const lay = layoutLanes(lanes, 1, 560, { laneHeight: h });
    return { top: lay.top[first], bottom: lay.top[last] + lay.laneHeight[last] };
  };

  it('zooms a VM’s block of 20 lanes to fill the map and scrolls it into the middle', () => {
    expect(g.fitHeight).toBeLessThan(4);
    const lv = showLanes(FIT_LANES, 20, MAX_LANE_HEIGHT, rows(60, 79), g);
    // As tall as fits with the gaps between lanes (28 px without them), in whole px.
    expect(lv.height).toBe(27);
    const r = rows(60, 79)(lv.height!);
    // The whole block is in view.
    expect(r.top).toBeGreaterThanOrEqual(lv.scroll);
    expect(r.bottom).toBeLessThanOrEqual(lv.scroll + 560);
  });

  it('zooms fitted lanes to a labelled height for one lane, and never below the current zoom', () => {
    const one = showLanes(FIT_LANES, 1, JUMP_LANE_HEIGHT, rows(150, 150), g);
    expect(one.height).toBe(JUMP_LANE_HEIGHT);
    const r = rows(150, 150)(JUMP_LANE_HEIGHT);
    expect(r.top).toBeGreaterThanOrEqual(one.scroll);
    expect(r.bottom).toBeLessThanOrEqual(one.scroll + 560);
    // Zoomed taller already: the height stays, the block (taller than the map) starts at the top.
    const tall = showLanes({ height: 40, scroll: 0 }, 20, MAX_LANE_HEIGHT, rows(20, 39), g);
    expect(tall.height).toBe(40);
    expect(tall.scroll).toBe(rows(20, 39)(40).top);
    // Lanes that fill the map when fitted (a VM of 160 lanes) stay fitted.
    expect(showLanes(FIT_LANES, 160, MAX_LANE_HEIGHT, rows(0, 159), g)).toEqual(FIT_LANES);
  });
});
