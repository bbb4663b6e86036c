// Files dropped or passed together are told apart by content: a VM-map CSV,
// `ps` output or a host's VM file (QMP, HMP, cgroup.threads, virsh dumpxml:
// vmFacts.ts) is a companion of every trace; a timehist whose thread ids and
// timestamps match another trace of the same drop is that trace's companion
// (it brings tgids); every other trace is a run of its own (several runs = a
// comparison).

import { topologyForRun, type HostTopology, type TopologyInput } from './topology';
import type { LineMessage, TraceModel } from './types';
import type { NumaMemoryFile } from './numaMemory';
import type { FactFile, VmFact, VmFactFormat } from './vmFacts';
import { matchVmMemory, vmProcessId, type RunMemory } from './vmMemory';
import { discoverVms, type VmGroup, type VmMapRow } from './vms';
import { thousands } from './format';

export interface PsThreadRow {
  pid: number;
  tid: number;
  comm: string;
}

export type DroppedInput =
  | { name: string; kind: 'trace'; model: TraceModel }
  | { name: string; kind: 'vm-csv'; rows: readonly VmMapRow[]; warnings?: readonly LineMessage[] }
  | { name: string; kind: 'ps'; threads: readonly PsThreadRow[]; warnings?: readonly LineMessage[] }
  | { name: string; kind: 'topology'; topology: HostTopology }
  | {
      name: string;
      kind: 'vm-facts';
      format: VmFactFormat;
      facts: readonly VmFact[];
      /** Lines of the file that could not be used. */
      warnings: readonly LineMessage[];
    }
  | { name: string; kind: 'numa-memory'; memory: NumaMemoryFile; warnings: readonly LineMessage[] };

export interface Run {
  /** File name of the trace; the UI lets a user relabel it. */
  name: string;
  model: TraceModel;
  vms: VmGroup[];
  /** Names of the companion files applied to this run. */
  companions: string[];
  /**
   * The host topology applied to this run (a dropped lscpu / numactl file that fits it); null (or
   * absent, for runs made by hand) when unknown. assembleRuns always sets it.
   */
  topology?: HostTopology | null;
  /** Why a dropped topology file was not applied (CPUs of the trace it lacks); null / absent otherwise. */
  topologyError?: string | null;
  /**
   * What the VM grouping could not settle or use: a companion's unusable lines, conflicts between
   * companions, QEMU threads without process ids (and what to drop to fix it). assembleRuns sets it.
   */
  vmNotes?: string[];
  /** Each VM's memory by node and the host's node table, from dropped memory files; null / absent when none. */
  memory?: RunMemory | null;
}

/** Absolute time in ns (approximate beyond 2^53, enough to compare windows). */
function absRange(m: TraceModel): [number, number] {
  const base = m.origin.sec * 1e9 + m.origin.ns;
  const n = m.switches.length;
  return n === 0 ? [base, base] : [base + m.switches.time[0], base + m.switches.time[n - 1]];
}

function switchedInTids(m: TraceModel): Set<number> {
  const s = new Set<number>();
  for (let i = 0; i < m.switches.length; i++) {
    const tid = m.tasks.tid[m.switches.next[i]];
    if (tid > 0) s.add(tid);
  }
  return s;
}

/**
 * A timehist is a companion of a trace when they cover the same window (at
 * least half of the shorter one overlaps) and most of its threads appear in it.
 */
export function timehistMatches(timehist: TraceModel, trace: TraceModel): boolean {
  const [a0, a1] = absRange(timehist);
  const [b0, b1] = absRange(trace);
  const overlap = Math.min(a1, b1) - Math.max(a0, b0);
  const shorter = Math.min(a1 - a0, b1 - b0);
  if (!(overlap > 0) || overlap < shorter / 2) return false;
  const theirs = switchedInTids(trace);
  const ours = switchedInTids(timehist);
  let common = 0;
  for (const tid of ours) if (theirs.has(tid)) common++;
  return ours.size > 0 && common >= ours.size / 2;
}

function tgidsOf(m: TraceModel): Map<number, number> {
  const out = new Map<number, number>();
  for (let t = 0; t < m.tasks.length; t++) {
    if (m.tasks.tid[t] > 0 && m.tasks.tgid[t] >= 0) out.set(m.tasks.tid[t], m.tasks.tgid[t]);
  }
  return out;
}

export function assembleRuns(inputs: readonly DroppedInput[]): Run[] {
  const traces = inputs.filter((i): i is Extract<DroppedInput, { kind: 'trace' }> => i.kind === 'trace');
  const vmMap = inputs.flatMap((i) => (i.kind === 'vm-csv' ? i.rows : []));
  const vmMapNames = inputs.filter((i) => i.kind === 'vm-csv').map((i) => i.name);
  const topologies: TopologyInput[] = inputs.flatMap((i) =>
    i.kind === 'topology' ? [{ name: i.name, topology: i.topology }] : [],
  );
  const factFiles: FactFile[] = [];
  const factNotes: string[] = [];
  for (const i of inputs) {
    if (i.kind === 'vm-facts') factFiles.push({ file: i.name, format: i.format, facts: i.facts });
    // The VM map's, ps's and the facts files' unusable lines are said beside the VMs they feed.
    if (i.kind !== 'vm-facts' && i.kind !== 'vm-csv' && i.kind !== 'ps') continue;
    const warnings = i.warnings ?? [];
    for (const w of warnings.slice(0, 5)) factNotes.push(`${i.name} line ${w.line}: ${w.message}`);
    if (warnings.length > 5) factNotes.push(`${i.name}: ${thousands(warnings.length - 5)} more unusable lines`);
  }
  const memoryFiles: { file: string; memory: NumaMemoryFile }[] = [];
  const memoryNotes: string[] = [];
  for (const i of inputs) {
    if (i.kind !== 'numa-memory') continue;
    memoryFiles.push({ file: i.name, memory: i.memory });
    for (const w of i.warnings.slice(0, 5)) memoryNotes.push(`${i.name} line ${w.line}: ${w.message}`);
    if (i.warnings.length > 5) memoryNotes.push(`${i.name}: ${thousands(i.warnings.length - 5)} more unusable lines`);
  }
  const psTgids = new Map<number, number>();
  const psNames: string[] = [];
  for (const i of inputs) {
    if (i.kind !== 'ps') continue;
    psNames.push(i.name);
    for (const t of i.threads) psTgids.set(t.tid, t.pid);
  }

  // Timehists that match a non-timehist trace become its companions.
  const companionOf = new Map<number, number[]>();
  const isCompanion = new Set<number>();
  traces.forEach((th, i) => {
    if (th.model.format !== 'perf-sched-timehist') return;
    const target = traces.findIndex(
      (t, j) => j !== i && t.model.format !== 'perf-sched-timehist' && timehistMatches(th.model, t.model),
    );
    if (target >= 0) {
      isCompanion.add(i);
      companionOf.set(target, [...(companionOf.get(target) ?? []), i]);
    }
  });

  const runs: Run[] = [];
  traces.forEach((t, i) => {
    if (isCompanion.has(i)) return;
    const companionTgids = new Map(psTgids);
    const companions = [...vmMapNames, ...psNames, ...factFiles.map((f) => f.file), ...memoryFiles.map((f) => f.file)];
    for (const c of companionOf.get(i) ?? []) {
      for (const [tid, tgid] of tgidsOf(traces[c].model)) companionTgids.set(tid, tgid);
      companions.push(traces[c].name);
    }
    const { vms, notes } = discoverVms(t.model, {
      vmMap: vmMap.length > 0 ? vmMap : undefined,
      companionTgids,
      facts: factFiles,
    });
    const memory = matchVmMemory(
      memoryFiles,
      vms,
      vms.map((vm) => vmProcessId(vm, t.model, companionTgids)),
    );
    if (memory) memory.notes.unshift(...memoryNotes);
    const topo = topologyForRun(t.model, topologies);
    if (topo.topology && topo.file) companions.push(topo.file);
    runs.push({
      name: t.name,
      model: t.model,
      vms,
      companions,
      topology: topo.topology,
      topologyError: topo.error,
      vmNotes: [...factNotes, ...notes],
      memory,
    });
  });
  return runs;
}
