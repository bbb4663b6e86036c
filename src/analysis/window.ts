// The analysis window (docs/metrics.md, "Ground rules"): T0 = earliest switch,
// T1 = latest switch, D = T1 - T0; a range [a, b) is clipped to [T0, T1] and
// D = b - a. Time integrals are clipped to [start, end]; events count when
// start <= t < b and t <= T1 (so without a range every event in [T0, T1]
// counts, and a range that covers the whole trace gives the same answers as
// no range). P = CPUs with at least one switch, within the chosen CPU subset.

import { bisectLeft } from 'd3';
import type { TraceModel } from '../model/types';
import { gapClipOf } from './gapClip';

export interface AnalysisOptions {
  /** [a, b) in relative nanoseconds (the model's time base). */
  range?: readonly [number, number];
  /** Only these CPUs: their switches, slices and events. */
  cpus?: readonly number[];
}

export interface Window {
  /** Earliest and latest switch. */
  t0: number;
  t1: number;
  /** Integrals are clipped to [start, end]; start = max(a, T0), end = min(b, T1) (end >= start). */
  start: number;
  end: number;
  /** D = end - start, ns. */
  duration: number;
  /** Events count when start <= t < eventEnd and t <= t1 (eventEnd = b, or +Infinity without a range). */
  eventEnd: number;
  /** P: CPUs with at least one switch (in the subset, if one was chosen), ascending. */
  cpus: number[];
  /** cpuMask[c] = 1 when c is in P. Sized to cover every CPU number of the model. */
  cpuMask: Uint8Array;
}

export function resolveWindow(model: TraceModel, options: AnalysisOptions = {}): Window {
  const sw = model.switches;
  const n = sw.length;
  return windowOf({ t0: n > 0 ? sw.time[0] : 0, t1: n > 0 ? sw.time[n - 1] : 0, cpus: model.cpus }, options);
}

/** The window of a trace known by its first and last switch and its CPUs (the page's view of a run). */
export function windowOf(
  trace: { t0: number; t1: number; cpus: readonly number[] },
  options: AnalysisOptions = {},
): Window {
  const { t0, t1 } = trace;
  const a = options.range ? options.range[0] : -Infinity;
  const b = options.range ? options.range[1] : Infinity;
  const start = Math.max(a, t0);
  const end = Math.max(start, Math.min(b, t1));
  let maxCpu = 0;
  for (const c of trace.cpus) if (c > maxCpu) maxCpu = c;
  if (options.cpus) for (const c of options.cpus) if (c > maxCpu) maxCpu = c;
  const cpuMask = new Uint8Array(maxCpu + 1);
  const subset = options.cpus ? new Set(options.cpus) : null;
  const cpus = trace.cpus.filter((c) => subset === null || subset.has(c));
  for (const c of cpus) cpuMask[c] = 1;
  return { t0, t1, start, end, duration: end - start, eventEnd: b, cpus, cpuMask };
}

/**
 * D less the part of the window a paste's gaps cover (TraceModel.gaps, where an elision mark cut the text):
 * nothing is known there, so every metric over trace time (shares, r(t) fractions, rates) divides by this.
 * It is D exactly for a trace without gaps.
 */
export function knownDuration(model: TraceModel, w: Window): number {
  const clip = gapClipOf(model.gaps);
  return clip === null ? w.duration : clip.known(w.start, w.end);
}

/** Whether an event at time t counts in the window. */
export function inWindow(w: Window, t: number): boolean {
  return t >= w.start && t < w.eventEnd && t <= w.t1;
}

/** num / den, or null when den is 0 (or either is not finite). */
export function ratio(num: number, den: number): number | null {
  if (den === 0 || !Number.isFinite(den) || !Number.isFinite(num)) return null;
  return num / den;
}

/** Count per second over D ns; null when D is 0. */
export function perSecond(count: number, durationNs: number): number | null {
  return ratio(count * 1e9, durationNs);
}

/** Nanoseconds to microseconds, null passed through. */
export function toUs(ns: number | null | undefined): number | null {
  return ns === null || ns === undefined ? null : ns / 1000;
}

/** First index i with sorted[i] >= x (sorted.length when none). */
export function lowerBound(sorted: Float64Array, x: number): number {
  return bisectLeft(sorted, x);
}
