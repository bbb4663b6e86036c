// Per-CPU run slices by one rule (the Foundation issue's): a switch on CPU c at
// time t to task X ends the slice open on c and opens one for X; if X still has
// an open slice on another CPU, that one ends at t (migration rule); slices
// still open at the last switch end there. Slice i belongs to switch i.

import { SliceEnd, TaskKind, type SliceTable, type SwitchTable } from './types';

export function computeSlices(sw: SwitchTable, taskKind: Uint8Array): SliceTable {
  const n = sw.length;
  const end = new Float64Array(n);
  const endReason = new Uint8Array(n);
  const t1 = n > 0 ? sw.time[n - 1] : 0;
  // Open slice (switch index) per CPU, and per task; -1 = none.
  const openOnCpu = new Map<number, number>();
  const openOfTask = new Int32Array(taskKind.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const t = sw.time[i];
    const c = sw.cpu[i];
    const x = sw.next[i];
    const prevSlice = openOnCpu.get(c);
    if (prevSlice !== undefined && prevSlice >= 0) {
      end[prevSlice] = t;
      endReason[prevSlice] = SliceEnd.Switch;
      const owner = sw.next[prevSlice];
      if (openOfTask[owner] === prevSlice) openOfTask[owner] = -1;
    }
    // Idle and filtered placeholders stand for a different task on every CPU.
    const k = taskKind[x];
    if (k !== TaskKind.Idle && k !== TaskKind.Filtered && k !== TaskKind.Unknown) {
      const other = openOfTask[x];
      if (other >= 0) {
        end[other] = t;
        endReason[other] = SliceEnd.Migration;
        openOnCpu.set(sw.cpu[other], -1);
      }
      openOfTask[x] = i;
    }
    openOnCpu.set(c, i);
  }
  for (const open of openOnCpu.values()) {
    if (open >= 0) {
      end[open] = t1;
      endReason[open] = SliceEnd.TraceEnd;
    }
  }
  return { end, endReason };
}
