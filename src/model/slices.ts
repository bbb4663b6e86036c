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
  // Open slice (switch index) per CPU, and per task; -1 = none. CPU numbers are
  // 16-bit, so a flat array indexed by CPU replaces a Map lookup per switch.
  const openOnCpu = new Int32Array(maxCpu(sw.cpu) + 1).fill(-1);
  const openOfTask = new Int32Array(taskKind.length).fill(-1);
  const { time, cpu, next } = sw;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const c = cpu[i];
    const x = next[i];
    const prevSlice = openOnCpu[c];
    if (prevSlice >= 0) {
      end[prevSlice] = t;
      endReason[prevSlice] = SliceEnd.Switch;
      const owner = next[prevSlice];
      if (openOfTask[owner] === prevSlice) openOfTask[owner] = -1;
    }
    // Idle and filtered placeholders stand for a different task on every CPU.
    const k = taskKind[x];
    if (k !== TaskKind.Idle && k !== TaskKind.Filtered && k !== TaskKind.Unknown) {
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
  for (let c = 0; c < openOnCpu.length; c++) {
    const open = openOnCpu[c];
    if (open >= 0) {
      end[open] = t1;
      endReason[open] = SliceEnd.TraceEnd;
    }
  }
  return { end, endReason };
}

function maxCpu(cpu: Uint16Array): number {
  let max = 0;
  for (let i = 0; i < cpu.length; i++) if (cpu[i] > max) max = cpu[i];
  return max;
}

/** The CPUs that appear in a switch column, ascending. */
export function cpusOf(cpu: Uint16Array): number[] {
  const seen = new Uint8Array(maxCpu(cpu) + 1);
  for (let i = 0; i < cpu.length; i++) seen[cpu[i]] = 1;
  const out: number[] = [];
  for (let c = 0; c < seen.length; c++) if (seen[c] === 1) out.push(c);
  return out;
}
