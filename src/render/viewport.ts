// Navigation math: the visible window [start, end) in relative ns, kept inside
// the trace; zoom about a point, pan, fit a range, reset; and the smooth WASD
// motion (velocity ramps up while a key is held, glides to a stop after).

export interface Viewport {
  start: number;
  end: number;
}

export interface ViewBounds {
  /** The trace's time range. */
  start: number;
  end: number;
  /** Narrowest window (zoom-in limit), ns. */
  minSpan: number;
}

/** Bounds of a trace from its first to last switch; an empty or instant trace gets a 1 µs window. */
export function viewBounds(t0: number, t1: number, minSpan = 100): ViewBounds {
  if (!(t1 > t0)) return { start: t0 - 500, end: t0 + 500, minSpan: Math.min(minSpan, 1000) };
  return { start: t0, end: t1, minSpan: Math.min(minSpan, t1 - t0) };
}

/** The window with its span within [minSpan, trace span], moved (not shrunk) to lie inside the trace. */
export function clampView(v: Viewport, b: ViewBounds): Viewport {
  const full = b.end - b.start;
  let span = v.end - v.start;
  if (!(span > 0) || !Number.isFinite(span)) span = full;
  span = Math.min(full, Math.max(b.minSpan, span));
  let start = Number.isFinite(v.start) ? v.start : b.start;
  if (start < b.start) start = b.start;
  if (start + span > b.end) start = b.end - span;
  return { start, end: start + span };
}

export function resetView(b: ViewBounds): Viewport {
  return { start: b.start, end: b.end };
}

/**
 * Zoom by `factor` (span × factor: < 1 zooms in) keeping the time at `anchor` (0..1 across the window,
 * e.g. the pointer's x / width) where it is.
 */
export function zoomAt(v: Viewport, factor: number, anchor: number, b: ViewBounds): Viewport {
  const span = v.end - v.start;
  const full = b.end - b.start;
  const newSpan = Math.min(full, Math.max(b.minSpan, span * factor));
  const t = v.start + span * anchor;
  return clampView({ start: t - newSpan * anchor, end: t - newSpan * anchor + newSpan }, b);
}

/** Wheel / pinch delta to a zoom factor: exponential, so equal deltas zoom by equal ratios. */
export function wheelZoomFactor(deltaY: number, deltaMode = 0, sensitivity = 0.002): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(px * sensitivity);
}

/** Move by ns (positive: later). */
export function panBy(v: Viewport, deltaNs: number, b: ViewBounds): Viewport {
  return clampView({ start: v.start + deltaNs, end: v.end + deltaNs }, b);
}

/** Move by a fraction of the window's width (a drag of dx px over width px: -dx / width). */
export function panByFraction(v: Viewport, fraction: number, b: ViewBounds): Viewport {
  return panBy(v, (v.end - v.start) * fraction, b);
}

/** The window showing [start, end) with `pad` of its span either side (F: fit the selection). */
export function fitRange(start: number, end: number, b: ViewBounds, pad = 0.05): Viewport {
  const lo = Math.min(start, end);
  const hi = Math.max(start, end);
  const span = Math.max(b.minSpan, hi - lo);
  const mid = (lo + hi) / 2;
  const padded = span * (1 + 2 * pad);
  return clampView({ start: mid - padded / 2, end: mid + padded / 2 }, b);
}

/** Centre the window on a time without zooming (e.g. the `.`/`,` step to a slice). */
export function centerOn(v: Viewport, t: number, b: ViewBounds): Viewport {
  const span = v.end - v.start;
  return clampView({ start: t - span / 2, end: t + span / 2 }, b);
}

// ---- smooth WASD motion --------------------------------------------------------

export interface MotionKeys {
  /** W */
  zoomIn: boolean;
  /** S */
  zoomOut: boolean;
  /** A */
  left: boolean;
  /** D */
  right: boolean;
}

export interface Motion {
  /** Pan velocity in window widths per second (positive: later). */
  pan: number;
  /** Zoom velocity in e-folds of span per second (positive: zooming in). */
  zoom: number;
}

export interface MotionParams {
  /** Speed on key press, and the ramp while held (per second), and the cap. */
  panStart: number;
  panAccel: number;
  panMax: number;
  zoomStart: number;
  zoomAccel: number;
  zoomMax: number;
  /** Decay rate per second after release (exponential glide). */
  friction: number;
  /** Velocities below these count as stopped. */
  panStop: number;
  zoomStop: number;
}

export const MOTION_DEFAULTS: MotionParams = {
  panStart: 0.25,
  panAccel: 2.5,
  panMax: 3,
  zoomStart: 0.8,
  zoomAccel: 5,
  zoomMax: 5,
  friction: 14,
  panStop: 0.01,
  zoomStop: 0.02,
};

export const MOTION_REST: Motion = { pan: 0, zoom: 0 };

function axisVelocity(
  v: number,
  dir: number,
  dt: number,
  start: number,
  accel: number,
  max: number,
  friction: number,
): number {
  if (dir === 0) return v * Math.exp(-friction * dt);
  // Reversing direction starts over from the start speed.
  const speed = Math.sign(v) === dir ? Math.abs(v) : 0;
  return dir * Math.min(max, Math.max(start, speed + accel * dt));
}

/**
 * One animation step of `dtMs`: velocities grow while keys are held and decay after; the window moves
 * by them (zooming about `anchor`, 0..1, default the middle). `moving` is false once everything has
 * stopped, so the UI can stop requesting frames.
 */
export function stepMotion(
  motion: Motion,
  keys: MotionKeys,
  dtMs: number,
  view: Viewport,
  b: ViewBounds,
  params: MotionParams = MOTION_DEFAULTS,
  anchor = 0.5,
): { motion: Motion; view: Viewport; moving: boolean } {
  const dt = Math.min(0.1, Math.max(0, dtMs / 1000));
  const panDir = (keys.right ? 1 : 0) - (keys.left ? 1 : 0);
  const zoomDir = (keys.zoomIn ? 1 : 0) - (keys.zoomOut ? 1 : 0);
  let pan = axisVelocity(motion.pan, panDir, dt, params.panStart, params.panAccel, params.panMax, params.friction);
  let zoom = axisVelocity(
    motion.zoom,
    zoomDir,
    dt,
    params.zoomStart,
    params.zoomAccel,
    params.zoomMax,
    params.friction,
  );
  if (panDir === 0 && Math.abs(pan) < params.panStop) pan = 0;
  if (zoomDir === 0 && Math.abs(zoom) < params.zoomStop) zoom = 0;
  let next = view;
  if (zoom !== 0) next = zoomAt(next, Math.exp(-zoom * dt), anchor, b);
  if (pan !== 0) next = panByFraction(next, pan * dt, b);
  return { motion: { pan, zoom }, view: next, moving: pan !== 0 || zoom !== 0 || panDir !== 0 || zoomDir !== 0 };
}
