// Group QEMU vCPU threads into VMs. Best evidence first (README "How VMs are found"):
//  1. a VM-map CSV (`tid,vm[,vcpu]`) dropped with the trace: always wins ("vm-map");
//  2. vCPU threads a host's own files list: QMP query-cpus-fast, HMP info cpus, libvirt's
//     vcpuN/cgroup.threads (vmFacts.ts); they form a VM even without tgids or names;
//  3. vCPU threads by name (`CPU n/KVM`) or because they entered the guest (kvm_entry/kvm_exit),
//     grouped by process id: the trace's tgids ("tgid") or a companion's (timehist, ps -eLo:
//     "companion");
//  4. QEMU processes (known by process id) whose vCPUs nothing names: the threads that ran most,
//     flagged an estimate (vmEstimate.ts);
//  5. without process ids: thread names and tid order (vmsByName.ts), a documented guess, flagged
//     where it may be wrong; QEMU main threads attached by tid order are flagged too.
// Names: the CSV's, then ps `-name guest=`, then a cgroup scope, then a QMP/HMP file name, then
// vm<tgid> / vmN. A domain XML (`virsh dumpxml`) adds the pinning and vCPU count of the VM of its name.

import { TaskKind, type TraceModel } from './types';
import { resolveFacts, type FactFile, type ResolvedFacts, type VcpuPin } from './vmFacts';
import { estimateQemuVms } from './vmEstimate';
import { attachByTidOrder, groupByName } from './vmsByName';
import { isQemuMainName, vcpuIndexOfName } from './vcpuNames';
import {
  findVcpuThreads,
  lastComm,
  newVm,
  runTimes,
  tgidLookup,
  vcpusOf,
  type Candidate,
  type TgidOf,
} from './vmThreads';

export type Grouping = 'tgid' | 'name' | 'vm-map' | 'companion';

/** How a VM's vCPU threads were told: thread names, KVM events, a host's file, the VM map, or an estimate. */
export type VcpuSource = 'name' | 'kvm' | 'companion' | 'vm-map' | 'estimate';

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
  /** Attached by tid order, without a process id: a guess (see VmGroup.otherThreadsGuess). */
  guessed?: boolean;
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
  // Set by groupVms; VMs made by hand (tests, benches) may leave them out.
  /** How the vCPU threads were told. */
  vcpuSource?: VcpuSource;
  /** Why the vCPU threads are an estimate (vmEstimate.ts); null when they are not. */
  estimateReason?: string | null;
  /** Why some otherThreads are attached by tid order (flagged `guessed`); null when none is. */
  otherThreadsGuess?: string | null;
  /** The companion file the name comes from; null for vm<tgid> / vmN and VM-map names. */
  nameFrom?: string | null;
  /** Host CPUs per vCPU index, from a domain XML of the VM's name; empty when unknown. */
  pins?: VcpuPin[];
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
  /** What a host's own files say (QMP, HMP, ps -eo pid,args, cgroup.threads, virsh dumpxml). */
  facts?: readonly FactFile[];
}

export interface VmDiscovery {
  vms: VmGroup[];
  /** What the grouping could not settle or use, for the user (JSON `vmNotes`). */
  notes: string[];
}

export function groupVms(m: TraceModel, evidence: GroupingEvidence = {}): VmGroup[] {
  return discoverVms(m, evidence).vms;
}

export function discoverVms(m: TraceModel, evidence: GroupingEvidence = {}): VmDiscovery {
  const facts = resolveFacts(evidence.facts ?? []);
  const notes = [...facts.notes];
  const tgidOf = tgidLookup(m, evidence.companionTgids);
  const taskOfTid = new Map<number, number>();
  for (let t = 0; t < m.tasks.length; t++) if (m.tasks.tid[t] > 0) taskOfTid.set(m.tasks.tid[t], t);
  const cands = findVcpuThreads(m);

  // 1. The VM map wins for the threads it lists; the rest are grouped as usual.
  const mapped: VmGroup[] =
    evidence.vmMap && evidence.vmMap.length > 0 ? groupByVmMap(m, evidence.vmMap, cands, taskOfTid) : [];
  const claimedTids = new Set(evidence.vmMap?.map((r) => r.tid) ?? []);

  // 2. vCPU threads a host's files list.
  const listed = listedVms(m, facts, taskOfTid, claimedTids, tgidOf, notes);
  for (const vm of listed) for (const v of vm.vcpus) claimedTids.add(v.tid);

  // 3. Named or KVM vCPU threads, by process id.
  const byTgid = new Map<number, { fromCompanion: boolean; cands: Candidate[] }>();
  const unknown: Candidate[] = [];
  for (const c of cands) {
    if (claimedTids.has(c.tid)) continue;
    const g = tgidOf(c.task);
    if (!g) {
      unknown.push(c);
      continue;
    }
    const entry = byTgid.get(g.tgid) ?? { fromCompanion: false, cands: [] };
    entry.fromCompanion ||= g.fromCompanion;
    entry.cands.push(c);
    byTgid.set(g.tgid, entry);
  }
  const tgidVms: VmGroup[] = [...byTgid].map(([tgid, { fromCompanion, cands: group }]) =>
    newVm(
      `vm${tgid}`,
      tgid,
      fromCompanion ? 'companion' : 'tgid',
      group.some((c) => c.named) ? 'name' : 'kvm',
      vcpusOf(group),
    ),
  );

  // Every VM with a process id gets the process's other threads.
  const taken = new Set<number>();
  for (const vm of [...mapped, ...listed, ...tgidVms]) {
    for (const v of vm.vcpus) if (v.task >= 0) taken.add(v.task);
    for (const o of vm.otherThreads) if (o.task >= 0) taken.add(o.task);
  }
  for (let t = 0; t < m.tasks.length; t++) if (claimedTids.has(m.tasks.tid[t])) taken.add(t);
  addProcessThreads(m, [...listed, ...tgidVms], tgidOf, taken);

  // 4. QEMU processes nothing names the vCPUs of: an estimate.
  const doneTgids = new Set([...mapped, ...listed, ...tgidVms].flatMap((vm) => (vm.tgid !== null ? [vm.tgid] : [])));
  let runNs: Float64Array | null = null;
  const estimated = estimateQemuVms(
    { m, tgidOf, runNs: () => (runNs ??= runTimes(m)), facts, taken, doneTgids },
    notes,
  );
  for (const vm of estimated) for (const t of [...vm.vcpus, ...vm.otherThreads]) taken.add(t.task);

  // 5. Without process ids.
  const byTgidVms = [...tgidVms, ...estimated].sort((a, b) => (a.tgid ?? 0) - (b.tgid ?? 0));
  const byName = unknown.length > 0 ? groupByName(unknown, byTgidVms.length) : [];
  for (const vm of byName) for (const v of vm.vcpus) taken.add(v.task);
  attachByTidOrder(m, [...listed, ...byName], taken);

  for (const vm of byTgidVms) {
    const proc = vm.tgid !== null ? facts.processes.get(vm.tgid) : undefined;
    if (proc?.name && vm.nameFrom === null) {
      vm.name = proc.name;
      vm.nameFrom = proc.file;
    }
  }
  const vms = [...mapped, ...listed, ...byTgidVms, ...byName];
  applyDomains(vms, facts, notes);
  notes.push(...withoutTgidNotes(m, taken, tgidOf, vms.filter((vm) => vm.tgid === null).length));
  return { vms, notes };
}

/** VMs of the vCPU threads companion files list; a ps process of the same name gives the process id. */
function listedVms(
  m: TraceModel,
  facts: ResolvedFacts,
  taskOfTid: ReadonlyMap<number, number>,
  claimedTids: ReadonlySet<number>,
  tgidOf: TgidOf,
  notes: string[],
): VmGroup[] {
  const pidOfName = new Map<string, { pid: number; file: string }>();
  for (const p of facts.processes.values()) if (p.name !== null) pidOfName.set(p.name, { pid: p.pid, file: p.file });
  const out: VmGroup[] = [];
  for (const l of facts.listed) {
    const free = l.vcpus.filter((v) => !claimedTids.has(v.tid));
    if (free.length < l.vcpus.length)
      notes.push(
        `${l.vcpus.length - free.length} vCPU threads of ${l.name} (${l.files.join(', ')}) are in the VM map: the map wins for them`,
      );
    for (const v of free) {
      const task = taskOfTid.get(v.tid);
      const named = task !== undefined ? m.tasks.comms[task].map(vcpuIndexOfName).find((i) => i !== null) : undefined;
      if (named !== undefined && named !== null && named !== v.index)
        notes.push(
          `thread ${v.tid} is named vCPU ${named} but ${l.files.join(', ')} says vCPU ${v.index}: the file wins`,
        );
    }
    const vcpus: VmVcpu[] = free.map((v) => {
      const task = taskOfTid.get(v.tid) ?? -1;
      return { index: v.index, tid: v.tid, task, comm: task >= 0 ? lastComm(m, task) : '' };
    });
    if (!vcpus.some((v) => v.task >= 0)) {
      notes.push(
        `none of the ${l.vcpus.length} vCPU threads of ${l.name} (${l.files.join(', ')}) appear in this trace: not the same host or time?`,
      );
      continue;
    }
    const tgids = new Set(vcpus.flatMap((v) => (v.task >= 0 ? [tgidOf(v.task)?.tgid ?? -1] : [])));
    const byName = pidOfName.get(l.name);
    let tgid: number | null = tgids.size === 1 && !tgids.has(-1) ? [...tgids][0] : null;
    if (tgids.size > 1 && !tgids.has(-1))
      notes.push(
        `the vCPU threads of ${l.name} (${l.files.join(', ')}) belong to processes ${[...tgids].join(', ')} in this trace`,
      );
    if (tgid === null && byName && tgids.has(-1)) tgid = byName.pid;
    const proc = tgid !== null ? facts.processes.get(tgid) : undefined;
    const otherThreads: VmThread[] = l.otherTids.flatMap((tid) => {
      const task = taskOfTid.get(tid);
      return task !== undefined && !claimedTids.has(tid) ? [{ tid, task, comm: lastComm(m, task) }] : [];
    });
    // The process id of the VM is its main thread's id: known from ps even without tgids.
    const mainTask = tgid !== null ? taskOfTid.get(tgid) : undefined;
    if (mainTask !== undefined && !otherThreads.some((o) => o.task === mainTask) && !free.some((v) => v.tid === tgid))
      otherThreads.push({ tid: tgid as number, task: mainTask, comm: lastComm(m, mainTask) });
    out.push({
      ...newVm(
        proc?.name ?? l.name,
        tgid,
        'companion',
        'companion',
        vcpus.sort((a, b) => a.index - b.index),
      ),
      nameFrom: proc?.name ? proc.file : l.nameFrom,
      otherThreads: otherThreads.sort((a, b) => a.tid - b.tid),
    });
  }
  return out;
}

/** Threads of each VM's process that no VM holds yet join its otherThreads. */
function addProcessThreads(m: TraceModel, vms: readonly VmGroup[], tgidOf: TgidOf, taken: Set<number>): void {
  const vmOfTgid = new Map<number, VmGroup>();
  for (const vm of vms) if (vm.tgid !== null) vmOfTgid.set(vm.tgid, vm);
  for (let t = 0; t < m.tasks.length; t++) {
    if (m.tasks.kind[t] !== TaskKind.Normal || taken.has(t)) continue;
    const g = tgidOf(t);
    const vm = g ? vmOfTgid.get(g.tgid) : undefined;
    if (!vm) continue;
    vm.otherThreads.push({ tid: m.tasks.tid[t], task: t, comm: lastComm(m, t) });
    taken.add(t);
  }
  for (const vm of vms) vm.otherThreads.sort((a, b) => a.tid - b.tid);
}

/** A domain XML gives the VM of its name its pinning; one that names no VM is said so. */
function applyDomains(vms: readonly VmGroup[], facts: ResolvedFacts, notes: string[]): void {
  const byName = new Map(vms.map((vm) => [vm.name, vm]));
  for (const d of facts.domains.values()) {
    const vm = byName.get(d.name);
    if (!vm) {
      notes.push(
        `domain ${d.name} (${d.file}) matches no VM by name: drop \`ps -eo pid,args\` (its -name guest=) or a QMP answer named ${d.name}.json to link it`,
      );
      continue;
    }
    vm.pins = d.pins;
    const exact = vm.vcpuSource !== 'estimate';
    if (exact && d.vcpuCount !== null && vm.vcpus.length > d.vcpuCount)
      notes.push(`${vm.name} has ${vm.vcpus.length} vCPU threads but ${d.file} says ${d.vcpuCount} vCPUs are online`);
  }
}

/**
 * Threads named like QEMU that no VM holds because the trace says nothing of their process. More
 * of them than VMs without a process id (whose main threads they may be) means QEMU without thread names.
 */
function withoutTgidNotes(m: TraceModel, taken: ReadonlySet<number>, tgidOf: TgidOf, vmsWithoutTgid: number): string[] {
  const loose: number[] = [];
  const names = new Set<string>();
  for (let t = 0; t < m.tasks.length; t++) {
    if (m.tasks.kind[t] !== TaskKind.Normal || taken.has(t) || tgidOf(t) !== null) continue;
    const q = m.tasks.comms[t].filter(isQemuMainName);
    if (q.length === 0) continue;
    loose.push(m.tasks.tid[t]);
    for (const n of q) names.add(n);
  }
  if (loose.length <= vmsWithoutTgid) return [];
  loose.sort((a, b) => a - b);
  const shown = loose.slice(0, 8).join(', ') + (loose.length > 8 ? ', …' : '');
  return [
    `${loose.length} threads named ${[...names].sort().join(' or ')} (tids ${shown}) look like QEMU without debug-threads=on, but this trace has no process ids, so they are shown as no VM. ` +
      'To fix it, drop with the trace a `perf sched timehist` of the same recording or `ps -eLo pid,tid,comm` (process ids), ' +
      'or one QMP query-cpus-fast / HMP info cpus answer per VM (exact vCPU threads); ' +
      'or record `perf script -F comm,pid,tid,cpu,time,event,trace` instead',
  ];
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
    return newVm(
      name,
      tgid >= 0 ? tgid : null,
      'vm-map',
      'vm-map',
      vcpusOf(vcpuCands),
      otherThreads.sort((a, b) => a.tid - b.tid),
    );
  });
}
