// The model's run slices as the map draws them: grouped by CPU into
// contiguous columns, so a lane reads memory in order and finds its first
// visible slice by binary search. Built once, when the model is finished (in
// the model worker), and handed to the page, which keeps nothing else of the
// trace's events: a slice is named on the page by its row here.

import { bisectLeft } from 'd3';
import { SliceEnd, type TraceModel } from './types';

/** `leftState` of a row whose next switch on its CPU does not say how the task left (or there is none). */
export const LEFT_STATE_NONE = 255;

/**
 * Rows offset[c]..offset[c + 1] are CPU c's slices in time order (26 bytes per switch). `byTask` lists
 * every task's rows in time (switch) order: rows taskOffset[t]..taskOffset[t + 1] of it are task t's.
 */
export interface CpuSlices {
  start: Float64Array;
  end: Float64Array;
  /** Task index that ran. */
  value: Int32Array;
  /** SliceEnd of each row. */
  endReason: Uint8Array;
  /**
   * PrevState the task was switched out in at the end of the row (the next switch on its CPU, when that
   * switch names it as prev and the trace has states), else LEFT_STATE_NONE.
   */
  leftState: Uint8Array;
  offset: Int32Array;
  byTask: Int32Array;
  taskOffset: Int32Array;
}

/** Largest CPU number with a switch, plus one (0 for an empty trace): the CPU domain of the model's tracks. */
export function cpuDomainOf(model: Pick<TraceModel, 'cpus'>): number {
  return model.cpus.length > 0 ? model.cpus[model.cpus.length - 1] + 1 : 0;
}

/** The CPU whose column holds `row`: the largest c with offset[c] <= row (an empty CPU shares its offset with the next). */
export function cpuOfRow(offset: ArrayLike<number>, row: number): number {
  let lo = 0;
  let hi = offset.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (offset[mid] <= row) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Counting-sort offsets of 0..n-1 by a small integer key: offset[k]..offset[k + 1] hold key k. */
function offsetsBy(key: ArrayLike<number>, n: number, keys: number): Int32Array {
  const offset = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) offset[key[i] + 1]++;
  for (let k = 0; k < keys; k++) offset[k + 1] += offset[k];
  return offset;
}

/** The row of every switch in groupSlicesByCpu's order (what a vCPU track names its slices by). */
export function rowOfSwitch(model: TraceModel): Int32Array {
  const sw = model.switches;
  const n = sw.length;
  const fill = offsetsBy(sw.cpu, n, cpuDomainOf(model));
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = fill[sw.cpu[i]]++;
  return rows;
}

export function groupSlicesByCpu(model: TraceModel): CpuSlices {
  const sw = model.switches;
  const n = sw.length;
  const nTasks = model.tasks.length;
  const offset = offsetsBy(sw.cpu, n, cpuDomainOf(model));
  const fill = offset.slice(0, offset.length - 1);
  const taskOffset = offsetsBy(sw.next, n, nTasks);
  const taskFill = taskOffset.slice(0, nTasks);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const value = new Int32Array(n);
  const endReason = new Uint8Array(n);
  const leftState = new Uint8Array(n).fill(LEFT_STATE_NONE);
  const byTask = new Int32Array(n);
  const { time, cpu, next, prev, prevState } = sw;
  const { end: sEnd, endReason: sReason } = model.slices;
  // The row open on each CPU: the switch that ends it says how its task left.
  const open = new Int32Array(offset.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = cpu[i];
    const p = fill[c]++;
    const o = open[c];
    if (o >= 0 && model.hasStates && endReason[o] === SliceEnd.Switch && prev[i] === value[o])
      leftState[o] = prevState[i];
    open[c] = p;
    start[p] = time[i];
    end[p] = sEnd[i];
    value[p] = next[i];
    endReason[p] = sReason[i];
    byTask[taskFill[next[i]]++] = p;
  }
  return { start, end, value, endReason, leftState, offset, byTask, taskOffset };
}

/** The buffers of a CpuSlices (to transfer it). */
export function cpuSlicesBuffers(c: CpuSlices): ArrayBuffer[] {
  return [c.start, c.end, c.value, c.endReason, c.leftState, c.offset, c.byTask, c.taskOffset].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** First row in [lo, hi) with start >= x (hi when none): a CPU's rows are sorted by start. */
export function firstRowAtOrAfter(start: Float64Array, lo: number, hi: number, x: number): number {
  return bisectLeft(start, x, lo, hi);
}

/** Switches (slice starts) at times in [a, b), over every CPU. */
export function switchesIn(c: Pick<CpuSlices, 'start' | 'offset'>, a: number, b: number): number {
  let n = 0;
  for (let cpu = 0; cpu + 1 < c.offset.length; cpu++) {
    const lo = c.offset[cpu];
    const hi = c.offset[cpu + 1];
    if (lo === hi) continue;
    n += firstRowAtOrAfter(c.start, lo, hi, b) - firstRowAtOrAfter(c.start, lo, hi, a);
  }
  return n;
}

/**
 * The task's next (dir 1) or previous (dir -1) slice after slice `from` (a row; -1: before its first, so
 * the first or last), or -1: the `.` and `,` keys.
 */
export function stepTaskSlice(
  slices: Pick<CpuSlices, 'byTask' | 'taskOffset'>,
  task: number,
  from: number,
  dir: 1 | -1,
): number {
  if (task < 0 || task + 1 >= slices.taskOffset.length) return -1;
  const rows = slices.byTask.subarray(slices.taskOffset[task], slices.taskOffset[task + 1]);
  const k = from < 0 ? (dir === 1 ? -1 : rows.length) : rows.indexOf(from);
  if (k < 0 && from >= 0) return -1;
  const j = k + dir;
  return j >= 0 && j < rows.length ? rows[j] : -1;
}
