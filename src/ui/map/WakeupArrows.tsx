// A canvas over the map for the wakeup arrows of the hovered and the pinned
// slice (redrawn with each frame and whenever a wakeup arrives).

import { useLayoutEffect, useMemo, useRef } from 'react';
import { fixed } from '../../model/format';
import type { Lane } from '../../render/lanes';
import type { LaneLayout } from '../../render/layout';
import type { Viewport } from '../../render/viewport';
import { drawWakeupArrows, wakeupArrow, type WakeupArrow } from '../../render/wakeupArrow';
import type { WakeupState } from './useWakeups';

export function WakeupArrows({
  states,
  lanes,
  layout,
  view,
  cssWidth,
  cssHeight,
}: {
  states: readonly WakeupState[];
  lanes: readonly Lane[];
  layout: LaneLayout;
  view: Viewport | null;
  cssWidth: number;
  cssHeight: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const arrows = useMemo(() => {
    const out: WakeupArrow[] = [];
    if (!view) return out;
    for (const s of states) {
      const a = s.target && s.value ? wakeupArrow(lanes, layout, view, s.value, s.target.lane) : null;
      if (a && !out.some((b) => b.x0 === a.x0 && b.x1 === a.x1 && b.y0 === a.y0 && b.y1 === a.y1)) out.push(a);
    }
    return out;
  }, [states, lanes, layout, view]);
  useLayoutEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    if (c.width !== layout.width) c.width = layout.width;
    if (c.height !== layout.height) c.height = layout.height;
    drawWakeupArrows(ctx, arrows, layout.dpr);
  }, [arrows, layout]);
  const dpr = layout.dpr;
  return (
    <canvas
      ref={ref}
      className="layer wakeup-arrows"
      data-testid="wakeup-arrows"
      data-arrows={arrows.length}
      data-arrow-xy={arrows.map((a) => [a.x0, a.y0, a.x1, a.y1].map((v) => fixed(v / dpr, 1)).join(',')).join(' ')}
      data-arrow-lanes={arrows.map((a) => `${a.fromLane}>${a.toLane}${a.fromWaker ? '' : '*'}`).join(' ')}
      style={{ width: cssWidth, height: cssHeight, pointerEvents: 'none' }}
    />
  );
}
