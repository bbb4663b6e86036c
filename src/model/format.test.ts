// The one formatter module (d3-format) writes what the hand-written formatters
// it replaced wrote: those are kept here, as the oracle, over many magnitudes.

import { describe, expect, it } from 'vitest';
import {
  attr,
  cell,
  countTicks,
  duration,
  durationTick,
  num,
  parseSeconds,
  pct,
  percentDone,
  seconds,
  secondsField,
  shortNumber,
  signedPct,
  thousands,
} from './format';

const old = {
  num(x: number): string {
    if (x === 0) return '0';
    const a = Math.abs(x);
    if (a >= 1e7) return `${(x / 1e6).toFixed(0)}M`;
    if (a >= 1000) return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    if (a < 1e-3) return x.toExponential(1);
    return String(Number(x.toPrecision(3)));
  },
  // A percentage has num's precision (issue 18: one precision everywhere; it was fixed decimals).
  pct(x: number): string {
    return `${old.num(x * 100)}%`;
  },
  signedPct(rel: number): string {
    const p = rel * 100;
    const s = Math.abs(p) >= 10 ? p.toFixed(0) : Math.abs(p) >= 1 ? p.toFixed(1) : p.toFixed(2);
    return `${p > 0 ? '+' : p < 0 ? '−' : ''}${s.replace('-', '')}%`;
  },
  shortNumber(x: number): string {
    if (x === 0) return '0';
    const a = Math.abs(x);
    if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
    if (a >= 1000) return Math.round(x).toLocaleString('en');
    return String(Number(x.toPrecision(3)));
  },
  duration(ns: number): string {
    const units: [number, string][] = [
      [1e9, 's'],
      [1e6, 'ms'],
      [1e3, 'µs'],
      [1, 'ns'],
    ];
    const [scale, unit] = units.find((u) => Math.abs(ns === 0 ? 1 : ns) >= u[0]) ?? units[3];
    const v = ns / scale;
    return `${v.toFixed(Math.abs(v) >= 100 || scale === 1 ? 0 : Math.abs(v) >= 10 ? 1 : 2)} ${unit}`;
  },
  tick(ns: number): string {
    if (ns >= 1e9) return `${+(ns / 1e9).toPrecision(3)}s`;
    if (ns >= 1e6) return `${+(ns / 1e6).toPrecision(3)}ms`;
    if (ns >= 1e3) return `${+(ns / 1e3).toPrecision(3)}µs`;
    return `${+ns.toPrecision(3)}ns`;
  },
  cell: (x: number, d: number) => (Math.abs(x) >= 1000 ? Math.round(x).toString() : x.toFixed(d)),
  // The CLI's option messages (analyzeOptions), the range fields (AnalysisPanel), the progress line (App).
  seconds: (ns: number) => `${+(ns / 1e9).toPrecision(6)} s`,
  secondsField: (t: number) => (Math.round(t) / 1e9).toFixed(9),
  percentDone: (done: number, total: number) => `${((100 * done) / Math.max(1, total)).toFixed(0)}%`,
};

const values: number[] = [0];
for (let e = -7; e <= 11; e++)
  for (const m of [1, 1.5, 2.345, 4.999, 9.995, 7.06]) values.push(m * 10 ** e, -m * 10 ** e);

/** d3 writes a negative zero ("-0.0" from toFixed) without its sign: the one difference, and a fix. */
const unsignedZero = (s: string): string => s.replace(/^-(0(\.0+)?)(?![\d.])/, '$1');

describe('formatting numbers and durations', () => {
  it('writes what the formatters it replaced wrote', () => {
    for (const x of values) {
      expect(num(x), `num ${x}`).toBe(old.num(x));
      expect(pct(x), `pct ${x}`).toBe(unsignedZero(old.pct(x)));
      expect(signedPct(x), `signedPct ${x}`).toBe(old.signedPct(x));
      if (Math.abs(x) < 1e9) expect(shortNumber(x), `shortNumber ${x}`).toBe(old.shortNumber(x));
      expect(duration(x), `duration ${x}`).toBe(unsignedZero(old.duration(x)));
      if (x >= 0) expect(durationTick(x), `tick ${x}`).toBe(old.tick(x));
      for (const d of [1, 3]) expect(cell(x, d), `cell ${x}`).toBe(unsignedZero(old.cell(x, d)));
    }
    expect(num(null)).toBe('—');
    expect(cell(null)).toBe('-');
  });

  it('writes seconds, range fields and progress as the inline formatters it replaced', () => {
    for (const x of values) {
      // From 1 µs up: below it JavaScript's number text takes an exponent ("1e-7 s"), d3 writes decimals.
      if (Math.abs(x) >= 1e3) expect(seconds(x), `seconds ${x}`).toBe(old.seconds(x));
      if (x >= 0) expect(secondsField(x), `field ${x}`).toBe(old.secondsField(x));
    }
    expect(seconds(10e9)).toBe('10 s');
    expect(seconds(100)).toBe('0.0000001 s');
    for (const [done, total] of [
      [0, 0],
      [1, 3],
      [2, 3],
      [995, 1000],
      [2 ** 30, 3 * 2 ** 30],
      [7, 7],
    ])
      expect(percentDone(done, total)).toBe(old.percentDone(done, total));
  });

  it('writes a range field that reads back to the same ns', () => {
    for (const t of [0, 1, 999, 1_234_567_891, 52_013_000_001_123, 1670.793311e9])
      expect(parseSeconds(secondsField(t))).toBe(Math.round(t));
  });
});

describe('countTicks', () => {
  it('writes an axis in one notation: M for every tick once one is a million', () => {
    // d3's ticks(3) of the switch-rate axes seen at 8x20 and 16x16 (were "6,000,000/s" and "5,000,000/s" beside "10M/s").
    expect(countTicks([0, 5e6, 10e6, 15e6, 20e6])).toEqual(['0', '5M', '10M', '15M', '20M']);
    expect(countTicks([0, 2e6, 4e6, 6e6])).toEqual(['0', '2M', '4M', '6M']);
    expect(countTicks([0, 5e5, 1e6, 1.5e6])).toEqual(['0', '0.5M', '1.0M', '1.5M']);
    expect(countTicks([0, 2e5, 4e5, 6e5])).toEqual(['0', '200,000', '400,000', '600,000']);
    expect(countTicks([0, 0.5, 1])).toEqual(['0', '0.5', '1']);
  });
});

describe('typed input', () => {
  it('times in seconds (or with a unit) to whole ns', () => {
    expect(parseSeconds('0.5')).toBe(500_000_000);
    expect(parseSeconds('0.123456789')).toBe(123_456_789);
    expect(parseSeconds('250ms')).toBe(250_000_000);
    expect(parseSeconds('40 µs')).toBe(40_000);
    expect(parseSeconds('12ns')).toBe(12);
    expect(parseSeconds('-1')).toBeNull();
    expect(parseSeconds('abc')).toBeNull();
  });

  it('full precision in attributes', () => {
    expect(attr(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(attr(null)).toBe('null');
  });
});

describe('thousands', () => {
  it('writes what toLocaleString("en") writes for integers', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 5_410_737, 2_147_483_647, -1234, -999, 1234.6])
      expect(thousands(n)).toBe(Math.round(n).toLocaleString('en'));
  });
});
