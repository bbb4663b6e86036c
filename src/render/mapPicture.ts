// The map as one picture (the PNG export): a title line with the window, lane
// labels, the map's three layers, the time axis and the VM legend, composed
// into a new canvas.

import type { Lane } from './lanes';
import type { LaneLayout } from './layout';
import { tickLabelAnchor, timeScale, timeTickFormat, windowTimeText } from './timeAxis';
import { drawLegend, layoutLegend, type PictureLegendEntry } from './pictureLegend';

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
  /** The legend under the axis: the shown VMs, then host tasks and idle. */
  legend: readonly PictureLegendEntry[];
}

/**
 * The title line: the run and the window it shows, its times to the window's precision over `cssWidth` px
 * (the axis' unit and as many decimals as tell one pixel apart, as the tooltip writes them).
 */
export function pictureTitle(title: string, view: { start: number; end: number }, cssWidth: number): string {
  const tt = windowTimeText(view, cssWidth);
  return `${title} — ${tt.time(view.start)} to ${tt.time(view.end)} from the trace start (${tt.duration(view.end - view.start)})`;
}

/** Every k-th lane is labelled so labels stay at least `minGap` device px apart (all when lanes are tall). */
export function labelStride(laneHeights: ArrayLike<number>, minGap: number): number {
  // Lanes share one height; those cut where they pass under a pinned band are shorter: the tallest has it.
  let h = 0;
  for (let i = 0; i < laneHeights.length; i++) h = Math.max(h, laneHeights[i]);
  return h > 0 ? Math.max(1, Math.ceil(minGap / h)) : 1;
}

export function mapPicture(p: MapPictureInput): HTMLCanvasElement | null {
  const { layout: lay, dpr, view: v, cssWidth: w } = p;
  const left = Math.round(p.labelWidth * dpr);
  const axis = Math.round(p.axisHeight * dpr);
  const head = Math.round(20 * dpr);
  const out = document.createElement('canvas');
  out.width = left + lay.width;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  const legendFont = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
  ctx.font = legendFont;
  const legend = layoutLegend(p.legend, (t) => ctx.measureText(t).width / dpr, out.width / dpr);
  out.height = head + lay.height + axis + Math.round(legend.height * dpr);
  // (Resizing resets the context's state.)
  ctx.fillStyle = '#111418';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#e6e9ee';
  ctx.font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(pictureTitle(p.title, v, w), 6 * dpr, head / 2, out.width - 12 * dpr);
  ctx.translate(0, head);
  for (const c of p.layers) ctx.drawImage(c, left, 0);
  ctx.fillStyle = '#97a0ad';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  // Thin lanes (80+ CPUs): every k-th lane's label, 8 px text at least 10 px apart.
  const stride = labelStride(lay.laneHeight, 10 * dpr);
  p.lanes.forEach((lane, i) => {
    const h = lay.laneHeight[i];
    // Only the lanes in the picture: zoomed lanes scrolled out, or cut to nothing under a pinned band, are not.
    if (i % stride !== 0 || h <= 0 || lay.top[i] + h <= 0 || lay.top[i] >= lay.height) return;
    ctx.font = `${Math.round(Math.min(12, Math.max(8, h / dpr - 2)) * dpr)}px system-ui, sans-serif`;
    ctx.fillText(p.laneLabel(lane), left - 6 * dpr, lay.top[i] + h / 2, left - 8 * dpr);
  });
  const scale = timeScale(v, w);
  // The format's decimals follow the step of these very ticks (another count gives another step).
  const tickCount = Math.max(2, Math.floor(w / 110));
  const fmt = timeTickFormat(scale, tickCount);
  ctx.textBaseline = 'top';
  ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
  ctx.fillRect(left, lay.height, lay.width, Math.max(1, Math.round(dpr)));
  const align = { start: 'left', middle: 'center', end: 'right' } as const;
  for (const t of scale.ticks(tickCount)) {
    const x = left + scale(t) * dpr;
    ctx.fillRect(Math.round(x), lay.height, Math.max(1, Math.round(dpr)), 6 * dpr);
    ctx.textAlign = align[tickLabelAnchor(x, ctx.measureText(fmt(t)).width, 0, out.width)];
    ctx.fillText(fmt(t), x, lay.height + 8 * dpr);
  }
  ctx.font = legendFont;
  drawLegend(ctx, legend.placed, lay.height + axis, dpr, '#e6e9ee');
  return out;
}
