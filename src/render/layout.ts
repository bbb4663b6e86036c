// Vertical placement of lanes in device pixels: equal heights that fill the
// canvas (clamped), a gap between lanes when they are tall enough, and a wider
// gap between VM groups in vCPU mode. Canvases are sized in device pixels
// (CSS size × devicePixelRatio) so the map is sharp on HiDPI screens.

import { bisectRight } from 'd3';
import type { Lane } from './lanes';

export interface LaneLayout {
  /** Canvas size in device pixels. */
  width: number;
  height: number;
  dpr: number;
  /** Per lane: top row and height in device pixels (top may be < 0 or ≥ height when scrolled out). */
  top: Int32Array;
  laneHeight: Int32Array;
  /** Total height of all lanes and gaps, device pixels (for a scroll bar). */
  contentHeight: number;
  /** The first `pinned` lanes are the pinned band: not scrolled; the other lanes scroll under it (absent: 0). */
  pinned?: number;
  /** Height of the pinned band with its gap below, device px (absent or 0 without pinned lanes). */
  band?: number;
}

export interface LayoutOptions {
  dpr?: number;
  /** Gap between lanes, CSS px, used when lanes are at least 4 CSS px tall (default 1). */
  gap?: number;
  /** Extra gap between VM groups in vCPU mode, CSS px (default 4). */
  groupGap?: number;
  /** Lane height bounds, CSS px (default 1..48). */
  minLaneHeight?: number;
  maxLaneHeight?: number;
  /** Scroll offset, device px: lanes move up by this much. */
  scrollY?: number;
  /** A fixed lane height, CSS px (a vertical zoom), instead of fitting the lanes to the height. */
  laneHeight?: number;
  /**
   * The first `pinned` lanes stay at the top whatever the scroll (a group gap below them); the others
   * scroll and are cut where they pass under the band (a lane is one colour top to bottom, so a cut lane
   * is only shorter).
   */
  pinned?: number;
}

/** Canvas backing-store size for a CSS size at a device-pixel ratio. */
export function canvasSize(cssWidth: number, cssHeight: number, dpr: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(cssWidth * dpr)), height: Math.max(1, Math.round(cssHeight * dpr)) };
}

/** Lane height and gaps (device px) of `n` lanes in `groups` + 1 groups laid out in `height`. */
function spacing(
  n: number,
  groups: number,
  height: number,
  opts: LayoutOptions,
): { h: number; gap: number; groupGap: number } {
  const dpr = opts.dpr ?? 1;
  const groupGap = Math.round((opts.groupGap ?? 4) * dpr);
  const minH = Math.max(1, Math.round((opts.minLaneHeight ?? 1) * dpr));
  const maxH = Math.max(minH, Math.round((opts.maxLaneHeight ?? 48) * dpr));
  let gap = Math.round((opts.gap ?? 1) * dpr);
  const fit = (g: number): number => Math.floor((height - groups * groupGap - Math.max(0, n - 1) * g) / Math.max(1, n));
  const fixed = opts.laneHeight === undefined ? null : Math.max(1, Math.round(opts.laneHeight * dpr));
  if ((fixed ?? fit(gap)) < 4 * dpr) gap = 0;
  return { h: fixed ?? Math.min(maxH, Math.max(minH, fit(gap))), gap, groupGap };
}

/**
 * Height (CSS px) the fitted lanes take of a map `height` CSS px tall: lanes are whole device pixels, so
 * a map can shrink to this instead of leaving an empty band under its last lane.
 */
export function fittedHeight(n: number, groups: number, height: number, opts: LayoutOptions = {}): number {
  const dpr = opts.dpr ?? 1;
  const { h, gap, groupGap } = spacing(n, groups, Math.round(height * dpr), { ...opts, laneHeight: undefined });
  return Math.min(height, Math.ceil((n * h + Math.max(0, n - 1) * gap + groups * groupGap) / dpr));
}

/**
 * Height (CSS px) of a pane's map of `n` lanes in `groups` + 1 groups: up to 40 px a lane and at least
 * 120 px, but no more than `room` (what of the window is left below the map's top, so the time axis stays
 * on screen), shrunk to what the fitted lanes take (fittedHeight).
 */
export function mapHeight(n: number, groups: number, room: number, dpr: number): number {
  return fittedHeight(n, groups, Math.min(room, Math.max(120, n * 40)), { dpr });
}

export function layoutLanes(
  lanes: readonly Lane[],
  width: number,
  height: number,
  opts: LayoutOptions = {},
): LaneLayout {
  const n = lanes.length;
  const pinned = Math.max(0, Math.min(n, opts.pinned ?? 0));
  const breakAt = (i: number): boolean => (pinned > 0 && i === pinned) || groupBreak(lanes[i - 1], lanes[i]);
  let groups = 0;
  for (let i = 1; i < n; i++) if (breakAt(i)) groups++;
  const { h, gap, groupGap } = spacing(n, groups, height, opts);
  const top = new Int32Array(n);
  const laneHeight = new Int32Array(n).fill(h);
  const scroll = opts.scrollY ?? 0;
  let y = 0;
  let band = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) y += gap + (breakAt(i) ? groupGap : 0);
    if (i === pinned && pinned > 0) band = y;
    top[i] = i < pinned ? y : y - scroll;
    y += h;
  }
  // Scrolled lanes are cut at the band's bottom (tops and bottoms stay monotonic, so laneAtY still bisects).
  if (band > 0)
    for (let i = pinned; i < n; i++) {
      if (top[i] >= band) break;
      const bottom = Math.max(band, top[i] + h);
      top[i] = band;
      laneHeight[i] = bottom - band;
    }
  return { width, height, dpr: opts.dpr ?? 1, top, laneHeight, contentHeight: y, pinned, band };
}

function groupBreak(a: Lane, b: Lane): boolean {
  return a.kind === 'vcpu' && b.kind === 'vcpu' && a.vm !== b.vm;
}

/**
 * The lane under device row y, or -1 (gaps and outside): the last lane whose top is at or above y, if y
 * is above its bottom. Tops and bottoms never step back (lanes cut under the pinned band share its
 * bottom as their top), so that lane has the lowest bottom of all lanes starting at or above y.
 */
export function laneAtY(layout: LaneLayout, y: number): number {
  const k = bisectRight(layout.top, y) - 1;
  return k >= 0 && y < layout.top[k] + layout.laneHeight[k] ? k : -1;
}
