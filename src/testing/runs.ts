// Hand-made runs for the analysis tests: a TraceBuilder plus VMs given as
// lists of task indices (no grouping heuristics involved).

import { TraceBuilder } from '../model/builder';
import type { Run } from '../model/runs';
import type { TraceFormat, TraceModel } from '../model/types';
import type { VmGroup } from '../model/vms';

/** 1 µs in the model's nanoseconds: hand-made timelines are written in µs. */
export const US = 1000;

export function vmGroup(model: TraceModel, name: string, vcpuTasks: number[], otherTasks: number[] = []): VmGroup {
  const comm = (t: number): string => model.tasks.comms[t].at(-1) ?? '';
  return {
    name,
    tgid: null,
    grouping: 'vm-map',
    ambiguous: false,
    ambiguityReason: null,
    vcpus: vcpuTasks.map((task, index) => ({ index, tid: model.tasks.tid[task], task, comm: comm(task) })),
    otherThreads: otherTasks.map((task) => ({ tid: model.tasks.tid[task], task, comm: comm(task) })),
  };
}

export function makeRun(model: TraceModel, vms: { name: string; vcpus: number[]; others?: number[] }[] = []): Run {
  return { name: 'handmade', model, vms: vms.map((v) => vmGroup(model, v.name, v.vcpus, v.others)), companions: [] };
}

/** A builder for script-like input (with states) or map-like input (no states). */
export function builder(format: TraceFormat = 'perf-script', hasStates = true): TraceBuilder {
  const b = new TraceBuilder(format);
  b.hasStates = hasStates;
  return b;
}
