// The two-character names `perf sched map` gives threads (perf 6.1
// builtin-sched.c map_switch_event): the first time a thread is switched in
// it takes the next of A0, B0, .., Z0, A1, .., Z9, after which the sequence
// wraps to A0 (so past 260 threads a name stands for several); the idle task
// is `.`. A map's own announcements (`A0 => comm:tid`) follow the same order,
// so the names are rebuilt from the slices for any input. Wide slices of the
// map show them (sliceLabels.ts).

import { cpuOfRow, type CpuSlices } from '../model/cpuSlices';
import { TaskKind, type TaskTable } from '../model/types';

/** The n-th name perf hands out (0: A0), wrapping after Z9. */
export function perfShortName(n: number): string {
  const k = n % 260;
  return String.fromCharCode(65 + (k % 26)) + String(Math.floor(k / 26));
}

/**
 * Short name per task: in order of each thread's first switch-in (ties by CPU), `.` for idle, `-` for a
 * map's filtered cells, a map's unannounced name as it was written; '' for a task never switched in.
 */
export function perfShortNames(
  tasks: Pick<TaskTable, 'length' | 'kind' | 'comms'>,
  slices: Pick<CpuSlices, 'start' | 'end' | 'value' | 'offset'>,
): string[] {
  const n = tasks.length;
  const out = new Array<string>(n).fill('');
  const first: { task: number; time: number; cpu: number }[] = [];
  const { start, offset } = slices;
  const firstRow = firstRows(slices, n);
  for (let t = 0; t < n; t++) {
    if (firstRow[t] < 0) continue;
    const kind = tasks.kind[t];
    if (kind === TaskKind.Idle) out[t] = '.';
    else if (kind === TaskKind.Filtered) out[t] = '-';
    else if (kind === TaskKind.UnknownShortName) out[t] = (tasks.comms[t]?.[0] ?? '').replace(/\?$/, '');
    else {
      const row = firstRow[t];
      first.push({ task: t, time: start[row], cpu: cpuOfRow(offset, row) });
    }
  }
  first.sort((a, b) => a.time - b.time || a.cpu - b.cpu);
  first.forEach((f, i) => (out[f.task] = perfShortName(i)));
  return out;
}

/** Each task's first row in taskRows' order (by start, then end, then row), -1 for a task never switched in. */
function firstRows(slices: Pick<CpuSlices, 'start' | 'end' | 'value'>, tasks: number): Int32Array {
  const { start, end, value } = slices;
  const first = new Int32Array(tasks).fill(-1);
  for (let r = 0; r < value.length; r++) {
    const t = value[r];
    if (t >= tasks) continue;
    const f = first[t];
    if (f < 0 || start[r] < start[f] || (start[r] === start[f] && end[r] < end[f])) first[t] = r;
  }
  return first;
}
