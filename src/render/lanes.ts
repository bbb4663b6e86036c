// The rows of the map. Two modes: one lane per host CPU (the `perf sched map`
// view: which task ran where), or one lane per vCPU thread, grouped by VM in
// VM order (where and whether each vCPU ran: running, runnable but preempted,
// sleeping). Labels come from trace text (VM names, comms): render as text only.

import type { Run } from '../model/runs';
import type { TraceModel } from '../model/types';
import { cpuPalette, flatPalette, type RunColors } from './colors';
import type { SliceIndex, Track } from './sliceIndex';
import { VALUE_OFFSET } from './values';

export type LaneMode = 'cpu' | 'vcpu';

export interface CpuLane {
  kind: 'cpu';
  /** Stable identity across frames (React keys, hover state). */
  key: string;
  label: string;
  cpu: number;
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

/** One lane per vCPU thread, VMs in run order, vCPUs by index; VMs named in `hiddenVms` left out. */
export function vcpuLanes(run: Pick<Run, 'vms'>, hiddenVms?: ReadonlySet<string>): VcpuLane[] {
  const out: VcpuLane[] = [];
  run.vms.forEach((vm, i) => {
    if (hiddenVms?.has(vm.name)) return;
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

export function lanesFor(mode: LaneMode, run: Pick<Run, 'vms' | 'model'>, hiddenVms?: ReadonlySet<string>): Lane[] {
  return mode === 'cpu' ? cpuLanes(run.model) : vcpuLanes(run, hiddenVms);
}

const EMPTY: Track = {
  n: 0,
  rows: null,
  start: new Float64Array(0),
  end: new Float64Array(0),
  value: new Int32Array(0),
  slice: null,
  domain: 0,
};

/** The interval track behind a lane. */
export function laneTrack(index: SliceIndex, lane: Lane): Track {
  if (lane.kind === 'cpu') return index.cpuTrack(lane.cpu);
  return lane.task >= 0 ? index.vcpuTrack(lane.task) : EMPTY;
}

/** How vCPU lanes colour running time: the vCPU's own ramp colour, or the CPU it ran on. */
export type VcpuShading = 'vm' | 'cpu';

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
  if (shading === 'cpu') {
    const cp = cpuColors ?? cpuPalette(cpuDomain);
    const p = flatPalette(cpuDomain, 0);
    p.set(cp.subarray(0, cpuDomain), VALUE_OFFSET);
    return p;
  }
  const own = lane.task >= 0 ? colors.taskPalette[lane.task + VALUE_OFFSET] : colors.taskPalette[0];
  return flatPalette(cpuDomain, own);
}
