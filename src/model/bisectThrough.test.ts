import { bisectLeft, bisectRight } from 'd3';
import { describe, expect, it } from 'vitest';
import { rng } from '../testing/models';
import { bisectThrough } from './bisectThrough';

describe('bisectThrough', () => {
  it("is d3's bisectRight / bisectLeft on the keys the rows read, ties and sub-ranges included", () => {
    const r = rng(3);
    // Integer keys with ties, read through every third row of a shuffled column.
    const column = Float64Array.from({ length: 3000 }, () => Math.floor(r() * 400));
    const rows = Int32Array.from({ length: 1000 }, (_, k) => k * 3);
    rows.sort((a, b) => column[a] - column[b]);
    const keys = Array.from(rows, (row) => column[row]);
    for (let x = -2; x <= 402; x += 0.5)
      for (const [lo, hi] of [
        [0, rows.length],
        [100, 600],
        [5, 5],
      ]) {
        expect(bisectThrough(column, rows, x, true, lo, hi)).toBe(bisectRight(keys, x, lo, hi));
        expect(bisectThrough(column, rows, x, false, lo, hi)).toBe(bisectLeft(keys, x, lo, hi));
      }
    expect(bisectThrough(column, new Int32Array(0), 7, true)).toBe(0);
  });
});
