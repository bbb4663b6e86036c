// Per-lane interval tracks over the columnar model, so a frame finds its first
// visible slice by binary search instead of scanning the trace.
//
// A track is a list of intervals [start, end) with a value, sorted by start and
// not overlapping (so ends are sorted too). Time not covered by any interval
// is unknown. A host-CPU track reads the model's own columns through a
// permutation (slices grouped by CPU), so it costs one Int32 per switch; a
// vCPU track is derived (running / runnable / sleeping) and owns its arrays.

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
 * The tracks of one model: one per host CPU (built at once, O(switches)), and per task (slices of a task
 * in time order, and a vCPU-lane track), built on first use.
 */
export class SliceIndex {
  readonly model: TraceModel;
  /** Trace start and end: first and last switch time (0, 0 for an empty trace). */
  readonly t0: number;
  readonly t1: number;
  private readonly byCpu: { order: Int32Array; offset: Int32Array };
  private readonly cpuTracks = new Map<number, Track>();
  private byTask: { order: Int32Array; offset: Int32Array } | null = null;
  private wakeByTask: { order: Int32Array; offset: Int32Array } | null = null;
  private readonly vcpuTracks = new Map<number, Track>();
  readonly cpuDomain: number;

  constructor(model: TraceModel) {
    this.model = model;
    const sw = model.switches;
    this.t0 = sw.length > 0 ? sw.time[0] : 0;
    this.t1 = sw.length > 0 ? sw.time[sw.length - 1] : 0;
    this.cpuDomain = model.cpus.length > 0 ? model.cpus[model.cpus.length - 1] + 1 : 0;
    this.byCpu = groupBy(sw.cpu, sw.length, this.cpuDomain);
  }

  /** The host-CPU lane track: every slice on the CPU, valued by task index. */
  cpuTrack(cpu: number): Track {
    let t = this.cpuTracks.get(cpu);
    if (t) return t;
    const { order, offset } = this.byCpu;
    const rows = cpu < this.cpuDomain ? order.subarray(offset[cpu], offset[cpu + 1]) : new Int32Array(0);
    const m = this.model;
    t = {
      n: rows.length,
      rows,
      start: m.switches.time,
      end: m.slices.end,
      value: m.switches.next,
      slice: null,
      domain: m.tasks.length,
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

  /** Wakeup (waking, wakeup, wakeup_new) times of a task, ascending. */
  taskWakeups(task: number): Float64Array {
    const w = this.model.wakeups;
    if (!this.wakeByTask) {
      // Tasks of wakeup rows are in range by construction; guard anyway.
      const key = new Int32Array(w.length);
      for (let i = 0; i < w.length; i++) key[i] = w.task[i] >= 0 && w.task[i] < this.model.tasks.length ? w.task[i] : 0;
      this.wakeByTask = groupBy(key, w.length, this.model.tasks.length);
    }
    if (task < 0 || task >= this.model.tasks.length) return new Float64Array(0);
    const rows = this.wakeByTask.order.subarray(this.wakeByTask.offset[task], this.wakeByTask.offset[task + 1]);
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = w.time[rows[i]];
    return out.sort();
  }

  /** The switch that ended slice i on its CPU (the next switch there), or -1 at the CPU's last slice. */
  nextSwitchOnCpu(i: number): number {
    const track = this.cpuTrack(this.model.switches.cpu[i]);
    let k = firstStartAtOrAfter(track, this.model.switches.time[i]);
    while (k < track.n && rowOf(track, k) !== i) k++;
    return k + 1 < track.n ? rowOf(track, k + 1) : -1;
  }

  /**
   * The vCPU-lane track of a task: running intervals valued by the CPU they ran on; between them,
   * V_RUNNABLE after a switch-out in state R/R+ (traces with states), V_SLEEPING after any other state
   * until the next wakeup, then V_WOKEN until it runs; V_OFF where the trace has no states. Unknown
   * before the first run and after a slice the trace does not say the end of.
   */
  vcpuTrack(task: number): Track {
    let t = this.vcpuTracks.get(task);
    if (t) return t;
    t = this.buildVcpuTrack(task);
    this.vcpuTracks.set(task, t);
    return t;
  }

  private buildVcpuTrack(task: number): Track {
    const m = this.model;
    const sw = m.switches;
    const slices = this.taskSlices(task);
    const wakeups = this.taskWakeups(task);
    const cap = slices.length * 3;
    const start = new Float64Array(cap);
    const end = new Float64Array(cap);
    const value = new Int32Array(cap);
    const slice = new Int32Array(cap);
    let n = 0;
    const push = (s: number, e: number, v: number, i: number): void => {
      start[n] = s;
      end[n] = e;
      value[n] = v;
      slice[n] = i;
      n++;
    };
    let w = 0;
    for (let k = 0; k < slices.length; k++) {
      const i = slices[k];
      const s = sw.time[i];
      const e = m.slices.end[i];
      push(s, e, sw.cpu[i], i);
      if (m.slices.endReason[i] !== SliceEnd.Switch) continue;
      const next = k + 1 < slices.length ? sw.time[slices[k + 1]] : this.t1;
      if (!(next > e)) continue;
      const j = this.nextSwitchOnCpu(i);
      const state = m.hasStates && j >= 0 && sw.prev[j] === task ? sw.prevState[j] : PrevState.Unknown;
      if (isRunnableState(state)) {
        push(e, next, V_RUNNABLE, i);
        continue;
      }
      const off = state === PrevState.Unknown ? V_OFF : V_SLEEPING;
      while (w < wakeups.length && wakeups[w] <= e) w++;
      if (w < wakeups.length && wakeups[w] < next) {
        if (wakeups[w] > e) push(e, wakeups[w], off, i);
        push(wakeups[w], next, V_WOKEN, i);
      } else push(e, next, off, i);
    }
    return {
      n,
      rows: null,
      start: start.subarray(0, n),
      end: end.subarray(0, n),
      value: value.subarray(0, n),
      slice: slice.subarray(0, n),
      domain: this.cpuDomain,
    };
  }
}
