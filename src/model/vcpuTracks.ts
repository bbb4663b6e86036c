// Where and whether a vCPU thread ran, over time: its running intervals valued
// by the CPU they ran on and, between them, why it was off CPU. A pass over the
// whole trace (switches and wakeups in time order), so the model worker builds
// these on request and hands them to the page's map.

import { rowOfSwitch } from './cpuSlices';
import { isRunnableState, PrevState, SliceEnd, type TraceModel } from './types';

// What a lane holds over time, one Int32 per interval: values >= 0 are data (a task index on a host-CPU
// lane, the CPU a vCPU ran on on a vCPU lane); negative values are states that are not a slice.

/** Nothing known: before a CPU's first switch, after a slice ended by a migration, outside the trace. */
export const V_UNKNOWN = -1;
/** vCPU lane: switched out runnable (prev_state R or R+) and waiting to run again. */
export const V_RUNNABLE = -2;
/** vCPU lane: switched out blocked (S, D, …) and not yet woken. */
export const V_SLEEPING = -3;
/** vCPU lane: not running, and the trace does not say why (no prev_state). */
export const V_OFF = -4;
/** vCPU lane: woken (sched_waking/wakeup) after sleeping, waiting for a CPU. */
export const V_WOKEN = -5;

/** One task's vCPU-lane intervals, sorted and not overlapping. */
export interface VcpuTrack {
  task: number;
  start: Float64Array;
  end: Float64Array;
  value: Int32Array;
  /** The slice behind each interval (its row in groupSlicesByCpu; off-CPU: the slice before). */
  slice: Int32Array;
}

/** Switches per piece of vcpuTrackBuilder's passes (a few ms each). */
export const VCPU_CHUNK = 1 << 16;

/** The buffers of some vCPU tracks (to transfer them). */
export function vcpuTrackBuffers(tracks: readonly VcpuTrack[]): ArrayBuffer[] {
  return tracks.flatMap((t) => [t.start, t.end, t.value, t.slice].map((a) => a.buffer as ArrayBuffer));
}

/** Every given task's vCPU track, in one pass. */
export function vcpuTracks(model: TraceModel, tasks: readonly number[]): VcpuTrack[] {
  const step = vcpuTrackBuilder(model, tasks);
  let out: VcpuTrack[] | null;
  while ((out = step(Infinity)) === null);
  return out;
}

/**
 * vcpuTracks a piece at a time: each call of the returned function works through the trace in chunks of
 * VCPU_CHUNK switches until `deadline` (by `now`) and returns null while more remains, then the tracks (one
 * per distinct task of `tasks`; a task the model does not have gets an empty track).
 *
 * Running intervals are valued by the CPU they ran on; between them, V_RUNNABLE after a switch-out in state
 * R/R+ (traces with states), V_SLEEPING after any other state until the next wakeup, then V_WOKEN until it
 * runs; V_OFF where the trace has no states. Unknown before the first run and after a slice the trace does
 * not say the end of.
 */
export function vcpuTrackBuilder(
  m: TraceModel,
  tasks: readonly number[],
  now: () => number = () => performance.now(),
): (deadline: number) => VcpuTrack[] | null {
  const nTasks = m.tasks.length;
  const all = [...new Set(tasks)];
  const todo = all.filter((t) => t >= 0 && t < nTasks);
  const emptyTrack = (task: number): VcpuTrack => ({
    task,
    start: new Float64Array(0),
    end: new Float64Array(0),
    value: new Int32Array(0),
    slice: new Int32Array(0),
  });
  const missing = all.filter((t) => t < 0 || t >= nTasks).map(emptyTrack);
  if (todo.length === 0) return () => missing;
  const sw = m.switches;
  const n = sw.length;
  const t1 = n > 0 ? sw.time[n - 1] : 0;
  const { time, cpu, next, prev, prevState } = sw;
  const { end, endReason } = m.slices;
  const cpuDomain = m.cpus.length > 0 ? m.cpus[m.cpus.length - 1] + 1 : 0;
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
  const openOnCpu = new Int32Array(cpuDomain).fill(-1);
  let rows: Int32Array | null = null;
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
        rows ??= rowOfSwitch(m);
        const out = missing.slice();
        for (let k = 0; k < T; k++) {
          if (last[k] >= 0) closeGap(k, t1);
          const nk = len[k];
          const slice = outI[k].slice(0, nk);
          for (let j = 0; j < nk; j++) slice[j] = rows[slice[j]];
          out.push({
            task: todo[k],
            start: outS[k].slice(0, nk),
            end: outE[k].slice(0, nk),
            value: outV[k].slice(0, nk),
            slice,
          });
        }
        return out;
      }
      if (now() >= deadline) return null;
    }
  };
}
