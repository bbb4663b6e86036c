// What a run's placement means for the host's topology (docs/metrics.md,
// "Topology"): per VM, how its vCPU run time spreads over NUMA nodes, how often
// a vCPU changes node, and how often two of its vCPUs share one core's SMT
// siblings; per node, how busy it was and which VMs used it.
//
// One pass over the switches, under the engine's ground rules (window.ts):
// time integrals clipped to the window, events counted when they are in it,
// only CPUs of P, "from" = the CPU's open slice, the migration rule's slice
// ends. Like switchPass, nothing is allocated per switch.

import type { Run } from '../model/runs';
import {
  indexTopology,
  summarizeTopology,
  topologyMismatch,
  type HostTopology,
  type TopologySummary,
} from '../model/topology';
import { SliceEnd, TaskKind } from '../model/types';
import {
  localRunFraction,
  numaBalancingOfVms,
  vmMemoryFields,
  type NumaBalancingRates,
  type VmMemoryFields,
} from './memory';
import { gapClipOf } from './gapClip';
import { GapEnded } from './gapEnded';
import { indexVms } from './vmIndex';
import { knownDuration, perSecond, ratio, resolveWindow, type AnalysisOptions } from './window';

/** A node "holds" a VM when at least this share of the VM's vCPU run time was on it. */
export const NODE_SPREAD_THRESHOLD = 0.05;
const SPREAD_FACTOR = Math.round(1 / NODE_SPREAD_THRESHOLD);

export interface VcpuTopologyMetrics {
  index: number;
  tid: number;
  /** Node where this vCPU ran most (lowest node number on a tie); null when it never ran. */
  homeNode: number | null;
  homeNodeFraction: number | null;
  crossNodeMigrationsPerSec: number | null;
  /** Its run time per node, µs, one entry per node of the topology. */
  nodeRunUs: { node: number; runUs: number }[];
  /** Its run time next to its VM's memory (memory.ts); null without memory data. */
  localRunFraction: number | null;
}

export interface VmTopologyMetrics extends VmMemoryFields {
  name: string;
  /** Nodes that held at least 5% of its vCPU run time; null when its vCPUs never ran. */
  nodeSpread: number | null;
  /** Node where its vCPUs ran most (lowest node number on a tie); null when they never ran. */
  homeNode: number | null;
  /** Run time on the home node / its vCPU run time. */
  homeNodeFraction: number | null;
  /** Switch-ins of its vCPUs on a node other than that of the vCPU's previous slice / D. */
  crossNodeMigrationsPerSec: number | null;
  /**
   * Time two of its vCPUs ran on SMT siblings of one core / time two or more
   * of its vCPUs ran; null when that is 0 or the topology has no cores.
   */
  smtSiblingCoRunFraction: number | null;
  /** NUMA balancing events about its threads per second (memory.ts, numaBalancingOfVms). */
  numaBalancingPerSec: number | null;
  /** The same by kind (move, swap, stick, migratePages), per second. */
  numaBalancingEventsPerSec: NumaBalancingRates;
  /** Its vCPU run time per node, µs, one entry per node of the topology (in order). */
  nodeRunUs: { node: number; runUs: number }[];
  vcpus: VcpuTopologyMetrics[];
}

export interface NodeVmUse {
  name: string;
  /** Run time of the VM's vCPU threads on this node's CPUs, µs. */
  runUs: number;
  /** runUs / the node's known time. */
  share: number | null;
}

export interface NodeMetrics {
  node: number;
  /** The node's CPUs that are counted (in P), ascending. */
  cpus: number[];
  /** The node's CPUs per the topology, ascending. */
  topologyCpus: number[];
  /** Non-idle known time / known time of its CPUs of P. */
  busyFraction: number | null;
  /** Known time of its CPUs of P, µs. */
  knownUs: number;
  /** VMs whose vCPUs ran there (positive time in the window), most run time first. */
  vms: NodeVmUse[];
}

export interface TopologyMetrics {
  topology: TopologySummary;
  nodes: NodeMetrics[];
  vms: VmTopologyMetrics[];
}

/** The topology does not fit the trace (CPUs of the trace that it lacks). */
export class TopologyMismatchError extends Error {
  override name = 'TopologyMismatchError';
}

/**
 * Topology metrics of a run. Throws TopologyMismatchError when the trace has
 * CPUs the topology lacks (check with topologyMismatch first to show the message).
 */
export function analyzeTopology(run: Run, topology: HostTopology, options: AnalysisOptions = {}): TopologyMetrics {
  const m = run.model;
  const mismatch = topologyMismatch(topology, m);
  if (mismatch !== null) throw new TopologyMismatchError(mismatch);
  const w = resolveWindow(m, options);
  const idx = indexVms(run);
  const D = knownDuration(m, w); // rates over the known time: a paste's gaps left out
  const lo = w.start;
  const hi = w.end;
  const evEnd = w.eventEnd;
  const t1 = w.t1;
  const { cpuMask } = w;

  const sw = m.switches;
  const { time, cpu, next } = sw;
  const { end, endReason } = m.slices;
  const { vmOfTask, vcpuOfTask, idleTask } = idx;
  // The time a paste leaves out (timehist's placeholder before a mark) is unknown: in no node's known time.
  const taskKind = m.tasks.kind;

  // CPU number → dense node index / dense core id (-1: unknown).
  let maxCpu = cpuMask.length - 1;
  for (const c of m.cpus) maxCpu = Math.max(maxCpu, c);
  const ti = indexTopology(topology, maxCpu + 1);
  const slots = ti.nodeOfCpu.length;
  const nodes = topology.nodes;
  const nn = nodes.length;
  const nodeIndex = new Map(nodes.map((n, i) => [n, i]));
  const nodeOf = new Int32Array(slots).fill(-1);
  for (let c = 0; c < slots; c++) if (ti.nodeOfCpu[c] >= 0) nodeOf[c] = nodeIndex.get(ti.nodeOfCpu[c]) as number;
  const coreOf = ti.coreOfCpu;
  const C = ti.coreCount;

  const nv = idx.vcpus.length;
  const nvm = idx.vmCount;
  const known = new Float64Array(slots);
  const idle = new Float64Array(slots);
  const vcpuNodeRun = new Float64Array(nv * nn);
  const cross = new Float64Array(nv);

  // Co-running per VM: vCPUs running (r), running vCPUs per core, cores with two or more.
  const level = new Int32Array(nvm);
  const onCore = new Int32Array(nvm * C);
  const shared = new Int32Array(nvm);
  const since = new Float64Array(nvm).fill(lo);
  const twoOrMore = new Float64Array(nvm);
  const onSiblings = new Float64Array(nvm);
  // Every integral counts only the time outside a paste's gaps (gapClip.ts); null without gaps.
  const clip = gapClipOf(m.gaps);
  const account = (v: number, t: number): void => {
    const to = t < hi ? t : hi;
    const from = since[v];
    if (to > from) {
      const len = clip === null ? to - from : clip.known(from, to);
      if (level[v] >= 2) twoOrMore[v] += len;
      if (shared[v] > 0) onSiblings[v] += len;
      since[v] = to;
    }
  };
  const change = (v: number, t: number, delta: number, core: number): void => {
    account(v, t);
    level[v] += delta;
    if (core < 0) return;
    const o = v * C + core;
    if (delta > 0) {
      if (++onCore[o] === 2) shared[v]++;
    } else if (onCore[o]-- === 2) shared[v]--;
  };
  /** Slice j takes part in co-running: on a CPU of P, with time inside the window. */
  const counted = (j: number): boolean => {
    const e = end[j];
    return cpuMask[cpu[j]] === 1 && e > lo && e > time[j] && time[j] < hi;
  };

  const lastOnCpu = new Int32Array(slots).fill(-1);
  const lastIn = new Int32Array(nv).fill(-1);
  // Slices ended at a gap in a paste end at their own time, before any later switch.
  const gaps = new GapEnded(m);
  let gapNext = gaps.nextEnd();
  const endAtGaps = (t: number): void => {
    for (let j = gaps.takeUpTo(t); j >= 0; j = gaps.takeUpTo(t)) {
      const f = next[j];
      if (vcpuOfTask[f] >= 0 && counted(j)) change(vmOfTask[f], end[j], -1, coreOf[cpu[j]]);
    }
    gapNext = gaps.nextEnd();
  };
  for (let i = 0, n = sw.length; i < n; i++) {
    const t = time[i];
    if (t >= gapNext) endAtGaps(t < hi ? t : hi);
    if (t > hi) break;
    const c = cpu[i];
    const x = next[i];
    const inP = cpuMask[c] === 1;
    const inEv = t >= lo && t < evEnd && t <= t1;

    // Known and idle time of slice i, clipped to the window.
    let len = 0;
    if (inP) {
      const a = t > lo ? t : lo;
      const e = end[i];
      const b = e < hi ? e : hi;
      if (b > a) len = clip === null ? b - a : clip.known(a, b);
      if (taskKind[x] !== TaskKind.Elided) known[c] += len;
      if (idleTask[x] === 1) idle[c] += len;
    }

    // The open slice on c ends here.
    const j = lastOnCpu[c];
    lastOnCpu[c] = i;
    if (j >= 0 && endReason[j] === SliceEnd.Switch) {
      const f = next[j];
      if (vcpuOfTask[f] >= 0 && counted(j)) change(vmOfTask[f], t, -1, coreOf[cpu[j]]);
    }

    const k = vcpuOfTask[x];
    if (k < 0) continue;
    const v = vmOfTask[x];
    const prev = lastIn[k];
    lastIn[k] = i;
    if (inP && nn > 0) vcpuNodeRun[k * nn + nodeOf[c]] += len;
    // The migration rule ends its previous slice here.
    if (prev >= 0 && endReason[prev] === SliceEnd.Migration && counted(prev)) change(v, t, -1, coreOf[cpu[prev]]);
    if (counted(i)) change(v, t, +1, coreOf[c]);
    // A counted switch-in on another node than the vCPU's previous slice (anywhere in the trace).
    if (inP && inEv && prev >= 0 && nodeOf[cpu[prev]] !== nodeOf[c]) cross[k]++;
  }
  if (hi >= gapNext) endAtGaps(hi);
  for (let v = 0; v < nvm; v++) account(v, hi);

  const us = (ns: number): number => ns / 1000;
  /** Index of the largest value (first on a tie), -1 when all are 0. */
  const argmax = (a: Float64Array, from: number, count: number): number => {
    let best = -1;
    for (let q = 0; q < count; q++) if (a[from + q] > 0 && (best < 0 || a[from + q] > a[from + best])) best = q;
    return best;
  };

  const balancing = numaBalancingOfVms(run, options);
  const vmNodeRun = new Float64Array(nvm * nn);
  const vms: VmTopologyMetrics[] = run.vms.map((vm, v) => {
    const first = idx.vcpuOffset[v];
    const count = idx.vcpuCount[v];
    let crossings = 0;
    const vcpus: VcpuTopologyMetrics[] = [];
    for (let k = first; k < first + count; k++) {
      crossings += cross[k];
      let total = 0;
      for (let q = 0; q < nn; q++) {
        vmNodeRun[v * nn + q] += vcpuNodeRun[k * nn + q];
        total += vcpuNodeRun[k * nn + q];
      }
      const home = argmax(vcpuNodeRun, k * nn, nn);
      const vcpuNodeRunUs = nodes.map((node, q) => ({ node, runUs: us(vcpuNodeRun[k * nn + q]) }));
      vcpus.push({
        index: idx.vcpus[k].index,
        tid: idx.vcpus[k].tid,
        homeNode: home >= 0 ? nodes[home] : null,
        homeNodeFraction: home >= 0 ? ratio(vcpuNodeRun[k * nn + home], total) : null,
        crossNodeMigrationsPerSec: perSecond(cross[k], D),
        nodeRunUs: vcpuNodeRunUs,
        localRunFraction: localRunFraction(
          nodes.map((node, q) => ({ node, run: vcpuNodeRun[k * nn + q] })),
          run.memory?.vms[v]?.byNode ?? null,
        ),
      });
    }
    let total = 0;
    for (let q = 0; q < nn; q++) total += vmNodeRun[v * nn + q];
    let spread = 0;
    // At least 5%: run × 20 ≥ total, exact in integer nanoseconds.
    for (let q = 0; q < nn; q++) {
      const r = vmNodeRun[v * nn + q];
      if (r > 0 && r * SPREAD_FACTOR >= total) spread++;
    }
    const home = argmax(vmNodeRun, v * nn, nn);
    const nodeRunUs = nodes.map((node, q) => ({ node, runUs: us(vmNodeRun[v * nn + q]) }));
    return {
      name: vm.name,
      nodeSpread: total > 0 ? spread : null,
      homeNode: home >= 0 ? nodes[home] : null,
      homeNodeFraction: home >= 0 ? ratio(vmNodeRun[v * nn + home], total) : null,
      crossNodeMigrationsPerSec: perSecond(crossings, D),
      smtSiblingCoRunFraction: topology.hasCores ? ratio(onSiblings[v], twoOrMore[v]) : null,
      numaBalancingPerSec: balancing[v].numaBalancingPerSec,
      numaBalancingEventsPerSec: balancing[v].numaBalancingEventsPerSec,
      nodeRunUs,
      ...vmMemoryFields(run.memory, v, nodeRunUs),
      vcpus,
    };
  });

  const nodeMetrics: NodeMetrics[] = nodes.map((node, q) => {
    const topologyCpus = topology.cpus.filter((c) => c.node === node).map((c) => c.cpu);
    const cpus = topologyCpus.filter((c) => c < cpuMask.length && cpuMask[c] === 1);
    let k = 0;
    let id = 0;
    for (const c of cpus) {
      k += known[c];
      id += idle[c];
    }
    const users = run.vms
      .map((vm, v) => ({ v, name: vm.name, run: vmNodeRun[v * nn + q] }))
      .filter((u) => u.run > 0)
      .sort((a, b) => b.run - a.run || a.v - b.v)
      .map((u) => ({ name: u.name, runUs: us(u.run), share: ratio(u.run, k) }));
    return { node, cpus, topologyCpus, busyFraction: ratio(k - id, k), knownUs: us(k), vms: users };
  });

  return { topology: summarizeTopology(topology), nodes: nodeMetrics, vms };
}
