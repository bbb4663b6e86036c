// Quantiles are R-7 (what d3.quantileSorted computes); the median is the 0.5
// quantile. Millions of slice lengths are neither sorted nor selected with a
// comparator (d3.quickselect's comparator call alone cost ~0.5 s on 10M
// values): a counting pass puts each value in a bucket, the buckets holding
// the wanted ranks are found from the counts, and only their values are
// copied and sorted natively. For non-negative doubles the high 32 bits of
// the IEEE-754 pattern grow with the value, so they bucket values in order on
// a logarithmic scale: 64 buckets per power of two from 1 up (values below 1
// share bucket 0), which suits heavy-tailed times in ns. A VM's counts are the
// sum of its vCPUs' counts, so one counting pass serves both. The numbers
// equal d3.quantileSorted on the sorted values (quantiles.test.ts checks);
// ranges holding negative values fall back to d3.quickselect.

import { bisectRight, quickselect } from 'd3';
import type { Grouped } from './groupedBuffer';

const ONE = 0x3ff00000; // high word of 1.0
const PER_OCTAVE_SHIFT = 14; // 20 mantissa bits in the high word, 6 kept: 64 buckets per power of two
const BUCKETS = 1 + (54 << 6); // [0, 1), then 2^0 .. 2^54 (larger values share the last bucket)
const LAST = BUCKETS - 1;

// High words of the doubles (little-endian: the odd 32-bit words), via a view on the same buffer.
const highWords = (a: Float64Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length * 2);

/**
 * Adds the bucket counts of a[from..to) (high words hw) to counts; false when
 * a value is negative (or -0): the buckets cannot order it.
 */
function countInto(hw: Uint32Array, from: number, to: number, counts: Int32Array): boolean {
  for (let i = from; i < to; i++) {
    const h = hw[2 * i + 1];
    if (h >= 0x80000000) return false;
    counts[bucketOfHigh(h)]++;
  }
  return true;
}

function bucketOfHigh(h: number): number {
  if (h < ONE) return 0;
  const b = 1 + ((h - ONE) >>> PER_OCTAVE_SHIFT);
  return b < LAST ? b : LAST;
}

export interface SpanQuantiles {
  /** Per entry, its quantiles at entryPs. */
  entries: (number | null)[][];
  /** Quantiles at spanPs of all the span's values together. */
  span: (number | null)[];
}

/**
 * Quantiles of each entry first..first+count-1 of a Grouped (one VM's vCPUs)
 * and of the span's values together, with one counting pass over them.
 */
export function spanQuantiles(
  g: Grouped,
  first: number,
  count: number,
  entryPs: readonly number[],
  spanPs: readonly number[],
): SpanQuantiles {
  const a = g.values;
  const from = g.offset[first];
  const to = g.offset[first + count];
  const hw = highWords(a);
  // Count each entry's values (the span's counts are their sum)...
  const total = new Int32Array(BUCKETS);
  const counts: Int32Array[] = [];
  for (let e = first; e < first + count; e++) {
    const c = new Int32Array(BUCKETS);
    if (!countInto(hw, g.offset[e], g.offset[e + 1], c)) return generalSpan(g, first, count, entryPs, spanPs);
    for (let b = 0; b < BUCKETS; b++) total[b] += c[b];
    counts.push(c);
  }
  // ...then one pass gathers the values of the buckets wanted by each entry and by the span.
  const spanPick = to > from ? new Pick(total, to - from, spanPs) : null;
  const entries: (number | null)[][] = [];
  for (let j = 0; j < count; j++) {
    const lo = g.offset[first + j];
    const hi = g.offset[first + j + 1];
    const own = hi > lo ? new Pick(counts[j], hi - lo, entryPs) : null;
    // want[b]: 1 = this entry's, 2 = the span's, 3 = both.
    const want = own ? own.wanted.slice() : new Uint8Array(BUCKETS);
    if (spanPick) for (let b = 0; b < BUCKETS; b++) want[b] |= spanPick.wanted[b] << 1;
    for (let i = lo; i < hi; i++) {
      const b = bucketOfHigh(hw[2 * i + 1]);
      const w = want[b];
      if (w === 0) continue;
      if (w & 1) own!.take(b, a[i]);
      if (w & 2) spanPick!.take(b, a[i]);
    }
    entries.push(own ? own.answer(entryPs) : entryPs.map(() => null));
  }
  return { entries, span: spanPick ? spanPick.answer(spanPs) : spanPs.map(() => null) };
}

/** spanQuantiles by the general path (values the buckets cannot order). */
function generalSpan(
  g: Grouped,
  first: number,
  count: number,
  entryPs: readonly number[],
  spanPs: readonly number[],
): SpanQuantiles {
  const of = (lo: number, hi: number, ps: readonly number[]) =>
    hi > lo ? selectQuantiles(g.values.slice(lo, hi), ps) : ps.map(() => null);
  return {
    entries: Array.from({ length: count }, (_, j) => of(g.offset[first + j], g.offset[first + j + 1], entryPs)),
    span: of(g.offset[first], g.offset[first + count], spanPs),
  };
}

/**
 * The selection of n values (n > 0) with the given bucket counts: which
 * buckets hold the ranks ps read, room for those buckets' values (take), and
 * the quantiles once they are all taken (answer).
 */
class Pick {
  /** wanted[b] = 1 when bucket b holds a rank that is read. */
  readonly wanted = new Uint8Array(BUCKETS);
  /** before[b]: how many values lie in buckets below b. */
  private readonly before = new Int32Array(BUCKETS + 1);
  /** start[b]: where bucket b's values begin in picked; fill[b]: its next free slot. */
  private readonly start = new Int32Array(BUCKETS);
  private readonly fill: Int32Array;
  private readonly picked: Float64Array;

  constructor(
    counts: Int32Array,
    private readonly n: number,
    ps: readonly number[],
  ) {
    const { before, wanted, start } = this;
    for (let b = 0; b < BUCKETS; b++) before[b + 1] = before[b] + counts[b];
    for (const p of ps) for (const r of ranksFor(p, n)) wanted[this.bucketOfRank(r)] = 1;
    let m = 0;
    for (let b = 0; b < BUCKETS; b++) {
      start[b] = m;
      if (wanted[b] === 1) m += counts[b];
    }
    this.picked = new Float64Array(m);
    this.fill = start.slice();
  }

  /** A value of wanted bucket b. */
  take(b: number, v: number): void {
    this.picked[this.fill[b]++] = v;
  }

  answer(ps: readonly number[]): number[] {
    // Buckets are in value order, so the sorted copy lists each wanted bucket's values in order.
    this.picked.sort();
    return ps.map((p) =>
      interpolate(p, this.n, (r) => {
        const b = this.bucketOfRank(r);
        return this.picked[this.start[b] + (r - this.before[b])];
      }),
    );
  }

  /** The bucket holding the value of rank r (0-based): the last b with before[b] <= r (before[0] is 0). */
  private bucketOfRank(r: number): number {
    return bisectRight(this.before, r, 0, BUCKETS) - 1;
  }
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
