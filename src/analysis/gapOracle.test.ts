// Every time integral clips at a paste's gaps (gapClip.ts): the oracle. Real recordings with lines 401-1400
// replaced by one `[...]` (as a mail paste has it) against the whole recording, analysed over its known
// windows [T0, gap start) and [gap end, T1] with the window analysis. The cut knows less than the original
// only near the cut, on each CPU: before its first switch after the mark (perf script, ftrace), or while the
// placeholder of the rows it lost runs (timehist). That edge time is found from the two models' slices, and
// the original's run time in it (window analysis on that CPU) is taken off: run time and cpuShare are then
// equal, and busy time lies between the windows' sum less the edge and the windows' sum.

import { describe, expect, it } from 'vitest';
import { TaskKind, type TraceModel } from '../model/types';
import type { Run } from '../model/runs';
import { cutFixture } from '../testing/cutPaste';
import { analyzeRun } from './analyze';
import { antagonists } from './antagonists';
import { selectionBreakdown } from './panel';
import { seriesForRun } from './series';
import { knownDuration, resolveWindow } from './window';

type Span = [number, number];

/** [from, to) less the union of `holes` (any order, may overlap). */
function minus(from: number, to: number, holes: Span[]): Span[] {
  const out: Span[] = [];
  let at = from;
  for (const [a, b] of [...holes].sort((x, y) => x[0] - y[0])) {
    if (b <= at) continue;
    if (a >= to) break;
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (to > at) out.push([at, to]);
  return out;
}

/** Per CPU, the time of [T0, T1] outside the gaps that no slice of a known task covers. */
function unknownOnCpu(m: TraceModel, gaps: Span[], t0: number, t1: number): Map<number, Span[]> {
  const covered = new Map<number, Span[]>();
  for (let i = 0; i < m.switches.length; i++) {
    const x = m.switches.next[i];
    if (m.tasks.kind[x] === TaskKind.Elided) continue;
    const c = m.switches.cpu[i];
    const list = covered.get(c) ?? [];
    list.push([m.switches.time[i], m.slices.end[i]]);
    covered.set(c, list);
  }
  return new Map(m.cpus.map((c) => [c, minus(t0, t1, [...(covered.get(c) ?? []), ...gaps])]));
}

/** Run time of each VM's vCPUs in the window's analysis of `run` (Σ runFraction × D), ns. */
function vmRun(run: Run, range: Span, cpus?: number[]): number[] {
  const a = analyzeRun(run, { range, cpus });
  const d = a.window.durationUs * 1000;
  return a.vms.map((vm) => vm.vcpus.reduce((s, c) => s + (c.runFraction ?? 0) * d, 0));
}

/** Busy time (r(t) > 0) of each VM in the window's analysis, ns. */
function vmBusy(run: Run, range: Span): number[] {
  const a = analyzeRun(run, { range });
  const d = a.window.durationUs * 1000;
  return a.vms.map((vm) => (1 - (vm.coRunHistogram[0] ?? 1)) * d);
}

const CASES: [string, string][] = [
  ['qemu-tcg-2vm-x2vcpu.script-pidtid.txt', 'cut.script-pidtid.txt'],
  ['ftrace-qemu-3vm-x2vcpu.ftrace.txt', 'cut.ftrace.txt'],
  ['qemu-tcg-2vm-x2vcpu.timehist.txt', 'cut.timehist.txt'],
];

describe('time integrals clip at a paste gap: the cut equals the original over its known windows', () => {
  it.each(CASES)('%s with lines 401-1400 behind [...]', async (fixture, name) => {
    const { cut, original } = await cutFixture(fixture, name);
    const m = cut.model;
    expect(m.gaps.length).toBe(1);
    const [gs, ge] = [m.gaps.start[0], m.gaps.end[0]];
    const w = resolveWindow(m);
    expect(resolveWindow(original.model)).toMatchObject({ start: w.start, end: w.end, cpus: w.cpus });
    expect(gs).toBeGreaterThan(w.start);
    expect(ge).toBeLessThan(w.end);
    const known = knownDuration(m, w);
    expect(known).toBe(w.duration - (ge - gs));
    const P = w.cpus.length;

    // The edge: time the original knows (a slice covers it) and the cut does not, per CPU.
    const gap: Span[] = [[gs, ge]];
    const lostCut = unknownOnCpu(m, gap, w.start, w.end);
    const lostOriginal = unknownOnCpu(original.model, gap, w.start, w.end);
    let edge = 0;
    const edgeRun = new Array<number>(cut.vms.length).fill(0);
    for (const c of w.cpus) {
      const orig = lostOriginal.get(c) ?? [];
      for (const [a, b] of lostCut.get(c) ?? []) {
        for (const [x, y] of minus(a, b, orig)) {
          edge += y - x;
          vmRun(original, [x, y], [c]).forEach((r, v) => (edgeRun[v] += r));
        }
      }
    }
    // The edge is small next to the gap: a few switches' time per CPU.
    expect(edge).toBeLessThan(0.25 * (ge - gs));

    const before = vmRun(original, [w.start, gs]);
    const after = vmRun(original, [ge, w.end + 1]);
    const busyBefore = vmBusy(original, [w.start, gs]);
    const busyAfter = vmBusy(original, [ge, w.end + 1]);
    const a = analyzeRun(cut);
    const series = seriesForRun(cut, (w.duration / 97) | 0);
    const tol = 1e-6 * w.duration;
    a.vms.forEach((vm, v) => {
      const run = vm.vcpus.reduce((s, c) => s + c.runFraction! * known, 0);
      const expected = before[v] + after[v] - edgeRun[v];
      expect(expected).toBeGreaterThan(0);
      expect(Math.abs(run - expected)).toBeLessThan(tol);
      expect(Math.abs(vm.cpuShare! * known * P - expected)).toBeLessThan(tol);
      // r(t): its integral is the run time, and busy time is bounded by the windows' sum and the edge.
      const integral = vm.coRunHistogram.reduce<number>((s, h, j) => s + j * h! * known, 0);
      expect(Math.abs(integral - expected)).toBeLessThan(tol);
      const busy = (1 - vm.coRunHistogram[0]!) * known;
      expect(busy).toBeLessThanOrEqual(busyBefore[v] + busyAfter[v] + tol);
      expect(busy).toBeGreaterThanOrEqual(busyBefore[v] + busyAfter[v] - edge - tol);
      // --series: the bins' mean r(t) over their known time integrates to the same run time.
      const s = series.vms[v].meanRunning.reduce<number>(
        (acc, x, k) => acc + (x ?? 0) * series.binKnownUs[k] * 1000,
        0,
      );
      expect(Math.abs(s - expected)).toBeLessThan(tol);
      // A selection over the whole trace: the same run time, its share of the known CPU time is cpuShare, and
      // the gap is its own row (not in "unknown").
      const sel = selectionBreakdown(cut, resolveWindow(m, { range: [w.start, w.end + 1] }));
      expect(Math.abs(sel.vms[v].vcpuNs - expected)).toBeLessThan(tol);
      expect(sel.vms[v].vcpuNs / sel.cpuTimeNs).toBeCloseTo(vm.cpuShare!, 9);
      expect(sel.gapNs).toBe((ge - gs) * P);
      expect(sel.cpuTimeNs).toBe(known * P);
      // Antagonists: the waits' time is the preempted time over known time, and their parts add up to it.
      if (m.hasStates) {
        vm.vcpus.forEach((c, j) => {
          const rep = antagonists(cut, cut.vms[v].vcpus[j].task)!;
          expect(Math.abs(rep.waitingNs - c.preemptedFraction! * known)).toBeLessThan(tol);
          const parts = rep.antagonists.reduce((acc, x) => acc + x.timeNs, 0) + rep.unknownNs;
          expect(Math.abs(parts - rep.cpuTimeNs)).toBeLessThan(tol);
        });
      }
    });
  });
});
