// The simulated host's topology: CPUs split into NUMA nodes (one socket per
// node), optionally two SMT threads per core, numbered the way Linux numbers
// an Intel host: the first thread of every core, then the second (CPU k and
// k + cores are siblings). Written out as `lscpu -p` text beside the trace.

import { makeTopology, type HostTopology, type TopologyCpu } from '../model/topology';

export interface SynthLayout {
  nodes: number;
  smt: boolean;
}

/** Node of each CPU plus the topology; throws when the layout does not fit the CPU count. */
export function synthTopology(cpus: number, layout: SynthLayout): HostTopology {
  const threads = layout.smt ? 2 : 1;
  if (cpus % threads !== 0) throw new Error(`--smt needs an even CPU count, not ${cpus}`);
  const cores = cpus / threads;
  if (!(layout.nodes >= 1) || layout.nodes > cores)
    throw new Error(`--nodes must be between 1 and the number of cores (${cores}), not ${layout.nodes}`);
  const list: TopologyCpu[] = [];
  for (let t = 0; t < threads; t++) {
    for (let k = 0; k < cores; k++) {
      const node = Math.floor((k * layout.nodes) / cores);
      list.push({ cpu: t * cores + k, core: k, socket: node, node });
    }
  }
  return makeTopology('lscpu', list);
}

/** `lscpu -p` text (default columns: CPU,Core,Socket,Node,,L1d,L1i,L2,L3; L1 and L2 per core, L3 per socket). */
export function lscpuText(topology: HostTopology): string {
  const lines = [
    '# The following is the parsable format, which can be fed to other',
    '# programs. Each different item in every column has an unique ID',
    '# starting from zero.',
    '# CPU,Core,Socket,Node,,L1d,L1i,L2,L3',
  ];
  for (const c of topology.cpus) {
    const core = c.core ?? '';
    const socket = c.socket ?? '';
    lines.push(`${c.cpu},${core},${socket},${c.node},,${core},${core},${core},${socket}`);
  }
  return lines.join('\n') + '\n';
}
