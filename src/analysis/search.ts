// Search of a run's map by thread id, thread name (comm) or VM name: what the
// map's search box lists. A number matches a thread id exactly (and a VM's
// process id); text matches any comm the thread had and the VM names, case
// folded, anywhere in the name. VMs come first (in run order), then threads by
// tid. Each match says how many run slices it has in the trace. Pure.

import type { CpuSlices } from '../model/cpuSlices';
import type { TraceModel } from '../model/types';
import type { VmGroup } from '../model/vms';

export type SearchField = 'tid' | 'comm' | 'vm' | 'pid';

export interface SearchMatch {
  kind: 'vm' | 'task';
  /** VM index (run.vms) for 'vm', task index for 'task'. */
  id: number;
  /** What the list shows: the VM's name, or the thread's last comm. */
  name: string;
  /** The thread's id (-1 for a VM or a thread without one). */
  tid: number;
  /** The VM a thread belongs to (index into run.vms), -1 for a host task or a VM match. */
  vm: number;
  /** What the query matched. */
  field: SearchField;
  /** The tasks the match stands for: the thread, or the VM's vCPU and other threads. */
  tasks: number[];
  /** Run slices of those tasks in the trace. */
  slices: number;
}

export interface SearchResult {
  query: string;
  /** At most `limit` matches. */
  matches: SearchMatch[];
  /** Every match, also those past the limit. */
  total: number;
}

export interface SearchInput {
  model: Pick<TraceModel, 'tasks'>;
  vms: readonly VmGroup[];
  slices: Pick<CpuSlices, 'taskOffset'>;
}

function slicesOf(slices: Pick<CpuSlices, 'taskOffset'>, task: number): number {
  const o = slices.taskOffset;
  return task >= 0 && task + 1 < o.length ? o[task + 1] - o[task] : 0;
}

/** The VM each task belongs to (vCPU and other threads), -1 elsewhere. */
function vmOfTasks(n: number, vms: readonly VmGroup[]): Int32Array {
  const out = new Int32Array(n).fill(-1);
  vms.forEach((g, i) => {
    for (const t of [...g.vcpus, ...g.otherThreads]) if (t.task >= 0 && t.task < n) out[t.task] = i;
  });
  return out;
}

/**
 * Matches of `query` in a run. `vmName` gives a VM's shown name (the user's label, else the grouping's);
 * both it and the grouping's own name are searched.
 */
export function searchRun(
  run: SearchInput,
  query: string,
  vmName: (vm: number) => string = (vm) => run.vms[vm]?.name ?? '',
  limit = 500,
): SearchResult {
  const q = query.trim();
  const result: SearchResult = { query: q, matches: [], total: 0 };
  if (q === '') return result;
  const all: SearchMatch[] = [];
  const numeric = /^\d+$/.test(q) ? Number(q) : null;
  const needle = q.toLowerCase();
  const { tasks } = run.model;
  run.vms.forEach((g, i) => {
    const shown = vmName(i);
    let field: SearchField | null = null;
    if (numeric !== null && g.tgid === numeric) field = 'pid';
    else if (shown.toLowerCase().includes(needle) || g.name.toLowerCase().includes(needle)) field = 'vm';
    if (field === null) return;
    const ts = [...g.vcpus, ...g.otherThreads].map((t) => t.task).filter((t) => t >= 0);
    all.push({
      kind: 'vm',
      id: i,
      name: shown,
      tid: -1,
      vm: -1,
      field,
      tasks: ts,
      slices: ts.reduce((n, t) => n + slicesOf(run.slices, t), 0),
    });
  });
  const vmOf = vmOfTasks(tasks.length, run.vms);
  const found: SearchMatch[] = [];
  for (let t = 0; t < tasks.length; t++) {
    const comms = tasks.comms[t] ?? [];
    let field: SearchField | null = null;
    if (numeric !== null) {
      if (tasks.tid[t] === numeric) field = 'tid';
    } else if (comms.some((c) => c.toLowerCase().includes(needle))) field = 'comm';
    if (field === null) continue;
    found.push({
      kind: 'task',
      id: t,
      name: comms.at(-1) ?? '',
      tid: tasks.tid[t],
      vm: vmOf[t],
      field,
      tasks: [t],
      slices: slicesOf(run.slices, t),
    });
  }
  found.sort((a, b) => a.tid - b.tid || a.id - b.id);
  all.push(...found);
  result.total = all.length;
  result.matches = all.slice(0, limit);
  return result;
}
