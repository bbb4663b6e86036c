// Which slice's wakeup the map asks the model worker about: the hovered one (a running slice, or a vCPU
// lane's wait for a CPU: the switch-in that ends it) and the pinned one, on the lanes shown.

import type { HitResult } from './hitTest';
import type { Lane } from './lanes';
import type { MapScene } from './scene';

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
