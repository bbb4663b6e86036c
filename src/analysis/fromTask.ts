// "From" in a switch is the task of the slice it ends on its CPU (the model's
// open slice), never the event's prev_pid: map input has no prev_pid, and this
// way map and script input of one recording give the same answers. The open
// slice on a CPU is the slice of its previous switch, unless the migration rule
// ended that slice (then the CPU's task is unknown until this switch).
// switchPass.ts applies the same rule inline; this column is for callers that
// want it whole (tests, a UI showing handoffs).

import { SliceEnd, type TraceModel } from '../model/types';

/** The from-task of every switch, -1 where the CPU had no open slice. */
export function fromTasks(model: TraceModel): Int32Array {
  const { cpu, next, length } = model.switches;
  const { endReason } = model.slices;
  const cpus = model.cpus;
  const last = new Int32Array((cpus.length > 0 ? cpus[cpus.length - 1] : 0) + 1).fill(-1);
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const c = cpu[i];
    const j = last[c];
    last[c] = i;
    out[i] = j >= 0 && endReason[j] === SliceEnd.Switch ? next[j] : -1;
  }
  return out;
}
