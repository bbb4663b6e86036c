// The VM table's small bars (issue 21): per node, a VM's memory there beside its vCPU run time there, each as
// a share of the VM's own total, so where memory and vCPUs part is visible node by node.

import type { VmTopologyMetrics } from './topology';

export interface NodeBar {
  node: number;
  /** MB on this node; null when the VM has no memory data. */
  memoryMb: number | null;
  /** memoryMb / the VM's memory; null without memory data or with none. */
  memoryShare: number | null;
  /** Its vCPU run time here, µs. */
  runUs: number;
  /** runUs / its vCPU run time; null when its vCPUs never ran. */
  runShare: number | null;
}

/** One bar pair per node of the topology (and any node only the memory file names), ascending. */
export function vmNodeBars(t: Pick<VmTopologyMetrics, 'memoryByNode' | 'cpuTimeByNode'>): NodeBar[] {
  const nodes = new Set<number>(t.cpuTimeByNode.map((n) => n.node));
  for (const m of t.memoryByNode ?? []) nodes.add(m.node);
  let runTotal = 0;
  for (const r of t.cpuTimeByNode) runTotal += r.runUs;
  let memTotal = 0;
  for (const m of t.memoryByNode ?? []) memTotal += m.mb;
  return [...nodes]
    .sort((a, b) => a - b)
    .map((node) => {
      const runUs = t.cpuTimeByNode.find((r) => r.node === node)?.runUs ?? 0;
      const memoryMb = t.memoryByNode ? (t.memoryByNode.find((m) => m.node === node)?.mb ?? 0) : null;
      return {
        node,
        memoryMb,
        memoryShare: memoryMb !== null && memTotal > 0 ? memoryMb / memTotal : null,
        runUs,
        runShare: runTotal > 0 ? runUs / runTotal : null,
      };
    });
}
