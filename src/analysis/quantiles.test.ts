import { quantileSorted } from 'd3';
import { describe, expect, it } from 'vitest';
import { GroupedBuffer } from './groupedBuffer';
import { spanQuantiles } from './quantiles';

// A small deterministic generator, so a failure reproduces.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('spanQuantiles of one entry equals d3.quantileSorted (R-7) on the sorted values', () => {
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
      // Entries on both sides: only the entry's range is read, and nothing is changed.
      const g = {
        values: Float64Array.from([-5, 1e15, ...values, 1e12]),
        offset: Int32Array.of(0, 2, 2 + values.length, 3 + values.length),
      };
      const before = g.values.slice();
      expect(spanQuantiles(g, 1, 1, ps, ps)).toEqual({ entries: [expected], span: expected });
      expect(g.values).toEqual(before);
    });
  }

  it('nulls for an empty range', () => {
    const g = { values: new Float64Array(3), offset: Int32Array.of(0, 1, 1, 3) };
    expect(spanQuantiles(g, 1, 1, [0.5, 0.99], [0.5])).toEqual({ entries: [[null, null]], span: [null] });
  });

  it('any p, on a range that starts inside a larger buffer', () => {
    const all = Float64Array.from({ length: 60_000 }, () => Math.floor(1e3 / (rnd() + 1e-4)));
    const sorted = all.slice(7_001, 52_345).sort();
    const many = Array.from({ length: 200 }, (_, i) => i / 199);
    const expected = many.map((p) => quantileSorted(sorted as unknown as number[], p));
    const g = { values: all, offset: Int32Array.of(0, 7_001, 52_345, all.length) };
    expect(spanQuantiles(g, 1, 1, many, many)).toEqual({ entries: [expected], span: expected });
  });
});

describe('spanQuantiles: each entry and the span together, from one counting pass', () => {
  const rnd = lcg(11);
  const d3q = (xs: ArrayLike<number>, ps: number[]) => {
    const sorted = Float64Array.from(xs).sort();
    return ps.map((p) => (sorted.length ? quantileSorted(sorted as unknown as number[], p) : null));
  };
  const grouped = (lists: number[][]) => {
    const offset = new Int32Array(lists.length + 1);
    lists.forEach((l, k) => (offset[k + 1] = offset[k] + l.length));
    return { values: Float64Array.from(lists.flat()), offset };
  };
  const entryPs = [0.5, 0.99];
  const spanPs = [0, 0.5, 0.9, 0.99, 1];
  const cases: [string, number[][]][] = [
    [
      'big and small and empty entries',
      [
        Array.from({ length: 30_000 }, () => Math.floor(20_000 + 1e6 * rnd() ** 3)),
        [],
        [5, 1, 3],
        Array.from({ length: 4000 }, () => Math.floor(1e9 * rnd())),
        Array.from({ length: 50_000 }, () => 200_000),
      ],
    ],
    ['a negative value sends all to the general path', [Array.from({ length: 5000 }, (_, i) => i), [3, -1, 2]]],
  ];
  for (const [name, lists] of cases) {
    it(name, () => {
      // Entries 1..n-1 of n+1: the span starts and ends inside the buffer.
      const g = grouped([[7, 7, 7], ...lists, [1e12]]);
      const before = g.values.slice();
      const q = spanQuantiles(g, 1, lists.length, entryPs, spanPs);
      expect(q.entries).toEqual(lists.map((l) => d3q(l, entryPs)));
      expect(q.span).toEqual(d3q(lists.flat(), spanPs));
      expect(g.values).toEqual(before);
    });
  }

  it('nulls for an empty span', () => {
    const g = grouped([[1], [], [], [2]]);
    expect(spanQuantiles(g, 1, 2, [0.5], [0.5, 1])).toEqual({ entries: [[null], [null]], span: [null, null] });
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
    const { values, offset } = g.group();
    expect(Array.from(offset)).toEqual([0, 2, 2, 4, 1004, 1005]);
    expect(Array.from(values.subarray(0, 4))).toEqual([2, 5, 1, 3]);
    expect(Array.from(values.subarray(4, 1004))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(values.length).toBe(1005);
    expect(values[1004]).toBe(4);
  });

  it("refuses a value past a key's room instead of overwriting the next key", () => {
    const g = new GroupedBuffer([1, 1]);
    g.push(0, 7);
    expect(() => g.push(0, 8)).toThrow(/key 0/);
  });
});
