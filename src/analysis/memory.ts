// Where a VM's memory is against where its vCPUs ran (docs/metrics.md, "NUMA memory"). The memory comes from
// the run's memory files (src/model/vmMemory.ts, one snapshot), the run time per node from the topology pass
// (topology.ts), which adds these fields to its per-VM and per-vCPU entries.

import type { NodeMb } from '../model/numaMemory';
import type { Run } from '../model/runs';
import { NumaEventKind } from '../model/types';
import { knownDuration, perSecond, resolveWindow, type AnalysisOptions } from './window';
import type { RunMemory } from '../model/vmMemory';

export interface VmMemoryFields {
  /** MB of the VM's QEMU process per host node, ascending by node; null without memory data for it. */
  memoryByNode: NodeMb[] | null;
  /** Its total MB; null without memory data. */
  memoryMb: number | null;
  /** Node holding most of its memory (lowest on a tie); null without memory data or with none. */
  memoryHomeNode: number | null;
  /** Σ_n (run time on n / run time) × (memory on n / memory); null without memory data or run time. */
  localRunFraction: number | null;
  /** Its vCPU run time per node, µs (the topology's nodeRunUs, under the name the memory rows use). */
  cpuTimeByNode: { node: number; runUs: number }[];
}

export function memoryHomeNode(byNode: readonly NodeMb[]): number | null {
  let best: NodeMb | null = null;
  for (const n of byNode) if (n.mb > 0 && (best === null || n.mb > best.mb)) best = n;
  return best?.node ?? null;
}

/**
 * The share of run time spent next to memory under uniform access: Σ_n r_n/R × m_n/M. Run time on a node
 * the memory file does not list counts as remote (m_n = 0). Null when R or M is 0.
 */
export function localRunFraction(
  runByNode: readonly { node: number; run: number }[],
  byNode: readonly NodeMb[] | null,
): number | null {
  if (!byNode) return null;
  let R = 0;
  for (const r of runByNode) R += r.run;
  let M = 0;
  for (const m of byNode) M += m.mb;
  if (!(R > 0) || !(M > 0)) return null;
  const mem = new Map(byNode.map((m) => [m.node, m.mb]));
  let s = 0;
  for (const r of runByNode) s += (r.run / R) * ((mem.get(r.node) ?? 0) / M);
  return s;
}

export function vmMemoryFields(
  memory: RunMemory | null | undefined,
  v: number,
  nodeRunUs: { node: number; runUs: number }[],
): VmMemoryFields {
  const m = memory?.vms[v] ?? null;
  const byNode = m?.byNode ?? null;
  let total = 0;
  for (const n of byNode ?? []) total += n.mb;
  return {
    memoryByNode: byNode,
    memoryMb: byNode ? total : null,
    memoryHomeNode: byNode ? memoryHomeNode(byNode) : null,
    localRunFraction: localRunFraction(
      nodeRunUs.map((n) => ({ node: n.node, run: n.runUs })),
      byNode,
    ),
    cpuTimeByNode: nodeRunUs,
  };
}

/** NUMA balancing decisions about a VM's threads, per second of D, by kind (docs/metrics.md, "NUMA memory"). */
export interface NumaBalancingRates {
  move: number | null;
  stick: number | null;
  swap: number | null;
  /** mm_migrate_pages events with reason=numa_misplaced (not pages: see numaMigratedPagesPerSec). */
  migratePages: number | null;
}

export interface VmNumaBalancing {
  numaBalancingEventsPerSec: NumaBalancingRates;
  /** All four kinds together, per second. */
  numaBalancingPerSec: number | null;
  /** Pages moved by NUMA balancing (mm_migrate_pages nr_succeeded), per second. */
  numaMigratedPagesPerSec: number | null;
}

/**
 * Per VM of the run: the NUMA balancing events about its threads (vCPUs, other threads, any thread of its
 * tgid) in the window. Events count when the window counts events (window.ts).
 */
export function numaBalancingOfVms(run: Run, options: AnalysisOptions = {}): VmNumaBalancing[] {
  const m = run.model;
  const w = resolveWindow(m, options);
  const nt = m.tasks.length;
  const vmOf = new Int32Array(nt).fill(-1);
  const byTgid = new Map<number, number>();
  run.vms.forEach((vm, v) => {
    if (vm.tgid !== null) byTgid.set(vm.tgid, v);
    for (const t of [...vm.vcpus, ...vm.otherThreads]) if (t.task >= 0 && t.task < nt) vmOf[t.task] = v;
  });
  for (let t = 0; t < nt; t++) {
    if (vmOf[t] >= 0) continue;
    const v = byTgid.get(m.tasks.tgid[t]);
    if (v !== undefined) vmOf[t] = v;
  }
  const counts = run.vms.map(() => [0, 0, 0, 0]);
  const pages = run.vms.map(() => 0);
  const e = m.numaEvents;
  for (let i = 0; i < e.length; i++) {
    const t = e.time[i];
    if (t < w.start || t >= w.eventEnd || t > w.t1) continue;
    const task = e.task[i];
    const v = task >= 0 && task < nt ? vmOf[task] : -1;
    if (v < 0) continue;
    counts[v][e.kind[i]]++;
    pages[v] += e.pages[i];
  }
  const D = knownDuration(m, w); // rates over the known time: a paste's gaps left out
  return counts.map((c, v) => {
    const rates: NumaBalancingRates = {
      move: perSecond(c[NumaEventKind.Move], D),
      stick: perSecond(c[NumaEventKind.Stick], D),
      swap: perSecond(c[NumaEventKind.Swap], D),
      migratePages: perSecond(c[NumaEventKind.MigratePages], D),
    };
    return {
      numaBalancingEventsPerSec: rates,
      numaBalancingPerSec: perSecond(c[0] + c[1] + c[2] + c[3], D),
      numaMigratedPagesPerSec: perSecond(pages[v], D),
    };
  });
}
