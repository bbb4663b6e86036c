// analyzeRun on the real recordings (test/fixtures, see TRACES.md):
//  1. against a deliberately naive reimplementation from the raw slices (one
//     object per slice, backward/forward scans, r(t) by counting slices at the
//     midpoint of every elementary interval: O(n²), independent of the sweep);
//  2. map and script input of one recording agree on every field that does not
//     need states or wakeups;
//  3. the paired recordings differ the way TRACES.md says they should.

import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, RECORDINGS } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import type { Run } from '../model/runs';
import { assembleRuns } from '../model/runs';
import { SliceEnd, TaskKind, WakeupKind } from '../model/types';
import { analyzeRun } from './analyze';
import type { RunMetrics, VmMetrics } from './metrics';
import { runningLevels } from './runningCount';
import { seriesForRun } from './series';
import { switchPass } from './switchPass';
import { indexVms } from './vmIndex';
import { resolveWindow, type AnalysisOptions } from './window';

async function load(file: string): Promise<Run> {
  const runs = assembleRuns(await loadInputs([fixturePath(file)]));
  expect(runs).toHaveLength(1);
  return runs[0];
}

// ---- the naive reference ---------------------------------------------------

/** R-7, written out (not d3). */
function q7(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, x.length - 1);
  return x[lo] + (h - lo) * (x[hi] - x[lo]);
}
const us = (ns: number | null): number | null => (ns === null ? null : ns / 1000);
const div = (a: number, b: number): number | null => (b === 0 ? null : a / b);

interface RefVm {
  gangScore: number | null;
  gangScoreIndependent: number | null;
  coScheduling: number | null;
  allRunningFraction: number | null;
  coRunHistogram: (number | null)[];
  runSliceMedianUs: number | null;
  runSliceP90Us: number | null;
  runSliceP99Us: number | null;
  runSliceMaxUs: number | null;
  switchInsPerSec: number | null;
  siblingHandoffs: number;
  siblingHandoffsPerSec: number | null;
  cpuShare: number | null;
  hostNoiseShare: number | null;
  vcpuMigrationsPerSec: number | null;
  preemptedVcpusMean: number | null;
  runDelayP50Us: number | null;
  runDelayP99Us: number | null;
  pleExitsPerSec: number | null;
  vcpus: {
    runSliceMedianUs: number | null;
    switchInsPerSec: number | null;
    runFraction: number | null;
    preemptedFraction: number | null;
    migrationsPerSec: number | null;
    runDelayP99Us: number | null;
  }[];
}

function reference(run: Run, opts: AnalysisOptions = {}) {
  const m = run.model;
  const sw = m.switches;
  const n = sw.length;
  const T0 = sw.time[0];
  const T1 = sw.time[n - 1];
  const a = Math.max(opts.range ? opts.range[0] : -Infinity, T0);
  const b = Math.max(a, Math.min(opts.range ? opts.range[1] : Infinity, T1));
  const bEv = opts.range ? opts.range[1] : Infinity;
  const D = b - a;
  const evIn = (t: number) => t >= a && t < bEv && t <= T1;
  const P = m.cpus.filter((c) => !opts.cpus || opts.cpus.includes(c));
  const inP = (c: number) => P.includes(c);
  const clip = (s: number, e: number) => Math.max(0, Math.min(e, b) - Math.max(s, a));
  const slices = Array.from({ length: n }, (_, i) => ({
    i,
    s: sw.time[i],
    e: m.slices.end[i],
    cpu: sw.cpu[i],
    task: sw.next[i],
    reason: m.slices.endReason[i],
  }));
  const vmThreads = new Set<number>();
  for (const vm of run.vms) for (const t of [...vm.vcpus, ...vm.otherThreads]) vmThreads.add(t.task);
  const from = (i: number): number => {
    for (let j = i - 1; j >= 0; j--) {
      if (sw.cpu[j] === sw.cpu[i]) return m.slices.endReason[j] === SliceEnd.Switch ? sw.next[j] : -1;
    }
    return -1;
  };

  const perCpu = P.map((c) => {
    const mine = slices.filter((x) => x.cpu === c);
    const known = mine.reduce((acc, x) => acc + clip(x.s, x.e), 0);
    const idle = mine.filter((x) => m.tasks.kind[x.task] === TaskKind.Idle).reduce((acc, x) => acc + clip(x.s, x.e), 0);
    const switches = mine.filter((x) => evIn(x.s)).length;
    return { cpu: c, switches, switchesPerSec: div(switches * 1e9, D), idleFraction: div(idle, known) };
  });
  const totalSwitches = perCpu.reduce((acc, c) => acc + c.switches, 0);

  // Wakeup kind: sched_waking when the trace has any, else sched_wakeup.
  const wkKind = Array.from(m.wakeups.kind).includes(WakeupKind.Waking) ? WakeupKind.Waking : WakeupKind.Wakeup;
  const bounds = [...new Set([a, b, ...Array.from(sw.time).filter((t) => t > a && t < b)])].sort((x, y) => x - y);

  const vms: RefVm[] = run.vms.map((vm) => {
    const vc = vm.vcpus.map((c) => c.task);
    const nv = vc.length;
    const k = Math.min(nv, P.length);
    const vs = slices.filter((x) => vc.includes(x.task) && inP(x.cpu) && x.e > x.s);
    // r(t) on each elementary interval, from its midpoint.
    const hist = new Array(nv + 1).fill(0);
    let busy = 0;
    let integral = 0;
    let atLeastK = 0;
    for (let j = 0; j + 1 < bounds.length; j++) {
      const [u, v] = [bounds[j], bounds[j + 1]];
      const mid = (u + v) / 2;
      const r = vs.filter((x) => x.s <= mid && mid < x.e).length;
      hist[r] += v - u;
      if (r > 0) busy += v - u;
      integral += r * (v - u);
      if (r >= k && r > 0) atLeastK += v - u;
    }
    const statSlices = (tasks: number[]) =>
      slices
        .filter((x) => tasks.includes(x.task) && inP(x.cpu) && x.reason === SliceEnd.Switch && evIn(x.s) && x.e <= b)
        .map((x) => x.e - x.s);
    const switchInsOf = (t: number) => slices.filter((x) => x.task === t && inP(x.cpu) && evIn(x.s)).length;
    const migrationsOf = (t: number) =>
      slices.filter((x) => {
        if (x.task !== t || !inP(x.cpu) || !evIn(x.s)) return false;
        for (let j = x.i - 1; j >= 0; j--) if (sw.next[j] === t) return sw.cpu[j] !== x.cpu;
        return false;
      }).length;
    const runOf = (t: number) => vs.filter((x) => x.task === t).reduce((acc, x) => acc + clip(x.s, x.e), 0);
    const preemptedOf = (t: number): number | null => {
      if (!m.hasStates) return null;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const st = sw.prevState[i];
        if (from(i) !== t || !(st === 1 || st === 2) || !inP(sw.cpu[i])) continue;
        let end = T1;
        for (let j = i + 1; j < n; j++) {
          if (sw.next[j] === t) {
            end = sw.time[j];
            break;
          }
        }
        total += clip(sw.time[i], end);
      }
      return total;
    };
    const delaysOf = (t: number): number[] | null => {
      if (m.wakeups.length === 0) return null;
      const bySwitchIn = new Map<number, number>();
      for (let e = 0; e < m.wakeups.length; e++) {
        const tw = m.wakeups.time[e];
        if (m.wakeups.task[e] !== t || m.wakeups.kind[e] !== wkKind || !evIn(tw)) continue;
        let last = -1;
        for (let j = 0; j < n && sw.time[j] < tw; j++) if (sw.next[j] === t) last = j;
        if (last >= 0 && m.slices.end[last] > tw) continue; // running
        let nextIn = -1;
        for (let j = 0; j < n; j++) {
          if (sw.next[j] === t && sw.time[j] >= tw) {
            nextIn = j;
            break;
          }
        }
        if (nextIn < 0) continue;
        if (!bySwitchIn.has(nextIn)) bySwitchIn.set(nextIn, tw);
      }
      return [...bySwitchIn].filter(([j]) => inP(sw.cpu[j])).map(([j, tw]) => sw.time[j] - tw);
    };
    const used = P.filter((c) => vs.some((x) => x.cpu === c && clip(x.s, x.e) > 0));
    const onUsed = slices.filter((x) => used.includes(x.cpu));
    const noise = onUsed
      .filter((x) => m.tasks.kind[x.task] !== TaskKind.Idle && !vmThreads.has(x.task))
      .reduce((acc, x) => acc + clip(x.s, x.e), 0);
    const knownUsed = onUsed.reduce((acc, x) => acc + clip(x.s, x.e), 0);
    const all = statSlices(vc);
    const pre = vc.map(preemptedOf);
    const delays = vc.map(delaysOf);
    const allDelays = delays.every((d) => d === null) ? null : delays.flatMap((d) => d ?? []);
    // Independent scheduling at each vCPU's run share p = run / D (written out, not analyze.ts's loop).
    const shares = vc.map((t) => runOf(t) / D);
    const independent = div(
      shares.reduce((a, p) => a + p, 0),
      k * (1 - shares.reduce((a, p) => a * (1 - p), 1)),
    );
    const gang = div(integral, k * busy);
    const handoffs = slices.filter((x) => {
      if (!vc.includes(x.task) || !inP(x.cpu) || !evIn(x.s)) return false;
      const f = from(x.i);
      return f !== x.task && vc.includes(f);
    }).length;
    return {
      gangScore: gang,
      gangScoreIndependent: independent,
      coScheduling:
        gang === null || independent === null || independent === 1 ? null : (gang - independent) / (1 - independent),
      allRunningFraction: div(atLeastK, busy),
      coRunHistogram: hist.map((h, j) => div(j === 0 ? D - (busy as number) : h, D)),
      runSliceMedianUs: us(q7(all, 0.5)),
      runSliceP90Us: us(q7(all, 0.9)),
      runSliceP99Us: us(q7(all, 0.99)),
      runSliceMaxUs: all.length ? Math.max(...all) / 1000 : null,
      switchInsPerSec: div(vc.reduce((acc, t) => acc + switchInsOf(t), 0) * 1e9, D),
      siblingHandoffs: handoffs,
      siblingHandoffsPerSec: div(handoffs * 1e9, D),
      cpuShare: div(
        vc.reduce((acc, t) => acc + runOf(t), 0),
        D * P.length,
      ),
      hostNoiseShare: div(noise, knownUsed),
      vcpuMigrationsPerSec: div(vc.reduce((acc, t) => acc + migrationsOf(t), 0) * 1e9, D),
      preemptedVcpusMean: m.hasStates
        ? div(
            pre.reduce((acc: number, p) => acc + (p ?? 0), 0),
            D,
          )
        : null,
      runDelayP50Us: allDelays ? us(q7(allDelays, 0.5)) : null,
      runDelayP99Us: allDelays ? us(q7(allDelays, 0.99)) : null,
      pleExitsPerSec: m.kvmExits.length === 0 ? null : NaN,
      vcpus: vc.map((t, j) => ({
        runSliceMedianUs: us(q7(statSlices([t]), 0.5)),
        switchInsPerSec: div(switchInsOf(t) * 1e9, D),
        runFraction: div(runOf(t), D),
        preemptedFraction: pre[j] === null ? null : div(pre[j] as number, D),
        migrationsPerSec: div(migrationsOf(t) * 1e9, D),
        runDelayP99Us: delays[j] ? us(q7(delays[j] as number[], 0.99)) : null,
      })),
    };
  });
  return {
    switchesPerSecPerCpu: div(totalSwitches * 1e9, D * P.length),
    perCpu,
    vms,
  };
}

/** Deep comparison with a relative tolerance for floats (sums in a different order). */
function expectClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return; // reference leaves it to the hand-made tests
    const tol = 1e-9 * Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= tol)) expect.fail(`${path}: ${actual} != ${expected}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toBe(expected);
    return;
  }
  for (const [k, v] of Object.entries(expected)) {
    expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  }
}

const NAIVE_FILES = [
  ...RECORDINGS.map((r) => `${r}.script-pidtid.txt`),
  'ftrace-qemu-3vm-x2vcpu.ftrace.txt',
  'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt',
];

describe('analyzeRun matches a naive implementation on the recordings', () => {
  for (const file of NAIVE_FILES) {
    it(file, async () => {
      const run = await load(file);
      const m = run.model;
      expect(m.switches.length).toBeGreaterThan(1000);
      expect(run.vms.length).toBeGreaterThan(0);
      const T0 = m.switches.time[0];
      const D = m.switches.time[m.switches.length - 1] - T0;
      const cases: AnalysisOptions[] = [
        {},
        // A range that cuts slices (odd offsets, not on a switch time).
        { range: [T0 + Math.round(D * 0.31) + 7, T0 + Math.round(D * 0.77) + 3] },
        { cpus: [1] },
      ];
      for (const opts of cases) {
        const got = analyzeRun(run, opts);
        expectClose(got, reference(run, opts), JSON.stringify(opts));
      }
      const whole = analyzeRun(run);
      // Sanity of the comparison itself: the fields are populated.
      expect(whole.vms.some((v) => (v.gangScore ?? 0) > 0)).toBe(true);
      if (m.hasStates) expect(whole.vms.some((v) => (v.preemptedVcpusMean ?? 0) > 0)).toBe(true);
    });
  }

  it('run delays are measured where the trace has vCPU wakeups', async () => {
    const r = analyzeRun(await load('ftrace-qemu-3vm-x2vcpu.ftrace.txt'));
    expect(r.vms.every((v) => v.runDelayP50Us !== null && v.runDelayP99Us !== null)).toBe(true);
    expect(r.vms.every((v) => (v.runDelayP99Us ?? 0) >= (v.runDelayP50Us ?? 0))).toBe(true);
  });
});

// ---- map and script input of one recording ----------------------------------

/**
 * The fields that need states or wakeup events, and the window's position
 * (relative to each input's first event: script input has events before the
 * first switch, the map has none).
 */
const NEEDS_STATES_OR_WAKEUPS = new Set([
  'preemptedVcpusMean',
  'preemptedFraction',
  'runDelayP50Us',
  'runDelayP99Us',
  'startUs',
  'endUs',
]);

function stateless(r: RunMetrics): unknown {
  return JSON.parse(JSON.stringify(r, (k, v) => (NEEDS_STATES_OR_WAKEUPS.has(k) ? undefined : v)));
}

describe('map and script input of one recording give the same values', () => {
  for (const rec of RECORDINGS) {
    it(rec, async () => {
      const script = await load(`${rec}.script.txt`);
      const map = await load(`${rec}.map.txt`);
      const mapCompact = await load(`${rec}.map-compact.txt`);
      expect(map.model.hasStates).toBe(false);
      expect(script.model.hasStates).toBe(true);
      const s = analyzeRun(script);
      // Both are grouped by thread name, into the same VMs.
      expect(map.vms.map((v) => v.vcpus.map((c) => c.tid))).toEqual(script.vms.map((v) => v.vcpus.map((c) => c.tid)));
      expectClose(stateless(analyzeRun(map)), stateless(s));
      expectClose(stateless(analyzeRun(mapCompact)), stateless(s));
      // The same range in both: offsets from each input's first switch (the same instant).
      const range = (run: Run): [number, number] => {
        const T0 = run.model.switches.time[0];
        return [T0 + 300_000_123, T0 + 1_200_000_457];
      };
      expectClose(
        stateless(analyzeRun(map, { range: range(map) })),
        stateless(analyzeRun(script, { range: range(script) })),
      );
      // The map has no states: those fields are null there, and set from the script.
      const m = analyzeRun(map);
      expect(
        m.vms.every((v) => v.preemptedVcpusMean === null && v.vcpus.every((c) => c.preemptedFraction === null)),
      ).toBe(true);
      expect(s.vms.every((v) => v.preemptedVcpusMean !== null)).toBe(true);
    });
  }
});

// ---- the paired recordings --------------------------------------------------

describe('the paired recordings differ as TRACES.md says', () => {
  const metrics = new Map<string, RunMetrics>();
  beforeAll(async () => {
    for (const rec of RECORDINGS) metrics.set(rec, analyzeRun(await load(`${rec}.script-pidtid.txt`)));
  });
  const get = (rec: string): VmMetrics[] => {
    const r = metrics.get(rec);
    if (!r) throw new Error(`no metrics for ${rec}`);
    return r.vms;
  };
  const mean = (xs: (number | null)[]) => xs.reduce((acc: number, x) => acc + (x ?? NaN), 0) / xs.length;
  const sum = (xs: number[]) => xs.reduce((acc, x) => acc + x, 0);

  for (const mode of ['spin', 'yield']) {
    const shared = `synth-4vm-x2vcpu-${mode}-pin-shared`;
    const spread = `synth-4vm-x2vcpu-${mode}-pin-spread`;
    const plain = `synth-4vm-x2vcpu-${mode}`;

    it(`${mode}: pin-shared siblings never run together and hand the CPU to each other`, () => {
      for (const vm of get(shared)) {
        // Both vCPUs on one CPU: r(t) <= 1, so gang = 1/k = 0.5 and never all running.
        expect(vm.coRunHistogram[2]).toBe(0);
        expect(vm.gangScore).toBeCloseTo(0.5, 12);
        expect(vm.allRunningFraction).toBe(0);
        expect(vm.siblingHandoffs).toBeGreaterThan(50);
      }
    });

    it(`${mode}: pin-spread siblings run together, never hand off, and score higher`, () => {
      for (const vm of get(spread)) {
        expect(vm.siblingHandoffs).toBe(0);
        expect(vm.coRunHistogram[2]).toBeGreaterThan(0.05);
        expect(vm.gangScore).toBeGreaterThan(0.55);
        expect(vm.vcpuMigrationsPerSec).toBe(0);
      }
      const spreadGang = mean(get(spread).map((v) => v.gangScore));
      expect(spreadGang).toBeGreaterThan(mean(get(shared).map((v) => v.gangScore)));
      expect(spreadGang).toBeGreaterThan(mean(get(plain).map((v) => v.gangScore)));
      expect(sum(get(shared).map((v) => v.siblingHandoffs))).toBeGreaterThan(200);
    });
  }

  it('siblings run together more with yield than with spin (pin-spread)', () => {
    expect(mean(get('synth-4vm-x2vcpu-yield-pin-spread').map((v) => v.gangScore))).toBeGreaterThan(
      mean(get('synth-4vm-x2vcpu-spin-pin-spread').map((v) => v.gangScore)),
    );
  });

  for (const pin of ['', '-pin-shared', '-pin-spread']) {
    it(`yield${pin} switches vCPUs in more often than spin${pin}`, () => {
      const swIn = (rec: string) => sum(get(rec).map((v) => v.switchInsPerSec ?? NaN));
      expect(swIn(`synth-4vm-x2vcpu-yield${pin}`)).toBeGreaterThan(1.2 * swIn(`synth-4vm-x2vcpu-spin${pin}`));
      const host = (rec: string) => metrics.get(rec)?.switchesPerSecPerCpu ?? NaN;
      expect(host(`synth-4vm-x2vcpu-yield${pin}`)).toBeGreaterThan(host(`synth-4vm-x2vcpu-spin${pin}`));
    });
  }
});

// ---- the two replays of r(t) agree -------------------------------------------

describe('r(t): the switch pass and the series sweep agree on the recordings', () => {
  for (const file of [`${RECORDINGS[0]}.script-pidtid.txt`, 'ftrace-qemu-3vm-x2vcpu.ftrace.txt']) {
    it(file, async () => {
      const run = await load(file);
      const w = resolveWindow(run.model);
      const idx = indexVms(run);
      const pass = switchPass(run.model, idx, w);
      const levels = runningLevels(run.model, idx, w);
      for (let v = 0; v < idx.vmCount; v++) {
        const n = idx.vcpuCount[v];
        const fromPass = Array.from(pass.levels.subarray(v * pass.levelStride, v * pass.levelStride + n + 1));
        expectClose(Array.from(levels[v]), fromPass, `vm ${v}`);
      }
      // One bin over the whole window: its mean r(t) × D = ∫ r = cpuShare × D × P.
      const m = analyzeRun(run);
      const D = m.window.durationUs * 1000;
      const s = seriesForRun(run, D);
      expect(s.binWidthsUs).toEqual([m.window.durationUs]);
      s.vms.forEach((vm, v) =>
        expectClose(vm.meanRunning[0], (m.vms[v].cpuShare ?? NaN) * m.window.cpus.length, `series vm ${v}`),
      );
    });
  }
});
