// Where the map goes for a search match (analysis/search.ts): the lane to
// bring into view and the window to show. The match's first slice in the
// window (on a lane the map shows) is the target and the window stays; with
// none in the window, its next slice after the window (else its first one)
// and the window centred on it, widened when the slice is longer than the
// window. Pure: the UI scrolls the lanes and sets the view from the answer.

import { bisector } from 'd3';
import { cpuOfRow, taskRows, type CpuSlices } from '../model/cpuSlices';
import type { Lane } from './lanes';
import { centerOn, fitRange, type ViewBounds, type Viewport } from './viewport';

export interface SearchJump {
  /** Index into the lanes of the lane to reveal. */
  lane: number;
  /** The drawn slice (row) jumped to. */
  row: number;
  /** The window to show; null when the slice is in the current one. */
  view: Viewport | null;
}

/** null when no slice of the tasks is on a lane shown (a host task in vCPU mode, hidden CPUs, no slices). */
export function searchJump(
  slices: Pick<CpuSlices, 'start' | 'end' | 'value' | 'offset' | 'taskOffset'>,
  lanes: readonly Lane[],
  tasks: readonly number[],
  view: Viewport,
  bounds: ViewBounds,
): SearchJump | null {
  const laneOfCpu = new Map<number, number>();
  const laneOfTask = new Map<number, number>();
  lanes.forEach((l, i) => {
    if (l.kind === 'cpu') laneOfCpu.set(l.cpu, i);
    else if (l.task >= 0) laneOfTask.set(l.task, i);
  });
  const cpuMode = lanes.length > 0 && lanes[0].kind === 'cpu';
  const { start, end, offset, taskOffset } = slices;
  const byTask = taskRows(slices);
  const laneOf = (task: number, row: number): number =>
    cpuMode ? (laneOfCpu.get(cpuOfRow(offset, row)) ?? -1) : (laneOfTask.get(task) ?? -1);
  // Best candidates: in the window (earliest start), after it, and overall (earliest each).
  let inView: SearchJump | null = null;
  let after: SearchJump | null = null;
  let first: SearchJump | null = null;
  const better = (a: SearchJump | null, row: number): boolean => a === null || start[row] < start[a.row];
  const endOf = bisector((row: number) => end[row]);
  for (const task of tasks) {
    if (task < 0 || task + 1 >= taskOffset.length) continue;
    const rows = byTask.subarray(taskOffset[task], taskOffset[task + 1]);
    if (!cpuMode && !laneOfTask.has(task)) continue;
    // A task's rows are in time order, so their ends are sorted: start at the first ending after the window's start.
    for (let k = endOf.right(rows, view.start); k < rows.length; k++) {
      const row = rows[k];
      const lane = laneOf(task, row);
      if (lane < 0) continue;
      if (start[row] < view.end) {
        if (better(inView, row)) inView = { lane, row, view: null };
      } else if (better(after, row)) after = { lane, row, view: null };
      break;
    }
    for (let k = 0; k < rows.length; k++) {
      const lane = laneOf(task, rows[k]);
      if (lane < 0) continue;
      if (better(first, rows[k])) first = { lane, row: rows[k], view: null };
      break;
    }
  }
  if (inView) return inView;
  const target = after ?? first;
  if (!target) return null;
  const s = start[target.row];
  const e = end[target.row];
  const span = view.end - view.start;
  const v = e - s > span * 0.9 ? fitRange(s, e, bounds) : centerOn(view, (s + e) / 2, bounds);
  return { ...target, view: v };
}

export interface VmJump {
  /** The window from the VM's first slice to its last (on lanes shown). */
  view: Viewport;
  /**
   * The lanes to bring into view: in vCPU lanes the first and last of its block; in CPU lanes the first and
   * last lane of the CPUs its vCPUs ran on. Only lanes at or after `pinned` (the pinned band is always in
   * view); null when there is none.
   */
  lanes: [number, number] | null;
}

export interface VmJumpLanes {
  /** Lanes before this are pinned (absent: 0). */
  pinned?: number;
  /**
   * The VM's vCPU threads: in CPU lanes only the CPUs they ran on count (a QEMU main loop switched in once
   * on a far CPU would stretch the range over most of the host); absent: every task's.
   */
  vcpus?: readonly number[];
}

/**
 * Where a VM match goes: its whole span, and its block of vCPU lanes or the CPU lanes it ran on; null when
 * none of it is shown.
 */
export function vmJump(
  slices: Pick<CpuSlices, 'start' | 'end' | 'value' | 'offset' | 'taskOffset'>,
  lanes: readonly Lane[],
  tasks: readonly number[],
  bounds: ViewBounds,
  { pinned = 0, vcpus }: VmJumpLanes = {},
): VmJump | null {
  const laneTasks = vcpus ? new Set(vcpus) : null;
  const cpuMode = lanes.length > 0 && lanes[0].kind === 'cpu';
  const laneOfCpu = new Map<number, number>();
  const laneOfTask = new Map<number, number>();
  lanes.forEach((l, i) => {
    if (l.kind === 'cpu') laneOfCpu.set(l.cpu, i);
    else if (l.task >= 0) laneOfTask.set(l.task, i);
  });
  const { start, end, offset, taskOffset } = slices;
  const byTask = taskRows(slices);
  const shown = (task: number, row: number): boolean =>
    cpuMode ? laneOfCpu.has(cpuOfRow(offset, row)) : laneOfTask.has(task);
  let lo = Infinity;
  let hi = -Infinity;
  let first = Infinity;
  let last = -Infinity;
  for (const task of tasks) {
    if (task < 0 || task + 1 >= taskOffset.length) continue;
    const rows = byTask.subarray(taskOffset[task], taskOffset[task + 1]);
    // Rows in time order: the first shown from the front, the last from the back (ends are sorted too).
    let k = 0;
    while (k < rows.length && !shown(task, rows[k])) k++;
    if (k === rows.length) continue;
    lo = Math.min(lo, start[rows[k]]);
    let m = rows.length - 1;
    while (!shown(task, rows[m])) m--;
    hi = Math.max(hi, end[rows[m]]);
    const lane = laneOfTask.get(task);
    if (lane !== undefined && lane >= pinned) {
      first = Math.min(first, lane);
      last = Math.max(last, lane);
    }
    // CPU lanes: every CPU its vCPUs ran on (the window is its whole span).
    if (cpuMode && (laneTasks === null || laneTasks.has(task)))
      for (let r = k; r <= m; r++) {
        const l = laneOfCpu.get(cpuOfRow(offset, rows[r])) ?? -1;
        if (l >= pinned) {
          first = Math.min(first, l);
          last = Math.max(last, l);
        }
      }
  }
  if (!(hi >= lo)) return null;
  return { view: fitRange(lo, hi, bounds, 0), lanes: first > last ? null : [first, last] };
}
