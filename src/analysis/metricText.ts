// A catalogue metric's value as text, by its unit (catalogue.ts), for the panel,
// the comparison (one unit per row: every value of a row, and its differences,
// in the same time unit) and the CLI table (its cells are the panel's text).

import type { MetricDef, Unit } from './catalogue';
import { DASH, num, pct, signedPct, timeUnitFor, us } from '../model/format';

/** A value as the panel's tables show it: 3 significant digits, fractions as %, durations with their unit. */
export function valueText(unit: Unit, x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  if (unit === 'fraction') return pct(x);
  if (unit === 'µs') return us(x);
  if (unit === 'MB') return `${num(x)} MB`;
  if (unit === 'node') return `node ${x}`;
  return num(x);
}

/** A VM's KVM exit reasons with their counts, most frequent first: "HLT 1,204, EPT_VIOLATION 31"; '—' without data. */
export function exitReasonsText(r: Record<string, number> | null): string {
  if (!r) return DASH;
  const e = Object.entries(r).sort((a, b) => b[1] - a[1]);
  if (e.length === 0) return 'none';
  return e.map(([k, v]) => `${k} ${num(v)}`).join(', ');
}

/** Formatting of one row of values (and of differences between them) in one unit. */
export interface RowFormat {
  /** The row's unit as a suffix: "ms", "%", "/s", "" (shown in headers and the summary). */
  unit: string;
  value: (x: number | null) => string;
  /** A signed difference in the row's unit: "+1.2 ms", "−3.4 pp", "±0". */
  delta: (d: number) => string;
}

const sign = (d: number): string => (d > 0 ? '+' : d < 0 ? '−' : '±');

/** One unit for a whole row: durations in the unit of the largest |value|, fractions in % (differences in pp). */
export function rowFormat(unit: Unit, values: readonly (number | null)[]): RowFormat {
  if (unit === 'fraction')
    return {
      unit: '%',
      value: (x) => (x === null ? DASH : pct(x)),
      delta: (d) => `${sign(d)}${num(Math.abs(d) * 100)} pp`,
    };
  if (unit === 'µs') {
    let big = 0;
    for (const x of values) if (x !== null && Number.isFinite(x)) big = Math.max(big, Math.abs(x));
    const [scale, name] = timeUnitFor(big === 0 ? 1000 : big * 1000);
    return {
      unit: name,
      value: (x) => (x === null ? DASH : `${num((x * 1000) / scale)} ${name}`),
      delta: (d) => `${sign(d)}${num((Math.abs(d) * 1000) / scale)} ${name}`,
    };
  }
  if (unit === 'MB')
    return {
      unit: 'MB',
      value: (x) => (x === null ? DASH : `${num(x)} MB`),
      delta: (d) => `${sign(d)}${num(Math.abs(d))} MB`,
    };
  if (unit === 'node')
    return {
      unit: '',
      value: (x) => (x === null ? DASH : `node ${x}`),
      // Node numbers are names: a difference says only whether the node changed.
      delta: (d) => (d === 0 ? 'same' : 'moved'),
    };
  const suffix = unit === '/s' || unit === 'vCPUs' ? unit : '';
  return { unit: suffix, value: (x) => (x === null ? DASH : num(x)), delta: (d) => `${sign(d)}${num(Math.abs(d))}` };
}

/** The CLI table's column head: the metric's label (each cell carries its unit, as in the panel). */
export function cliHead(m: MetricDef): string {
  return m.label;
}

/** A CLI table cell: what the panel shows for the value (one precision everywhere), '-' for none. */
export function cliCell(unit: Unit, x: number | null | undefined): string {
  const text = valueText(unit, x);
  return text === DASH ? '-' : text;
}

/** A relative change: "+12%", "−3.4%"; from ten times on as a factor: "×108", "×10,783". */
export function relativeText(rel: number): string {
  return rel >= 9 ? `×${num(1 + rel)}` : signedPct(rel);
}

/** A row's relative change as the comparison table shows it: none for scores (near 0 a ratio says nothing). */
export function relativeCell(unit: Unit, rel: number | null): string {
  return rel === null || unit === 'score' || unit === 'node' ? DASH : relativeText(rel);
}
