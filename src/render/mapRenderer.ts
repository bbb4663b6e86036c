// Draw the map layer: one ImageData write per frame from the level-of-detail
// result (never a canvas the size of the trace). Each lane's first row is
// filled from its palette, then copied down the lane's height; unknown pixels
// get a diagonal hatch, the bands where a paste's text was cut the other diagonal (gapBands.ts).
// Lost-event regions are shaded on top with fillRect.

import { frameImage, pixelsOf, type Ctx2D } from './canvas';
import type { LaneLayout } from './layout';
import type { Lane } from './lanes';
import type { LodResult } from './lod';
import type { LostRegion } from './lost';
import { GAP_COLORS, paintGapBands, type BandColumns } from './gapBands';
import { THEME } from './colors';
import { VALUE_OFFSET, V_UNKNOWN } from './values';

export interface MapFrame {
  lod: LodResult;
  layout: LaneLayout;
  /** Per lane: packed colours indexed by value + VALUE_OFFSET. */
  palettes: readonly Uint32Array[];
  /** Packed colour of hatch lines on unknown pixels (0: no hatch). */
  hatch: number;
  /** Packed colour of rows between and below lanes. */
  background: number;
  /**
   * Per lane: the value drawn for a mixed pixel (pixelClasses.ts; null: the lane has none). Its pixels
   * are checkered with the background, a mark no flat colour of the map has.
   */
  mixed?: readonly (number | null)[];
  /** Columns of the bands where the input's text was cut (gapBands.ts), painted over every lane. */
  gaps?: readonly BandColumns[];
}

let unknownXs = new Int32Array(1024);
let mixedXs = new Int32Array(1024);

/** Write a frame into packed RGBA pixels (width × height, row-major). Pure: no canvas needed. */
export function renderMapPixels(px: Uint32Array, width: number, height: number, frame: MapFrame): void {
  const { lod, layout, palettes, hatch, background } = frame;
  const w = Math.min(width, lod.width);
  // Background only where no lane is drawn (rows between and below lanes, columns right of the frame).
  let filled = 0;
  if (unknownXs.length < w) {
    unknownXs = new Int32Array(w);
    mixedXs = new Int32Array(w);
  }
  const unknownPal = VALUE_OFFSET + V_UNKNOWN;
  for (let l = 0; l < lod.lanes; l++) {
    const top = layout.top[l];
    const h = layout.laneHeight[l];
    const y0 = Math.max(filled, top);
    const y1 = Math.min(height, top + h);
    if (y1 <= y0) continue;
    px.fill(background, filled * width, y0 * width);
    filled = y1;
    if (w < width) for (let y = y0; y < y1; y++) px.fill(background, y * width + w, (y + 1) * width);
    const pal = palettes[l];
    const values = lod.value;
    const base = l * lod.width;
    const rowStart = y0 * width;
    let nu = 0;
    let nm = 0;
    const mixedV = frame.mixed?.[l] ?? null;
    const mixedPal = mixedV === null ? -1 : mixedV + VALUE_OFFSET;
    for (let x = 0; x < w; x++) {
      const p = values[base + x] + VALUE_OFFSET;
      px[rowStart + x] = pal[p];
      if (p === unknownPal) unknownXs[nu++] = x;
      else if (p === mixedPal) mixedXs[nm++] = x;
    }
    if (nm > 0 && y1 - y0 > 1) {
      // The checker of mixed pixels: two row patterns (by the row's parity), then copies of them.
      const row1 = rowStart + width;
      px.copyWithin(row1, rowStart, rowStart + w);
      for (let i = 0; i < nm; i++) {
        const x = mixedXs[i];
        px[((x + y0) & 1) === 1 ? rowStart + x : row1 + x] = background;
      }
      for (let y = y0 + 2; y < y1; y++) {
        const from = ((y - y0) & 1) === 1 ? row1 : rowStart;
        px.copyWithin(y * width, from, from + w);
      }
    } else {
      for (let i = 0; i < nm; i++) if (((mixedXs[i] + y0) & 1) === 1) px[rowStart + mixedXs[i]] = background;
      for (let y = y0 + 1; y < y1; y++) px.copyWithin(y * width, rowStart, rowStart + w);
    }
    if (hatch !== 0 && nu > 0 && h >= 3) {
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let i = 0; i < nu; i++) {
          const x = unknownXs[i];
          if (((x + y) & 3) === 0) px[row + x] = hatch;
        }
      }
    }
  }
  px.fill(background, filled * width, height * width);
  if (frame.gaps && frame.gaps.length > 0) paintGapBands(px, width, height, frame.gaps, GAP_COLORS);
}

/** Draw the map layer into a 2D context whose canvas is the frame's size in device pixels. */
export function drawMap(ctx: Ctx2D, frame: MapFrame): void {
  const img = frameImage(ctx);
  renderMapPixels(pixelsOf(img), img.width, img.height, frame);
  ctx.putImageData(img, 0, 0);
}

/** x (device px, fractional) of a time in the window [t0, t1) over `width` pixels. */
export function timeToX(t: number, t0: number, t1: number, width: number): number {
  return ((t - t0) / (t1 - t0)) * width;
}

/** Time at device x in the window. */
export function xToTime(x: number, t0: number, t1: number, width: number): number {
  return t0 + ((t1 - t0) * x) / width;
}

/**
 * Shade lost-event regions: on their CPU's lane in CPU mode, across every lane otherwise or when the CPU
 * is not known. Regions are at least 2 device pixels wide so a point stays visible.
 */
export function drawLostRegions(
  ctx: Ctx2D,
  regions: readonly LostRegion[],
  lanes: readonly Lane[],
  layout: LaneLayout,
  t0: number,
  t1: number,
): void {
  if (regions.length === 0) return;
  const { width, height, dpr } = layout;
  const minW = Math.max(2, Math.round(2 * dpr));
  ctx.save();
  for (const r of regions) {
    if (r.end < t0 || r.start >= t1) continue;
    let x0 = Math.floor(timeToX(r.start, t0, t1, width));
    let x1 = Math.ceil(timeToX(r.end, t0, t1, width));
    if (x1 - x0 < minW) {
      const mid = (x0 + x1) / 2;
      x0 = Math.round(mid - minW / 2);
      x1 = x0 + minW;
    }
    x0 = Math.max(0, x0);
    x1 = Math.min(width, x1);
    const rows: [number, number][] = [];
    if (r.cpu !== null && lanes.length > 0 && lanes.every((l) => l.kind === 'cpu')) {
      lanes.forEach((l, i) => {
        if (l.kind === 'cpu' && l.cpu === r.cpu) rows.push([layout.top[i], layout.laneHeight[i]]);
      });
    } else rows.push([0, height]);
    for (const [y, h] of rows) {
      ctx.fillStyle = THEME.lost;
      ctx.fillRect(x0, y, x1 - x0, h);
      ctx.fillStyle = THEME.lostEdge;
      ctx.fillRect(x0, y, Math.max(1, Math.round(dpr)), h);
    }
  }
  ctx.restore();
}
