// Numbers for the panel: 3 significant digits on screen (the full value in a
// title and in data attributes), units that suit the magnitude.

import { formatDuration } from '../../render/timeAxis';

export const DASH = '—';

/**
 * An integer with thousands separators, as toLocaleString('en') writes it ("5,410,737"), without its cost
 * (a NumberFormat per call, and ICU's set-up on the first: ~10 ms, paid when the first trace arrives).
 */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 3 significant digits; thousands separators above 1000; '—' for null. */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e7) return `${(x / 1e6).toFixed(0)}M`;
  if (a >= 1000) return thousands(x);
  if (a < 1e-3) return x.toExponential(1);
  return String(Number(x.toPrecision(digits)));
}

/** A ratio as a percentage: 0.1234 → "12.3%". */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  const p = x * 100;
  if (p === 0) return '0%';
  const a = Math.abs(p);
  return `${a >= 10 ? p.toFixed(1) : a >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}%`;
}

/** A duration given in µs: "450 ns", "1.25 ms". */
export function us(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return formatDuration(x * 1000);
}

/** A duration given in ns. */
export function ns(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return formatDuration(x);
}

/** A time since the trace start, ns → seconds with µs resolution: "1.234567 s". */
export function sec(tNs: number): string {
  return `${(tNs / 1e9).toFixed(6)} s`;
}

/** Full precision for a data attribute: the shortest round-trip form, 'null' for null (as in JSON). */
export function attr(x: number | null | undefined): string {
  return x === null || x === undefined ? 'null' : String(x);
}

/** Parse a time in seconds ("0.5", "1.25e-3", "250ms", "40 µs") to integer ns; null when unreadable. */
export function parseSeconds(s: string): number | null {
  const m = /^\s*([+]?\d*\.?\d+(?:e[+-]?\d+)?)\s*(s|ms|us|µs|ns)?\s*$/i.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const scale = unit === 's' ? 1e9 : unit === 'ms' ? 1e6 : unit === 'ns' ? 1 : 1e3;
  const x = Math.round(v * scale);
  return Number.isFinite(x) ? x : null;
}
