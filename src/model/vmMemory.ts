// Each VM's memory by node: the memory files' processes (numaMemory.ts) matched to the run's VMs by process
// id, which is the tgid of the VM's threads. What cannot be matched is said in notes, with what to drop.

import {
  combineMemory,
  type CombinedMemory,
  type HostNodeMemoryFact,
  type NodeMb,
  type NumaMemoryFile,
} from './numaMemory';
import type { TraceModel } from './types';
import type { VmGroup } from './vms';

export interface VmMemory {
  pid: number;
  comm: string | null;
  byNode: NodeMb[];
  hugeByNode: NodeMb[] | null;
  file: string;
}

export interface RunMemory {
  /** Per VM of the run (same order as Run.vms): its memory, null when no file gives it. */
  vms: (VmMemory | null)[];
  /** The host's nodes (numastat -m, node meminfo); empty when no host-wide file was dropped. */
  hostNodes: HostNodeMemoryFact[];
  files: string[];
  /** What could not be matched and why (no tgids, VMs without data, processes of no VM), snapshots replaced. */
  notes: string[];
}

/** The process id of a VM: its group's tgid, else the tgid its vCPU threads carry in the trace or a companion. */
export function vmProcessId(
  vm: VmGroup,
  model: TraceModel,
  companionTgids: ReadonlyMap<number, number>,
): number | null {
  if (vm.tgid !== null) return vm.tgid;
  for (const v of vm.vcpus) {
    if (v.task >= 0 && model.tasks.tgid[v.task] > 0) return model.tasks.tgid[v.task];
    const c = companionTgids.get(v.tid);
    if (c !== undefined) return c;
  }
  return null;
}

export function matchVmMemory(
  files: readonly { file: string; memory: NumaMemoryFile }[],
  vms: readonly VmGroup[],
  pids: readonly (number | null)[],
): RunMemory | null {
  if (files.length === 0) return null;
  const combined: CombinedMemory = combineMemory(files);
  const notes = [...combined.notes];
  const used = new Set<number>();
  const out = vms.map((_, i): VmMemory | null => {
    const pid = pids[i];
    const p = pid === null ? undefined : combined.processes.get(pid);
    if (!p || pid === null) return null;
    used.add(pid);
    return { pid, comm: p.comm, byNode: p.byNode, hugeByNode: p.hugeByNode, file: p.file };
  });
  if (combined.processes.size > 0) {
    const withoutPid = vms.filter((_, i) => pids[i] === null).map((v) => v.name);
    if (vms.length === 0) notes.push('no VM was found in this trace (the VM notes say what to drop): the memory files are not used');
    else if (withoutPid.length === vms.length)
      notes.push(
        'the trace gives no process ids (tgids), so the memory files cannot be matched to VMs: record with them ' +
          '(perf script -F comm,pid,tid,…, perf.data, ftrace with options/record-tgid) or drop `ps -eLo pid,tid,comm` ' +
          'or a perf sched timehist of the same recording',
      );
    else {
      const missing = vms
        .map((v, i) => ({ v, pid: pids[i] }))
        .filter((_, i) => out[i] === null)
        .map((x) => (x.pid === null ? `${x.v.name} (no process id)` : `${x.v.name} (pid ${x.pid})`));
      if (missing.length > 0) notes.push(`no memory data for ${missing.join(', ')}`);
    }
    const unmatched = [...combined.processes.values()].filter((p) => !used.has(p.pid));
    if (unmatched.length > 0 && withoutPid.length < vms.length)
      notes.push(
        `memory of ${unmatched
          .slice(0, 8)
          .map((p) => `pid ${p.pid}${p.comm ? ` (${p.comm})` : ''}`)
          .join(
            ', ',
          )}${unmatched.length > 8 ? ` and ${unmatched.length - 8} more` : ''} belongs to no VM of this trace`,
      );
  }
  return { vms: out, hostNodes: combined.nodes, files: combined.files, notes };
}
