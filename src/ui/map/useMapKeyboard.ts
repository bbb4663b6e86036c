// Keyboard navigation of a pane's map: W/S zoom and A/D pan with smooth,
// accelerating motion while held (one animation loop, velocities from
// render/viewport.stepMotion), 0 reset, F fit selection, . and , step through
// the pinned task's slices, V switch lanes, Esc clear, ? shortcuts.

import { useRef, type KeyboardEvent } from 'react';
import { stepTaskSlice } from '../../model/cpuSlices';
import { centerOn, fitRange, MOTION_REST, stepMotion, type MotionKeys, type ViewBounds } from '../../render/viewport';
import { useAppStore } from '../appStore';
import { usePaneStore } from '../pane/PaneContext';

const KEYS: Record<string, keyof MotionKeys> = { w: 'zoomIn', s: 'zoomOut', a: 'left', d: 'right' };

export function useMapKeyboard(bounds: ViewBounds) {
  const store = usePaneStore();
  const keys = useRef<MotionKeys>({ zoomIn: false, zoomOut: false, left: false, right: false });
  const motion = useRef(MOTION_REST);
  const frame = useRef<number | null>(null);
  const last = useRef(0);

  const tick = (now: number): void => {
    const dt = last.current ? now - last.current : 16;
    last.current = now;
    const s = store.getState();
    const r = stepMotion(motion.current, keys.current, dt, s.view, bounds);
    motion.current = r.motion;
    if (r.view !== s.view) s.setView(r.view);
    if (r.moving) frame.current = requestAnimationFrame(tick);
    else {
      frame.current = null;
      last.current = 0;
    }
  };
  const start = (): void => {
    if (frame.current === null) frame.current = requestAnimationFrame(tick);
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const s = store.getState();
    if (k in KEYS) {
      keys.current = { ...keys.current, [KEYS[k]]: true };
      start();
    } else if (k === '0') s.resetView();
    else if (k === 'f' && s.selection) s.setView(fitRange(s.selection.start, s.selection.end, bounds, 0));
    else if ((k === '.' || k === ',') && s.pinned) {
      const j = stepTaskSlice(s.run.slices, s.pinned.task, s.pinned.slice, k === '.' ? 1 : -1);
      if (j >= 0) {
        s.setPinned({ task: s.pinned.task, slice: j });
        const t = s.run.slices.start[j];
        if (t < s.view.start || t > s.view.end) s.setView(centerOn(s.view, t, bounds));
      }
    } else if (k === 'v') s.setLaneMode(s.laneMode === 'cpu' ? 'vcpu' : 'cpu');
    else if (k === 'Escape') s.clearSelection();
    else if (k === '?') useAppStore.getState().toggleHelp();
    else return;
    e.preventDefault();
  };

  const onKeyUp = (e: KeyboardEvent): void => {
    const k = e.key.toLowerCase();
    if (k in KEYS) keys.current = { ...keys.current, [KEYS[k]]: false };
  };

  const onBlur = (): void => {
    keys.current = { zoomIn: false, zoomOut: false, left: false, right: false };
  };

  return { onKeyDown, onKeyUp, onBlur };
}
