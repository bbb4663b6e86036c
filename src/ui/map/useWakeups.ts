// The wakeups behind the hovered and the pinned slice, from the model worker
// (the page has no events): one memoised job per slice.

import type { SliceWakeup } from '../../analysis/sliceWakeup';
import type { DrawnRun } from '../../model/drawnRun';
import type { HitResult } from '../../render/hitTest';
import type { Lane } from '../../render/lanes';
import type { MapScene } from '../../render/scene';
import type { AnalysisJob } from '../../worker/protocol';
import { useJob } from '../panel/useJob';

/** A slice whose wakeup to show: its task, switch-in time and the lane it is drawn on. */
export interface WakeupTarget {
  task: number;
  start: number;
  lane: number;
}

/**
 * What the hover asks about: a running slice (not idle), or a vCPU lane's wait for a CPU (runnable or
 * woken: the switch-in that ends it).
 */
export function wakeupTargetOfHit(hit: HitResult | null): WakeupTarget | null {
  const t = hit?.task;
  if (!hit || !t || t.isIdle || hit.slice < 0) return null;
  if (hit.state === 'slice') return { task: t.task, start: hit.start, lane: hit.lane };
  if ((hit.state === 'runnable' || hit.state === 'woken') && Number.isFinite(hit.end))
    return { task: t.task, start: hit.end, lane: hit.lane };
  return null;
}

/** The pinned slice (a row of the drawn slices) as a target on the lanes shown. */
export function wakeupTargetOfPinned(
  scene: MapScene,
  lanes: readonly Lane[],
  pinned: { task: number; slice: number } | null,
): WakeupTarget | null {
  if (!pinned || pinned.slice < 0 || pinned.slice >= scene.index.slices.start.length) return null;
  const cpu = scene.index.cpuOf(pinned.slice);
  const lane = lanes.findIndex((l) => (l.kind === 'cpu' ? l.cpu === cpu : l.task === pinned.task));
  return { task: pinned.task, start: scene.index.slices.start[pinned.slice], lane };
}

export interface WakeupState {
  target: WakeupTarget | null;
  /** undefined while the worker computes it; null when the slice has none there. */
  value: SliceWakeup | null | undefined;
}

function useSliceWakeup(run: DrawnRun, target: WakeupTarget | null, slot: string): WakeupState {
  const job: AnalysisJob | null =
    target && run.model.wakeupCount > 0 ? { kind: 'wakeup', task: target.task, start: target.start } : null;
  const state = useJob<SliceWakeup | null>(run, job, `${slot}:${run.id}`, 40);
  return { target, value: job && !state.loading ? (state.value ?? null) : undefined };
}

export function useWakeups(
  run: DrawnRun,
  hover: WakeupTarget | null,
  pinned: WakeupTarget | null,
): { hover: WakeupState; pinned: WakeupState } {
  return { hover: useSliceWakeup(run, hover, 'wakeup-hover'), pinned: useSliceWakeup(run, pinned, 'wakeup-pin') };
}
