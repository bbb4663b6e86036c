// Per-CPU run slices by one rule (the Foundation issue's): a switch on CPU c at
// time t to task X ends the slice open on c and opens one for X; if X still has
// an open slice on another CPU, that one ends at t (migration rule); slices
// still open at the last switch end there. Slice i belongs to switch i. Where
// the input leaves events out (gaps: a `[...]` in a paste), every open slice
// ends at the gap's start, and no CPU has a task known until its next switch.

import { SliceEnd, TaskKind, type SliceTable, type SwitchTable } from './types';

/** CPU numbers are 16-bit (the switch table's cpu column). */
const CPU_LIMIT = 1 << 16;

export function computeSlices(sw: SwitchTable, taskKind: Uint8Array): SliceTable {
  return sliceSwitches(sw, taskKind).slices;
}

/**
 * The run slices, and the CPUs with at least one switch (ascending), from one
 * pass over the switches: the builder needs both, and each extra pass over a
 * column of millions of rows shows in the parse time.
 */
export function sliceSwitches(
  sw: SwitchTable,
  taskKind: Uint8Array,
  /** Start times of the input's gaps, ascending: a switch after one (later than it) is after the gap. */
  gaps: readonly number[] = [],
): { slices: SliceTable; cpus: number[] } {
  const n = sw.length;
  const end = new Float64Array(n);
  const endReason = new Uint8Array(n);
  const t1 = n > 0 ? sw.time[n - 1] : 0;
  // Open slice (switch index) per CPU, and per task; -1 = none. Flat arrays
  // over the whole 16-bit CPU range: no Map lookup, no pass to size them.
  const openOnCpu = new Int32Array(CPU_LIMIT).fill(-1);
  const seen = new Uint8Array(CPU_LIMIT);
  const openOfTask = new Int32Array(taskKind.length).fill(-1);
  slicePass(sw, taskKind, gaps, end, endReason, openOnCpu, seen, openOfTask);
  return { slices: { end, endReason }, cpus: closeAtEnd(t1, seen, openOnCpu, end, endReason) };
}

/**
 * The pass over the switches (see sliceSwitches). A function with nothing after its loop: the loop is compiled
 * while it runs (on-stack replacement), and code after it that had not run yet deoptimised it when the loop ended.
 */
function slicePass(
  sw: SwitchTable,
  taskKind: Uint8Array,
  gaps: readonly number[],
  end: Float64Array,
  endReason: Uint8Array,
  openOnCpu: Int32Array,
  seen: Uint8Array,
  openOfTask: Int32Array,
): void {
  const n = sw.length;
  const { time, cpu, next } = sw;
  let gap = 0;
  let gapAt = gaps.length > 0 ? gaps[0] : Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (t > gapAt) {
      closeAtGap(gapAt, seen, openOnCpu, openOfTask, end, endReason);
      gapAt = ++gap < gaps.length ? gaps[gap] : Infinity;
      while (t > gapAt) gapAt = ++gap < gaps.length ? gaps[gap] : Infinity;
    }
    const c = cpu[i];
    const x = next[i];
    seen[c] = 1;
    const prevSlice = openOnCpu[c];
    if (prevSlice >= 0) {
      end[prevSlice] = t;
      endReason[prevSlice] = SliceEnd.Switch;
      const owner = next[prevSlice];
      if (openOfTask[owner] === prevSlice) openOfTask[owner] = -1;
    }
    // Idle and filtered placeholders stand for a different task on every CPU.
    const k = taskKind[x];
    if (k !== TaskKind.Idle && k !== TaskKind.Filtered && k !== TaskKind.Unknown && k !== TaskKind.Elided) {
      const other = openOfTask[x];
      if (other >= 0) {
        end[other] = t;
        endReason[other] = SliceEnd.Migration;
        openOnCpu[cpu[other]] = -1;
      }
      openOfTask[x] = i;
    }
    openOnCpu[c] = i;
  }
}

/** The end: the slices still open end at the last switch, `t1`. Returns the CPUs seen, ascending. */
function closeAtEnd(
  t1: number,
  seen: Uint8Array,
  openOnCpu: Int32Array,
  end: Float64Array,
  endReason: Uint8Array,
): number[] {
  const cpus: number[] = [];
  for (let c = 0; c < CPU_LIMIT; c++) {
    if (seen[c] === 0) continue;
    cpus.push(c);
    const open = openOnCpu[c];
    if (open >= 0) {
      end[open] = t1;
      endReason[open] = SliceEnd.TraceEnd;
    }
  }
  return cpus;
}

/** A gap at time `at`: every open slice ends there, and nothing is known open after it. */
function closeAtGap(
  at: number,
  seen: Uint8Array,
  openOnCpu: Int32Array,
  openOfTask: Int32Array,
  end: Float64Array,
  endReason: Uint8Array,
): void {
  for (let c = 0; c < CPU_LIMIT; c++) {
    const open = openOnCpu[c];
    if (seen[c] === 0 || open < 0) continue;
    end[open] = at;
    endReason[open] = SliceEnd.Gap;
    openOnCpu[c] = -1;
  }
  openOfTask.fill(-1);
}
