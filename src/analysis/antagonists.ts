// Lock-holder preemption: while a vCPU thread was runnable but not running
// (switched out in state R or R+ until its next switch-in, the rule of
// `preemptedVcpusMean` in docs/metrics.md), which tasks ran on the CPUs it could
// have used, ranked by time: its "antagonists". A vCPU preempted while holding a
// guest lock stalls its siblings that spin on that lock; when the antagonists
// are the siblings themselves, the host scheduled the spinners instead of the
// holder.
//
// "The CPUs it could have used" are the CPUs of P it was switched in on anywhere
// in the trace (the trace does not carry affinity masks). Waiting time is
// clipped to the window, like the preempted time of the metrics; CPU time on
// those CPUs during the waits that no slice covers is "unknown". Needs switch
// states: returns null for input without them (map, timehist).

import type { Run } from '../model/runs';
import { PrevState, SliceEnd, TaskKind } from '../model/types';
import { gapClipOf } from './gapClip';
import { resolveWindow, type AnalysisOptions } from './window';

export type AntagonistRelation = 'sibling' | 'own-vm-thread' | 'other-vm' | 'host' | 'idle';

export interface Antagonist {
  /** Task index in the model. */
  task: number;
  /** -1 where the input gives no thread id. */
  tid: number;
  /** Latest comm (untrusted text). */
  comm: string;
  /** VM index (into run.vms) of the task, -1 for host tasks and idle. */
  vm: number;
  relation: AntagonistRelation;
  /** Time it ran on those CPUs while the vCPU waited, ns. */
  timeNs: number;
  /** timeNs / (waiting time × CPUs it could have used); null when that is 0. */
  share: number | null;
  /** Its slices that overlap a wait. */
  slices: number;
}

export interface AntagonistReport {
  task: number;
  tid: number;
  comm: string;
  /** VM of the vCPU (index into run.vms). */
  vm: number;
  /** Waits (runnable-not-running intervals) with time inside the window. */
  intervals: number;
  /** Total waiting time inside the window, outside a paste's gaps, ns (preemptedFraction × D_known). */
  waitingNs: number;
  /** The waits' time inside a paste's gaps, ns: unknown, in no share. */
  gapNs: number;
  /** Longest single wait inside the window (its time outside the gaps), ns. */
  longestNs: number;
  /** CPUs it could have used (ran on anywhere in the trace, within P). */
  cpus: number[];
  /** waitingNs × cpus.length. */
  cpuTimeNs: number;
  /** Part of cpuTimeNs that no slice covers (CPU before its first switch, after a migration-ended slice). */
  unknownNs: number;
  /** Tasks that ran on those CPUs during the waits, most time first. */
  antagonists: Antagonist[];
}

/** Antagonists of vCPU task `task` in the window; null when the trace has no states or the task is no vCPU. */
export function antagonists(run: Run, task: number, options: AnalysisOptions = {}): AntagonistReport | null {
  const m = run.model;
  if (!m.hasStates) return null;
  const nt = m.tasks.length;
  if (!(task >= 0 && task < nt)) return null;

  // VM of every task, and whether it is a vCPU thread.
  const vmOf = new Int32Array(nt).fill(-1);
  const isVcpu = new Uint8Array(nt);
  run.vms.forEach((vm, v) => {
    for (const o of vm.otherThreads) if (o.task >= 0 && o.task < nt) vmOf[o.task] = v;
    for (const c of vm.vcpus)
      if (c.task >= 0 && c.task < nt) {
        vmOf[c.task] = v;
        isVcpu[c.task] = 1;
      }
  });
  if (isVcpu[task] !== 1) return null;
  const ownVm = vmOf[task];

  const w = resolveWindow(m, options);
  const lo = w.start;
  const hi = w.end;
  const { time, cpu, next, prevState } = m.switches;
  const { end, endReason } = m.slices;
  const n = m.switches.length;

  // CPUs of P it was switched in on, anywhere in the trace.
  const usable = new Uint8Array(w.cpuMask.length);
  for (let i = 0; i < n; i++) if (next[i] === task && w.cpuMask[cpu[i]] === 1) usable[cpu[i]] = 1;
  const cpus = w.cpus.filter((c) => usable[c] === 1);

  // Waits: from a switch-out in R / R+ on a CPU of P (its "from" task is the vCPU: the
  // slice the switch ends) to its next switch-in on any CPU; clipped to [lo, hi].
  const maxCpu = m.cpus.length > 0 ? m.cpus[m.cpus.length - 1] : 0;
  const lastOnCpu = new Int32Array(Math.max(maxCpu + 1, w.cpuMask.length)).fill(-1);
  const waitStart: number[] = [];
  const waitEnd: number[] = [];
  let since = NaN;
  // A wait's time in a paste's gap is unknown (gapClip.ts): only its pieces outside the gaps are kept.
  const clip = gapClipOf(m.gaps);
  let waits = 0;
  let longestNs = 0;
  let gapNs = 0;
  const piece = (a: number, b: number): void => {
    waitStart.push(a);
    waitEnd.push(b);
  };
  const close = (t: number): void => {
    const a = since > lo ? since : lo;
    const b = t < hi ? t : hi;
    const len = clip === null ? b - a : clip.known(a, b);
    if (len > 0) {
      waits++;
      if (len > longestNs) longestNs = len;
      if (clip === null) piece(a, b);
      else clip.pieces(a, b, piece);
    }
    if (b > a) gapNs += b - a - len;
    since = NaN;
  };
  let i = 0;
  for (; i < n; i++) {
    const t = time[i];
    if (t > hi) break;
    const c = cpu[i];
    const j = lastOnCpu[c];
    lastOnCpu[c] = i;
    const from = j >= 0 && endReason[j] === SliceEnd.Switch ? next[j] : -1;
    if (from === task && w.cpuMask[c] === 1) {
      const st = prevState[i];
      if (st === PrevState.Runnable || st === PrevState.Preempted) since = t;
    }
    if (next[i] === task && since === since) close(t);
  }
  if (since === since) close(hi);

  let waitingNs = 0;
  for (let k = 0; k < waitStart.length; k++) waitingNs += waitEnd[k] - waitStart[k];

  // Time per task on the usable CPUs during the waits. Slices on one CPU are in time
  // order and do not overlap, and so are the waits: one pointer per CPU into the waits.
  const timeOf = new Float64Array(nt);
  const slicesOf = new Int32Array(nt);
  const ptr = new Int32Array(usable.length);
  const W = waitStart.length;
  if (W > 0 && cpus.length > 0) {
    for (let s = 0; s < n; s++) {
      const a = time[s];
      if (a >= waitEnd[W - 1]) break;
      const c = cpu[s];
      if (usable[c] !== 1) continue;
      const e = end[s];
      if (!(e > a)) continue;
      let p = ptr[c];
      while (p < W && waitEnd[p] <= a) p++;
      ptr[c] = p;
      let touched = false;
      for (let q = p; q < W && waitStart[q] < e; q++) {
        const x0 = a > waitStart[q] ? a : waitStart[q];
        const x1 = e < waitEnd[q] ? e : waitEnd[q];
        if (x1 > x0) {
          timeOf[next[s]] += x1 - x0;
          touched = true;
        }
      }
      if (touched) slicesOf[next[s]]++;
    }
  }

  const cpuTimeNs = waitingNs * cpus.length;
  let covered = 0;
  const out: Antagonist[] = [];
  for (let t = 0; t < nt; t++) {
    if (!(timeOf[t] > 0)) continue;
    covered += timeOf[t];
    const v = vmOf[t];
    const relation: AntagonistRelation =
      m.tasks.kind[t] === TaskKind.Idle
        ? 'idle'
        : v < 0
          ? 'host'
          : v !== ownVm
            ? 'other-vm'
            : isVcpu[t] === 1
              ? 'sibling'
              : 'own-vm-thread';
    out.push({
      task: t,
      tid: m.tasks.tid[t],
      comm: m.tasks.comms[t].at(-1) ?? '',
      vm: v,
      relation,
      timeNs: timeOf[t],
      share: cpuTimeNs > 0 ? timeOf[t] / cpuTimeNs : null,
      slices: slicesOf[t],
    });
  }
  out.sort((x, y) => y.timeNs - x.timeNs || x.tid - y.tid || x.task - y.task);

  return {
    task,
    tid: m.tasks.tid[task],
    comm: m.tasks.comms[task].at(-1) ?? '',
    vm: ownVm,
    intervals: waits,
    waitingNs,
    gapNs,
    longestNs,
    cpus,
    cpuTimeNs,
    unknownNs: Math.max(0, cpuTimeNs - covered),
    antagonists: out,
  };
}
