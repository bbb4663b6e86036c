// r(t) per VM: how many of its vCPU threads run at time t (on CPUs of P).
//
// Every slice starts at its switch and ends at a later switch (or T1), so one
// pass over the switches replays every change of r(t) in time order, reading
// the model's slice table: at switch i on CPU c, the slice of c's previous
// switch ends if the model ended it by a switch; and if next[i] is a vCPU whose
// previous slice the model ended by the migration rule, that slice ends here
// (the migration rule ends a slice at the task's next switch-in). Slices still
// open at the window's end are cut there. No sort, no heap, no object per slice.

import { SliceEnd, type TraceModel } from '../model/types';
import { gapClipOf } from './gapClip';
import { GapEnded } from './gapEnded';
import type { VmIndex } from './vmIndex';
import type { Window } from './window';

/**
 * Receives r(t) of each VM as pieces [from, to) on which it was constant at
 * `level` (from < to, within [start, end]); one VM's pieces arrive in time
 * order and, with the level-0 pieces, tile [start, end] less a paste's gaps
 * (nothing is known there: a piece never reaches into one, gapClip.ts).
 */
export interface SegmentSink {
  segment(vm: number, from: number, to: number, level: number): void;
}

export function sweepRunning(model: TraceModel, idx: VmIndex, w: Window, to: SegmentSink): void {
  const clip = gapClipOf(model.gaps);
  const sink: SegmentSink =
    clip === null ? to : { segment: (vm, a, b, level) => clip.pieces(a, b, (x, y) => to.segment(vm, x, y, level)) };
  const sw = model.switches;
  const { time, cpu, next } = sw;
  const { end, endReason } = model.slices;
  const { vmOfTask, vcpuOfTask } = idx;
  const { cpuMask } = w;
  const lo = w.start;
  const hi = w.end;
  const nvm = idx.vmCount;
  const level = new Int32Array(nvm);
  const since = new Float64Array(nvm).fill(lo);
  const cpus = model.cpus;
  const lastOnCpu = new Int32Array((cpus.length > 0 ? cpus[cpus.length - 1] : 0) + 1).fill(-1);
  const lastIn = new Int32Array(idx.vcpus.length).fill(-1);

  // Whether slice j (of a vCPU) takes part: on a CPU of P, with time inside the window.
  const counted = (j: number): boolean => {
    const e = end[j];
    return cpuMask[cpu[j]] === 1 && e > lo && e > time[j] && time[j] < hi;
  };
  // r(t) of vm changes by delta at time t.
  const change = (vm: number, t: number, delta: number): void => {
    const to = t < hi ? t : hi;
    if (to > since[vm]) {
      sink.segment(vm, since[vm], to, level[vm]);
      since[vm] = to;
    }
    level[vm] += delta;
  };

  // Slices ended at a gap in a paste end at their own time, before any later switch.
  const gaps = new GapEnded(model);
  let gapNext = gaps.nextEnd();
  const endAtGaps = (t: number): void => {
    for (let j = gaps.takeUpTo(t); j >= 0; j = gaps.takeUpTo(t)) {
      const vm = vmOfTask[next[j]];
      if (vm >= 0 && counted(j)) change(vm, end[j], -1);
    }
    gapNext = gaps.nextEnd();
  };

  for (let i = 0, n = sw.length; i < n; i++) {
    const t = time[i];
    if (t >= gapNext) endAtGaps(t < hi ? t : hi);
    if (t >= hi) break;
    const c = cpu[i];
    const j = lastOnCpu[c];
    lastOnCpu[c] = i;
    if (j >= 0 && endReason[j] === SliceEnd.Switch) {
      const vm = vmOfTask[next[j]];
      if (vm >= 0 && counted(j)) change(vm, t, -1);
    }
    const x = next[i];
    const k = vcpuOfTask[x];
    if (k < 0) continue;
    const vm = vmOfTask[x];
    const prev = lastIn[k];
    lastIn[k] = i;
    if (prev >= 0 && endReason[prev] === SliceEnd.Migration && counted(prev)) change(vm, t, -1);
    if (counted(i)) change(vm, t, +1);
  }
  if (hi >= gapNext) endAtGaps(hi);
  // Whatever is still open runs to the window's end.
  for (let v = 0; v < nvm; v++) if (hi > since[v]) sink.segment(v, since[v], hi, level[v]);
}

/** Time (ns) with r(t) = j, per VM, for j = 0..n (unknown time counts as r = 0; a paste's gaps in no level). */
export function runningLevels(model: TraceModel, idx: VmIndex, w: Window): Float64Array[] {
  const levels = Array.from({ length: idx.vmCount }, (_, v) => new Float64Array(idx.vcpuCount[v] + 1));
  sweepRunning(model, idx, w, {
    segment(vm, from, to, level) {
      const h = levels[vm];
      h[level < h.length ? level : h.length - 1] += to - from;
    },
  });
  return levels;
}
