// The panel's numbers on the hand-made trace (testing/panelTrace) and on a recording: slice histograms
// (the same slices as the metrics), selection time shares, switch-rate bins.

import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns } from '../model/runs';
import { panelTrace } from '../testing/panelTrace';
import { US } from '../testing/runs';
import { analyzeRun } from './analyze';
import { binEdgeNs, computePanel, computeTimeline, logBin, selectionBreakdown, sliceHistogram } from './panel';
import { resolveWindow } from './window';

describe('slice histograms', () => {
  it('bins the slices the slice statistics count, on shared log bins', () => {
    const { run } = panelTrace();
    const w = resolveWindow(run.model);
    const hist = sliceHistogram(run, w);
    // A: 100, 190, 100 µs; B: 400 µs.
    expect(hist.vms.map((v) => v.total)).toEqual([3, 1]);
    const k100 = logBin(100 * US);
    const k190 = logBin(190 * US);
    const k400 = logBin(400 * US);
    expect(hist.firstBin).toBe(k100);
    expect(hist.bins).toBe(k400 - k100 + 1);
    expect(hist.vms[0].counts[0]).toBe(2);
    expect(hist.vms[0].counts[k190 - k100]).toBe(1);
    expect(hist.vms[1].counts[k400 - k100]).toBe(1);
    expect(analyzeRun(run).vms[0].runSliceMedianUs).toBe(100);
    expect(binEdgeNs(k100)).toBeLessThanOrEqual(100 * US);
    expect(binEdgeNs(k100 + 1)).toBeGreaterThan(100 * US);
  });

  it('counts as many slices as the metrics take the median of, on a recording', async () => {
    const run = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt')]))[0];
    const p = computePanel(run, { range: [300e6, 1.2e9], cpus: null });
    const m = analyzeRun(run, { range: [300e6, 1.2e9] });
    expect(p.metrics).toEqual(m);
    for (const [v, vm] of p.sliceHist.vms.entries()) {
      // The median's bin holds the middle slice.
      const med = m.vms[v].runSliceMedianUs! * 1000;
      let below = vm.zero;
      const k = logBin(med) - p.sliceHist.firstBin;
      for (let i = 0; i < k; i++) below += vm.counts[i];
      expect(below).toBeLessThanOrEqual(vm.total / 2);
      expect(below + vm.counts[k]).toBeGreaterThanOrEqual(vm.total / 2);
    }
    expect(p.selection).not.toBeNull();
  });
});

describe('selection breakdown', () => {
  it('time per VM and per task, shares of D × P that add up to 1', () => {
    const { run, a0, a1, b0, h } = panelTrace();
    // [50, 350): D = 300 µs, P = 2, 600 µs of CPU time.
    const w = resolveWindow(run.model, { range: [50 * US, 350 * US] });
    const s = selectionBreakdown(run, w);
    expect(s.cpuTimeNs).toBe(600 * US);
    // A: a0 [50,100) + [300,350) = 100, a1 190 → 290; B: 300; host h 10.
    expect(s.vms.map((v) => [v.name, v.vcpuNs / US, v.otherNs])).toEqual([
      ['A', 290, 0],
      ['B', 300, 0],
    ]);
    expect(s.hostNs).toBe(10 * US);
    expect(s.idleNs).toBe(0);
    expect(s.unknownNs).toBe(0);
    expect(s.tasks.map((t) => [t.task, t.timeNs / US, t.cls])).toEqual([
      [b0, 300, 'vcpu'],
      [a1, 190, 'vcpu'],
      [a0, 100, 'vcpu'],
      [h, 10, 'host'],
    ]);
    expect(s.tasks[0].share).toBe(0.5);
    const total = s.vms.reduce((x, v) => x + v.timeNs, 0) + s.hostNs + s.idleNs + s.unknownNs;
    expect(total).toBe(s.cpuTimeNs);
    // A CPU subset: only cpu0's slices.
    const c0 = selectionBreakdown(run, resolveWindow(run.model, { range: [50 * US, 350 * US], cpus: [0] }));
    expect(c0.cpuTimeNs).toBe(300 * US);
    expect(c0.vms[1].timeNs).toBe(0);
  });
});

describe('switch-rate timeline', () => {
  it('counts switches and vCPU switch-ins per bin, per second', () => {
    const { run } = panelTrace();
    const t = computeTimeline(run, { start: 0, end: 400 * US, bins: 4, cpus: null });
    expect(t.binNs).toBe(100 * US);
    // Switches at 0 (×2), 100, 110, 300; the ones at 400 are at the window's end, outside [0, 400).
    expect(t.total.map((x) => (x! * t.binNs) / 1e9)).toEqual([2, 2, 0, 1]);
    expect(t.vms[0].map((x) => (x! * t.binNs) / 1e9)).toEqual([1, 1, 0, 1]);
    expect(t.vms[1].map((x) => (x! * t.binNs) / 1e9)).toEqual([1, 0, 0, 0]);
    const c1 = computeTimeline(run, { start: 0, end: 400 * US, bins: 4, cpus: [1] });
    expect(c1.total.map((x) => (x! * c1.binNs) / 1e9)).toEqual([1, 0, 0, 0]);
  });
});
