// The map as one picture (the PNG export): a title line, lane labels, the
// map's three layers and the time axis, composed into a new canvas.

import type { Lane } from './lanes';
import type { LaneLayout } from './layout';
import { timeScale, timeTickFormat } from './timeAxis';
import { sec } from '../analysis/format';

export interface MapPictureInput {
  /** The map, mask and marks layers, each `layout.width` × `layout.height` device px. */
  layers: readonly CanvasImageSource[];
  layout: LaneLayout;
  lanes: readonly Lane[];
  /** The label of lane i (as the map shows it beside the lanes). */
  laneLabel: (lane: Lane) => string;
  title: string;
  view: { start: number; end: number };
  /** The map's CSS width (the time axis' ticks follow it). */
  cssWidth: number;
  dpr: number;
  labelWidth: number;
  axisHeight: number;
}

export function mapPicture(p: MapPictureInput): HTMLCanvasElement | null {
  const { layout: lay, dpr, view: v, cssWidth: w } = p;
  const left = Math.round(p.labelWidth * dpr);
  const axis = Math.round(p.axisHeight * dpr);
  const head = Math.round(20 * dpr);
  const out = document.createElement('canvas');
  out.width = left + lay.width;
  out.height = head + lay.height + axis;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#111418';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#e6e9ee';
  ctx.font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(
    `${p.title} — ${sec(v.start)} to ${sec(v.end)} from the trace start`,
    6 * dpr,
    head / 2,
    out.width - 12 * dpr,
  );
  ctx.translate(0, head);
  for (const c of p.layers) ctx.drawImage(c, left, 0);
  ctx.fillStyle = '#97a0ad';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  p.lanes.forEach((lane, i) => {
    const h = lay.laneHeight[i];
    if (h < 7 * dpr) return;
    ctx.font = `${Math.round(Math.min(12, Math.max(8, h / dpr - 2)) * dpr)}px system-ui, sans-serif`;
    ctx.fillText(p.laneLabel(lane), left - 6 * dpr, lay.top[i] + h / 2, left - 8 * dpr);
  });
  const scale = timeScale(v, w);
  const fmt = timeTickFormat(scale);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
  ctx.fillRect(left, lay.height, lay.width, Math.max(1, Math.round(dpr)));
  for (const t of scale.ticks(Math.max(2, Math.floor(w / 110)))) {
    const x = left + scale(t) * dpr;
    ctx.fillRect(Math.round(x), lay.height, Math.max(1, Math.round(dpr)), 6 * dpr);
    ctx.fillText(fmt(t), x, lay.height + 8 * dpr);
  }
  return out;
}
