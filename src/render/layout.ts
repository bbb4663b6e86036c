// Vertical placement of lanes in device pixels: equal heights that fill the
// canvas (clamped), a gap between lanes when they are tall enough, and a wider
// gap between VM groups in vCPU mode. Canvases are sized in device pixels
// (CSS size × devicePixelRatio) so the map is sharp on HiDPI screens.

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

export function layoutLanes(
  lanes: readonly Lane[],
  width: number,
  height: number,
  opts: LayoutOptions = {},
): LaneLayout {
  const n = lanes.length;
  let groups = 0;
  for (let i = 1; i < n; i++) if (groupBreak(lanes[i - 1], lanes[i])) groups++;
  const { h, gap, groupGap } = spacing(n, groups, height, opts);
  const top = new Int32Array(n);
  const laneHeight = new Int32Array(n).fill(h);
  let y = -(opts.scrollY ?? 0);
  for (let i = 0; i < n; i++) {
    if (i > 0) y += gap + (groupBreak(lanes[i - 1], lanes[i]) ? groupGap : 0);
    top[i] = y;
    y += h;
  }
  return { width, height, dpr: opts.dpr ?? 1, top, laneHeight, contentHeight: y + (opts.scrollY ?? 0) };
}

function groupBreak(a: Lane, b: Lane): boolean {
  return a.kind === 'vcpu' && b.kind === 'vcpu' && a.vm !== b.vm;
}

/** The lane under device row y, or -1 (gaps and outside). */
export function laneAtY(layout: LaneLayout, y: number): number {
  const { top, laneHeight } = layout;
  let lo = 0;
  let hi = top.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (top[mid] + laneHeight[mid] <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo < top.length && top[lo] <= y ? lo : -1;
}

/** Centre row (device px) of each lane, for labels drawn beside the map. */
export function laneCenters(layout: LaneLayout): number[] {
  return Array.from(layout.top, (t, i) => t + layout.laneHeight[i] / 2);
}
