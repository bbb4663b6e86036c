// Vertical zoom and scroll of a pane's lanes in the UI: the map's height
// (what of the window is left below it), the keys (+ and - taller and
// shorter lanes, PgUp/PgDn and the arrows scroll, Home/End, 0 back to all
// lanes) and a scroll bar beside the lanes when they are taller than the map.

import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { FIT_LANES, scrollLanes, zoomLanes } from '../../render/laneView';
import type { MapScene } from '../../render/scene';
import { usePane, usePaneStore } from '../pane/PaneContext';

/** Below this the map does not shrink (CSS px): a short window scrolls the page instead. */
const MIN_MAP_HEIGHT = 200;
/** Room kept under the map for its time axis and a margin. */
const BELOW_MAP = 36;

/**
 * Height left for the map between its top and the window's bottom (its top as the page lays it out
 * unscrolled); a map that starts far down (a stacked comparison's second pane) gets the window less a margin.
 */
export function useRoomBelow(ref: RefObject<HTMLElement | null>): number {
  const [room, setRoom] = useState(560);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const h = window.innerHeight;
      const r = top < h * 0.6 ? h - top - BELOW_MAP : h - 120;
      setRoom(Math.max(MIN_MAP_HEIGHT, Math.floor(r)));
    };
    measure();
    // What sits above the map (summary, legend) changes its top: watch the pane.
    const ro = new ResizeObserver(measure);
    ro.observe(el.closest('section') ?? el);
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref]);
  return room;
}

const ZOOM_STEP = 1.25;

/** The lane keys: returns a handler that is true when it took the key. */
export function useLaneKeys(scene: MapScene, mapHeight: number) {
  const store = usePaneStore();
  return (e: KeyboardEvent<HTMLElement>): boolean => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const s = store.getState();
    const g = scene.laneGeometry(mapHeight);
    const lv = s.laneView;
    const pitch = (lv.height ?? g.fitHeight) + 1;
    const anchor = s.pointer ? s.pointer.y : mapHeight / 2;
    let next = lv;
    switch (e.key) {
      case '+':
      case '=':
        next = zoomLanes(lv, ZOOM_STEP, anchor, g);
        break;
      case '-':
      case '_':
        next = zoomLanes(lv, 1 / ZOOM_STEP, anchor, g);
        break;
      case 'PageDown':
        next = scrollLanes(lv, mapHeight * 0.9, g);
        break;
      case 'PageUp':
        next = scrollLanes(lv, -mapHeight * 0.9, g);
        break;
      case 'ArrowDown':
        next = scrollLanes(lv, 3 * pitch, g);
        break;
      case 'ArrowUp':
        next = scrollLanes(lv, -3 * pitch, g);
        break;
      case 'Home':
        next = scrollLanes(lv, -Infinity, g);
        break;
      case 'End':
        next = scrollLanes(lv, Infinity, g);
        break;
      case '0':
        // Also resets the window (the time keys take it after this).
        s.setLaneView(FIT_LANES);
        return false;
      default:
        return false;
    }
    if (next !== lv) s.setLaneView(next);
    e.preventDefault();
    return true;
  };
}

/** A native scroll bar over the map's right edge, tied to the pane's lane scroll. */
export function LaneScrollbar({ contentHeight, viewHeight }: { contentHeight: number; viewHeight: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const store = usePaneStore();
  const scroll = usePane((s) => s.laneView.scroll);
  useEffect(() => {
    const el = ref.current;
    if (el && Math.abs(el.scrollTop - scroll) > 0.5) el.scrollTop = scroll;
  }, [scroll, contentHeight]);
  return (
    <div
      ref={ref}
      className="lane-scroll"
      data-testid="lane-scroll"
      style={{ height: viewHeight }}
      onScroll={(e) => {
        const s = store.getState();
        const top = e.currentTarget.scrollTop;
        if (s.laneView.height !== null && Math.abs(top - s.laneView.scroll) > 0.5)
          s.setLaneView({ height: s.laneView.height, scroll: top });
      }}
    >
      <div style={{ height: contentHeight }} />
    </div>
  );
}
