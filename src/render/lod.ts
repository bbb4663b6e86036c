// Level of detail: reduce each lane to one value per pixel column, the value
// that covers most of the pixel's time (unknown time competes as a value of
// its own; ties go to the earlier interval, never to a random one).
//
// Cost depends on pixels, not on trace size. A lane whose visible intervals
// number at most EXACT_PER_PIXEL × W is read exactly: binary search to the
// first visible interval, then one pass. A denser lane reads its pyramid: the
// coarsest level with buckets no wider than a pixel, 1–3 buckets per pixel, each
// contributing its dominant value weighted by its overlap with the pixel.
// Pyramid pixels aligned to one bucket answer exactly; others approximate.
// (How many intervals touch a pixel is the hit test's question, answered
// exactly from the index for the one pixel hovered, not per frame here.)
// A lane with value classes (CPU lanes) follows pixelClasses' rule instead:
// where no value covers half a pixel, the class covering half of it (a VM),
// else the mixed value; the pyramid's buckets hold the same rule's values.

import { columnSpans, pyramidLanes, spansFit, type ColumnSpans } from './lodPyramid';
import { classWinner, DOMINANT_SHARE, type ValueClasses } from './pixelClasses';
import type { Pyramid, PyramidLevel } from './pyramid';
import { firstEndAfter, startOf, type Track } from './sliceIndex';
import { VALUE_OFFSET, V_UNKNOWN } from './values';

/** Lanes with at most this many visible intervals per pixel are computed exactly. */
export const EXACT_PER_PIXEL = 1;

export interface LodLane {
  track: Track;
  /** Null: always exact. */
  pyramid: Pyramid | null;
  /** The classes of the track's values (pixelClasses.ts; the pyramid's own), or null: plain dominance. */
  classes?: ValueClasses | null;
}

export interface LodOptions {
  /** Force the exact pass on every lane (tests, hit testing). */
  exact?: boolean;
  /** Minimum pyramid buckets per pixel (default 1: a pixel reads 1–3 buckets; 2 is finer and slower). */
  bucketsPerPixel?: number;
  /** Visible intervals per pixel up to which a lane is read exactly (default EXACT_PER_PIXEL). */
  exactPerPixel?: number;
}

export interface LodResult {
  /** Pixel columns and lanes. */
  width: number;
  lanes: number;
  t0: number;
  t1: number;
  /** Dominant value per lane per pixel: value[lane * width + x]. */
  value: Int32Array;
  /** Per lane: -1 exact, else the pyramid shift used. */
  levelOf: Int16Array;
}

export function allocLod(width: number, lanes: number, reuse?: LodResult): LodResult {
  const size = width * lanes;
  if (reuse && reuse.value.length >= size && reuse.levelOf.length >= lanes) {
    // The same literal shape as below, so the hot loops see one object map.
    return {
      width,
      lanes,
      t0: reuse.t0,
      t1: reuse.t1,
      value: reuse.value.subarray(0, size),
      levelOf: reuse.levelOf.subarray(0, lanes),
    };
  }
  return {
    width,
    lanes,
    t0: 0,
    t1: 0,
    value: new Int32Array(size),
    levelOf: new Int16Array(lanes),
  };
}

// Scratch histogram shared by every call (JS is single-threaded per realm).
let scratchCov = new Float64Array(1024);
let scratchTouched = new Int32Array(1024);

function scratchFor(domain: number): void {
  const n = domain + VALUE_OFFSET;
  if (scratchCov.length < n) {
    scratchCov = new Float64Array(n);
    scratchTouched = new Int32Array(n);
  }
}

/**
 * Reduce lanes to pixels for the window [t0, t1) over `width` columns. `reuse` recycles the buffers of an
 * earlier result (the result's arrays may be views into it).
 */
export function computeLod(
  lanes: readonly LodLane[],
  t0: number,
  t1: number,
  width: number,
  opts: LodOptions = {},
  reuse?: LodResult,
): LodResult {
  const out = allocLod(width, lanes.length, reuse);
  out.t0 = t0;
  out.t1 = t1;
  if (!(t1 > t0) || !(width > 0)) {
    out.value.fill(V_UNKNOWN);
    out.levelOf.fill(-1);
    return out;
  }
  const pixelNs = (t1 - t0) / width;
  const ed = columnEdges(t0, t1, width);
  const limit = (opts.exactPerPixel ?? EXACT_PER_PIXEL) * width;
  // Pyramid lanes are read in pairs of the same level geometry: a lane waits here for its partner.
  let waiting: PyramidLevel | null = null;
  let waitingBase = 0;
  let sp: ColumnSpans | null = null;
  for (let l = 0; l < lanes.length; l++) {
    const { track, pyramid, classes } = lanes[l];
    // The first interval ending inside the window: a binary search, with cache misses on big tracks, so
    // only when needed and once.
    let k0 = -1;
    let shift: number | null = null;
    if (!opts.exact && pyramid) {
      // More than `limit` intervals visible: the pyramid's counts tell at once on big windows; else the
      // interval `limit` places after k0 starts before t1 (starts are sorted).
      let dense = pyramid.minVisible(t0, t1) > limit;
      if (!dense) {
        k0 = firstEndAfter(track, t0);
        const kl = k0 + Math.floor(limit);
        dense = kl < track.n && startOf(track, kl) < t1;
      }
      if (dense) shift = pyramid.shiftFor(pixelNs, opts.bucketsPerPixel ?? 1);
    }
    if (shift === null) {
      out.levelOf[l] = -1;
      exactLane(track, k0 >= 0 ? k0 : firstEndAfter(track, t0), ed, width, out.value, l * width, classes ?? null);
    } else {
      out.levelOf[l] = shift;
      const level = (pyramid as Pyramid).level(shift);
      if (waiting && sp && spansFit(sp, level)) {
        pyramidLanes(waiting, level, sp, ed, out.value, waitingBase, l * width);
        waiting = null;
        continue;
      }
      if (waiting && sp) pyramidLanes(waiting, waiting, sp, ed, out.value, waitingBase, waitingBase);
      if (!sp || !spansFit(sp, level)) sp = columnSpans(level, ed, width);
      waiting = level;
      waitingBase = l * width;
    }
  }
  if (waiting && sp) pyramidLanes(waiting, waiting, sp, ed, out.value, waitingBase, waitingBase);
  return out;
}

/** Time at the left edge of pixel column x (x = width gives t1). */
export function pixelTime(t0: number, t1: number, width: number, x: number): number {
  return x >= width ? t1 : t0 + ((t1 - t0) * x) / width;
}

/** Column edges of a frame: edges[x] = pixelTime(x), computed once for all lanes (divisions in the
 * per-column loops would cost more than everything else there). */
let edgeBuf = new Float64Array(0);

function columnEdges(t0: number, t1: number, width: number): Float64Array {
  if (edgeBuf.length < width + 1) edgeBuf = new Float64Array(width + 1);
  for (let x = 0; x <= width; x++) edgeBuf[x] = pixelTime(t0, t1, width, x);
  return edgeBuf;
}

/** Last column xe >= x - 1 whose right edge is <= t, given the frame's edges and width / span. */
function lastColumnEndingBy(t: number, x: number, e: Float64Array, width: number, scale: number): number {
  if (t >= e[width]) return width - 1;
  if (e[x + 1] > t) return x - 1;
  if (e[x + 2] > t) return x;
  let xe = Math.floor((t - e[0]) * scale) - 1;
  if (xe >= width) xe = width - 1;
  if (xe < x) xe = x;
  while (xe > x && e[xe + 1] > t) xe--;
  while (xe + 1 < width && e[xe + 2] <= t) xe++;
  return xe;
}

// Below every value (states are small negatives); a Smi, so V8 keeps the locals unboxed.
const NONE = -1_000_000;

// A mixed column's values and coverages for the class rule.
let columnVals = new Int32Array(256);
let columnCovs = new Float64Array(256);
const classShare = new Float64Array(1);

/** One lane's columns read exactly from its intervals, from k (the first ending after the window's start). */
function exactLane(
  track: Track,
  k: number,
  ed: Float64Array,
  width: number,
  outV: Int32Array,
  base: number,
  classes: ValueClasses | null,
): void {
  const t0 = ed[0];
  const t1 = ed[width];
  scratchFor(track.domain);
  const cov = scratchCov;
  const touched = scratchTouched;
  const { start, end, value, n } = contiguous(track);
  const scale = width / (t1 - t0);
  // Zero-length intervals exactly at t0 end at t0: step back to include them.
  while (k > 0 && start[k - 1] >= t0 && end[k - 1] === start[k - 1]) k--;
  let a = t0;
  let x = 0;
  while (x < width) {
    const b = ed[x + 1];
    const s = k < n ? start[k] : Infinity;
    if (s >= b) {
      // A gap (or the end of the lane): unknown in every column it covers whole.
      const xe = lastColumnEndingBy(s, x, ed, width, scale);
      for (let o = base + x, oe = base + xe; o <= oe; o++) outV[o] = V_UNKNOWN;
      x = xe + 1;
      a = ed[x];
      continue;
    }
    const e = end[k];
    if (s <= a && e >= b) {
      // One interval covers this column whole, and maybe the next ones.
      const xe = lastColumnEndingBy(e, x, ed, width, scale);
      const v = value[k];
      for (let o = base + x, oe = base + xe; o <= oe; o++) outV[o] = v;
      x = xe + 1;
      a = ed[x];
      if (e <= a) k++;
      continue;
    }
    if (s <= a && k + 1 < n) {
      // A column split by one boundary between two abutting intervals (the common mixed column).
      const s2 = start[k + 1];
      if (s2 === e && end[k + 1] >= b && e > a) {
        outV[base + x] = b - e > e - a ? value[k + 1] : value[k];
        k += end[k + 1] === b ? 2 : 1;
        a = b;
        x++;
        continue;
      }
    }
    // A mixed column: sum coverage per value. The first two values go in scalars, more in the histogram.
    let v0 = NONE;
    let c0 = 0;
    let v1 = NONE;
    let c1 = 0;
    let nt = 0;
    let known = 0;
    while (k < n) {
      const sj = start[k];
      if (sj >= b) break;
      const ej = end[k];
      const lo = sj > a ? sj : a;
      const hi = ej < b ? ej : b;
      if (hi > lo) {
        const d = hi - lo;
        const v = value[k];
        known += d;
        if (v === v0 || v0 === NONE) {
          v0 = v;
          c0 += d;
        } else if (v === v1 || v1 === NONE) {
          v1 = v;
          c1 += d;
        } else {
          const xi = v + VALUE_OFFSET;
          if (cov[xi] === 0) touched[nt++] = xi;
          cov[xi] += d;
        }
      }
      // Consume intervals that end in this column; one running on stays for the next.
      if (ej <= b) k++;
      else break;
    }
    // Largest coverage; ties to the value that appeared first in the column.
    let best = v0;
    let bestCov = c0;
    if (c1 > bestCov) {
      best = v1;
      bestCov = c1;
    }
    for (let i = 0; i < nt; i++) {
      const xi = touched[i];
      if (cov[xi] > bestCov) {
        bestCov = cov[xi];
        best = xi - VALUE_OFFSET;
      }
    }
    const unknown = b - a - known;
    const half = DOMINANT_SHARE * (b - a);
    if (classes !== null && v1 !== NONE && bestCov < half && unknown < half) {
      // No value covers half the column: its class, or mixed (pixelClasses.ts).
      const m = nt + 2;
      if (columnVals.length < m) {
        columnVals = new Int32Array(m);
        columnCovs = new Float64Array(m);
      }
      columnVals[0] = v0;
      columnCovs[0] = c0;
      columnVals[1] = v1;
      columnCovs[1] = c1;
      for (let i = 0; i < nt; i++) {
        columnVals[i + 2] = touched[i] - VALUE_OFFSET;
        columnCovs[i + 2] = cov[touched[i]];
      }
      best = classWinner(classes, columnVals, columnCovs, m, b - a, classShare);
    } else if (best === NONE || unknown > bestCov) best = V_UNKNOWN;
    for (let i = 0; i < nt; i++) cov[touched[i]] = 0;
    outV[base + x] = best;
    a = b;
    x++;
  }
}

const contiguousCopies = new WeakMap<Track, Track>();

/** The track with its intervals in contiguous columns (lane tracks already are; task tracks are copied). */
function contiguous(track: Track): Track {
  if (track.rows === null) return track;
  const cached = contiguousCopies.get(track);
  if (cached) return cached;
  {
    const n = track.n;
    const rows = track.rows;
    const c: Track = {
      n,
      rows: null,
      start: new Float64Array(n),
      end: new Float64Array(n),
      value: new Int32Array(n),
      slice: new Int32Array(n),
      base: 0,
      domain: track.domain,
    };
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      c.start[k] = track.start[r];
      c.end[k] = track.end[r];
      c.value[k] = track.value[r];
      (c.slice as Int32Array)[k] = track.slice === null ? track.base + r : track.slice[r];
    }
    contiguousCopies.set(track, c);
    return c;
  }
}
