// kvm_exit events on a VM's vCPU threads (the thread that ran the event), in
// the window and on a CPU of P: counts by reason, and how many were PAUSE exits
// (pause-loop exiting: a vCPU spinning on a lock), whatever the case or
// spelling (`PAUSE_INSTRUCTION` on Intel, `pause` on AMD).

import type { TraceModel } from '../model/types';
import type { VmIndex } from './vmIndex';
import { inWindow, type Window } from './window';

/** Whether a kvm_exit reason is a PAUSE exit. */
export function isPauseReason(reason: string): boolean {
  return /pause/i.test(reason);
}

export interface VmExits {
  /** PAUSE exits per VM. */
  pause: Float64Array;
  /** {reason: count} per VM, reasons in order of first appearance in the trace. */
  reasons: Record<string, number>[];
}

/** Null when the trace has no kvm_exit event at all. */
export function countExits(model: TraceModel, idx: VmIndex, w: Window): VmExits | null {
  const ex = model.kvmExits;
  if (ex.length === 0) return null;
  const nr = model.kvmExitReasons.length;
  const isPause = new Uint8Array(nr);
  model.kvmExitReasons.forEach((r, i) => (isPause[i] = isPauseReason(r) ? 1 : 0));
  const byReason = new Float64Array(idx.vmCount * nr);
  const pause = new Float64Array(idx.vmCount);
  for (let i = 0; i < ex.length; i++) {
    const v = idx.vmOfTask[ex.task[i]];
    if (v < 0 || w.cpuMask[ex.cpu[i]] !== 1 || !inWindow(w, ex.time[i])) continue;
    const r = ex.reason[i];
    byReason[v * nr + r]++;
    if (isPause[r] === 1) pause[v]++;
  }
  const reasons: Record<string, number>[] = [];
  for (let v = 0; v < idx.vmCount; v++) {
    const rec: Record<string, number> = Object.create(null); // reasons are trace text: no prototype keys
    for (let r = 0; r < nr; r++) if (byReason[v * nr + r] > 0) rec[model.kvmExitReasons[r]] = byReason[v * nr + r];
    reasons.push(rec);
  }
  return { pause, reasons };
}
