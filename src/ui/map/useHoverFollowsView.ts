// The hover (tooltip, outline) is what is under the pointer in the frame on screen: read again whenever
// a frame is drawn (a keyboard zoom or pan moves the map under a still pointer) or what is hidden
// changes, so no tooltip is left describing a slice that is no longer there.

import { useEffect } from 'react';
import type { HitResult } from '../../render/hitTest';
import { shownHit, type Hidden } from '../../render/hoverShown';
import type { MapScene } from '../../render/scene';
import { usePane, usePaneStore } from '../pane/PaneContext';

/** What the map shows at CSS point (x, y): the scene's hit, null over hidden slices. */
export function shownHitAt(scene: MapScene, hidden: Hidden, x: number, y: number, dpr: number): HitResult | null {
  return shownHit(scene.hitAt(x * dpr, y * dpr), hidden, scene.hostTasks);
}

/** Re-read the hover at the pointer after every frame (`frame` changes) and when hidden VMs or host tasks change. */
export function useHoverFollowsView(scene: MapScene, frame: unknown, dpr: number): void {
  const store = usePaneStore();
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  useEffect(() => {
    const { pointer, setHover } = store.getState();
    if (!pointer || !frame) return;
    setHover(shownHitAt(scene, { hiddenVms, hideHostTasks }, pointer.x, pointer.y, dpr), pointer);
  }, [store, scene, frame, hiddenVms, hideHostTasks, dpr]);
}
