// The size of a pane's map in CSS px: its width is the pane's less the lane labels (measured by a
// ResizeObserver), its height the shown lanes fitted in the room left below the map's top
// (render/layout mapHeight), so the time axis stays on screen.

import { useEffect, useState, type RefObject } from 'react';
import { shownLaneCount } from '../../render/lanes';
import { mapHeight as fittedMapHeight } from '../../render/layout';
import { usePane } from '../pane/PaneContext';
import { useRoomBelow } from './laneScroll';

/** Width of the lane labels beside the map (CSS px). */
export const LABEL_WIDTH = 110;

export interface MapSize {
  cssWidth: number;
  mapHeight: number;
  /**
   * False until the width is measured: no frame before the real width is known (one at a guessed width
   * would build pyramid levels for nothing).
   */
  measured: boolean;
}

export function useMapSize(wrap: RefObject<HTMLElement | null>, dpr: number): MapSize {
  const run = usePane((s) => s.run);
  const laneMode = usePane((s) => s.laneMode);
  const hiddenCpus = usePane((s) => s.hiddenCpus);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const [cssWidth, setCssWidth] = useState(800);
  const [measured, setMeasured] = useState(false);
  // The observer's first report comes after the browser's own layout (measuring here would force it).
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setCssWidth(Math.max(100, el.clientWidth - LABEL_WIDTH));
      setMeasured(true);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [wrap]);
  const room = useRoomBelow(wrap);
  const { lanes, groups } = shownLaneCount(run, laneMode, hiddenCpus, hiddenVms);
  return { cssWidth, mapHeight: fittedMapHeight(lanes, groups, room, dpr), measured };
}
