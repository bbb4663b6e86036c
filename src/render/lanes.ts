// The rows of the map. Two modes: one lane per host CPU (the `perf sched map`
// view: which task ran where), or one lane per vCPU thread, grouped by VM in
// VM order (where and whether each vCPU ran: running, runnable but preempted,
// sleeping). Labels come from trace text (VM names, comms): render as text only.

import { laneOrder, type HostTopology } from '../model/topology';
import type { TraceModel } from '../model/types';
import type { VmGroup } from '../model/vms';
import { cpuPalette, flatPalette, packCss, type RunColors } from './colors';
import type { SliceIndex, Track } from './sliceIndex';
import { VALUE_OFFSET } from './values';

export type LaneMode = 'cpu' | 'vcpu';

export interface CpuLane {
  kind: 'cpu';
  /** Stable identity across frames (React keys, hover state). */
  key: string;
  label: string;
  cpu: number;
  /** Ordered by topology: the CPU's NUMA node (undefined when numeric, or a CPU the topology lacks). */
  node?: number;
  /** Ordered by topology: its core as `socket:core` when cores are known, else undefined. */
  core?: string;
  /** Ordered by topology: the core's CPU count (2+: SMT siblings, next to each other). */
  coreSize?: number;
}

export interface VcpuLane {
  kind: 'vcpu';
  key: string;
  label: string;
  /** Index of the VM in run.vms. */
  vm: number;
  vmName: string;
  /** Position in vm.vcpus (the colour ramp position). */
  position: number;
  /** The vCPU index (`CPU k/KVM`). */
  vcpuIndex: number;
  tid: number;
  /** Task index in the model, -1 if the thread never appears. */
  task: number;
}

export type Lane = CpuLane | VcpuLane;

/**
 * One lane per CPU with switches (model.cpus). With `allDeclared`, also the CPUs the input declares
 * (`#P:N`, `cpus=N`) that never switched: their lanes are all unknown.
 */
export function cpuLanes(model: Pick<TraceModel, 'cpus' | 'declaredCpuCount'>, allDeclared = false): CpuLane[] {
  const cpus = new Set(model.cpus);
  if (allDeclared && model.declaredCpuCount !== null) for (let c = 0; c < model.declaredCpuCount; c++) cpus.add(c);
  return [...cpus]
    .sort((a, b) => a - b)
    .map((cpu) => ({ kind: 'cpu' as const, key: `cpu:${cpu}`, label: `CPU ${cpu}`, cpu }));
}

/**
 * How many lanes a map shows in `mode` and how many gaps between groups they have (a VM's vCPU block is a
 * group): hidden CPUs leave the CPU lanes (at least one lane), hidden VMs the vCPU lanes.
 */
export function shownLaneCount(
  run: { model: Pick<TraceModel, 'cpus'>; vms: readonly VmGroup[] },
  mode: LaneMode,
  hiddenCpus: ReadonlySet<number>,
  hiddenVms: ReadonlySet<number>,
): { lanes: number; groups: number } {
  if (mode === 'cpu') return { lanes: Math.max(1, run.model.cpus.filter((c) => !hiddenCpus.has(c)).length), groups: 0 };
  const shown = run.vms.filter((vm, i) => vm.vcpus.length > 0 && !hiddenVms.has(i));
  return { lanes: shown.reduce((n, vm) => n + vm.vcpus.length, 0), groups: Math.max(0, shown.length - 1) };
}

/** A lane's name in full: a vCPU lane's as `VM name · vCPU index` (`vmName` gives the pane's VM label). */
export function laneFullLabel(lane: Lane, vmName: (vm: number) => string): string {
  return lane.kind === 'vcpu' ? `${vmName(lane.vm)} · ${lane.vcpuIndex}` : lane.label;
}

/** One lane per vCPU thread, VMs in run order, vCPUs by index; VMs whose index is in `hiddenVms` left out. */
export function vcpuLanes(run: { vms: VmGroup[] }, hiddenVms?: ReadonlySet<number>): VcpuLane[] {
  const out: VcpuLane[] = [];
  run.vms.forEach((vm, i) => {
    if (hiddenVms?.has(i)) return;
    vm.vcpus.forEach((v, position) =>
      out.push({
        kind: 'vcpu',
        key: `vcpu:${i}:${v.tid}`,
        label: `${vm.name} vCPU ${v.index}`,
        vm: i,
        vmName: vm.name,
        position,
        vcpuIndex: v.index,
        tid: v.tid,
        task: v.task,
      }),
    );
  });
  return out;
}

/** How host-CPU lanes are ordered: by CPU number, or by NUMA node, socket and core (SMT siblings adjacent). */
export type CpuLaneOrder = 'numeric' | 'topology';

/**
 * CPU lanes ordered and grouped by the topology (model/topology.ts laneOrder): each lane knows its node
 * and core, so the UI can draw separators and group labels. CPUs the topology lacks come last.
 */
export function topologyCpuLanes(cpus: readonly number[], topology: HostTopology): CpuLane[] {
  const { groups, unknown } = laneOrder(topology, cpus);
  const out: CpuLane[] = [];
  for (const g of groups) {
    const core = g.core === null ? undefined : `${g.socket ?? 0}:${g.core}`;
    for (const cpu of g.cpus)
      out.push({
        kind: 'cpu',
        key: `cpu:${cpu}`,
        label: `CPU ${cpu}`,
        cpu,
        node: g.node,
        core,
        coreSize: g.cpus.length,
      });
  }
  for (const cpu of unknown) out.push({ kind: 'cpu', key: `cpu:${cpu}`, label: `CPU ${cpu}`, cpu });
  return out;
}

export function lanesFor(
  mode: LaneMode,
  run: { vms: VmGroup[]; model: Pick<TraceModel, 'cpus' | 'declaredCpuCount'> },
  hiddenVms?: ReadonlySet<number>,
  cpuOrder: { order: CpuLaneOrder; topology?: HostTopology | null } = { order: 'numeric' },
): Lane[] {
  if (mode === 'vcpu') return vcpuLanes(run, hiddenVms);
  return cpuOrder.order === 'topology' && cpuOrder.topology
    ? topologyCpuLanes(run.model.cpus, cpuOrder.topology)
    : cpuLanes(run.model);
}

/**
 * One colour per NUMA node (colour-blind-safe Okabe-Ito hues, then repeating with a lighter tone): the
 * map's vCPU lanes shaded by node, the node table's swatches and the group labels.
 */
const NODE_COLORS = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#999999'];
export function nodeColorCss(node: number): string {
  return NODE_COLORS[((node % NODE_COLORS.length) + NODE_COLORS.length) % NODE_COLORS.length];
}

/** Packed colour per CPU number (0..cpuCount-1) by its node; CPUs the topology lacks get `unknown`. */
export function nodeCpuPalette(cpuCount: number, topology: HostTopology, unknown = packCss('#5a6270')): Uint32Array {
  const out = new Uint32Array(cpuCount).fill(unknown);
  for (const c of topology.cpus) if (c.cpu < cpuCount) out[c.cpu] = packCss(nodeColorCss(c.node));
  return out;
}

const EMPTY: Track = {
  n: 0,
  rows: null,
  start: new Float64Array(0),
  end: new Float64Array(0),
  value: new Int32Array(0),
  slice: null,
  base: 0,
  domain: 0,
};

/** The interval track behind a lane. */
export function laneTrack(index: SliceIndex, lane: Lane): Track {
  if (lane.kind === 'cpu') return index.cpuTrack(lane.cpu);
  return lane.task >= 0 ? index.vcpuTrack(lane.task) : EMPTY;
}

/** How vCPU lanes colour running time: the vCPU's own ramp colour, the CPU it ran on, or that CPU's NUMA node. */
export type VcpuShading = 'vm' | 'cpu' | 'node';

/**
 * The palette (packed colours indexed by value + VALUE_OFFSET) of a lane: the run's task colours for a
 * CPU lane; for a vCPU lane, its ramp colour (or a colour per CPU) for running time, plus the states.
 */
export function lanePalette(
  lane: Lane,
  colors: RunColors,
  cpuDomain: number,
  shading: VcpuShading = 'vm',
  cpuColors?: Uint32Array,
): Uint32Array {
  if (lane.kind === 'cpu') return colors.taskPalette;
  // 'node': the caller passes per-CPU colours by node (nodeCpuPalette).
  if (shading === 'cpu' || shading === 'node') {
    const cp = cpuColors ?? cpuPalette(cpuDomain);
    const p = flatPalette(cpuDomain, 0);
    p.set(cp.subarray(0, cpuDomain), VALUE_OFFSET);
    return p;
  }
  const own = lane.task >= 0 ? colors.taskPalette[lane.task + VALUE_OFFSET] : colors.taskPalette[0];
  return flatPalette(cpuDomain, own);
}

/** Runs of consecutive CPU lanes sharing a key (node, or core), with their first and last lane. */
export function laneRuns(
  lanes: readonly Lane[],
  key: (l: CpuLane) => string | undefined,
): { key: string; first: number; last: number }[] {
  const out: { key: string; first: number; last: number }[] = [];
  lanes.forEach((l, i) => {
    const k = l.kind === 'cpu' ? key(l) : undefined;
    if (k === undefined) return;
    const prev = out[out.length - 1];
    if (prev && prev.key === k && prev.last === i - 1) prev.last = i;
    else out.push({ key: k, first: i, last: i });
  });
  return out;
}

/** Pinned lanes: CPU numbers (CPU lanes) and vCPU thread ids (vCPU lanes), in the order they were pinned. */
export interface LanePinIds {
  cpu: readonly number[];
  vcpu: readonly number[];
}

/** The pin id of a lane (its CPU, or its vCPU thread's id) and which list holds it. */
export function lanePinId(lane: Lane): { kind: keyof LanePinIds; id: number } {
  return lane.kind === 'cpu' ? { kind: 'cpu', id: lane.cpu } : { kind: 'vcpu', id: lane.tid };
}

/** The pinned lanes first, in pin order, then the others in their order; `pinned` counts the first. */
export function pinLanes(lanes: readonly Lane[], pins: LanePinIds): { lanes: Lane[]; pinned: number } {
  const at = new Map<string, number>();
  pins.cpu.forEach((c, i) => at.set(`cpu:${c}`, i));
  pins.vcpu.forEach((t, i) => at.set(`vcpu:${t}`, i));
  const key = (l: Lane): string => (l.kind === 'cpu' ? `cpu:${l.cpu}` : `vcpu:${l.tid}`);
  const top = lanes.filter((l) => at.has(key(l))).sort((a, b) => at.get(key(a))! - at.get(key(b))!);
  if (top.length === 0) return { lanes: [...lanes], pinned: 0 };
  return { lanes: [...top, ...lanes.filter((l) => !at.has(key(l)))], pinned: top.length };
}
