// What the analysis panel shows, computed in the model worker: the engine's
// metrics for the pane's range and CPUs, per-VM run-slice length histograms on
// log bins (the slice statistics rule of docs/metrics.md, so their median is
// the table's), the time per VM and per task of a selection, and the switch
// rates of the map's window. Pure functions of a Run; no DOM.

import { analyzeRun } from './analyze';
import { gapCoverPerBin } from './gapCover';
import { gapClipOf } from './gapClip';
import type { RunMetrics } from './metrics';
import { analyzeTopology, type TopologyMetrics } from './topology';
import { indexVms } from './vmIndex';
import { knownDuration, lowerBound, resolveWindow, type AnalysisOptions, type Window } from './window';
import type { Run } from '../model/runs';
import { SliceEnd, TaskKind } from '../model/types';

/** What a pane asks for: a time range [a, b) in relative ns (null: whole trace) and a CPU subset (null: all). */
export interface PanelQuery {
  range: readonly [number, number] | null;
  cpus: readonly number[] | null;
}

export function analysisOptions(q: PanelQuery): AnalysisOptions {
  const o: AnalysisOptions = {};
  if (q.range) o.range = q.range;
  if (q.cpus) o.cpus = q.cpus;
  return o;
}

// ---- run-slice histograms ---------------------------------------------------------

/** Log bins: this many per decade; bin k (absolute) covers [10^(k/B), 10^((k+1)/B)) ns. */
export const BINS_PER_DECADE = 4;

/** Absolute log bin of a positive length in ns. */
export function logBin(lenNs: number, perDecade = BINS_PER_DECADE): number {
  return Math.floor(Math.log10(lenNs) * perDecade);
}

export function binEdgeNs(k: number, perDecade = BINS_PER_DECADE): number {
  return 10 ** (k / perDecade);
}

export interface VmSliceHistogram {
  /** Zero-length slices (two switches at one instant): no place on a log axis. */
  zero: number;
  /** counts[i]: slices in absolute bin firstBin + i. */
  counts: number[];
  total: number;
}

export interface SliceHistogram {
  /** Absolute log bin of counts[0] (shared by every VM of the run, so the small multiples share an axis). */
  firstBin: number;
  bins: number;
  perDecade: number;
  vms: VmSliceHistogram[];
}

/**
 * Whether slice i counts in the slice statistics of the window (docs/metrics.md "Slice statistics"):
 * on a CPU of P, its start counts as an event, ended by a switch on its CPU, inside the window.
 */
export function sliceCounts(run: Run, w: Window, i: number): boolean {
  const m = run.model;
  return countsInSliceStats(w, m.switches.cpu[i], m.switches.time[i], m.slices.end[i], m.slices.endReason[i]);
}

/** sliceCounts on a slice given by its CPU, start, end and end reason (the page's drawn slices). */
export function countsInSliceStats(w: Window, cpu: number, start: number, end: number, endReason: number): boolean {
  return (
    w.cpuMask[cpu] === 1 &&
    start >= w.start &&
    start < w.eventEnd &&
    start <= w.t1 &&
    endReason === SliceEnd.Switch &&
    end <= w.end
  );
}

export function sliceHistogram(run: Run, w: Window, perDecade = BINS_PER_DECADE): SliceHistogram {
  const m = run.model;
  const idx = indexVms(run);
  const { time, next, cpu } = m.switches;
  const { end, endReason } = m.slices;
  const nvm = run.vms.length;
  // Slice lengths are whole ns (≥ 1 when not 0): absolute bins 0 up to 1e15 ns cover every trace.
  const span = 15 * perDecade + 1;
  const counts = new Float64Array(nvm * span);
  const zero = new Float64Array(nvm);
  const { cpuMask, start: lo, end: hi, eventEnd, t1 } = w;
  const { vmOfTask, vcpuOfTask } = idx;
  for (let i = lowerBound(time, lo), n = m.switches.length; i < n; i++) {
    const t = time[i];
    if (t > hi) break;
    const x = next[i];
    const v = vmOfTask[x];
    // The slice statistics rule (sliceCounts), inline: this loop sees every switch of the window.
    if (v < 0 || vcpuOfTask[x] < 0 || cpuMask[cpu[i]] !== 1 || t >= eventEnd || t > t1) continue;
    if (endReason[i] !== SliceEnd.Switch || end[i] > hi) continue;
    const len = end[i] - t;
    if (len === 0) zero[v]++;
    else counts[v * span + Math.max(0, Math.min(span - 1, logBin(len, perDecade)))]++;
  }
  let first = span;
  let last = -1;
  for (let v = 0; v < nvm; v++)
    for (let k = 0; k < span; k++)
      if (counts[v * span + k] > 0) {
        if (k < first) first = k;
        if (k > last) last = k;
      }
  const bins = last >= first ? last - first + 1 : 0;
  const firstBin = bins > 0 ? first : 0;
  return {
    firstBin,
    bins,
    perDecade,
    vms: run.vms.map((_, v) => {
      const c = Array.from(counts.subarray(v * span + firstBin, v * span + firstBin + bins));
      return { zero: zero[v], counts: c, total: c.reduce((a, b) => a + b, 0) + zero[v] };
    }),
  };
}

// ---- time per VM and per task in a selection --------------------------------------

export type TaskClass = 'vcpu' | 'vm-thread' | 'host' | 'idle' | 'placeholder';

export interface TaskTime {
  task: number;
  tid: number;
  /** Latest comm: untrusted text. */
  comm: string;
  vm: number;
  cls: TaskClass;
  timeNs: number;
  /** timeNs / (D × P). */
  share: number | null;
}

export interface VmTime {
  vm: number;
  name: string;
  vcpuNs: number;
  otherNs: number;
  timeNs: number;
  share: number | null;
}

export interface SelectionBreakdown {
  startNs: number;
  endNs: number;
  durationNs: number;
  cpus: number;
  /** D less the selection's part in a paste's gaps (knownDuration). */
  knownNs: number;
  /** knownNs × P: the CPU time the trace holds; every share is of it (as cpuShare is over D_known × P). */
  cpuTimeNs: number;
  /** (D − knownNs) × P: the CPU time of the gaps, where the pasted text was cut (not in the trace; in no part). */
  gapNs: number;
  vms: VmTime[];
  hostNs: number;
  idleNs: number;
  /** Known time no known task's slice covers (a CPU before its first switch, after a migration-ended slice, timehist's placeholder). */
  unknownNs: number;
  /** Tasks by time, most first (at most `maxTasks`). */
  tasks: TaskTime[];
  /** Tasks that ran in the selection at all. */
  taskCount: number;
}

export function selectionBreakdown(run: Run, w: Window, maxTasks = 40): SelectionBreakdown {
  const m = run.model;
  const nt = m.tasks.length;
  const idx = indexVms(run);
  const vmOfThread = new Int32Array(nt).fill(-1);
  run.vms.forEach((vm, v) => {
    for (const o of vm.otherThreads) if (o.task >= 0 && o.task < nt) vmOfThread[o.task] = v;
    for (const c of vm.vcpus) if (c.task >= 0 && c.task < nt) vmOfThread[c.task] = v;
  });
  const per = new Float64Array(nt);
  const { time, cpu, next } = m.switches;
  const end = m.slices.end;
  const lo = w.start;
  const hi = w.end;
  // A slice's time in a paste's gap is in no part (gapClip.ts): the gap is its own row.
  const clip = gapClipOf(m.gaps);
  for (let i = 0; i < m.switches.length; i++) {
    const t = time[i];
    if (t >= hi) break;
    if (w.cpuMask[cpu[i]] !== 1) continue;
    const a = t > lo ? t : lo;
    const b = end[i] < hi ? end[i] : hi;
    if (b > a) per[next[i]] += clip === null ? b - a : clip.known(a, b);
  }
  const D = w.duration;
  const known = knownDuration(m, w);
  const P = w.cpus.length;
  const cpuTimeNs = known * P;
  const share = (x: number): number | null => (cpuTimeNs > 0 ? x / cpuTimeNs : null);
  const vms: VmTime[] = run.vms.map((vm, v) => ({
    vm: v,
    name: vm.name,
    vcpuNs: 0,
    otherNs: 0,
    timeNs: 0,
    share: null,
  }));
  let hostNs = 0;
  let idleNs = 0;
  let covered = 0;
  const tasks: TaskTime[] = [];
  for (let t = 0; t < nt; t++) {
    const x = per[t];
    const kind = m.tasks.kind[t];
    // The time a paste leaves out (timehist's placeholder before a mark) is unknown, no task's.
    if (!(x > 0) || kind === TaskKind.Elided) continue;
    covered += x;
    const v = vmOfThread[t];
    let cls: TaskClass;
    if (v >= 0) {
      cls = idx.vcpuOfTask[t] >= 0 ? 'vcpu' : 'vm-thread';
      if (cls === 'vcpu') vms[v].vcpuNs += x;
      else vms[v].otherNs += x;
    } else if (kind === TaskKind.Idle) {
      cls = 'idle';
      idleNs += x;
    } else {
      cls = kind === TaskKind.Normal ? 'host' : 'placeholder';
      hostNs += x;
    }
    tasks.push({
      task: t,
      tid: m.tasks.tid[t],
      comm: m.tasks.comms[t].at(-1) ?? '',
      vm: v,
      cls,
      timeNs: x,
      share: share(x),
    });
  }
  for (const v of vms) {
    v.timeNs = v.vcpuNs + v.otherNs;
    v.share = share(v.timeNs);
  }
  tasks.sort((a, b) => b.timeNs - a.timeNs || a.tid - b.tid || a.task - b.task);
  return {
    startNs: lo,
    endNs: hi,
    durationNs: D,
    knownNs: known,
    cpus: P,
    cpuTimeNs,
    gapNs: (D - known) * P,
    vms,
    hostNs,
    idleNs,
    unknownNs: Math.max(0, cpuTimeNs - covered),
    tasks: tasks.slice(0, maxTasks),
    taskCount: tasks.length,
  };
}

// ---- the panel as a whole ------------------------------------------------------------

export interface PanelResult {
  query: PanelQuery;
  metrics: RunMetrics;
  sliceHist: SliceHistogram;
  /** Only for a range. */
  selection: SelectionBreakdown | null;
  /** NUMA node / SMT numbers for the same window and CPUs; null when the run has no topology. */
  topology: TopologyMetrics | null;
  computeMs: number;
}

export function computePanel(run: Run, query: PanelQuery): PanelResult {
  const t0 = performance.now();
  const options = analysisOptions(query);
  const metrics = analyzeRun(run, options);
  const w = resolveWindow(run.model, options);
  const sliceHist = sliceHistogram(run, w);
  const selection = query.range ? selectionBreakdown(run, w) : null;
  const topology = run.topology ? analyzeTopology(run, run.topology, options) : null;
  return { query, metrics, sliceHist, selection, topology, computeMs: performance.now() - t0 };
}

// ---- switch rates over the map's window ---------------------------------------------

export interface TimelineQuery {
  start: number;
  end: number;
  bins: number;
  cpus: readonly number[] | null;
}

export interface Timeline {
  start: number;
  end: number;
  bins: number;
  /** Width of a bin, ns. */
  binNs: number;
  /**
   * The trace's first and last switch: a bin's time outside them is unknown (a view lock shows a shorter
   * trace past its end), so a bin the trace ends in counts and is drawn over its part inside only.
   */
  traceStart: number;
  traceEnd: number;
  /**
   * The input's switches on the CPUs shown (not a reader's inferred ones), per second of the bin's known
   * time, per bin; null where a paste's gap (TraceModel.gaps) or the time outside the trace covers the whole bin.
   */
  total: (number | null)[];
  /** Switch-ins of each VM's vCPUs per second, per bin, known time and nulls as `total`. */
  vms: (number | null)[][];
}

export function computeTimeline(run: Run, q: TimelineQuery): Timeline {
  const m = run.model;
  const bins = Math.max(1, Math.min(4000, Math.floor(q.bins)));
  const span = q.end - q.start;
  const binNs = span > 0 ? span / bins : 1;
  const idx = indexVms(run);
  const w = resolveWindow(m, q.cpus ? { cpus: q.cpus } : {});
  const total = new Float64Array(bins);
  const vms = run.vms.map(() => new Float64Array(bins));
  const { time, cpu, next } = m.switches;
  if (span > 0) {
    // The input's switches, as switchesPerSecPerCpu counts them: a reader's inferred ones (ascending rows)
    // are not in total; they are switch-ins of their vCPUs, as switchInsPerSec counts them.
    const inferred = m.inferredSwitchRows;
    let f = 0;
    for (let i = lowerBound(time, q.start); i < m.switches.length; i++) {
      const t = time[i];
      if (t >= q.end) break;
      if (w.cpuMask[cpu[i]] !== 1) continue;
      const k = Math.min(bins - 1, Math.floor((t - q.start) / binNs));
      while (f < inferred.length && inferred[f] < i) f++;
      if (f >= inferred.length || inferred[f] !== i) total[k]++;
      const v = idx.vmOfTask[next[i]];
      if (v >= 0 && idx.vcpuOfTask[next[i]] >= 0) vms[v][k]++;
    }
  }
  const perSec = 1e9 / binNs;
  // Each bin's known time: not in a gap, not before the first switch or after the last (a gap's part out
  // there is not taken off twice). A bin partly unknown divides by its known time only; one wholly unknown
  // has no rate.
  const cover = span > 0 ? gapCoverPerBin(m.gaps, q.start, binNs, bins, Math.min(q.end, w.t1), w.t0) : null;
  const known = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    const b0 = q.start + k * binNs;
    const b1 = q.start + (k + 1) * binNs;
    const inside = b1 <= w.t0 || b0 >= w.t1 ? 0 : binNs - Math.max(0, w.t0 - b0) - Math.max(0, b1 - w.t1);
    known[k] = span > 0 ? Math.max(0, inside - (cover?.[k] ?? 0)) : 0;
  }
  const rate = (x: number, k: number) =>
    known[k] <= 0 ? null : known[k] === binNs ? x * perSec : (x * 1e9) / known[k];
  return {
    start: q.start,
    end: q.end,
    bins,
    binNs,
    traceStart: w.t0,
    traceEnd: w.t1,
    total: Array.from(total, rate),
    vms: vms.map((a) => Array.from(a, rate)),
  };
}
