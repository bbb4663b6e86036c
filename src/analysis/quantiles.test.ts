import { quantileSorted } from 'd3';
import { describe, expect, it } from 'vitest';
import { GroupedBuffer } from './groupedBuffer';
import { rangeQuantiles } from './quantiles';

// A small deterministic generator, so a failure reproduces.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('rangeQuantiles equals d3.quantileSorted (R-7) on the sorted values', () => {
  const ps = [0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1];
  const rnd = lcg(7);
  const cases: [string, number[]][] = [
    ['one value', [42]],
    ['two values', [5, 1]],
    ['hand-made', [0, 50, 100, 100, 200]],
    ['all equal', Array(1000).fill(3)],
    ['few distinct', Array.from({ length: 5000 }, () => Math.floor(rnd() * 4))],
    ['sorted', Array.from({ length: 3000 }, (_, i) => i)],
    ['reversed', Array.from({ length: 3000 }, (_, i) => 3000 - i)],
    ['random', Array.from({ length: 100_001 }, () => Math.floor(rnd() * 1e7))],
    ['heavy tail', Array.from({ length: 20_000 }, () => Math.floor(1 / (rnd() + 1e-6)))],
    // Past the small-range cut: the bucketed path, with its edge cases.
    ['all equal, many', Array(50_000).fill(200_000)],
    ['zeros and a few large', Array.from({ length: 10_000 }, (_, i) => (i % 1000 === 0 ? 4e6 : 0))],
    ['15 decades', Array.from({ length: 30_000 }, () => Math.floor(10 ** (rnd() * 15)))],
    ['fractions', Array.from({ length: 10_000 }, () => rnd() * 1e-3)],
    ['one bucket crowded', Array.from({ length: 40_000 }, (_, i) => (i % 10 === 0 ? rnd() * 1e9 : 200_000 + (i % 7)))],
    ['negative values (general path)', Array.from({ length: 5000 }, () => rnd() * 2e6 - 1e6)],
    ['negative zero first (general path)', Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? -0 : i))],
    ['negative zero inside (general path)', Array.from({ length: 5000 }, (_, i) => (i % 3 === 1 ? -0 : i))],
  ];
  for (const [name, values] of cases) {
    it(name, () => {
      const sorted = Float64Array.from(values).sort();
      const expected = ps.map((p) => quantileSorted(sorted as unknown as number[], p));
      // Padding on both sides: only the range is read, and nothing is changed.
      const buf = Float64Array.from([-5, 1e15, ...values, 1e12]);
      const before = buf.slice();
      expect(rangeQuantiles(buf, 2, 2 + values.length, ps)).toEqual(expected);
      expect(buf).toEqual(before);
    });
  }

  it('nulls for an empty range', () => {
    expect(rangeQuantiles(new Float64Array(3), 1, 1, [0.5, 0.99])).toEqual([null, null]);
  });

  it('any p, on a range that starts inside a larger buffer', () => {
    const all = Float64Array.from({ length: 60_000 }, () => Math.floor(1e3 / (rnd() + 1e-4)));
    const sorted = all.slice(7_001, 52_345).sort();
    const many = Array.from({ length: 200 }, (_, i) => i / 199);
    const expected = many.map((p) => quantileSorted(sorted as unknown as number[], p));
    expect(rangeQuantiles(all, 7_001, 52_345, many)).toEqual(expected);
  });

});

describe('GroupedBuffer', () => {
  it('groups values by key in push order, closing the gaps of unused room', () => {
    const g = new GroupedBuffer([3, 0, 2, 1500, 4]);
    for (const [k, v] of [
      [2, 1],
      [0, 2],
      [2, 3],
      [4, 4],
      [0, 5],
    ])
      g.push(k, v);
    for (let i = 0; i < 1000; i++) g.push(3, i);
    expect(g.length).toBe(1005);
    const { values, offset } = g.group();
    expect(Array.from(offset)).toEqual([0, 2, 2, 4, 1004, 1005]);
    expect(Array.from(values.subarray(0, 4))).toEqual([2, 5, 1, 3]);
    expect(Array.from(values.subarray(4, 1004))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(values.length).toBe(1005);
    expect(values[1004]).toBe(4);
  });

  it('refuses a value past a key\'s room instead of overwriting the next key', () => {
    const g = new GroupedBuffer([1, 1]);
    g.push(0, 7);
    expect(() => g.push(0, 8)).toThrow(/key 0/);
  });
});
