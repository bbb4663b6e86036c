// The wakeup arrow, as Perfetto draws it: from the waker's lane at the wakeup
// time to the woken slice's start. CPU lanes: from the lane of the CPU the
// wakeup ran on; vCPU lanes: from the waker's own lane when it is a vCPU
// shown, else along the woken lane itself (from the wakeup to the switch-in).

import type { SliceWakeup } from '../analysis/sliceWakeup';
import type { Ctx2D } from './canvas';
import type { Lane } from './lanes';
import type { LaneLayout } from './layout';
import { timeToX } from './mapRenderer';

export interface WakeupArrow {
  /** Device px of the wakeup (on the waker's lane) and of the switch-in (on the woken lane). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The lane the arrow starts on (the woken lane itself when the waker's is not shown). */
  fromLane: number;
  toLane: number;
  /** Whether it starts on the waker's lane (its CPU's, or its own vCPU lane). */
  fromWaker: boolean;
}

/** The lane a wakeup came from: the waker's CPU's (CPU lanes) or the waker's own vCPU lane; -1 when not shown. */
export function wakerLane(lanes: readonly Lane[], w: NonNullable<SliceWakeup['wakeup']>): number {
  return lanes.findIndex((l) =>
    l.kind === 'cpu' ? w.wakerCpu !== null && l.cpu === w.wakerCpu : w.waker >= 0 && l.task === w.waker,
  );
}

/** The arrow of a slice's wakeup in a frame; null without a wakeup or when the woken lane is not shown. */
export function wakeupArrow(
  lanes: readonly Lane[],
  layout: LaneLayout,
  view: { start: number; end: number },
  w: SliceWakeup,
  toLane: number,
): WakeupArrow | null {
  if (!w.wakeup || toLane < 0 || toLane >= lanes.length) return null;
  const from = wakerLane(lanes, w.wakeup);
  const fromLane = from >= 0 ? from : toLane;
  const mid = (l: number): number => layout.top[l] + layout.laneHeight[l] / 2;
  return {
    x0: timeToX(w.wakeup.time, view.start, view.end, layout.width),
    y0: mid(fromLane),
    x1: timeToX(w.start, view.start, view.end, layout.width),
    y1: mid(toLane),
    fromLane,
    toLane,
    fromWaker: from >= 0,
  };
}

export const ARROW_COLOR = '#ffffff';
const HALO = 'rgba(0, 0, 0, 0.75)';

/** Draw arrows over a cleared canvas: a dot at the wakeup, a line, a head at the switch-in. */
export function drawWakeupArrows(ctx: Ctx2D, arrows: readonly WakeupArrow[], dpr: number): void {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  const lw = Math.max(1, Math.round(1.5 * dpr));
  const head = 7 * dpr;
  for (const a of arrows) {
    const angle = Math.atan2(a.y1 - a.y0, a.x1 - a.x0);
    for (const [color, width] of [
      [HALO, lw + 2 * Math.max(1, Math.round(dpr))],
      [ARROW_COLOR, lw],
    ] as const) {
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(a.x0, a.y0);
      ctx.lineTo(a.x1 - Math.cos(angle) * head * 0.6, a.y1 - Math.sin(angle) * head * 0.6);
      ctx.stroke();
      // The wakeup: a square dot on the waker's lane.
      const r = Math.round(width / 2 + 1.5 * dpr);
      ctx.fillRect(Math.round(a.x0) - r, Math.round(a.y0) - r, 2 * r, 2 * r);
      const grow = color === HALO ? width - lw : 0;
      ctx.beginPath();
      ctx.moveTo(a.x1 + Math.cos(angle) * grow, a.y1 + Math.sin(angle) * grow);
      ctx.lineTo(a.x1 - Math.cos(angle - 0.45) * (head + grow), a.y1 - Math.sin(angle - 0.45) * (head + grow));
      ctx.lineTo(a.x1 - Math.cos(angle + 0.45) * (head + grow), a.y1 - Math.sin(angle + 0.45) * (head + grow));
      ctx.closePath();
      ctx.fill();
    }
  }
}
