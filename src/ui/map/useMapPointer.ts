// Pointer and wheel input over a pane's map: drag pans, Shift+drag selects a
// time range, a click pins the slice under it, the wheel zooms about the
// pointer (Shift or a sideways wheel pans), hovering reports what is under the
// pointer; [ and ] drop markers A and B at the cursor.

import { useEffect, useRef, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import type { MapScene } from '../../render/scene';
import { scrollLanes, zoomLanes } from '../../render/laneView';
import { panBy, wheelZoomFactor, zoomAt, type ViewBounds } from '../../render/viewport';
import { usePaneStore } from '../pane/PaneContext';
import { shownHitAt } from './useHover';

interface Drag {
  kind: 'pan' | 'select';
  x0: number;
  view0: { start: number; end: number };
  t0: number;
  moved: boolean;
}

export function useMapPointer(opts: {
  scene: MapScene;
  bounds: ViewBounds;
  cssWidth: number;
  /** Height of the map, CSS px (lane zoom and scroll). */
  mapHeight: number;
  dpr: number;
  /** The interactive (top) canvas: wheel events are taken there. */
  target: RefObject<HTMLCanvasElement | null>;
  /** The element to focus on a press (keys go there). */
  focus: RefObject<HTMLElement | null>;
}) {
  const { scene, bounds, cssWidth, mapHeight, dpr, target, focus } = opts;
  const store = usePaneStore();
  const dragRef = useRef<Drag | null>(null);

  const timeAt = (x: number): number => {
    const v = store.getState().view;
    return v.start + ((v.end - v.start) * x) / cssWidth;
  };

  // Wheel zoom about the pointer (a non-passive listener, so the page does not scroll).
  useEffect(() => {
    const el = target.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const { view: v, laneView } = store.getState();
      // Ctrl (or a pinch, which arrives as Ctrl+wheel) zooms the lanes about the pointer; Alt scrolls them.
      if (e.ctrlKey || e.metaKey || e.altKey) {
        const g = scene.laneGeometry(mapHeight);
        const px = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
        const next = e.altKey
          ? scrollLanes(laneView, px, g)
          : zoomLanes(laneView, wheelZoomFactor(-e.deltaY, e.deltaMode), e.offsetY, g);
        if (next !== laneView) store.getState().setLaneView(next);
        return;
      }
      const anchor = e.offsetX / el.clientWidth;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const d = e.shiftKey ? e.deltaY : e.deltaX;
        store.getState().setView(panBy(v, (d / el.clientWidth) * (v.end - v.start), bounds));
      } else store.getState().setView(zoomAt(v, wheelZoomFactor(e.deltaY, e.deltaMode), anchor, bounds));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [store, bounds, target, scene, mapHeight]);

  /** [ and ] drop markers A and B at the cursor (the window's middle when the pointer is elsewhere); true if handled. */
  const onMarkerKey = (e: KeyboardEvent<HTMLElement>): boolean => {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== '[' && e.key !== ']')) return false;
    const s = store.getState();
    const t = s.pointer ? timeAt(s.pointer.x) : (s.view.start + s.view.end) / 2;
    s.setMarker(e.key === '[' ? 'a' : 'b', Math.round(t));
    e.preventDefault();
    return true;
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>): void => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    focus.current?.focus();
    const x = e.nativeEvent.offsetX;
    dragRef.current = { kind: e.shiftKey ? 'select' : 'pan', x0: x, view0: store.getState().view, t0: timeAt(x), moved: false };
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>): void => {
    const x = e.nativeEvent.offsetX;
    const y = e.nativeEvent.offsetY;
    const d = dragRef.current;
    if (d) {
      if (Math.abs(x - d.x0) > 3) d.moved = true;
      if (d.moved && d.kind === 'pan') {
        const span = d.view0.end - d.view0.start;
        store.getState().setView(panBy(d.view0, (-(x - d.x0) / cssWidth) * span, bounds));
      } else if (d.moved) {
        const t = timeAt(x);
        store.getState().setSelection({ start: Math.min(d.t0, t), end: Math.max(d.t0, t) });
      }
    }
    store.getState().setPointer({ x, y });
  };

  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>): void => {
    const d = dragRef.current;
    dragRef.current = null;
    if (!d || d.moved) return;
    const s = store.getState();
    const hit = shownHitAt(scene, s, e.nativeEvent.offsetX, e.nativeEvent.offsetY, dpr);
    if (hit?.task && hit.slice >= 0 && !hit.task.isIdle) s.setPinned({ task: hit.task.task, slice: hit.slice });
    else s.setPinned(null);
  };

  const onPointerLeave = (): void => store.getState().setPointer(null);

  return { onMarkerKey, canvasHandlers: { onPointerDown, onPointerMove, onPointerUp, onPointerLeave } };
}
