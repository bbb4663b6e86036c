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
 * Adds the bucket counts of a[from..to) (high words hw) to counts and writes
 * the range of buckets it touched into range as [lo, hi] (lo > hi when none);
 * false when a value is negative (or -0): the buckets cannot order it. The
 * range goes out through an array the caller holds, not a new [lo, hi]: V8
 * compiles this loop on the stack (OSR) in the first call, before any return
 * has run, and an array literal there deoptimised every later call (13 times
 * in a run) at its first return.
 */
function countInto(hw: Uint32Array, from: number, to: number, counts: Int32Array, range: Int32Array): boolean {
  let lo = BUCKETS;
  let hi = -1;
  for (let i = from; i < to; i++) {
    const h = hw[2 * i + 1];
    if (h >= 0x80000000) return false;
    const b = bucketOfHigh(h);
    counts[b]++;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  range[0] = lo;
  range[1] = hi;
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
 * and of the span's values together, with one counting pass over them. Past
 * the counting, each entry's work is over the buckets its values occupy, not
 * all BUCKETS: in a short CLI run that code is still cold, and a VM has many
 * vCPUs.
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
  // Count each entry's values in one scratch array (the span's counts are their sum)...
  const total = new Int32Array(BUCKETS);
  const scratch = new Int32Array(BUCKETS);
  let spanLo = BUCKETS;
  let spanHi = -1;
  const picks: (Pick | null)[] = [];
  const range = new Int32Array(2);
  for (let e = first; e < first + count; e++) {
    if (!countInto(hw, g.offset[e], g.offset[e + 1], scratch, range))
      return generalSpan(g, first, count, entryPs, spanPs);
    const lo = range[0];
    const hi = range[1];
    const n = g.offset[e + 1] - g.offset[e];
    picks.push(n > 0 ? new Pick(scratch, lo, hi, n, entryPs) : null);
    moveCounts(scratch, total, lo, hi);
    if (lo < spanLo) spanLo = lo;
    if (hi > spanHi) spanHi = hi;
  }
  // ...then one pass gathers the values of the buckets wanted by each entry and by the span.
  const spanPick = to > from ? new Pick(total, spanLo, spanHi, to - from, spanPs) : null;
  const entries: (number | null)[][] = [];
  for (let j = 0; j < count; j++) {
    const lo = g.offset[first + j];
    const hi = g.offset[first + j + 1];
    const own = picks[j];
    if (own && spanPick) gather(a, hw, lo, hi, own, spanPick);
    entries.push(own ? own.answer(entryPs) : entryPs.map(() => null));
  }
  return { entries, span: spanPick ? spanPick.answer(spanPs) : spanPs.map(() => null) };
}

/**
 * Gives the values a[lo..hi) of wanted buckets to own and to span (every
 * value's bucket lies in both picks' ranges). A function of its own, so the
 * optimising compiler compiles this loop alone, not spanQuantiles with every
 * Pick method inlined (tens of ms of compile per run, much of it after the
 * work is done).
 */
function gather(a: Float64Array, hw: Uint32Array, lo: number, hi: number, own: Pick, span: Pick): void {
  for (let i = lo; i < hi; i++) {
    const b = bucketOfHigh(hw[2 * i + 1]);
    if (own.wants(b)) own.take(b, a[i]);
    if (span.wants(b)) span.take(b, a[i]);
  }
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
 * The selection of n values (n > 0) with the given bucket counts, all in
 * buckets lo..hi: which buckets hold the ranks ps read, room for those
 * buckets' values (take), and the quantiles once they are all taken (answer).
 * Its tables cover lo..hi only (index b - lo).
 */
class Pick {
  /** wanted[b - lo] = 1 when bucket b holds a rank that is read. */
  private readonly wanted: Uint8Array;
  /** before[b - lo]: how many values lie in buckets below b. */
  private readonly before: Int32Array;
  /** start[b - lo]: where bucket b's values begin in picked; fill[b - lo]: its next free slot. */
  private readonly start: Int32Array;
  private readonly fill: Int32Array;
  private readonly picked: Float64Array;

  constructor(
    counts: Int32Array,
    private readonly lo: number,
    hi: number,
    private readonly n: number,
    ps: readonly number[],
  ) {
    const size = hi - lo + 1;
    const before = (this.before = new Int32Array(size + 1));
    const wanted = (this.wanted = new Uint8Array(size));
    const start = (this.start = new Int32Array(size));
    prefixSums(counts, lo, before);
    for (const p of ps) for (const r of ranksFor(p, n)) wanted[this.slotOfRank(r)] = 1;
    this.picked = new Float64Array(startsOfWanted(counts, lo, wanted, start));
    this.fill = start.slice();
  }

  /** Whether bucket b (in lo..hi) holds a rank that is read. */
  wants(b: number): boolean {
    return this.wanted[b - this.lo] === 1;
  }

  /** A value of wanted bucket b. */
  take(b: number, v: number): void {
    this.picked[this.fill[b - this.lo]++] = v;
  }

  answer(ps: readonly number[]): number[] {
    // Buckets are in value order, so the sorted copy lists each wanted bucket's values in order.
    this.picked.sort();
    return ps.map((p) =>
      interpolate(p, this.n, (r) => {
        const i = this.slotOfRank(r);
        return this.picked[this.start[i] + (r - this.before[i])];
      }),
    );
  }

  /** The slot (b - lo) of the bucket holding the value of rank r (0-based): the last i with before[i] <= r. */
  private slotOfRank(r: number): number {
    return bisectRight(this.before, r) - 1;
  }
}

// The loops over a pick's buckets, as small functions of their own: V8 then optimises these loops alone,
// not the Pick constructor and spanQuantiles with d3's bisector and the rank helpers inlined (tens of ms of
// compile per run, by --trace-opt).

/** Adds scratch[lo..hi] to total and zeroes it. */
function moveCounts(scratch: Int32Array, total: Int32Array, lo: number, hi: number): void {
  for (let b = lo; b <= hi; b++) {
    total[b] += scratch[b];
    scratch[b] = 0;
  }
}

/** before[i + 1] = before[i] + counts[lo + i], for the slots of before (before[0] stays 0). */
function prefixSums(counts: Int32Array, lo: number, before: Int32Array): void {
  for (let i = 0; i + 1 < before.length; i++) before[i + 1] = before[i] + counts[lo + i];
}

/** start[i]: where slot i's values begin when only wanted slots keep theirs; returns how many are kept. */
function startsOfWanted(counts: Int32Array, lo: number, wanted: Uint8Array, start: Int32Array): number {
  let m = 0;
  for (let i = 0; i < start.length; i++) {
    start[i] = m;
    if (wanted[i] === 1) m += counts[lo + i];
  }
  return m;
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
