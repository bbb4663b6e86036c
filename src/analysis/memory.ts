// Where a VM's memory is against where its vCPUs ran (docs/metrics.md, "NUMA memory"). The memory comes from
// the run's memory files (src/model/vmMemory.ts, one snapshot), the run time per node from the topology pass
// (topology.ts), which adds these fields to its per-VM and per-vCPU entries.

import type { NodeMb } from '../model/numaMemory';
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
