// The one pass over the switches behind almost every metric. Each switch is
// read once, in time order; what each metric takes from it is a section below
// (docs/metrics.md has the definitions). Everything is accumulated in typed
// arrays indexed by CPU number, vCPU entry (VmIndex.vcpus) or VM; nothing is
// allocated per switch or per slice. Separate passes per metric took about
// 1.7x as long on 10M switches: the loop is bound by loading the columns, so it
// loads them once.
//
// Shared state:
//  - lastOnCpu[c]: the CPU's previous switch. Its slice is the CPU's open slice
//    when the model ended it by a switch (not by the migration rule), and its
//    task is the switch's "from" task (never the event's prev_pid).
//  - lastIn[k]: the vCPU's previous switch-in (its latest slice): gives its
//    previous CPU (migrations), whether it runs now (wakeups), and the slice
//    that the migration rule ends at this switch-in (r(t)).

import { PrevState, SliceEnd, TaskKind, WakeupKind, type TraceModel } from '../model/types';
import { gapClipOf, type GapClip } from './gapClip';
import { GapEnded } from './gapEnded';
import { GroupedBuffer, type Grouped } from './groupedBuffer';
import type { VmIndex } from './vmIndex';
import type { Window } from './window';

export interface PassResult {
  // ---- per CPU (indexed by CPU number; 0 outside P) ----
  switches: Float64Array;
  known: Float64Array;
  idle: Float64Array;
  /** Time host tasks (no VM's thread, not idle) ran. */
  host: Float64Array;
  // ---- per vCPU entry ----
  switchIns: Float64Array;
  migrations: Float64Array;
  /** Run time, ns clipped to the window. */
  run: Float64Array;
  /** Preempted (runnable, not running) time, ns; null without states. */
  preempted: Float64Array | null;
  /**
   * Slice lengths (ns) for the slice statistics, grouped by vCPU entry: slices
   * on CPUs of P whose start counts in the window, that end inside it and were
   * ended by a switch on their CPU (not by T1, a range edge or the migration
   * rule). Zero-length slices count.
   */
  sliceLengths: Grouped;
  // ---- per VM ----
  siblingHandoffs: Float64Array;
  /** Time with r(t) = j: levels[v * levelStride + j], j = 0..n. */
  levels: Float64Array;
  levelStride: number;
  /** Run time of VM v's vCPUs on CPU c: vmCpuRun[v * cpuSlots + c]. */
  vmCpuRun: Float64Array;
  cpuSlots: number;
  /** Run delays (ns) grouped by vCPU entry; null without wakeup events. */
  delays: Grouped | null;
}

// Task classes for the branch-free per-CPU time accounting.
const IDLE = 0;
const HOST = 1;
const VM_THREAD = 2;
const VCPU = 3;
/** The placeholder of the time a paste leaves out (TaskKind.Elided): unknown, in no class that is known. */
const ELIDED = 4;
const CLASSES = 5;

export function switchPass(model: TraceModel, idx: VmIndex, w: Window): PassResult {
  const sw = model.switches;
  const n = sw.length;
  const { time, cpu, next, prevState } = sw;
  const { end, endReason } = model.slices;
  const { vmOfTask, vcpuOfTask } = idx;
  const { cpuMask } = w;
  const lo = w.start;
  const hi = w.end;
  const evEnd = w.eventEnd;
  const t1 = w.t1;
  const nv = idx.vcpus.length;
  const nvm = idx.vmCount;
  const nt = vmOfTask.length;
  const cpuSlots = cpuMask.length;
  const modelCpus = model.cpus;
  const lastOnCpu = new Int32Array(
    Math.max(cpuSlots, (modelCpus.length ? modelCpus[modelCpus.length - 1] : 0) + 1),
  ).fill(-1);
  const lastIn = new Int32Array(nv).fill(-1);

  // Per-CPU time: one cell per (CPU, task class), so the class costs no branch.
  const cls = new Uint8Array(nt);
  for (let t = 0; t < nt; t++) {
    cls[t] =
      vcpuOfTask[t] >= 0
        ? VCPU
        : idx.idleTask[t] === 1
          ? IDLE
          : idx.hostTask[t] === 1
            ? HOST
            : model.tasks.kind[t] === TaskKind.Elided
              ? ELIDED
              : VM_THREAD;
  }
  const byClass = new Float64Array(cpuSlots * CLASSES);
  const switches = new Float64Array(cpuSlots);
  const run = new Float64Array(nv);
  const vmCpuRun = new Float64Array(nvm * cpuSlots);

  const switchIns = new Float64Array(nv);
  const migrations = new Float64Array(nv);
  // At most one per switch-in of the vCPU.
  const sliceLengths = new GroupedBuffer(countPerVcpu(next, vcpuOfTask, nv));
  const siblingHandoffs = new Float64Array(nvm);

  // r(t) per VM, and the wakeup → switch-in waits (classes below: no closure
  // over this function's locals, so the loop keeps them in registers).
  let maxN = 0;
  for (let v = 0; v < nvm; v++) maxN = Math.max(maxN, idx.vcpuCount[v]);
  // Every integral counts only the time outside a paste's gaps (gapClip.ts); null without gaps.
  const clip = gapClipOf(model.gaps);
  const r = new RunningLevels(nvm, maxN, lo, hi, clip);
  const waits = new Waits(model, idx.vcpuOfTask, nv, w);

  // Preemption: start of each vCPU's open preempted interval, NaN when none.
  const hasStates = model.hasStates;
  const preempted = hasStates ? new Float64Array(nv) : null;
  const preSince = new Float64Array(nv).fill(NaN);
  const hasWakeups = waits.count > 0;
  // Time of the next wakeup not yet taken (checked per switch without a call).
  let nextWake = waits.nextTime();

  // Slices ended at a gap in a paste end at their own time, before any later switch (Infinity: none).
  const gaps = new GapEnded(model);
  let gapNext = gaps.nextEnd();

  let stop = 0;
  for (; stop < n; stop++) {
    const i = stop;
    const t = time[i];
    if (t >= gapNext) gapNext = endAtGaps(gaps, t < hi ? t : hi, r, model, idx, cpuMask, lo, hi);
    // Nothing after the window's end counts (an event at t > end has t >= b or t > T1).
    if (t > hi) break;
    const c = cpu[i];
    const x = next[i];
    const inP = cpuMask[c] === 1;
    const inEv = t >= lo && t < evEnd && t <= t1;

    // ---- per-CPU switches and time (slice i, clipped to the window) ----
    const e = end[i];
    let len = 0;
    if (inP) {
      if (inEv) switches[c]++;
      const a = t > lo ? t : lo;
      const b = e < hi ? e : hi;
      if (b > a) len = clip === null ? b - a : clip.known(a, b);
      byClass[c * CLASSES + cls[x]] += len;
    }

    // ---- "from": the open slice this switch ends on CPU c ----
    const j = lastOnCpu[c];
    lastOnCpu[c] = i;
    const f = j >= 0 && endReason[j] === SliceEnd.Switch ? next[j] : -1;
    if (f >= 0) {
      const kf = vcpuOfTask[f];
      if (kf >= 0) {
        // r(t): its slice ends here.
        // (Slice j is on c and ends at t: it took part when c is in P and it has time inside the window.)
        if (inP && t > lo && t > time[j] && time[j] < hi) r.change(vmOfTask[f], t, -1);
        // Preemption: switched out runnable (R or R+) on a CPU of P.
        if (hasStates && inP) {
          const st = prevState[i];
          if (st === PrevState.Runnable || st === PrevState.Preempted) preSince[kf] = t;
        }
      }
    }

    // ---- wakeups up to t (a wakeup at t comes before a switch-in at t) ----
    if (t >= nextWake) nextWake = waits.take(t, lastIn, end);

    // ---- switch-in of a vCPU ----
    const k = vcpuOfTask[x];
    if (k < 0) continue;
    const v = vmOfTask[x];
    const prevIn = lastIn[k];
    lastIn[k] = i;
    // The previous switch-in's columns are read on every switch-in (this row's when there is none), and the
    // migration test too: V8 optimises this loop after a few dozen switches, and a load or compare first
    // reached after that deoptimises the whole pass, which is then compiled again.
    const pj = prevIn >= 0 ? prevIn : i;
    const prevEnd = endReason[pj];
    const moved = prevIn >= 0 && cpu[pj] !== c;
    run[k] += len;
    vmCpuRun[v * cpuSlots + c] += len;

    // r(t): the migration rule ends its previous slice here; slice i starts.
    if (prevIn >= 0 && prevEnd === SliceEnd.Migration && sliceInWindow(prevIn, time, end, cpu, cpuMask, lo, hi))
      r.change(v, t, -1);
    if (inP && e > lo && e > t && t < hi) r.change(v, t, +1);

    // Preemption ends at its next switch-in on any CPU (clipped to the window).
    const ps = preSince[k];
    if (ps === ps) {
      if (preempted !== null) {
        const a = ps > lo ? ps : lo;
        if (t > a) preempted[k] += clip === null ? t - a : clip.known(a, t);
      }
      preSince[k] = NaN;
    }

    // Run delay: first pending wakeup → this switch-in.
    if (hasWakeups) waits.switchIn(k, t, inP);

    // Counted switch-ins: migrations, sibling handoffs, slices for the statistics.
    if (inP && inEv) {
      switchIns[k]++;
      migrations[k] += moved ? 1 : 0;
      if (f >= 0 && f !== x && vmOfTask[f] === v) siblingHandoffs[v]++;
      if (endReason[i] === SliceEnd.Switch && e <= hi) sliceLengths.push(k, e - t);
    }
  }

  // A wait that began in the window ends at the thread's next switch-in, wherever that falls.
  for (let i = stop; i < n && hasWakeups; i++) {
    const t = time[i];
    if (waits.done(t)) break;
    if (t >= nextWake) nextWake = waits.take(t, lastIn, end);
    const k = vcpuOfTask[next[i]];
    if (k < 0) continue;
    waits.switchIn(k, t, cpuMask[cpu[i]] === 1);
    lastIn[k] = i;
  }

  if (hi >= gapNext) endAtGaps(gaps, hi, r, model, idx, cpuMask, lo, hi);
  // Open pieces run to the window's end; open preempted intervals to T1 (clipped).
  r.finish();
  if (preempted !== null) {
    for (let k = 0; k < nv; k++) {
      const ps = preSince[k];
      if (ps !== ps) continue;
      const a = ps > lo ? ps : lo;
      if (hi > a) preempted[k] += clip === null ? hi - a : clip.known(a, hi);
    }
  }

  // The input's switches only: those the reader inferred (model.inferredSwitchRows) make slices, not counts.
  for (const i of model.inferredSwitchRows) {
    const t = time[i];
    if (cpuMask[cpu[i]] === 1 && t >= lo && t < evEnd && t <= t1) switches[cpu[i]]--;
  }

  const known = new Float64Array(cpuSlots);
  const idle = new Float64Array(cpuSlots);
  const host = new Float64Array(cpuSlots);
  for (let c = 0; c < cpuSlots; c++) {
    const o = c * CLASSES;
    idle[c] = byClass[o + IDLE];
    host[c] = byClass[o + HOST];
    known[c] = byClass[o + IDLE] + byClass[o + HOST] + byClass[o + VM_THREAD] + byClass[o + VCPU];
  }
  return {
    switches,
    known,
    idle,
    host,
    switchIns,
    migrations,
    run,
    preempted,
    sliceLengths: sliceLengths.group(),
    siblingHandoffs,
    levels: r.levels,
    levelStride: r.stride,
    vmCpuRun,
    cpuSlots,
    delays: waits.count > 0 ? waits.delays.group() : null,
  };
}

/** How many of the tasks (a column of task ids) are each vCPU entry's thread. */
function countPerVcpu(tasks: ArrayLike<number>, vcpuOfTask: Int32Array, nv: number): Int32Array {
  const count = new Int32Array(nv);
  for (let i = 0; i < tasks.length; i++) {
    const k = vcpuOfTask[tasks[i]];
    if (k >= 0) count[k]++;
  }
  return count;
}

/** Slice j takes part in r(t): on a CPU of P, with time inside the window. */
function sliceInWindow(
  j: number,
  time: Float64Array,
  end: Float64Array,
  cpu: Uint16Array,
  cpuMask: Uint8Array,
  lo: number,
  hi: number,
): boolean {
  const e = end[j];
  const s = time[j];
  return cpuMask[cpu[j]] === 1 && e > lo && e > s && s < hi;
}

/** r(t): the vCPU slices ending at a gap up to t end there (a function, not a closure: see the loop). */
function endAtGaps(
  gaps: GapEnded,
  t: number,
  r: RunningLevels,
  model: TraceModel,
  idx: VmIndex,
  cpuMask: Uint8Array,
  lo: number,
  hi: number,
): number {
  const { time, cpu, next } = model.switches;
  const { end } = model.slices;
  for (let j = gaps.takeUpTo(t); j >= 0; j = gaps.takeUpTo(t)) {
    const f = next[j];
    const e = end[j];
    if (idx.vcpuOfTask[f] >= 0 && cpuMask[cpu[j]] === 1 && e > lo && e > time[j] && time[j] < hi)
      r.change(idx.vmOfTask[f], e, -1);
  }
  return gaps.nextEnd();
}

/** Time with r(t) = j per VM, from the changes of r(t) in time order (all at t <= hi); a gap's time in none. */
class RunningLevels {
  readonly levels: Float64Array;
  readonly stride: number;
  private readonly level: Int32Array;
  private readonly since: Float64Array;
  constructor(
    private readonly vms: number,
    maxN: number,
    lo: number,
    private readonly hi: number,
    private readonly clip: GapClip | null,
  ) {
    this.stride = maxN + 1;
    this.levels = new Float64Array(vms * this.stride);
    this.level = new Int32Array(vms);
    this.since = new Float64Array(vms).fill(lo);
  }
  /** r(t) of VM v changes by delta at time t. */
  change(v: number, t: number, delta: number): void {
    const from = this.since[v];
    if (t > from) {
      this.levels[v * this.stride + this.level[v]] += this.clip === null ? t - from : this.clip.known(from, t);
      this.since[v] = t;
    }
    this.level[v] += delta;
  }
  /** What is open at the window's end runs to it. */
  finish(): void {
    for (let v = 0; v < this.vms; v++) {
      const from = this.since[v];
      if (this.hi > from)
        this.levels[v * this.stride + this.level[v]] +=
          this.clip === null ? this.hi - from : this.clip.known(from, this.hi);
      this.since[v] = this.hi;
    }
  }
}

/**
 * Run delays: the wakeups of the kind used, merged into the switches in time
 * order. A vCPU woken (in the window) while not running waits from its first
 * such wakeup to its next switch-in; the delay is kept when that switch-in is
 * on a CPU of P.
 */
class Waits {
  readonly count: number;
  readonly delays: GroupedBuffer;
  private readonly order: Uint32Array;
  private readonly kind: WakeupKind;
  private readonly pending: Float64Array;
  private next = 0;
  private waiting = 0;
  private readonly wk: TraceModel['wakeups'];
  private readonly vcpuOfTask: Int32Array;
  private readonly lo: number;
  private readonly hi: number;
  private readonly evEnd: number;
  private readonly t1: number;

  constructor(model: TraceModel, vcpuOfTask: Int32Array, nv: number, w: Window) {
    this.wk = model.wakeups;
    this.count = this.wk.length;
    this.kind = wakeupKindUsed(model);
    // Only the kind used: every wakeup take() reads then goes past the same loads (see the switch loop).
    this.order = timeOrder(this.wk.time, this.wk.kind, this.kind);
    this.pending = new Float64Array(nv).fill(NaN);
    this.delays = new GroupedBuffer(countPerVcpu(this.wk.task, vcpuOfTask, nv)); // at most one per wakeup
    this.vcpuOfTask = vcpuOfTask;
    this.lo = w.start;
    this.hi = w.end;
    this.evEnd = w.eventEnd;
    this.t1 = w.t1;
  }

  /** Time of the next wakeup not yet taken; Infinity when none is left. */
  nextTime(): number {
    return this.next < this.order.length ? this.wk.time[this.order[this.next]] : Infinity;
  }

  /**
   * Takes the wakeups up to time t, and returns nextTime(). lastIn[k]: vCPU k's
   * latest slice (it runs when that slice ends after t).
   */
  take(t: number, lastIn: Int32Array, end: Float64Array): number {
    const { order, wk, pending } = this;
    for (; this.next < order.length; this.next++) {
      const e = order[this.next];
      const tw = wk.time[e];
      if (tw > t) return tw;
      const k = this.vcpuOfTask[wk.task[e]];
      if (k < 0 || pending[k] === pending[k] || tw < this.lo || tw >= this.evEnd || tw > this.t1) continue;
      const s = lastIn[k];
      if (s >= 0 && end[s] > tw) continue; // running: a wakeup racing with its own sleep starts no wait
      pending[k] = tw;
      this.waiting++;
    }
    return Infinity;
  }

  /** vCPU k is switched in at t (on a CPU of P when inP). */
  switchIn(k: number, t: number, inP: boolean): void {
    const p = this.pending[k];
    if (p !== p) return;
    if (inP) this.delays.push(k, t - p);
    this.pending[k] = NaN;
    this.waiting--;
  }

  /** Past the window's end with no wait open and no wakeup of the window left: nothing more to find. */
  done(t: number): boolean {
    return (
      t > this.hi &&
      this.waiting === 0 &&
      (this.next >= this.order.length || this.wk.time[this.order[this.next]] > this.hi)
    );
  }
}

/** sched_waking when the trace has any, else sched_wakeup (sched_wakeup_new never: a first start is no wait). */
export function wakeupKindUsed(model: TraceModel): WakeupKind {
  const kind = model.wakeups.kind;
  for (let i = 0; i < kind.length; i++) if (kind[i] === WakeupKind.Waking) return WakeupKind.Waking;
  return WakeupKind.Wakeup;
}

/** Indices of the rows of one kind, in time order (row order among equal times). */
function timeOrder(time: Float64Array, kinds: Uint8Array, kind: WakeupKind): Uint32Array {
  let m = 0;
  for (let i = 0; i < kinds.length; i++) if (kinds[i] === kind) m++;
  const order = new Uint32Array(m);
  for (let i = 0, j = 0; i < kinds.length; i++) if (kinds[i] === kind) order[j++] = i;
  for (let j = 1; j < m; j++) {
    if (time[order[j]] < time[order[j - 1]]) return order.sort((a, b) => time[a] - time[b] || a - b);
  }
  return order;
}
