// The hover (tooltip, outline, the lane P pins) is what is under the pointer in the frame on screen:
// derived from the pointer (the pane store's input) and the frame drawn, so it is read again whenever
// a frame is drawn (a keyboard zoom or pan moves the map under a still pointer) or what is hidden
// changes, and no tooltip is left describing a slice that is no longer there.

import { useMemo } from 'react';
import type { HitResult } from '../../render/hitTest';
import { shownHit, type Hidden } from '../../render/hoverShown';
import type { MapScene } from '../../render/scene';
import { usePane } from '../pane/PaneContext';

/** What the map shows at CSS point (x, y): the scene's hit, null over hidden slices. */
export function shownHitAt(scene: MapScene, hidden: Hidden, x: number, y: number, dpr: number): HitResult | null {
  return shownHit(scene.hitAt(x * dpr, y * dpr), hidden, scene.hostTasks);
}

/** The hit at the pointer in the frame drawn (`frame`: a new value per frame; null before the first). */
export function useHover(scene: MapScene, frame: unknown, dpr: number): HitResult | null {
  const pointer = usePane((s) => s.pointer);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  return useMemo(
    () => (pointer && frame ? shownHitAt(scene, { hiddenVms, hideHostTasks }, pointer.x, pointer.y, dpr) : null),
    [scene, frame, pointer, hiddenVms, hideHostTasks, dpr],
  );
}
