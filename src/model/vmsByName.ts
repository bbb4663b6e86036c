// Grouping without process ids (a map, a trace without tgids): vCPU threads by their names and
// tid order, and QEMU main threads and iothreads attached by tid order. Both are guesses, and the
// VMs say so (ambiguityReason, otherThreadsGuess).

import { TaskKind, type TraceModel } from './types';
import { isQemuMainName } from './vcpuNames';
import { lastComm, newVm, vcpusOf, type Candidate } from './vmThreads';
import type { VmGroup, VmThread } from './vms';

/**
 * Thread names only. QEMU allocates a process's tids in order: main thread, helpers, then vCPUs by
 * index. So:
 *  A. walking vCPU threads in tid order, a VM ends where an index repeats;
 *  B. VMs started together interleave their tids, so the j-th thread of every index belongs to VM j.
 * Where A and B agree the grouping is taken as is; where they differ, B is used when every index has
 * the same number of threads (else A), and every VM is flagged ambiguous: only a tgid source can
 * settle it. When VM sizes differ (no B), A stands unflagged only if each of its VMs has indices
 * 0..k-1 in tid order.
 */
export function groupByName(cands: readonly Candidate[], firstName: number): VmGroup[] {
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
    byRank = Array.from({ length: k }, (_, j) => [...perIndex.values()].map((l) => l[j]).sort((a, b) => a.tid - b.tid));
  }
  const key = (groups: Candidate[][]): string =>
    groups
      .map((g) =>
        g
          .map((c) => c.tid)
          .sort((a, b) => a - b)
          .join(','),
      )
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
    : 'vCPU thread ids of several VMs interleave (VMs started together), so grouping by thread names and id order is a guess; drop a `perf sched timehist` of the same recording, `ps -eLo pid,tid,comm` output, a QMP query-cpus-fast answer per VM or a tid,vm CSV to settle it';
  const vms: VmGroup[] = groups.map((g, k) => ({
    ...nameGrouped(`vm${firstName + k}`),
    ambiguous: !agree,
    ambiguityReason,
    vcpus: vcpusOf(g),
  }));
  // Threads that ran KVM events but carry no vCPU name: one VM of their own,
  // since nothing says which process they belong to.
  if (unnamed.length > 0) {
    vms.push({
      ...nameGrouped(`vm${firstName + vms.length}`),
      vcpuSource: 'kvm',
      ambiguous: true,
      ambiguityReason:
        'threads that entered the guest (KVM events) but have no vCPU name (QEMU without debug-threads=on) and no process id: which VM each belongs to is unknown; drop a tgid source (timehist, ps -eLo) or a QMP query-cpus-fast answer per VM to split them',
      vcpus: vcpusOf(unnamed),
    });
  }
  return vms;
}

function nameGrouped(name: string): VmGroup {
  return newVm(name, null, 'name', 'name', []);
}

export const TID_ORDER_GUESS =
  'without process ids, QEMU main threads and iothreads are attached by thread id order (a process allocates its main thread before its vCPUs): a guess; drop a `perf sched timehist` of the same recording, `ps -eLo pid,tid,comm` or `ps -eo pid,args` (with QMP answers named after the VMs) to settle it';

/**
 * VMs without a process id get QEMU's main threads by tid order: the k-th main thread (tid order)
 * goes to the k-th VM (order of lowest vCPU tid) when there is one main thread per VM and it comes
 * before that VM's vCPUs; an iothread (`IO …`) goes to the VM of the closest main thread before it.
 * Every thread attached so is flagged a guess.
 */
export function attachByTidOrder(m: TraceModel, vms: readonly VmGroup[], taken: ReadonlySet<number>): void {
  const open = vms.filter((vm) => vm.tgid === null && vm.vcpus.some((v) => v.task >= 0));
  if (open.length === 0) return;
  const mains: VmThread[] = [];
  const iothreads: VmThread[] = [];
  for (let t = 0; t < m.tasks.length; t++) {
    if (m.tasks.kind[t] !== TaskKind.Normal || taken.has(t)) continue;
    const thread = { tid: m.tasks.tid[t], task: t, comm: lastComm(m, t), guessed: true };
    if (m.tasks.comms[t].some(isQemuMainName)) mains.push(thread);
    else if (m.tasks.comms[t].some((c) => /^IO \S/.test(c))) iothreads.push(thread);
  }
  if (mains.length !== open.length) return;
  mains.sort((a, b) => a.tid - b.tid);
  const minTid = (vm: VmGroup): number => Math.min(...vm.vcpus.filter((v) => v.task >= 0).map((v) => v.tid));
  const order = [...open].sort((a, b) => minTid(a) - minTid(b));
  const vmOfMain: { tid: number; vm: VmGroup }[] = [];
  order.forEach((vm, k) => {
    if (mains[k].tid >= minTid(vm)) return;
    vm.otherThreads.push(mains[k]);
    vm.otherThreadsGuess = TID_ORDER_GUESS;
    vmOfMain.push({ tid: mains[k].tid, vm });
  });
  for (const io of iothreads) {
    const before = vmOfMain.filter((x) => x.tid < io.tid).sort((a, b) => b.tid - a.tid)[0];
    if (!before) continue;
    before.vm.otherThreads.push(io);
    before.vm.otherThreads.sort((a, b) => a.tid - b.tid);
  }
}
