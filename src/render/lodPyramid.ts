// Level of detail from a pyramid level: per pixel column the value of largest
// weight among the buckets the column overlaps, each bucket weighing its
// dominant value's share times its overlap with the column (equal values add;
// ties go to the earlier bucket).
//
// Where the columns fall in the buckets depends only on the frame and the
// level's geometry, not on the lane: every lane of a frame usually reads the
// same geometry (bucket edges are multiples of 2^shift, levels start at the
// scene's start), so the column spans are worked out once per frame, and lanes
// are read two at a time to share the spans' loads.

import type { PyramidLevel } from './pyramid';
import { V_UNKNOWN } from './values';

/** Where a frame's columns fall in the buckets of levels of one geometry (size, first, n). */
export interface ColumnSpans {
  size: number;
  first: number;
  n: number;
  width: number;
  /**
   * Per column: the level index of the bucket holding its left edge, when the column lies in at most
   * three buckets of the level (i0 .. i0 + 2, all inside it); -1 sends the column to the general path.
   */
  i0: Int32Array;
  /** Per column: its overlap with buckets i0, i0 + 1 and i0 + 2, in 1/Q of a bucket (0: not reached). */
  q0: Int32Array;
  q1: Int32Array;
  q2: Int32Array;
}

/**
 * Overlaps are kept in 1/2^16 of a bucket, so a weight (overlap × share in 255ths) is an int32 and the
 * pick needs no branch. The rounding is far below the shares' own (1/255): it can only swap near-ties
 * (measured: a few columns per million differ from weights in exact ns).
 */
const Q = 65536;

let spans: ColumnSpans = {
  size: 0,
  first: 0,
  n: 0,
  width: 0,
  i0: new Int32Array(0),
  q0: new Int32Array(0),
  q1: new Int32Array(0),
  q2: new Int32Array(0),
};

/** Whether `level` has the geometry `sp` was worked out for. */
export function spansFit(sp: ColumnSpans, level: PyramidLevel): boolean {
  return sp.size === level.size && sp.first === level.first && sp.n === level.n;
}

/**
 * The spans of the frame with column edges `ed` (width + 1 of them) over `level`'s geometry. The result
 * is shared: the next call overwrites it.
 */
export function columnSpans(level: PyramidLevel, ed: Float64Array, width: number): ColumnSpans {
  const { size, first, n } = level;
  if (spans.i0.length < width) {
    const i0 = new Int32Array(width);
    spans = { ...spans, i0, q0: new Int32Array(width), q1: new Int32Array(width), q2: new Int32Array(width) };
  }
  const { i0, q0, q1, q2 } = spans;
  const inv = 1 / size; // a power of two: t * inv is exact
  const qs = Q * inv;
  for (let x = 0; x < width; x++) {
    const a = ed[x];
    const b = ed[x + 1];
    const bk = Math.floor(a * inv);
    const i = bk - first;
    const e0 = (bk + 1) * size;
    const e1 = e0 + size;
    if (i >= 0 && i + 2 < n && e1 + size >= b) {
      i0[x] = i;
      q0[x] = Math.round(((e0 < b ? e0 : b) - a) * qs);
      q1[x] = e0 < b ? Math.round(((e1 < b ? e1 : b) - e0) * qs) : 0;
      q2[x] = e1 < b ? Math.round((b - e1) * qs) : 0;
    } else i0[x] = -1;
  }
  spans.size = size;
  spans.first = first;
  spans.n = n;
  spans.width = width;
  return spans;
}

/**
 * Two lanes' columns, from levels `a` and `b` of the spans' geometry, into out[baseA ..] and out[baseB ..]
 * (width each). For a single lane pass it twice.
 *
 * Per column and lane: the value of largest weight among three buckets' dominant values u0..u2 with
 * weights f0..f2, equal values adding up, ties to the earlier. Masks instead of branches: bucket values
 * are unpredictable, and the mispredicted branches cost a quarter of the loop. A bucket the column does
 * not reach weighs 0 and cannot win. `(x | -x) >> 31` is -1 when x = u ^ v is not 0 (the values differ).
 * Written out for both lanes in the loop, not as a function: whether V8 inlines a helper here depends on
 * what else it inlined into the caller (measured: a helper call per column costs a third of the frame).
 */
export function pyramidLanes(
  a: PyramidLevel,
  b: PyramidLevel,
  sp: ColumnSpans,
  ed: Float64Array,
  out: Int32Array,
  baseA: number,
  baseB: number,
): void {
  const domA = a.dom;
  const shareA = a.share;
  const domB = b.dom;
  const shareB = b.share;
  const { i0: col, q0, q1, q2, width } = sp;
  for (let x = 0; x < width; x++) {
    const i = col[x];
    if (i < 0) {
      out[baseA + x] = generalColumn(a, ed[x], ed[x + 1]);
      out[baseB + x] = generalColumn(b, ed[x], ed[x + 1]);
      continue;
    }
    const r0 = q0[x];
    const r1 = q1[x];
    const r2 = q2[x];
    {
      const u0 = domA[i];
      const u1 = domA[i + 1];
      const u2 = domA[i + 2];
      const f0 = Math.imul(r0, shareA[i]);
      const f1 = Math.imul(r1, shareA[i + 1]);
      const f2 = Math.imul(r2, shareA[i + 2]);
      const d01 = u0 ^ u1;
      const d02 = u0 ^ u2;
      const d12 = u1 ^ u2;
      // u0's weight, and u1's when it differs from u0.
      const w0 = f0 + (f1 & ~((d01 | -d01) >> 31)) + (f2 & ~((d02 | -d02) >> 31));
      const w1 = f1 + (f2 & ~((d12 | -d12) >> 31));
      const take1 = (w0 - w1) >> 31; // -1 when w1 > w0
      const best = u0 ^ (d01 & take1);
      const bestW = w0 ^ ((w0 ^ w1) & take1);
      out[baseA + x] = best ^ ((best ^ u2) & ((bestW - f2) >> 31));
    }
    {
      const u0 = domB[i];
      const u1 = domB[i + 1];
      const u2 = domB[i + 2];
      const f0 = Math.imul(r0, shareB[i]);
      const f1 = Math.imul(r1, shareB[i + 1]);
      const f2 = Math.imul(r2, shareB[i + 2]);
      const d01 = u0 ^ u1;
      const d02 = u0 ^ u2;
      const d12 = u1 ^ u2;
      const w0 = f0 + (f1 & ~((d01 | -d01) >> 31)) + (f2 & ~((d02 | -d02) >> 31));
      const w1 = f1 + (f2 & ~((d12 | -d12) >> 31));
      const take1 = (w0 - w1) >> 31;
      const best = u0 ^ (d01 & take1);
      const bestW = w0 ^ ((w0 ^ w1) & take1);
      out[baseB + x] = best ^ ((best ^ u2) & ((bestW - f2) >> 31));
    }
  }
}

// Below every value (states are small negatives).
const NONE = -1_000_000;
// Per-column accumulation over more than three distinct bucket values.
const accValue = new Int32Array(256);
const accWeight = new Float64Array(256);

/**
 * A column [a, b) over any number of buckets, inside the level or not (outside counts as unknown): sum the
 * weights per value. Ties go to the value seen first, except that a known value beats unknown.
 */
function generalColumn(level: PyramidLevel, a: number, b: number): number {
  const { size, first, n, dom, share } = level;
  let bk = Math.floor(a / size);
  let v0 = NONE;
  let w0 = 0;
  let v1 = NONE;
  let w1 = 0;
  let v2 = NONE;
  let w2 = 0;
  let na = 0;
  let lo = a;
  for (let guard = 0; guard < 4096; guard++) {
    const bEnd = (bk + 1) * size;
    const hi = bEnd < b ? bEnd : b;
    const d = hi - lo;
    if (d > 0) {
      const i = bk - first;
      let v = V_UNKNOWN;
      let w = d;
      if (i >= 0 && i < n) {
        v = dom[i];
        w = (d * share[i]) / 255;
      }
      if (v === v0 || v0 === NONE) {
        v0 = v;
        w0 += w;
      } else if (v === v1 || v1 === NONE) {
        v1 = v;
        w1 += w;
      } else if (v === v2 || v2 === NONE) {
        v2 = v;
        w2 += w;
      } else {
        let m = 0;
        while (m < na && accValue[m] !== v) m++;
        if (m === na && na < accValue.length) {
          accValue[na] = v;
          accWeight[na] = 0;
          na++;
        }
        if (m < na) accWeight[m] += w;
      }
    }
    if (bEnd > b) break;
    // The bucket ends inside (or exactly at the end of) the column: move on.
    bk++;
    lo = bEnd;
    if (bEnd === b) break;
  }
  let best = v0;
  let bestW = w0;
  if (w1 > bestW || (w1 === bestW && best === V_UNKNOWN && v1 !== NONE)) {
    best = v1;
    bestW = w1;
  }
  if (w2 > bestW || (w2 === bestW && best === V_UNKNOWN && v2 !== NONE)) {
    best = v2;
    bestW = w2;
  }
  for (let m = 0; m < na; m++) {
    const w = accWeight[m];
    if (w > bestW || (w === bestW && best === V_UNKNOWN)) {
      best = accValue[m];
      bestW = w;
    }
  }
  return best === NONE ? V_UNKNOWN : best;
}
