// Group QEMU vCPU threads into VMs. Best evidence first:
//  1. a VM-map CSV (`tid,vm[,vcpu]`) dropped with the trace: always wins ("vm-map");
//  2. tgids from the trace itself ("tgid": perf script -F pid,tid, ftrace record-tgid,
//     timehist) or from a companion (timehist of the same recording, `ps -eLo`)
//     ("companion");
//  3. thread names alone ("name"), see groupByName below: a documented guess,
//     flagged ambiguous where VMs' thread ids interleave.
// A thread is a vCPU for the whole trace if any of its comms is a vCPU name, or
// it ran kvm_entry/kvm_exit events.

import { TaskKind, type TraceModel } from './types';
import { isQemuMainName, vcpuIndexOfName } from './vcpuNames';

export type Grouping = 'tgid' | 'name' | 'vm-map' | 'companion';

export interface VmVcpu {
  index: number;
  tid: number;
  /** Task index in the model, -1 when the thread never appears in the trace. */
  task: number;
  comm: string;
}

export interface VmThread {
  tid: number;
  task: number;
  comm: string;
}

export interface VmGroup {
  name: string;
  tgid: number | null;
  grouping: Grouping;
  ambiguous: boolean;
  /** Why the grouping is a guess, when it is. */
  ambiguityReason: string | null;
  vcpus: VmVcpu[];
  otherThreads: VmThread[];
}

export interface VmMapRow {
  tid: number;
  vm: string;
  vcpu: number | null;
}

export interface GroupingEvidence {
  /** VM map rows (a CSV companion). */
  vmMap?: readonly VmMapRow[];
  /** tid → tgid from a companion (timehist of the same recording, ps output). */
  companionTgids?: ReadonlyMap<number, number>;
}

interface Candidate {
  task: number;
  tid: number;
  comm: string;
  index: number | null;
  /** Whether a vCPU thread name (not just KVM events) marks it as a vCPU. */
  named: boolean;
}

const lastComm = (m: TraceModel, task: number): string => {
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

/** The vCPU threads of a trace: named like vCPUs at any time, or running KVM events. */
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
function vcpusOf(cands: Candidate[]): VmVcpu[] {
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

export function groupVms(m: TraceModel, evidence: GroupingEvidence = {}): VmGroup[] {
  const cands = findVcpuThreads(m);
  const taskOfTid = new Map<number, number>();
  for (let t = 0; t < m.tasks.length; t++) if (m.tasks.tid[t] > 0) taskOfTid.set(m.tasks.tid[t], t);

  // The VM map wins for the threads it lists; the rest are grouped as usual.
  const mapped: VmGroup[] =
    evidence.vmMap && evidence.vmMap.length > 0 ? groupByVmMap(m, evidence.vmMap, cands, taskOfTid) : [];
  const listed = new Set(evidence.vmMap?.map((r) => r.tid) ?? []);

  const tgidOf = (task: number): { tgid: number; from: Grouping } | null => {
    const own = m.tasks.tgid[task];
    if (own >= 0) return { tgid: own, from: 'tgid' };
    const c = evidence.companionTgids?.get(m.tasks.tid[task]);
    return c !== undefined ? { tgid: c, from: 'companion' } : null;
  };

  const byTgid = new Map<number, { from: Grouping; cands: Candidate[] }>();
  const unknown: Candidate[] = [];
  for (const c of cands) {
    if (listed.has(c.tid)) continue;
    const g = tgidOf(c.task);
    if (!g) {
      unknown.push(c);
      continue;
    }
    const entry = byTgid.get(g.tgid) ?? { from: g.from, cands: [] };
    if (g.from === 'companion') entry.from = 'companion';
    entry.cands.push(c);
    byTgid.set(g.tgid, entry);
  }

  const vms: VmGroup[] = [];
  for (const [tgid, { from, cands: group }] of byTgid) {
    const vcpuTasks = new Set(group.map((c) => c.task));
    const otherThreads: VmThread[] = [];
    for (let t = 0; t < m.tasks.length; t++) {
      if (m.tasks.kind[t] !== TaskKind.Normal || vcpuTasks.has(t) || listed.has(m.tasks.tid[t])) continue;
      const g = tgidOf(t);
      if (g && g.tgid === tgid) otherThreads.push({ tid: m.tasks.tid[t], task: t, comm: lastComm(m, t) });
    }
    otherThreads.sort((a, b) => a.tid - b.tid);
    vms.push({
      name: `vm${tgid}`,
      tgid,
      grouping: from,
      ambiguous: false,
      ambiguityReason: null,
      vcpus: vcpusOf(group),
      otherThreads,
    });
  }
  vms.sort((a, b) => (a.tgid ?? 0) - (b.tgid ?? 0));
  if (unknown.length > 0) vms.push(...groupByName(m, unknown, vms.length));
  return [...mapped, ...vms];
}

/**
 * Thread names only (a map, or a trace without tgids). QEMU allocates a
 * process's tids in order: main thread, helpers, then vCPUs by index. So:
 *  A. walking vCPU threads in tid order, a VM ends where an index repeats;
 *  B. VMs started together interleave their tids, so the j-th thread of every
 *     index belongs to VM j.
 * Where A and B agree the grouping is taken as is; where they differ, B is
 * used when every index has the same number of threads (else A), and every VM
 * is flagged ambiguous: only a tgid source can settle it. When VM sizes differ
 * (no B), A stands unflagged only if each of its VMs has indices 0..k-1 in tid order.
 */
function groupByName(m: TraceModel, cands: Candidate[], firstName: number): VmGroup[] {
  const named = cands.filter((c) => c.named);
  const unnamed = cands.filter((c) => !c.named);
  const byRun: Candidate[][] = [];
  let current: Candidate[] = [];
  let seen = new Set<number>();
  for (const c of named) {
    if (seen.has(c.index as number)) {
      byRun.push(current);
      current = [];
      seen = new Set();
    }
    current.push(c);
    seen.add(c.index as number);
  }
  if (current.length > 0) byRun.push(current);

  const perIndex = new Map<number, Candidate[]>();
  for (const c of named) {
    const list = perIndex.get(c.index as number) ?? [];
    list.push(c);
    perIndex.set(c.index as number, list);
  }
  const counts = new Set([...perIndex.values()].map((l) => l.length));
  let byRank: Candidate[][] | null = null;
  if (counts.size === 1) {
    const k = [...counts][0];
    byRank = Array.from({ length: k }, (_, j) =>
      [...perIndex.values()].map((l) => l[j]).sort((a, b) => a.tid - b.tid),
    );
  }
  const key = (groups: Candidate[][]): string =>
    groups
      .map((g) => g.map((c) => c.tid).sort((a, b) => a - b).join(','))
      .sort()
      .join('|');
  // Without a rank hypothesis (VMs of different sizes), A stands when every VM
  // it forms is clean: indices 0..k-1 in tid order.
  const clean = byRun.every((g) => g.every((c, i) => c.index === i));
  const agree = byRank !== null ? key(byRank) === key(byRun) : clean;
  const groups = agree ? byRun : (byRank ?? byRun);
  groups.sort((a, b) => Math.min(...a.map((c) => c.tid)) - Math.min(...b.map((c) => c.tid)));

  const ambiguityReason = agree
    ? null
    : 'vCPU thread ids of several VMs interleave (VMs started together), so grouping by thread names and id order is a guess; drop a `perf sched timehist` of the same recording, `ps -eLo pid,tid,comm` output or a tid,vm CSV to settle it';
  const vms: VmGroup[] = groups.map((g, k) => ({
    name: `vm${firstName + k}`,
    tgid: null,
    grouping: 'name' as const,
    ambiguous: !agree,
    ambiguityReason,
    vcpus: vcpusOf(g),
    otherThreads: [],
  }));
  // Threads that ran KVM events but carry no vCPU name: one VM of their own,
  // since nothing says which process they belong to.
  if (unnamed.length > 0) {
    vms.push({
      name: `vm${firstName + vms.length}`,
      tgid: null,
      grouping: 'name',
      ambiguous: true,
      ambiguityReason:
        'threads that ran KVM events but have no vCPU name (QEMU without debug-threads=on): which VM each belongs to is unknown; drop a tgid source to split them',
      vcpus: vcpusOf(unnamed),
      otherThreads: [],
    });
  }
  attachMainThreadsByName(m, vms, new Set(cands.map((c) => c.task)));
  return vms;
}

/**
 * Without tgids, a VM's QEMU main thread is the one named like QEMU whose tid
 * comes before its vCPUs. Attached only when there is exactly one such thread
 * per VM, in the same order; otherwise left out rather than guessed.
 */
function attachMainThreadsByName(m: TraceModel, vms: VmGroup[], vcpuTasks: Set<number>): void {
  const mains: VmThread[] = [];
  for (let t = 0; t < m.tasks.length; t++) {
    if (m.tasks.kind[t] !== TaskKind.Normal || vcpuTasks.has(t)) continue;
    if (m.tasks.comms[t].some(isQemuMainName)) mains.push({ tid: m.tasks.tid[t], task: t, comm: lastComm(m, t) });
  }
  if (mains.length !== vms.length) return;
  mains.sort((a, b) => a.tid - b.tid);
  const order = vms
    .map((vm, i) => ({ i, min: Math.min(...vm.vcpus.map((v) => v.tid)) }))
    .sort((a, b) => a.min - b.min);
  order.forEach(({ i, min }, k) => {
    if (mains[k].tid < min) vms[i].otherThreads.push(mains[k]);
  });
}

function groupByVmMap(
  m: TraceModel,
  rows: readonly VmMapRow[],
  cands: Candidate[],
  taskOfTid: Map<number, number>,
): VmGroup[] {
  const candByTid = new Map(cands.map((c) => [c.tid, c]));
  const order: string[] = [];
  const byVm = new Map<string, VmMapRow[]>();
  for (const r of rows) {
    if (!byVm.has(r.vm)) {
      byVm.set(r.vm, []);
      order.push(r.vm);
    }
    byVm.get(r.vm)?.push(r);
  }
  return order.map((name) => {
    const vmRows = byVm.get(name) ?? [];
    // Rows that give a vCPU index, or name a vCPU thread, are vCPUs; the rest are other threads.
    const vcpuCands: Candidate[] = [];
    const otherThreads: VmThread[] = [];
    for (const r of vmRows) {
      const task = taskOfTid.get(r.tid) ?? -1;
      const cand = candByTid.get(r.tid);
      const comm = task >= 0 ? (cand?.comm ?? lastComm(m, task)) : '';
      if (r.vcpu !== null || cand)
        vcpuCands.push({ task, tid: r.tid, comm, index: r.vcpu ?? cand?.index ?? null, named: cand?.named ?? false });
      else otherThreads.push({ tid: r.tid, task, comm });
    }
    const tgids = new Set(vcpuCands.filter((c) => c.task >= 0).map((c) => m.tasks.tgid[c.task]));
    const tgid = tgids.size === 1 ? [...tgids][0] : -1;
    return {
      name,
      tgid: tgid >= 0 ? tgid : null,
      grouping: 'vm-map' as const,
      ambiguous: false,
      ambiguityReason: null,
      vcpus: vcpusOf(vcpuCands),
      otherThreads: otherThreads.sort((a, b) => a.tid - b.tid),
    };
  });
}
