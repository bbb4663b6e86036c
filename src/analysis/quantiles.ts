// Quantiles are R-7 (what d3.quantileSorted computes); the median is the 0.5
// quantile. Millions of slice lengths are neither sorted nor selected with a
// comparator (d3.quickselect's comparator call alone cost ~0.5 s on 10M
// values): a counting pass narrows each wanted rank to one bucket, and only
// those buckets' values are copied and sorted natively. For non-negative
// doubles the high 32 bits of the IEEE-754 pattern grow with the value, so
// they bucket the values in order on a near-logarithmic scale (each binade
// split into equal parts), which suits heavy-tailed times. The numbers equal
// d3.quantileSorted on the sorted values (quantiles.test.ts checks); ranges
// holding negative values or NaN fall back to d3.quickselect.

import { quickselect } from 'd3';

const BUCKETS = 4096;
/** Below this many values, sorting a copy is cheaper than two counting passes. */
const SMALL = 2048;

// High words of the doubles (little-endian: the odd 32-bit words), via a view on the same buffer.
const highWords = (a: Float64Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length * 2);

/**
 * R-7 quantiles of a[from..to) for ascending ps (each in [0, 1]), or nulls when
 * the range is empty. Leaves the array as it was.
 */
export function rangeQuantiles(a: Float64Array, from: number, to: number, ps: readonly number[]): (number | null)[] {
  const n = to - from;
  if (n <= 0) return ps.map(() => null);
  let min = a[from];
  let max = a[from];
  let bad = false;
  for (let i = from; i < to; i++) {
    const v = a[i];
    if (v < min) min = v;
    else if (v > max) max = v;
    else if (v !== v) bad = true;
  }
  if (bad || min < 0) return selectQuantiles(a.slice(from, to), ps);
  if (n < SMALL) return fromSorted(a.slice(from, to).sort(), ps);
  const hw = highWords(a);
  const base = highWordOf(min);
  // A -0 minimum has the sign bit set (a -0 elsewhere is caught below).
  if (base >= 0x80000000) return selectQuantiles(a.slice(from, to), ps);
  let shift = 0;
  while ((highWordOf(max) - base) >>> shift >= BUCKETS) shift++;

  const counts = new Int32Array(BUCKETS);
  for (let i = from; i < to; i++) {
    const b = (hw[2 * i + 1] - base) >>> shift;
    // Only -0 (sign bit set) lands past the last bucket: take the general path.
    if (b >= BUCKETS) return selectQuantiles(a.slice(from, to), ps);
    counts[b]++;
  }
  // before[b]: how many values lie in buckets below b.
  const before = new Int32Array(BUCKETS + 1);
  for (let b = 0; b < BUCKETS; b++) before[b + 1] = before[b] + counts[b];

  // The ranks each p reads (i0 and i0 + 1, as d3.quantileSorted does), and their buckets.
  const ranks = ps.flatMap((p) => ranksFor(p, n));
  const wanted = new Uint8Array(BUCKETS);
  for (const r of ranks) wanted[bucketOfRank(before, r)] = 1;
  // start[b]: where bucket b's values begin in the gathered copy.
  const start = new Int32Array(BUCKETS);
  let m = 0;
  for (let b = 0; b < BUCKETS; b++) {
    start[b] = m;
    if (wanted[b] === 1) m += counts[b];
  }
  const picked = new Float64Array(m);
  const fill = start.slice();
  for (let i = from; i < to; i++) {
    const b = (hw[2 * i + 1] - base) >>> shift;
    if (wanted[b] === 1) picked[fill[b]++] = a[i];
  }
  // Buckets are in value order, so the sorted copy lists each wanted bucket's values in order.
  picked.sort();
  const at = (r: number): number => {
    const b = bucketOfRank(before, r);
    return picked[start[b] + (r - before[b])];
  };
  return ps.map((p) => interpolate(p, n, at));
}

/** The high 32 bits of x's IEEE-754 pattern. */
function highWordOf(x: number): number {
  return highWords(Float64Array.of(x))[1];
}

/** The bucket holding the value of rank r (0-based): the last b with before[b] <= r. */
function bucketOfRank(before: Int32Array, r: number): number {
  let lo = 0;
  let hi = BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (before[mid] <= r) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The ranks d3.quantileSorted reads for p over n values. */
function ranksFor(p: number, n: number): number[] {
  if (p <= 0 || n < 2) return [0];
  if (p >= 1) return [n - 1];
  const i0 = Math.floor((n - 1) * p);
  return [i0, i0 + 1];
}

/** d3.quantileSorted's arithmetic, given the value of each rank. */
function interpolate(p: number, n: number, at: (rank: number) => number): number {
  if (p <= 0 || n < 2) return at(0);
  if (p >= 1) return at(n - 1);
  const h = (n - 1) * p;
  const i0 = Math.floor(h);
  const v0 = at(i0);
  return v0 + (at(i0 + 1) - v0) * (h - i0);
}

function fromSorted(sorted: Float64Array, ps: readonly number[]): number[] {
  return ps.map((p) => interpolate(p, sorted.length, (r) => sorted[r]));
}

// d3 types its comparator over any primitive; ours sees numbers only.
const numeric = (x: unknown, y: unknown): number => (x as number) - (y as number);

/** Quantiles of a copy by d3.quickselect (the general path: any values). */
function selectQuantiles(copy: Float64Array, ps: readonly number[]): number[] {
  return ps.map((p) =>
    interpolate(p, copy.length, (r) => {
      quickselect(copy as unknown as number[], r, 0, copy.length - 1, numeric);
      return copy[r];
    }),
  );
}

