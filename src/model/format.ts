// Numbers and durations as text, for every place that writes them (panel,
// tooltips, axes, the comparison's summary, the CLI table): d3-format
// specifiers in one module, so a number reads the same everywhere.

import { formatLocale } from 'd3';

/** en-US, with an ASCII minus (d3's default is U+2212, which the CLI and CSV consumers would not expect). */
const { format } = formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-' });

export const DASH = '—';

const grouped = format(',');
/** An integer with thousands separators: "5,410,737". */
export function thousands(n: number): string {
  return grouped(Math.round(n));
}

const fixedFormats = new Map<number, (x: number) => string>();
/** Fixed decimals (d3-format's .Nf, no thousands separators): the one place numbers get a fixed precision. */
export function fixed(x: number, digits: number): string {
  let f = fixedFormats.get(digits);
  if (!f) fixedFormats.set(digits, (f = format(`.${digits}f`)));
  return f(x);
}

const sig3 = format('.3~r');
const exp1 = format('.1e');

/** 3 significant digits (trailing zeros dropped); thousands separators above 1000; "12M" above 1e7; '—' for null. */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e7) return `${fixed(x / 1e6, 0)}M`;
  if (a >= 1000) return thousands(x);
  if (a < 1e-3) return exp1(x);
  return sig3(x);
}

/** A ratio as a percentage with num's precision (3 significant digits): 0.1234 → "12.3%", 0.001234 → "0.123%". */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return `${num(x * 100)}%`;
}

/** A relative change as a signed percentage: +12%, −3.4%, +0.25% (a typographic minus: prose). */
export function signedPct(rel: number): string {
  const p = rel * 100;
  const a = Math.abs(p);
  const s = fixed(a, a >= 10 ? 0 : a >= 1 ? 1 : 2);
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${s}%`;
}

/**
 * An axis' count ticks in one notation: from 1e6 up every tick in M with the decimals its step needs
 * ("0", "5M", "10M", "15M", not "5,000,000" beside "10M"), below that num's text.
 */
export function countTicks(ticks: readonly number[]): string[] {
  const max = Math.max(0, ...ticks.map((v) => Math.abs(v)));
  if (max < 1e6) return ticks.map((v) => num(v));
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : max;
  const digits = Math.max(0, Math.ceil(-Math.log10(step / 1e6) - 1e-9));
  return ticks.map((v) => (v === 0 ? '0' : `${fixed(v / 1e6, digits)}M`));
}

const sig3M = format('.3r');
/** A number with 3 significant digits for prose, no exponent for everyday magnitudes: "1.23M", "4,560", "0.5". */
export function shortNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6) return `${sig3M(x / 1e6)}M`;
  if (a >= 1000) return thousands(x);
  // As JavaScript writes a number (an exponent below 1e-6).
  return String(Number(sig3(x)));
}

const UNITS: [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** The time unit for a magnitude in ns: the largest with the magnitude at least 1 of it. */
export function timeUnitFor(ns: number): [number, string] {
  for (const u of UNITS) if (Math.abs(ns) >= u[0]) return u;
  return UNITS[UNITS.length - 1];
}

/** A duration in ns as text with 3 significant digits: "450 ns", "1.25 ms", "2.50 s". */
export function duration(ns: number): string {
  if (!Number.isFinite(ns)) return DASH;
  const [scale, unit] = timeUnitFor(ns === 0 ? 1 : ns);
  const v = ns / scale;
  const digits = Math.abs(v) >= 100 || scale === 1 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${fixed(v, digits)} ${unit}`;
}

/** A table cell of the CLI: '-' for null, `digits` decimals, whole numbers from 1000 on. */
export function cell(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return Math.abs(x) >= 1000 ? fixed(Math.round(x), 0) : fixed(x, digits);
}

/** A duration given in µs: "450 ns", "1.25 ms"; '—' for null. */
export function us(x: number | null | undefined): string {
  return x === null || x === undefined ? DASH : duration(x * 1000);
}

/** A duration given in ns; '—' for null. */
export function ns(x: number | null | undefined): string {
  return x === null || x === undefined ? DASH : duration(x);
}

/** A time since the trace start, ns → seconds with µs resolution: "1.234567 s". */
export function sec(tNs: number): string {
  return `${fixed(tNs / 1e9, 6)} s`;
}

/** A time in ns as the seconds a range field holds, to the ns (parseSeconds reads it back exactly). */
export function secondsField(tNs: number): string {
  return fixed(Math.round(tNs) / 1e9, 9);
}

const sig6 = format('.6~r');
/** A time or span in ns as seconds to 6 significant digits, trailing zeros dropped, for messages: "1670.79 s", "10 s". */
export function seconds(tNs: number): string {
  return `${sig6(tNs / 1e9)} s`;
}

const wholePercent = format('.0%');
/** How much of a whole is done, in whole percent: "42%" (a progress line). */
export function percentDone(done: number, total: number): string {
  return wholePercent(done / Math.max(1, total));
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

/** A byte count: "1.5 MB" from 1 MiB on, else "12 kB". */
export function bytes(n: number): string {
  return n >= 1 << 20 ? `${fixed(n / (1 << 20), 1)} MB` : `${fixed(n / 1024, 0)} kB`;
}

/** A duration for an axis label, no space before the unit and trailing zeros dropped: "1.5ms", "200µs". */
export function durationTick(ns: number): string {
  const [scale, unit] = timeUnitFor(ns);
  return `${Number(sig3(ns / scale))}${unit}`;
}
