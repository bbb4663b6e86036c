// Time scales for the UI's axes (d3-axis): relative ns ↔ CSS px, and labels
// in units that suit the visible span (durations as text: model/format).

import { scaleLinear, type ScaleLinear } from 'd3';
import { duration, fixed, timeUnitFor } from '../model/format';
import type { Viewport } from './viewport';

/** d3 linear scale from relative ns to pixels [0, width] (CSS or device px: the caller's choice). */
export function timeScale(view: Viewport, width: number): ScaleLinear<number, number> {
  return scaleLinear().domain([view.start, view.end]).range([0, width]);
}

/**
 * Tick labels for a scale: time since the trace start in the unit of the window's magnitude (ms for a
 * window ending at 40 ms, s for one at 12.5 s), with just enough decimals to tell ticks apart (use with
 * d3 axisBottom(scale).ticks(n).tickFormat(...)).
 */
export function timeTickFormat(
  scale: ScaleLinear<number, number>,
  count = 10,
): (t: number | { valueOf(): number }) => string {
  const ticks = scale.ticks(count);
  const [d0, d1] = scale.domain();
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(d1 - d0) || 1;
  const [unitScale, unit] = timeUnitFor(Math.max(Math.abs(d0), Math.abs(d1), step));
  const stepInUnit = step / unitScale;
  let decimals = 0;
  while (decimals < 9 && Math.abs(Math.round(stepInUnit * 10 ** decimals) - stepInUnit * 10 ** decimals) > 1e-6)
    decimals++;
  return (t) => `${fixed(Number(t) / unitScale, decimals)} ${unit}`;
}

/**
 * Where a tick label of width `w` sits about its tick at x so it stays inside [min, max] (the axis' room):
 * centred where it fits, else ending (or starting) at the tick, flush with that edge.
 */
export function tickLabelAnchor(x: number, w: number, min: number, max: number): 'start' | 'middle' | 'end' {
  if (x + w / 2 > max) return 'end';
  if (x - w / 2 < min) return 'start';
  return 'middle';
}

/** Absolute trace time (as the input printed it: seconds.nanoseconds) of a relative time. */
export function absoluteTime(origin: { sec: number; ns: number }, t: number): string {
  const totalNs = origin.ns + Math.round(t);
  const sec = origin.sec + Math.floor(totalNs / 1e9);
  const ns = ((totalNs % 1e9) + 1e9) % 1e9;
  return `${sec}.${String(ns).padStart(9, '0')}`;
}

/** Decimals of `unitScale`-ns units that tell apart times `resolutionNs` apart (0 to 9). */
function decimalsFor(unitScale: number, resolutionNs: number): number {
  if (!(resolutionNs > 0)) return 9;
  return Math.max(0, Math.min(9, Math.ceil(Math.log10(unitScale / resolutionNs) - 1e-9)));
}

export interface WindowTimeText {
  /** A time since the trace start in the axis' unit: "12.35 ms". */
  time: (t: number) => string;
  /** A duration in its own unit, to at least 3 significant digits: "4.1235 ms". */
  duration: (ns: number) => string;
  /** The input's absolute timestamp in seconds, to the window's resolution: "52014.00012". */
  absolute: (origin: { sec: number; ns: number }, t: number) => string;
}

/**
 * Times as a window of `width` pixels can tell them apart (the tooltip's): the axis' unit (timeTickFormat's,
 * for `count` ticks), with the axis' decimals or more, as many as resolve one pixel of the window.
 */
export function windowTimeText(view: Viewport, width: number, count = 10): WindowTimeText {
  const scale = timeScale(view, width);
  const ticks = scale.ticks(count);
  const span = Math.abs(view.end - view.start);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : span || 1;
  const [unitScale, unit] = timeUnitFor(Math.max(Math.abs(view.start), Math.abs(view.end), step));
  const pixel = span / Math.max(1, width);
  const timeDecimals = Math.max(decimalsFor(unitScale, step), decimalsFor(unitScale, pixel));
  const secDecimals = decimalsFor(1e9, pixel);
  return {
    time: (t) => (Number.isFinite(t) ? `${fixed(t / unitScale, timeDecimals)} ${unit}` : duration(t)),
    duration: (ns) => {
      if (!Number.isFinite(ns)) return duration(ns);
      const [s, u] = timeUnitFor(ns === 0 ? 1 : ns);
      const v = ns / s;
      const sig = Math.abs(v) >= 100 || s === 1 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
      return `${fixed(v, s === 1 ? 0 : Math.max(sig, decimalsFor(s, pixel)))} ${u}`;
    },
    absolute: (origin, t) => {
      const q = 10 ** (9 - secDecimals);
      const full = absoluteTime({ sec: origin.sec, ns: 0 }, Math.round((origin.ns + Math.round(t)) / q) * q);
      return secDecimals === 0 ? full.slice(0, full.indexOf('.')) : full.slice(0, full.length - (9 - secDecimals));
    },
  };
}
