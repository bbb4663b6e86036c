// The host's topology: for each CPU its NUMA node, socket and core (from a
// dropped `lscpu -p` or `numactl -H` file, src/parse/topology.ts). SMT
// siblings are the CPUs that share (socket, core). Pure data and lookups: the
// analysis (src/analysis/topology.ts), the CLI and the map's lane grouping use
// the same functions.

import type { TraceModel } from './types';
import { cpuListText } from './cpuList';

export type TopologySource = 'lscpu' | 'numactl';

export interface TopologyCpu {
  cpu: number;
  /** NUMA node (0 on a host without NUMA). */
  node: number;
  /** Socket, null when the file does not say (numactl). */
  socket: number | null;
  /** Core id as the file gives it (unique per socket at least), null when unknown (numactl). */
  core: number | null;
}

export interface HostTopology {
  source: TopologySource;
  /** One entry per CPU, ascending by CPU number, no duplicates. */
  cpus: TopologyCpu[];
  /** Distinct nodes, ascending (numactl: every node it lists, CPU-less ones included). */
  nodes: number[];
  /** Whether cores (and so SMT siblings) are known: lscpu with a Core column (some CPU has a core). */
  hasCores: boolean;
  /** Whether sockets are known: lscpu with a Socket column (some CPU has a socket). */
  hasSockets: boolean;
}

/** Typed-array lookups by CPU number, for the analysis loops. */
export interface TopologyIndex {
  /** Node of CPU c, -1 when the topology does not list c. */
  nodeOfCpu: Int32Array;
  /** Dense core id of CPU c (one per distinct (socket, core)), -1 when unknown. */
  coreOfCpu: Int32Array;
  /** Number of dense core ids. */
  coreCount: number;
  /** Whether some core has two or more CPUs (SMT). */
  smt: boolean;
}

/** Build the topology from its CPUs (sorted, nodes derived). Used by the parsers and the generator. */
export function makeTopology(
  source: TopologySource,
  cpus: readonly TopologyCpu[],
  extraNodes: readonly number[] = [],
): HostTopology {
  const sorted = [...cpus].sort((a, b) => a.cpu - b.cpu);
  const nodes = [...new Set([...sorted.map((c) => c.node), ...extraNodes])].sort((a, b) => a - b);
  return {
    source,
    cpus: sorted,
    nodes,
    // A CPU without a core (an offline CPU listed with -a) just has no known siblings.
    hasCores: sorted.some((c) => c.core !== null),
    hasSockets: sorted.some((c) => c.socket !== null),
  };
}

const coreKey = (c: TopologyCpu): string | null => (c.core === null ? null : `${c.socket ?? 0}:${c.core}`);

/** Lookups sized to cover CPU numbers up to `minSlots - 1` and every CPU of the topology. */
export function indexTopology(topology: HostTopology, minSlots = 0): TopologyIndex {
  let slots = minSlots;
  for (const c of topology.cpus) slots = Math.max(slots, c.cpu + 1);
  const nodeOfCpu = new Int32Array(slots).fill(-1);
  const coreOfCpu = new Int32Array(slots).fill(-1);
  const ids = new Map<string, number>();
  const size: number[] = [];
  for (const c of topology.cpus) {
    nodeOfCpu[c.cpu] = c.node;
    const key = coreKey(c);
    if (key === null) continue;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
      size.push(0);
    }
    coreOfCpu[c.cpu] = id;
    size[id]++;
  }
  return { nodeOfCpu, coreOfCpu, coreCount: ids.size, smt: size.some((n) => n > 1) };
}

/** Groups of SMT siblings (CPUs sharing a socket and core), each ascending, only groups of two or more. */
export function smtSiblingGroups(topology: HostTopology): number[][] {
  const byCore = new Map<string, number[]>();
  for (const c of topology.cpus) {
    const key = coreKey(c);
    if (key === null) continue;
    const list = byCore.get(key) ?? [];
    list.push(c.cpu);
    byCore.set(key, list);
  }
  return [...byCore.values()].filter((g) => g.length > 1).sort((a, b) => a[0] - b[0]);
}

/** The SMT siblings of one CPU (itself excluded); empty when cores are unknown or it has none. */
export function siblingsOf(topology: HostTopology, cpu: number): number[] {
  const me = topology.cpus.find((c) => c.cpu === cpu);
  const key = me ? coreKey(me) : null;
  if (key === null) return [];
  return topology.cpus.filter((c) => c.cpu !== cpu && coreKey(c) === key).map((c) => c.cpu);
}

export interface TopologySummary {
  source: TopologySource;
  nodes: number;
  /** null when the file does not give sockets. */
  sockets: number | null;
  /** Physical cores; null when the file does not give cores. */
  cores: number | null;
  cpus: number;
  /** Most CPUs on one core (1: no SMT); null when cores are unknown. */
  threadsPerCore: number | null;
}

export function summarizeTopology(topology: HostTopology): TopologySummary {
  const sockets = topology.hasSockets
    ? new Set(topology.cpus.filter((c) => c.socket !== null).map((c) => c.socket)).size
    : null;
  let cores: number | null = null;
  let threadsPerCore: number | null = null;
  if (topology.hasCores) {
    const byCore = new Map<string, number>();
    for (const c of topology.cpus) {
      const k = coreKey(c);
      if (k !== null) byCore.set(k, (byCore.get(k) ?? 0) + 1);
    }
    cores = byCore.size;
    threadsPerCore = Math.max(...byCore.values());
  }
  return {
    source: topology.source,
    nodes: topology.nodes.length,
    sockets,
    cores,
    cpus: topology.cpus.length,
    threadsPerCore,
  };
}

/** One line: "lscpu: 2 nodes, 2 sockets, 8 cores, 16 CPUs (2 threads per core)". */
export function describeTopology(topology: HostTopology): string {
  const s = summarizeTopology(topology);
  const parts = [`${s.nodes} node${s.nodes === 1 ? '' : 's'}`];
  if (s.sockets !== null) parts.push(`${s.sockets} socket${s.sockets === 1 ? '' : 's'}`);
  if (s.cores !== null) parts.push(`${s.cores} core${s.cores === 1 ? '' : 's'}`);
  parts.push(`${s.cpus} CPU${s.cpus === 1 ? '' : 's'}`);
  const smt =
    s.threadsPerCore === null
      ? ' (no core information)'
      : s.threadsPerCore > 1
        ? ` (${s.threadsPerCore} threads per core)`
        : '';
  return `${s.source}: ${parts.join(', ')}${smt}`;
}

/**
 * Whether a topology fits a trace: every CPU with a switch must be in it
 * (extra topology CPUs are fine: CPUs the trace never saw). Returns null when
 * it fits, else a message saying which CPUs are missing; a topology that does
 * not fit is not applied.
 */
export function topologyMismatch(topology: HostTopology, model: TraceModel): string | null {
  const known = new Set(topology.cpus.map((c) => c.cpu));
  const missing = model.cpus.filter((c) => !known.has(c));
  if (missing.length === 0) return null;
  const n = missing.length;
  return (
    `the trace has ${n === 1 ? 'CPU' : 'CPUs'} ${cpuListText(missing)} that the topology (${topology.source}, ` +
    `CPUs ${cpuListText([...known])}) does not list; it is not from this host, so it is not applied`
  );
}

/** A topology file dropped or passed with traces (the parse result, named by its file). */
export interface TopologyInput {
  name: string;
  topology: HostTopology;
}

export interface RunTopology {
  /** The topology applied to the run, or null. */
  topology: HostTopology | null;
  /** File name of the applied topology (or of the rejected one). */
  file: string | null;
  /** Why no topology was applied although one was given (mismatch); null otherwise. */
  error: string | null;
}

/**
 * Which of the given topology files applies to a run's trace: the first that
 * lists every CPU of the trace (so two runs from different hosts can each get
 * their own). None given: topology unknown, no error. None fits: the first
 * one's mismatch message.
 */
export function topologyForRun(model: TraceModel, inputs: readonly TopologyInput[]): RunTopology {
  if (inputs.length === 0) return { topology: null, file: null, error: null };
  for (const t of inputs)
    if (topologyMismatch(t.topology, model) === null) return { topology: t.topology, file: t.name, error: null };
  const first = inputs[0];
  return { topology: null, file: first.name, error: `${first.name}: ${topologyMismatch(first.topology, model)}` };
}

export interface LaneGroup {
  node: number;
  /** null when sockets are unknown. */
  socket: number | null;
  /** The file's core id; null when cores are unknown. */
  core: number | null;
  /** The CPUs of this core (SMT siblings next to each other), ascending. */
  cpus: number[];
}

export interface LaneOrder {
  /** CPUs in display order: by node, socket, core, CPU. CPUs the topology lacks come last, ascending. */
  order: number[];
  /** Consecutive runs of `order` that share a core (or a node, when cores are unknown). */
  groups: LaneGroup[];
  /** CPUs of `cpus` the topology does not list. */
  unknown: number[];
}

/**
 * Host CPU lanes ordered and grouped by node, socket and core, for the map:
 * separators go between groups whose node (or socket) differs, labels come
 * from the group fields.
 */
export function laneOrder(topology: HostTopology, cpus: readonly number[]): LaneOrder {
  const byCpu = new Map(topology.cpus.map((c) => [c.cpu, c]));
  const known = cpus.filter((c) => byCpu.has(c));
  const unknown = cpus.filter((c) => !byCpu.has(c)).sort((a, b) => a - b);
  const info = (c: number): TopologyCpu => byCpu.get(c) as TopologyCpu;
  // Cores are ordered by their lowest CPU number within (node, socket).
  const firstOfCore = new Map<string, number>();
  for (const c of topology.cpus) {
    const k = `${c.node}:${coreKey(c) ?? `cpu${c.cpu}`}`;
    if (!firstOfCore.has(k)) firstOfCore.set(k, c.cpu);
  }
  const keyOf = (c: TopologyCpu): string => `${c.node}:${coreKey(c) ?? `cpu${c.cpu}`}`;
  known.sort((a, b) => {
    const x = info(a);
    const y = info(b);
    return (
      x.node - y.node ||
      (x.socket ?? 0) - (y.socket ?? 0) ||
      (firstOfCore.get(keyOf(x)) as number) - (firstOfCore.get(keyOf(y)) as number) ||
      a - b
    );
  });
  const groups: LaneGroup[] = [];
  for (const c of known) {
    const t = info(c);
    const last = groups[groups.length - 1];
    const same =
      last !== undefined &&
      last.node === t.node &&
      last.socket === t.socket &&
      (topology.hasCores ? last.core === t.core : true);
    if (same) last.cpus.push(c);
    else groups.push({ node: t.node, socket: t.socket, core: t.core, cpus: [c] });
  }
  return { order: [...known, ...unknown], groups, unknown };
}
