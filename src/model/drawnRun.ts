// What the page holds of a run: the run's facts (name, VMs, companions,
// topology), the model's small tables (tasks, comms, CPUs, warnings) without
// its event columns, and its slices grouped by CPU as the map draws them. The
// model itself lives once, in the model worker, which answers every question
// that needs the events (analysis, vCPU tracks).

import { groupSlicesByCpu, type CpuSlices } from './cpuSlices';
import type { Run } from './runs';
import type { TraceModel } from './types';

/** The event tables the page does not get. */
type EventTables = 'switches' | 'slices' | 'wakeups' | 'migrations' | 'kvmExits' | 'kvmEntries';

export interface ModelHead extends Omit<TraceModel, EventTables> {
  switchCount: number;
  wakeupCount: number;
  kvmExitCount: number;
  /** First and last switch time (0, 0 for an empty trace). */
  t0: number;
  t1: number;
}

export interface DrawnRun extends Omit<Run, 'model'> {
  /** The run's id in the model worker (and its pane's key). */
  id: number;
  /** The id of its model in the worker: runs re-assembled around one model share its slices. */
  modelId: number;
  model: ModelHead;
  slices: CpuSlices;
  /** Name of the topology file applied, or null. */
  topologyFile: string | null;
}

export function modelHead(m: TraceModel): ModelHead {
  const { switches, slices: _s, wakeups, migrations: _m, kvmExits, kvmEntries: _e, ...rest } = m;
  const n = switches.length;
  return {
    ...rest,
    switchCount: n,
    wakeupCount: wakeups.length,
    kvmExitCount: kvmExits.length,
    t0: n > 0 ? switches.time[0] : 0,
    t1: n > 0 ? switches.time[n - 1] : 0,
  };
}

/** A run as the page holds it, built from a full run (the worker's path, and tests' and the bench's). */
export function drawnRunOf(
  run: Run,
  ids: { id: number; modelId: number } = { id: 0, modelId: 0 },
  slices: CpuSlices = groupSlicesByCpu(run.model),
  topologyFile: string | null = null,
): DrawnRun {
  const { model, ...rest } = run;
  return { ...rest, ...ids, model: modelHead(model), slices, topologyFile, topology: run.topology ?? null };
}
