// Time scales for the UI's axes (d3-axis): relative ns ↔ CSS px, and labels
// in units that suit the visible span.

import { scaleLinear, type ScaleLinear } from 'd3';
import type { Viewport } from './viewport';

/** d3 linear scale from relative ns to pixels [0, width] (CSS or device px: the caller's choice). */
export function timeScale(view: Viewport, width: number): ScaleLinear<number, number> {
  return scaleLinear().domain([view.start, view.end]).range([0, width]);
}

const UNITS: [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** The unit for a tick step: the largest with the step at least 1 of it. */
function unitFor(step: number): [number, string] {
  for (const u of UNITS) if (Math.abs(step) >= u[0]) return u;
  return UNITS[UNITS.length - 1];
}

/** A duration in ns as text with 3 significant digits: "450 ns", "1.25 ms", "2.50 s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const [scale, unit] = unitFor(ns === 0 ? 1 : ns);
  const v = ns / scale;
  const digits = Math.abs(v) >= 100 || scale === 1 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`;
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
  const [unitScale, unit] = unitFor(Math.max(Math.abs(d0), Math.abs(d1), step));
  const stepInUnit = step / unitScale;
  let decimals = 0;
  while (decimals < 9 && Math.abs(Math.round(stepInUnit * 10 ** decimals) - stepInUnit * 10 ** decimals) > 1e-6)
    decimals++;
  return (t) => `${(Number(t) / unitScale).toFixed(decimals)} ${unit}`;
}

/** Absolute trace time (as the input printed it: seconds.nanoseconds) of a relative time. */
export function absoluteTime(origin: { sec: number; ns: number }, t: number): string {
  const totalNs = origin.ns + Math.round(t);
  const sec = origin.sec + Math.floor(totalNs / 1e9);
  const ns = ((totalNs % 1e9) + 1e9) % 1e9;
  return `${sec}.${String(ns).padStart(9, '0')}`;
}
