// The model's run slices as the map draws them: grouped by CPU into
// contiguous columns, so a lane reads memory in order and finds its first
// visible slice by binary search. Built once, when the model is finished (in
// the model worker), and handed to the page, which keeps nothing else of the
// trace's events: a slice is named on the page by its row here. Each task's
// rows (taskRows) are built on the page when first asked for (task lanes,
// search, stepping): 4 bytes per switch a page that never asks does not hold.

import { bisectLeft, bisectRight } from 'd3';
import { SliceEnd, type TraceModel } from './types';

/** `leftState` of a row whose next switch on its CPU does not say how the task left (or there is none). */
export const LEFT_STATE_NONE = 255;

/**
 * Rows offset[c]..offset[c + 1] are CPU c's slices in time order (22 bytes per switch). Task t has
 * taskOffset[t + 1] - taskOffset[t] of them; taskRows lists them.
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
  taskOffset: Int32Array;
}

/** Largest CPU number with a switch, plus one (0 for an empty trace): the CPU domain of the model's tracks. */
export function cpuDomainOf(model: Pick<TraceModel, 'cpus'>): number {
  return model.cpus.length > 0 ? model.cpus[model.cpus.length - 1] + 1 : 0;
}

/** The CPU whose column holds `row`: the largest c with offset[c] <= row (an empty CPU shares its offset with the next). */
export function cpuOfRow(offset: ArrayLike<number>, row: number): number {
  return Math.max(0, bisectRight(offset, row, 0, offset.length - 1) - 1);
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
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const value = new Int32Array(n);
  const endReason = new Uint8Array(n);
  const leftState = new Uint8Array(n).fill(LEFT_STATE_NONE);
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
  }
  return { start, end, value, endReason, leftState, offset, taskOffset };
}

/** taskRows' tables, by the slices' value column (the same slices however they are picked from). */
const taskRowTables = new WeakMap<Int32Array, Int32Array>();

/**
 * Every task's rows in time order: rows taskOffset[t]..taskOffset[t + 1] of it are task t's, by start, then
 * end (a task's slice open when it is switched in elsewhere ends there: the zero-length one comes first, so
 * the ends are in order too, as in switch order), then row. Built on first use and kept while the slices are:
 * the CPUs' rows merged (a heap of CPUs, each read in order), each row appended to its task's part. About a
 * counting sort's time, times the heap's depth.
 */
export function taskRows(c: Pick<CpuSlices, 'start' | 'end' | 'value' | 'offset' | 'taskOffset'>): Int32Array {
  let rows = taskRowTables.get(c.value);
  if (rows) return rows;
  const { start, end, value, offset, taskOffset } = c;
  rows = new Int32Array(value.length);
  const fill = taskOffset.slice(0, taskOffset.length - 1);
  // A heap of the CPUs with rows left, by their next row (heap slot k: CPU hc[k], whose next row is at[hc[k]]).
  const at = offset.slice(0, offset.length - 1);
  const hc = new Int32Array(at.length);
  let size = 0;
  const before = (a: number, b: number): boolean => {
    const ra = at[a];
    const rb = at[b];
    return start[ra] < start[rb] || (start[ra] === start[rb] && (end[ra] < end[rb] || (end[ra] === end[rb] && a < b)));
  };
  const sift = (i: number): void => {
    const cpu = hc[i];
    for (;;) {
      let k = 2 * i + 1;
      if (k >= size) break;
      if (k + 1 < size && before(hc[k + 1], hc[k])) k++;
      if (!before(hc[k], cpu)) break;
      hc[i] = hc[k];
      i = k;
    }
    hc[i] = cpu;
  };
  for (let cpu = 0; cpu < at.length; cpu++) if (offset[cpu] < offset[cpu + 1]) hc[size++] = cpu;
  for (let i = (size >> 1) - 1; i >= 0; i--) sift(i);
  while (size > 0) {
    const cpu = hc[0];
    const r = at[cpu]++;
    rows[fill[value[r]]++] = r;
    if (r + 1 === offset[cpu + 1]) hc[0] = hc[--size];
    sift(0);
  }
  taskRowTables.set(c.value, rows);
  return rows;
}

/** The buffers of a CpuSlices (to transfer it). */
export function cpuSlicesBuffers(c: CpuSlices): ArrayBuffer[] {
  return [c.start, c.end, c.value, c.endReason, c.leftState, c.offset, c.taskOffset].map(
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
  slices: Pick<CpuSlices, 'start' | 'end' | 'value' | 'offset' | 'taskOffset'>,
  task: number,
  from: number,
  dir: 1 | -1,
): number {
  if (task < 0 || task + 1 >= slices.taskOffset.length) return -1;
  const rows = taskRows(slices).subarray(slices.taskOffset[task], slices.taskOffset[task + 1]);
  const k = from < 0 ? (dir === 1 ? -1 : rows.length) : rows.indexOf(from);
  if (k < 0 && from >= 0) return -1;
  const j = k + dir;
  return j >= 0 && j < rows.length ? rows[j] : -1;
}
