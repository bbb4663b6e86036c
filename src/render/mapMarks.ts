// Marks the map's top layer draws besides the cursor and the hover outline:
// the slices of a hovered histogram bar (everything else veiled) and markers A
// and B (a full-height line each, lettered at the top).

import type { LaneLayout } from './layout';
import type { PixelRun } from './overlay';

export const MARKER_COLORS = { a: '#ff9f43', b: '#d980fa' } as const;
const HIGHLIGHT_VEIL = 'rgba(8, 10, 14, 0.66)';
const HIGHLIGHT_EDGE = '#ffffff';

/**
 * The slices a hovered histogram bar counts: everything else is veiled, they stay clear and get white
 * edges, so they stand out whatever the VM colours and at any zoom.
 */
export function drawHighlight(ctx: CanvasRenderingContext2D, layout: LaneLayout, runs: readonly PixelRun[]): void {
  const bar = Math.max(1, Math.round(layout.dpr));
  ctx.save();
  ctx.fillStyle = HIGHLIGHT_VEIL;
  ctx.fillRect(0, 0, layout.width, layout.height);
  for (const r of runs) {
    const y = layout.top[r.lane];
    const h = layout.laneHeight[r.lane];
    if (y + h <= 0 || y >= layout.height) continue;
    ctx.clearRect(r.x0, y, r.x1 - r.x0, h);
  }
  ctx.fillStyle = HIGHLIGHT_EDGE;
  for (const r of runs) {
    const y = layout.top[r.lane];
    const h = layout.laneHeight[r.lane];
    if (y + h <= 0 || y >= layout.height) continue;
    const bh = Math.min(bar, Math.max(1, h >> 3));
    ctx.fillRect(r.x0, y, r.x1 - r.x0, bh);
    ctx.fillRect(r.x0, y + h - bh, r.x1 - r.x0, bh);
  }
  ctx.restore();
}

/** Markers A and B: a full-height line each, lettered at the top. */
export function drawMarkers(
  ctx: CanvasRenderingContext2D,
  layout: LaneLayout,
  view: { start: number; end: number },
  markers: { a: number | null; b: number | null },
): void {
  const { width, height, dpr } = layout;
  const one = Math.max(1, Math.round(dpr));
  ctx.save();
  ctx.font = `bold ${Math.round(11 * dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const which of ['a', 'b'] as const) {
    const t = markers[which];
    if (t === null) continue;
    const x = Math.round(((t - view.start) / (view.end - view.start)) * width);
    if (x < -one || x > width + one) continue;
    ctx.fillStyle = MARKER_COLORS[which];
    ctx.fillRect(x - (one >> 1), 0, one * 2, height);
    const label = which.toUpperCase();
    const tx = x + 3 * dpr + 12 * dpr > width ? x - 12 * dpr : x + 3 * dpr;
    ctx.fillRect(tx - 1 * dpr, 1 * dpr, 10 * dpr, 13 * dpr);
    ctx.fillStyle = '#111418';
    ctx.fillText(label, tx + 0.5 * dpr, 2 * dpr);
  }
  ctx.restore();
}
