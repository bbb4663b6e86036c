// QEMU processes whose vCPU threads nothing names: no debug-threads=on (every thread keeps the
// process name), no kvm:kvm_entry/kvm_exit events in the trace (TCG, or KVM events not recorded),
// no companion listing them. With the process id known (trace tgids, a timehist, ps -eLo), the
// threads of the process that ran most are taken as its vCPUs — at most as many as ps `-smp` or the
// domain XML's <vcpu> say — and the VM is flagged an estimate; its other threads are kept apart.

import { TaskKind, type TraceModel } from './types';
import { isQemuMainName } from './vcpuNames';
import type { ResolvedFacts } from './vmFacts';
import { lastComm, newVm, type TgidOf } from './vmThreads';
import type { VmGroup, VmThread, VmVcpu } from './vms';

/** Without a vCPU count, a thread is a vCPU when it ran at least this share of the busiest thread. */
export const ESTIMATE_MIN_SHARE = 0.01;

export interface EstimateContext {
  m: TraceModel;
  tgidOf: TgidOf;
  /** Nanoseconds each task ran (computed on first use: most traces have no such process). */
  runNs: () => Float64Array;
  facts: ResolvedFacts;
  /** Tasks some VM already holds. */
  taken: ReadonlySet<number>;
  /** Processes that are already VMs. */
  doneTgids: ReadonlySet<number>;
}

/** Tasks per process id, for every process that is QEMU: by a thread's name (at any time) or by ps. */
export function qemuProcesses(c: EstimateContext): Map<number, number[]> {
  const byTgid = new Map<number, number[]>();
  for (let t = 0; t < c.m.tasks.length; t++) {
    if (c.m.tasks.kind[t] !== TaskKind.Normal) continue;
    const g = c.tgidOf(t);
    if (g === null) continue;
    const list = byTgid.get(g.tgid) ?? [];
    list.push(t);
    byTgid.set(g.tgid, list);
  }
  const out = new Map<number, number[]>();
  for (const [tgid, tasks] of byTgid) {
    if (c.doneTgids.has(tgid)) continue;
    const isQemu = c.facts.processes.has(tgid) || tasks.some((t) => c.m.tasks.comms[t].some(isQemuMainName));
    if (isQemu) out.set(tgid, tasks);
  }
  return out;
}

export function estimateQemuVms(c: EstimateContext, notes: string[]): VmGroup[] {
  const vms: VmGroup[] = [];
  const kvmInTrace = c.m.kvmEntries.length + c.m.kvmExits.length > 0;
  for (const [tgid, tasks] of [...qemuProcesses(c)].sort((a, b) => a[0] - b[0])) {
    const runNs = c.runNs();
    const free = tasks.filter((t) => !c.taken.has(t));
    const main = free.find((t) => c.m.tasks.tid[t] === tgid);
    // Threads QEMU made carry its process name (or the main thread's, after a rename); kernel
    // threads inside the process (vhost-PID, kvm-nx-lpage-re) have names of their own.
    // Without the main thread in the trace, a name several of its threads share stands for it.
    const inherited = new Set(main !== undefined ? c.m.tasks.comms[main] : sharedNames(c.m, free));
    const candidates = free
      .filter((t) => c.m.tasks.tid[t] !== tgid && runNs[t] > 0)
      .filter((t) => c.m.tasks.comms[t].every((n) => isQemuMainName(n) || inherited.has(n)))
      .sort((a, b) => runNs[b] - runNs[a] || c.m.tasks.tid[a] - c.m.tasks.tid[b]);
    const proc = c.facts.processes.get(tgid);
    const name = proc?.name ?? null;
    const domain = name !== null ? c.facts.domains.get(name) : undefined;
    const limit = proc?.vcpuCount ?? domain?.vcpuCount ?? null;
    const limitFrom = proc?.vcpuCount != null ? `${proc.file} (-smp)` : domain ? `${domain.file} (<vcpu>)` : null;
    if (candidates.length === 0) {
      notes.push(
        `QEMU process ${tgid}${name ? ` (${name})` : ''} ran no thread but its main thread in this trace: no vCPU to show`,
      );
      continue;
    }
    const top = runNs[candidates[0]];
    const chosen = (
      limit !== null ? candidates.slice(0, limit) : candidates.filter((t) => runNs[t] >= top * ESTIMATE_MIN_SHARE)
    ).sort((a, b) => c.m.tasks.tid[a] - c.m.tasks.tid[b]);
    const chosenSet = new Set(chosen);
    // QEMU starts its vCPU threads in index order, so tid order stands for the index.
    const vcpus: VmVcpu[] = chosen.map((t, index) => ({
      index,
      tid: c.m.tasks.tid[t],
      task: t,
      comm: lastComm(c.m, t),
    }));
    const otherThreads: VmThread[] = free
      .filter((t) => !chosenSet.has(t))
      .map((t) => ({ tid: c.m.tasks.tid[t], task: t, comm: lastComm(c.m, t) }))
      .sort((a, b) => a.tid - b.tid);
    const basis =
      limit !== null
        ? `the ${chosen.length} threads of process ${tgid} that ran most (at most ${limit}, from ${limitFrom})`
        : `the ${chosen.length} threads of process ${tgid} that ran at least ${ESTIMATE_MIN_SHARE * 100}% of the busiest one (no vCPU count known: drop \`ps -eo pid,args\` or \`virsh dumpxml\` to bound it)`;
    const why = kvmInTrace
      ? 'none of its threads entered the guest (kvm:kvm_entry/kvm_exit) in this trace and none has a vCPU name'
      : 'its threads have no vCPU names (QEMU without debug-threads=on) and the trace has no kvm:kvm_entry/kvm_exit events';
    const grouping = tasks.some((t) => c.tgidOf(t)?.fromCompanion) ? 'companion' : 'tgid';
    vms.push({
      ...newVm(name ?? `vm${tgid}`, tgid, grouping, 'estimate', vcpus, otherThreads),
      estimateReason: `vCPU threads estimated: ${why}, so they are ${basis}; drop a QMP query-cpus-fast or HMP info cpus answer for this VM to make them exact`,
      nameFrom: proc?.name ? proc.file : null,
    });
  }
  return vms;
}

function sharedNames(m: TraceModel, tasks: readonly number[]): string[] {
  const count = new Map<string, number>();
  for (const t of tasks) for (const n of new Set(m.tasks.comms[t])) count.set(n, (count.get(n) ?? 0) + 1);
  return [...count].filter(([, k]) => k >= 2).map(([n]) => n);
}
