// Time scales for the UI's axes (d3-axis): relative ns ↔ CSS px, and labels
// in units that suit the visible span (durations as text: analysis/format).

import { scaleLinear, type ScaleLinear } from 'd3';
import { fixed, timeUnitFor } from '../analysis/format';
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

/** Absolute trace time (as the input printed it: seconds.nanoseconds) of a relative time. */
export function absoluteTime(origin: { sec: number; ns: number }, t: number): string {
  const totalNs = origin.ns + Math.round(t);
  const sec = origin.sec + Math.floor(totalNs / 1e9);
  const ns = ((totalNs % 1e9) + 1e9) % 1e9;
  return `${sec}.${String(ns).padStart(9, '0')}`;
}
