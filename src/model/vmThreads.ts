// Thread-level facts the VM grouping (vms.ts) rests on: which threads are vCPUs by their names or
// their KVM events, their latest names, how long each ran, and whose process each is.

import { TaskKind, type TraceModel } from './types';
import { vcpuIndexOfName } from './vcpuNames';
import type { Grouping, VcpuSource, VmGroup, VmVcpu } from './vms';

export interface Candidate {
  task: number;
  tid: number;
  comm: string;
  index: number | null;
  /** Whether a vCPU thread name (not just KVM events) marks it as a vCPU. */
  named: boolean;
}

export const lastComm = (m: TraceModel, task: number): string => {
  const c = m.tasks.comms[task];
  return c.length > 0 ? c[c.length - 1] : '';
};

/** vCPU comm of a task: its latest vCPU-style name, else its latest comm. */
function vcpuComm(m: TraceModel, task: number): { comm: string; index: number | null } {
  const comms = m.tasks.comms[task];
  for (let i = comms.length - 1; i >= 0; i--) {
    const idx = vcpuIndexOfName(comms[i]);
    if (idx !== null) return { comm: comms[i], index: idx };
  }
  return { comm: lastComm(m, task), index: null };
}

/** The vCPU threads of a trace: named like vCPUs at any time, or entering the guest (KVM events). */
export function findVcpuThreads(m: TraceModel): Candidate[] {
  const kvmVcpu = new Map<number, number>();
  const noteKvm = (task: Int32Array, vcpu: Int32Array, n: number): void => {
    for (let i = 0; i < n; i++) {
      const prev = kvmVcpu.get(task[i]);
      if (prev === undefined || prev < 0) kvmVcpu.set(task[i], vcpu[i]);
    }
  };
  noteKvm(m.kvmExits.task, m.kvmExits.vcpu, m.kvmExits.length);
  noteKvm(m.kvmEntries.task, m.kvmEntries.vcpu, m.kvmEntries.length);
  const out: Candidate[] = [];
  for (let t = 0; t < m.tasks.length; t++) {
    if (m.tasks.kind[t] !== TaskKind.Normal) continue;
    const { comm, index } = vcpuComm(m, t);
    const kvm = kvmVcpu.get(t);
    if (index === null && kvm === undefined) continue;
    out.push({
      task: t,
      tid: m.tasks.tid[t],
      comm,
      index: index ?? (kvm !== undefined && kvm >= 0 ? kvm : null),
      named: index !== null,
    });
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/** Assign indices where names gave none: in tid order after the named ones. */
export function vcpusOf(cands: readonly Candidate[]): VmVcpu[] {
  const used = new Set(cands.filter((c) => c.index !== null).map((c) => c.index as number));
  let next = 0;
  const out = cands.map((c) => {
    let index = c.index;
    if (index === null) {
      while (used.has(next)) next++;
      index = next;
      used.add(next);
    }
    return { index, tid: c.tid, task: c.task, comm: c.comm };
  });
  return out.sort((a, b) => a.index - b.index || a.tid - b.tid);
}

/** Nanoseconds each task ran in the trace (its slices added up). */
export function runTimes(m: TraceModel): Float64Array {
  const out = new Float64Array(m.tasks.length);
  const { next, time, length } = m.switches;
  const end = m.slices.end;
  for (let i = 0; i < length; i++) {
    const t = next[i];
    if (t >= 0) out[t] += end[i] - time[i];
  }
  return out;
}

/** Whose process a task is: the trace's own tgid, else a companion's (timehist, ps -eLo). */
export type TgidOf = (task: number) => { tgid: number; fromCompanion: boolean } | null;

export function tgidLookup(m: TraceModel, companionTgids: ReadonlyMap<number, number> | undefined): TgidOf {
  return (task) => {
    const own = m.tasks.tgid[task];
    if (own >= 0) return { tgid: own, fromCompanion: false };
    const c = companionTgids?.get(m.tasks.tid[task]);
    return c !== undefined ? { tgid: c, fromCompanion: true } : null;
  };
}

/** A VM with nothing guessed or estimated yet, no pins, no name from a file. */
export function newVm(
  name: string,
  tgid: number | null,
  grouping: Grouping,
  vcpuSource: VcpuSource,
  vcpus: VmVcpu[],
  otherThreads: VmGroup['otherThreads'] = [],
): VmGroup {
  return {
    name,
    tgid,
    grouping,
    vcpuSource,
    ambiguous: false,
    ambiguityReason: null,
    estimateReason: null,
    otherThreadsGuess: null,
    nameFrom: null,
    pins: [],
    vcpus,
    otherThreads,
  };
}
