import { quantileSorted } from 'd3';
import { describe, expect, it } from 'vitest';
import { PairBuffer, quantilesInPlace } from './quantiles';

// A small deterministic generator, so a failure reproduces.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('quantilesInPlace (selection) equals d3.quantileSorted (R-7) on the sorted values', () => {
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
  ];
  for (const [name, values] of cases) {
    it(name, () => {
      const sorted = Float64Array.from(values).sort();
      const expected = ps.map((p) => quantileSorted(sorted as unknown as number[], p));
      // Padding on both sides: only the range is read and reordered.
      const buf = Float64Array.from([-1, -1, ...values, 1e12]);
      expect(quantilesInPlace(buf, 2, 2 + values.length, ps)).toEqual(expected);
      expect(buf[0]).toBe(-1);
      expect(buf[buf.length - 1]).toBe(1e12);
      expect(Array.from(buf.subarray(2, 2 + values.length)).sort((a, b) => a - b)).toEqual(Array.from(sorted));
    });
  }

  it('nulls for an empty range', () => {
    expect(quantilesInPlace(new Float64Array(3), 1, 1, [0.5, 0.99])).toEqual([null, null]);
  });

});

describe('PairBuffer', () => {
  it('groups values by key, keeping their order within a key, across buffer growth', () => {
    const g = new PairBuffer(4);
    for (const [k, v] of [
      [2, 1],
      [0, 2],
      [2, 3],
      [1, 4],
      [0, 5],
    ])
      g.push(k, v);
    for (let i = 0; i < 1000; i++) g.push(3, i);
    const { values, offset } = g.group(4);
    expect(Array.from(offset)).toEqual([0, 2, 3, 5, 1005]);
    expect(Array.from(values.subarray(0, 5))).toEqual([2, 5, 4, 1, 3]);
    expect(Array.from(values.subarray(5))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
