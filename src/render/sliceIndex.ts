// Per-lane interval tracks over the columnar model, so a frame finds its first
// visible slice by binary search instead of scanning the trace.
//
// A track is a list of intervals [start, end) with a value, sorted by start and
// not overlapping (so ends are sorted too). Time not covered by any interval
// is unknown. Host-CPU tracks are contiguous copies of the slices grouped by
// CPU (so a frame and a pyramid build read memory in order, not scattered over
// the trace); a vCPU track is derived (running / runnable / sleeping); a
// task's track reads the model's columns through the list of its slices.

import { isRunnableState, PrevState, SliceEnd, type TraceModel } from '../model/types';
import { V_OFF, V_RUNNABLE, V_SLEEPING, V_WOKEN } from './values';

export interface Track {
  /** Number of intervals. */
  n: number;
  /** Row of interval k in the column arrays: rows[k], or k itself when rows is null. */
  rows: Int32Array | null;
  start: Float64Array;
  end: Float64Array;
  value: Int32Array;
  /** Slice (switch index) behind each row: slice[row], or the row itself when null. */
  slice: Int32Array | null;
  /** Values are < domain (sizes scratch arrays indexed by value). */
  domain: number;
}

export function rowOf(t: Track, k: number): number {
  return t.rows === null ? k : t.rows[k];
}

export function startOf(t: Track, k: number): number {
  return t.start[t.rows === null ? k : t.rows[k]];
}

export function endOf(t: Track, k: number): number {
  return t.end[t.rows === null ? k : t.rows[k]];
}

export function valueOf(t: Track, k: number): number {
  return t.value[t.rows === null ? k : t.rows[k]];
}

export function sliceOf(t: Track, k: number): number {
  const row = t.rows === null ? k : t.rows[k];
  return t.slice === null ? row : t.slice[row];
}

/** Smallest k with end(k) > time (n if none). Ends are sorted because intervals do not overlap. */
export function firstEndAfter(t: Track, time: number): number {
  let lo = 0;
  let hi = t.n;
  const { rows, end } = t;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[rows === null ? mid : rows[mid]] > time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Smallest k with start(k) >= time (n if none). */
export function firstStartAtOrAfter(t: Track, time: number): number {
  let lo = 0;
  let hi = t.n;
  const { rows, start } = t;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (start[rows === null ? mid : rows[mid]] >= time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Smallest k with start(k) > time (n if none). */
export function firstStartAfter(t: Track, time: number): number {
  let lo = 0;
  let hi = t.n;
  const { rows, start } = t;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (start[rows === null ? mid : rows[mid]] > time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Intervals touching [a, b): overlapping it, or of zero length starting inside it. */
export function countTouching(t: Track, a: number, b: number): number {
  const first = firstEndAfter(t, a);
  const last = firstStartAtOrAfter(t, b);
  let n = Math.max(0, last - first);
  // Zero-length intervals at exactly a end at a, so firstEndAfter skipped them.
  for (let k = first - 1; k >= 0 && startOf(t, k) >= a && endOf(t, k) === startOf(t, k); k--) n++;
  return n;
}

/** Switches per piece of vcpuTrackBuilder's passes (a few ms each). */
export const VCPU_CHUNK = 1 << 16;

/** Counting sort of 0..n-1 by a small integer key: stable, grouped, with offsets per key. */
function groupBy(key: ArrayLike<number>, n: number, keys: number): { order: Int32Array; offset: Int32Array } {
  const offset = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) offset[key[i] + 1]++;
  for (let k = 0; k < keys; k++) offset[k + 1] += offset[k];
  const fill = offset.slice(0, keys);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[key[i]]++] = i;
  return { order, offset };
}

/**
 * The model's slices grouped by CPU, copied into contiguous columns (start, end, task, switch index) so a
 * lane reads memory in order: 24 bytes per switch, built in one pass. Rows offset[c]..offset[c + 1] are CPU
 * c's slices in time order. Pure (no DOM): the parse worker builds it next to the model and transfers it,
 * so the page does not pay for it (see adoptCpuSlices).
 */
export interface CpuSlices {
  start: Float64Array;
  end: Float64Array;
  value: Int32Array;
  slice: Int32Array;
  offset: Int32Array;
}

/** Largest CPU number with a switch, plus one (0 for an empty trace): the CPU domain of the model's tracks. */
export function cpuDomainOf(model: TraceModel): number {
  return model.cpus.length > 0 ? model.cpus[model.cpus.length - 1] + 1 : 0;
}

export function groupSlicesByCpu(model: TraceModel): CpuSlices {
  const sw = model.switches;
  const n = sw.length;
  const keys = cpuDomainOf(model);
  const offset = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) offset[sw.cpu[i] + 1]++;
  for (let k = 0; k < keys; k++) offset[k + 1] += offset[k];
  const fill = offset.slice(0, keys);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const value = new Int32Array(n);
  const slice = new Int32Array(n);
  const { time, cpu, next } = sw;
  const sEnd = model.slices.end;
  for (let i = 0; i < n; i++) {
    const p = fill[cpu[i]]++;
    start[p] = time[i];
    end[p] = sEnd[i];
    value[p] = next[i];
    slice[p] = i;
  }
  return { start, end, value, slice, offset };
}

/** Per model, its CPU grouping: adopted from the parse worker, or built by the first SliceIndex (then shared). */
const cpuSlicesByModel = new WeakMap<TraceModel, CpuSlices>();

/** Whether `c` has the shape of the model's CPU grouping (lengths only: the contents are trusted). */
function fits(model: TraceModel, c: CpuSlices): boolean {
  const n = model.switches.length;
  return (
    c.offset.length === cpuDomainOf(model) + 1 &&
    c.offset[c.offset.length - 1] === n &&
    c.start.length === n &&
    c.end.length === n &&
    c.value.length === n &&
    c.slice.length === n
  );
}

/**
 * Hand over a CPU grouping built elsewhere (groupSlicesByCpu in the parse worker) so SliceIndexes of this
 * model use it instead of building their own on the main thread. False (and ignored) when it does not fit.
 */
export function adoptCpuSlices(model: TraceModel, c: CpuSlices): boolean {
  if (!fits(model, c)) return false;
  cpuSlicesByModel.set(model, c);
  return true;
}

/** Drop the model's CPU grouping (e.g. a trace that became another's companion and is never drawn). */
export function releaseCpuSlices(model: TraceModel): void {
  cpuSlicesByModel.delete(model);
}

/** Whether the model's CPU grouping is ready, so `new SliceIndex(model)` costs no pass over the trace. */
export function hasCpuSlices(model: TraceModel): boolean {
  return cpuSlicesByModel.has(model);
}

function cpuSlicesOf(model: TraceModel): CpuSlices {
  let c = cpuSlicesByModel.get(model);
  if (!c) cpuSlicesByModel.set(model, (c = groupSlicesByCpu(model)));
  return c;
}

/**
 * The tracks of one model: one per host CPU (built at once, O(switches)), and per task (slices of a task
 * in time order, and a vCPU-lane track), built on first use.
 */
export class SliceIndex {
  readonly model: TraceModel;
  /** Trace start and end: first and last switch time (0, 0 for an empty trace). */
  readonly t0: number;
  readonly t1: number;
  /** Slices grouped by CPU (groupSlicesByCpu), shared by every index of the model. */
  private readonly byCpu: CpuSlices;
  private readonly cpuTracks = new Map<number, Track>();
  private byTask: { order: Int32Array; offset: Int32Array } | null = null;
  private readonly vcpuTracks = new Map<number, Track>();
  readonly cpuDomain: number;

  constructor(model: TraceModel) {
    this.model = model;
    const sw = model.switches;
    const n = sw.length;
    this.t0 = n > 0 ? sw.time[0] : 0;
    this.t1 = n > 0 ? sw.time[n - 1] : 0;
    this.cpuDomain = cpuDomainOf(model);
    this.byCpu = cpuSlicesOf(model);
  }

  /** The host-CPU lane track: every slice on the CPU, valued by task index. */
  cpuTrack(cpu: number): Track {
    let t = this.cpuTracks.get(cpu);
    if (t) return t;
    const { start, end, value, slice, offset } = this.byCpu;
    const [a, b] = cpu >= 0 && cpu < this.cpuDomain ? [offset[cpu], offset[cpu + 1]] : [0, 0];
    t = {
      n: b - a,
      rows: null,
      start: start.subarray(a, b),
      end: end.subarray(a, b),
      value: value.subarray(a, b),
      slice: slice.subarray(a, b),
      domain: this.model.tasks.length,
    };
    this.cpuTracks.set(cpu, t);
    return t;
  }

  /** Slices (switch indices) of a task, in time order. */
  taskSlices(task: number): Int32Array {
    const m = this.model;
    if (!this.byTask) this.byTask = groupBy(m.switches.next, m.switches.length, m.tasks.length);
    if (task < 0 || task >= m.tasks.length) return new Int32Array(0);
    return this.byTask.order.subarray(this.byTask.offset[task], this.byTask.offset[task + 1]);
  }

  /** A task's slices as a track (valued by task; a task's slices never overlap). */
  taskTrack(task: number): Track {
    const m = this.model;
    const rows = this.taskSlices(task);
    return {
      n: rows.length,
      rows,
      start: m.switches.time,
      end: m.slices.end,
      value: m.switches.next,
      slice: null,
      domain: m.tasks.length,
    };
  }

  /**
   * The task's next slice starting after `time` (dir 1) or its last slice starting before it (dir -1):
   * the `.` and `,` keys. Returns a switch index or -1.
   */
  stepTaskSlice(task: number, time: number, dir: 1 | -1): number {
    const track = this.taskTrack(task);
    const k = dir === 1 ? firstStartAfter(track, time) : firstStartAtOrAfter(track, time) - 1;
    return k >= 0 && k < track.n ? rowOf(track, k) : -1;
  }

  /** The switch that ended slice i on its CPU (the next switch there), or -1 at the CPU's last slice. */
  nextSwitchOnCpu(i: number): number {
    const track = this.cpuTrack(this.model.switches.cpu[i]);
    let k = firstStartAtOrAfter(track, this.model.switches.time[i]);
    while (k < track.n && sliceOf(track, k) !== i) k++;
    return k + 1 < track.n ? sliceOf(track, k + 1) : -1;
  }

  /**
   * The vCPU-lane track of a task: running intervals valued by the CPU they ran on; between them,
   * V_RUNNABLE after a switch-out in state R/R+ (traces with states), V_SLEEPING after any other state
   * until the next wakeup, then V_WOKEN until it runs; V_OFF where the trace has no states. Unknown
   * before the first run and after a slice the trace does not say the end of.
   */
  vcpuTrack(task: number): Track {
    let t = this.vcpuTracks.get(task);
    if (!t) {
      this.prepareVcpuTracks([task]);
      t = this.vcpuTracks.get(task) as Track;
    }
    return t;
  }

  /** Whether every given task's vCPU track is built (prepareVcpuTracks would cost nothing). */
  hasVcpuTracks(tasks: readonly number[]): boolean {
    return tasks.every((t) => this.vcpuTracks.has(t));
  }

  /**
   * Build the vCPU tracks of many tasks in one pass over the switches and wakeups in time order (reading
   * the model in order, not each task's slices scattered over it).
   */
  prepareVcpuTracks(tasks: readonly number[]): void {
    const step = this.vcpuTrackBuilder(tasks);
    while (step(Infinity));
  }

  /**
   * prepareVcpuTracks a piece at a time (for the UI, so a 1 GB trace's vCPU lanes do not stall the page):
   * each call of the returned function works through the trace in chunks of VCPU_CHUNK switches until
   * `deadline` (by `now`) and returns true while more remains; the tracks are stored, the same as
   * prepareVcpuTracks builds, when it returns false.
   */
  vcpuTrackBuilder(
    tasks: readonly number[],
    now: () => number = () => performance.now(),
  ): (deadline: number) => boolean {
    const m = this.model;
    const nTasks = m.tasks.length;
    const todo = [...new Set(tasks)].filter((t) => t >= 0 && t < nTasks && !this.vcpuTracks.has(t));
    const empty = (): Track => ({
      n: 0,
      rows: null,
      start: new Float64Array(0),
      end: new Float64Array(0),
      value: new Int32Array(0),
      slice: new Int32Array(0),
      domain: this.cpuDomain,
    });
    for (const t of tasks) if ((t < 0 || t >= nTasks) && !this.vcpuTracks.has(t)) this.vcpuTracks.set(t, empty());
    if (todo.length === 0) return () => false;
    const sw = m.switches;
    const n = sw.length;
    const { time, cpu, next, prev, prevState } = sw;
    const { end, endReason } = m.slices;
    // Slot per tracked task, -1 for others.
    const slot = new Int32Array(nTasks).fill(-1);
    todo.forEach((t, k) => (slot[t] = k));
    const T = todo.length;
    const count = new Int32Array(T);
    // A slice and at most two off-CPU intervals after it per slice (allocated once the slices are counted).
    const outS: Float64Array[] = [];
    const outE: Float64Array[] = [];
    const outV: Int32Array[] = [];
    const outI: Int32Array[] = [];
    const len = new Int32Array(T);
    const last = new Int32Array(T).fill(-1); // the task's last slice
    const offState = new Int32Array(T).fill(PrevState.Unknown); // state it left that slice in
    const wokenAt = new Float64Array(T).fill(NaN); // first wakeup after leaving
    const openOnCpu = new Int32Array(this.cpuDomain).fill(-1);
    const push = (k: number, s: number, e: number, v: number, i: number): void => {
      const p = len[k]++;
      outS[k][p] = s;
      outE[k][p] = e;
      outV[k][p] = v;
      outI[k][p] = i;
    };
    /** The off-CPU intervals of slot k between the end of its last slice and `until`. */
    const closeGap = (k: number, until: number): void => {
      const i = last[k];
      if (i < 0 || endReason[i] !== SliceEnd.Switch) return;
      const e = end[i];
      if (!(until > e)) return;
      const state = offState[k];
      if (isRunnableState(state)) {
        push(k, e, until, V_RUNNABLE, i);
        return;
      }
      const off = state === PrevState.Unknown ? V_OFF : V_SLEEPING;
      const w = wokenAt[k];
      if (w === w && w < until) {
        push(k, e, w, off, i);
        push(k, w, until, V_WOKEN, i);
      } else push(k, e, until, off, i);
    };
    const wk = m.wakeups;
    // Phases: count slices per slot (i over 0..n), allocate, the main pass (i over 0..n again, wi over the
    // wakeups), store.
    let counting = true;
    let stored = false;
    let i = 0;
    let wi = 0;
    /** Switches [from, to) of the main pass. */
    const pass = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const t = time[i];
        // Wakeups before this switch: the first one after a tracked task left its CPU counts.
        for (; wi < wk.length && wk.time[wi] < t; wi++) {
          const task = wk.task[wi];
          const k = task >= 0 && task < nTasks ? slot[task] : -1;
          if (k < 0 || last[k] < 0) continue;
          const li = last[k];
          if (wokenAt[k] !== wokenAt[k] && endReason[li] === SliceEnd.Switch && wk.time[wi] > end[li])
            wokenAt[k] = wk.time[wi];
        }
        const c = cpu[i];
        // This switch ends the slice open on its CPU: the state its task left in.
        const o = openOnCpu[c];
        if (o >= 0) {
          const k = slot[next[o]];
          if (k >= 0 && last[k] === o && endReason[o] === SliceEnd.Switch && end[o] === t)
            offState[k] = m.hasStates && prev[i] === next[o] ? prevState[i] : PrevState.Unknown;
        }
        openOnCpu[c] = i;
        const k = slot[next[i]];
        if (k < 0) continue;
        closeGap(k, t);
        push(k, t, end[i], c, i);
        last[k] = i;
        offState[k] = PrevState.Unknown;
        wokenAt[k] = NaN;
      }
    };
    return (deadline) => {
      if (stored) return false;
      for (;;) {
        if (counting) {
          const to = Math.min(n, i + VCPU_CHUNK);
          for (; i < to; i++) {
            const k = slot[next[i]];
            if (k >= 0) count[k]++;
          }
          if (i === n) {
            for (let k = 0; k < T; k++) {
              const cap = 3 * count[k];
              outS.push(new Float64Array(cap));
              outE.push(new Float64Array(cap));
              outV.push(new Int32Array(cap));
              outI.push(new Int32Array(cap));
            }
            counting = false;
            i = 0;
          }
        } else if (i < n) {
          const to = Math.min(n, i + VCPU_CHUNK);
          pass(i, to);
          i = to;
        } else {
          // Wakeups after the last switch do not matter: gaps end at the trace end.
          for (let k = 0; k < T; k++) {
            if (last[k] >= 0) closeGap(k, this.t1);
            const nk = len[k];
            this.vcpuTracks.set(todo[k], {
              n: nk,
              rows: null,
              start: outS[k].subarray(0, nk),
              end: outE[k].subarray(0, nk),
              value: outV[k].subarray(0, nk),
              slice: outI[k].subarray(0, nk),
              domain: this.cpuDomain,
            });
          }
          stored = true;
          return false;
        }
        if (now() >= deadline) return true;
      }
    };
  }
}
