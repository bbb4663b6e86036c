// Quantiles are R-7 (what d3.quantileSorted computes); the median is the 0.5
// quantile. Computed with d3's quickselect (O(n), in place on a range of a
// typed array) rather than by sorting millions of slice lengths: the same
// numbers as d3.quantileSorted on the sorted values (quantiles.test.ts checks).
// (d3.quantile itself would do the same but copies the input through an
// iterator for every call, ~30x slower on 10M values.)

import { quickselect } from 'd3';

// d3 types its comparator over any primitive; ours sees numbers only.
const numeric = (x: unknown, y: unknown): number => (x as number) - (y as number);

/**
 * R-7 quantiles of a[from..to) for ascending ps (each in [0, 1]), or nulls when
 * the range is empty. Reorders the range.
 */
export function quantilesInPlace(a: Float64Array, from: number, to: number, ps: readonly number[]): (number | null)[] {
  const n = to - from;
  if (n <= 0) return ps.map(() => null);
  const out: (number | null)[] = [];
  // Elements before `left` are all <= those from `left` on (from earlier selections).
  let left = from;
  for (const p of ps) {
    if (p <= 0 || n < 2) {
      out.push(minOf(a, from, to));
      continue;
    }
    if (p >= 1) {
      out.push(maxOf(a, left, to));
      continue;
    }
    const h = (n - 1) * p;
    const i0 = Math.floor(h);
    quickselect(a as unknown as number[], from + i0, left, to - 1, numeric);
    left = from + i0;
    const v0 = a[from + i0];
    const v1 = minOf(a, from + i0 + 1, to);
    // The same arithmetic as d3.quantileSorted.
    out.push(v0 + (v1 - v0) * (h - i0));
  }
  return out;
}

function minOf(a: Float64Array, from: number, to: number): number {
  let m = a[from];
  for (let i = from + 1; i < to; i++) if (a[i] < m) m = a[i];
  return m;
}

function maxOf(a: Float64Array, from: number, to: number): number {
  let m = a[from];
  for (let i = from + 1; i < to; i++) if (a[i] > m) m = a[i];
  return m;
}

/**
 * Values grouped by vCPU entry in one buffer: entry k's values are
 * values[offset[k] .. offset[k + 1]). A VM's vCPU entries are consecutive, so
 * its values are one range too.
 */
export interface Grouped {
  values: Float64Array;
  offset: Int32Array;
}

/**
 * (key, value) pairs appended in any key order (sequential writes into two
 * typed arrays), grouped by key at the end with one counting-sort scatter.
 */
export class PairBuffer {
  private keys: Int32Array;
  private values: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.keys = new Int32Array(Math.max(16, capacity));
    this.values = new Float64Array(Math.max(16, capacity));
  }

  push(key: number, value: number): void {
    if (this.length === this.keys.length) this.grow();
    this.keys[this.length] = key;
    this.values[this.length++] = value;
  }

  private grow(): void {
    const keys = new Int32Array(this.keys.length * 2);
    const values = new Float64Array(this.values.length * 2);
    keys.set(this.keys);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }

  /** The values grouped by key 0..keyCount-1, in push order within a key. */
  group(keyCount: number): Grouped {
    const n = this.length;
    const { keys, values } = this;
    const offset = new Int32Array(keyCount + 1);
    for (let i = 0; i < n; i++) offset[keys[i] + 1]++;
    for (let k = 0; k < keyCount; k++) offset[k + 1] += offset[k];
    const fill = offset.slice(0, keyCount);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[fill[keys[i]]++] = values[i];
    return { values: out, offset };
  }
}
