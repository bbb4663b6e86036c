// Per-lane interval tracks over a run's drawn slices (model/cpuSlices), so a
// frame finds its first visible slice by binary search instead of scanning the
// trace.
//
// A track is a list of intervals [start, end) with a value, sorted by start and
// not overlapping (so ends are sorted too). Time not covered by any interval
// is unknown. Host-CPU tracks are the slices of one CPU (contiguous rows, so a
// frame and a pyramid build read memory in order); a vCPU track is derived from
// the whole model (running / runnable / sleeping) and comes from the model
// worker; a task's track reads the rows through the list of its slices. A
// slice is named by its row in the drawn slices.

import { bisectLeft, bisectRight } from 'd3';
import type { ModelHead } from '../model/drawnRun';
import { bisectThrough } from '../model/bisectThrough';
import { cpuOfRow, taskRows, type CpuSlices } from '../model/cpuSlices';
import type { VcpuTrack } from '../model/vcpuTracks';

export interface Track {
  /** Number of intervals. */
  n: number;
  /** Row of interval k in the column arrays: rows[k], or k itself when rows is null. */
  rows: Int32Array | null;
  start: Float64Array;
  end: Float64Array;
  value: Int32Array;
  /** Slice (row of the drawn slices) behind each row: slice[row], or base + row when null. */
  slice: Int32Array | null;
  base: number;
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
  return t.slice === null ? t.base + row : t.slice[row];
}

/**
 * Smallest k < n whose key is past `time` (`strict`: key > time, else key >= time), keys sorted: d3's
 * bisect on the column, or through a task track's rows (column[rows[k]]).
 */
function firstPast(column: Float64Array, rows: Int32Array | null, n: number, time: number, strict: boolean): number {
  if (rows === null) return strict ? bisectRight(column, time, 0, n) : bisectLeft(column, time, 0, n);
  return bisectThrough(column, rows, time, strict, 0, n);
}

/** Smallest k with end(k) > time (n if none). Ends are sorted because intervals do not overlap. */
export function firstEndAfter(t: Track, time: number): number {
  return firstPast(t.end, t.rows, t.n, time, true);
}

/** Smallest k with start(k) >= time (n if none). */
export function firstStartAtOrAfter(t: Track, time: number): number {
  return firstPast(t.start, t.rows, t.n, time, false);
}

/** Smallest k with start(k) > time (n if none). */
export function firstStartAfter(t: Track, time: number): number {
  return firstPast(t.start, t.rows, t.n, time, true);
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

/** What a slice index reads: the model's head and the drawn slices. */
export interface IndexedRun {
  model: Pick<ModelHead, 't0' | 't1' | 'cpus' | 'tasks'>;
  slices: CpuSlices;
}

/** Where vCPU tracks come from when they were not handed over (tests and the bench: the model at hand). */
export type VcpuTrackSource = (tasks: readonly number[]) => VcpuTrack[];

/**
 * The tracks of one run: one per host CPU (views of its rows), per task (its slices in time order), and
 * the vCPU-lane tracks handed over by the model worker (adoptVcpuTracks).
 */
export class SliceIndex {
  readonly model: IndexedRun['model'];
  readonly slices: CpuSlices;
  /** Trace start and end: first and last switch time (0, 0 for an empty trace). */
  readonly t0: number;
  readonly t1: number;
  readonly cpuDomain: number;
  readonly taskCount: number;
  private readonly cpuTracks = new Map<number, Track>();
  private readonly vcpuTracks = new Map<number, Track>();
  private readonly source: VcpuTrackSource | null;

  constructor(run: IndexedRun, source: VcpuTrackSource | null = null) {
    this.model = run.model;
    this.slices = run.slices;
    this.t0 = run.model.t0;
    this.t1 = run.model.t1;
    this.cpuDomain = run.slices.offset.length - 1;
    this.taskCount = run.model.tasks.length;
    this.source = source;
  }

  /** The host-CPU lane track: every slice on the CPU, valued by task index. */
  cpuTrack(cpu: number): Track {
    let t = this.cpuTracks.get(cpu);
    if (t) return t;
    const { start, end, value, offset } = this.slices;
    const [a, b] = cpu >= 0 && cpu < this.cpuDomain ? [offset[cpu], offset[cpu + 1]] : [0, 0];
    t = {
      n: b - a,
      rows: null,
      start: start.subarray(a, b),
      end: end.subarray(a, b),
      value: value.subarray(a, b),
      slice: null,
      base: a,
      domain: this.taskCount,
    };
    this.cpuTracks.set(cpu, t);
    return t;
  }

  /** The CPU of a slice (row). */
  cpuOf(slice: number): number {
    return cpuOfRow(this.slices.offset, slice);
  }

  /** Slices (rows) of a task, in time order. */
  taskSlices(task: number): Int32Array {
    const { taskOffset } = this.slices;
    if (task < 0 || task >= this.taskCount) return new Int32Array(0);
    return taskRows(this.slices).subarray(taskOffset[task], taskOffset[task + 1]);
  }

  /** A task's slices as a track (valued by task; a task's slices never overlap). */
  taskTrack(task: number): Track {
    const rows = this.taskSlices(task);
    const { start, end, value } = this.slices;
    return { n: rows.length, rows, start, end, value, slice: null, base: 0, domain: this.taskCount };
  }

  /** The slice after this one on its CPU (the next switch there), or -1 at the CPU's last slice. */
  nextSwitchOnCpu(slice: number): number {
    const c = this.cpuOf(slice);
    return slice + 1 < this.slices.offset[c + 1] ? slice + 1 : -1;
  }

  /**
   * The vCPU-lane track of a task (model/vcpuTracks: running intervals valued by the CPU they ran on, and
   * why it was off CPU between them). Handed over first (adoptVcpuTracks), else from the index's source.
   */
  vcpuTrack(task: number): Track {
    let t = this.vcpuTracks.get(task);
    if (!t) {
      this.prepareVcpuTracks([task]);
      t = this.vcpuTracks.get(task) as Track;
    }
    return t;
  }

  /** Whether every given task's vCPU track is here. */
  hasVcpuTracks(tasks: readonly number[]): boolean {
    return tasks.every((t) => this.vcpuTracks.has(t));
  }

  /** Keep vCPU tracks built elsewhere (the model worker's). */
  adoptVcpuTracks(tracks: readonly VcpuTrack[]): void {
    for (const v of tracks)
      this.vcpuTracks.set(v.task, {
        n: v.start.length,
        rows: null,
        start: v.start,
        end: v.end,
        value: v.value,
        slice: v.slice,
        base: 0,
        domain: this.cpuDomain,
      });
  }

  /** Make sure the given tasks' vCPU tracks are here (from the source; without one they must be adopted). */
  prepareVcpuTracks(tasks: readonly number[]): void {
    const missing = [...new Set(tasks)].filter((t) => !this.vcpuTracks.has(t));
    if (missing.length === 0) return;
    if (!this.source) throw new Error(`vCPU tracks of tasks ${missing.join(', ')} were not loaded`);
    this.adoptVcpuTracks(this.source(missing));
  }
}
