// Level of detail: reduce each lane to one value per pixel column, the value
// that covers most of the pixel's time (unknown time competes as a value of
// its own; ties go to the earlier interval, never to a random one), with the
// number of intervals touching the pixel.
//
// Cost depends on pixels, not on trace size. A lane whose visible intervals
// number at most EXACT_PER_PIXEL × W is read exactly: binary search to the
// first visible interval, then one pass. A denser lane reads its pyramid: the
// coarsest level with ≥ 2 buckets per pixel, a few buckets per pixel, each
// contributing its dominant value weighted by its overlap with the pixel.
// Pyramid pixels aligned to one bucket answer exactly; others approximate
// (the counts too: from the intervals starting in the buckets).

import { Pyramid } from './pyramid';
import { firstEndAfter, firstStartAtOrAfter, type Track } from './sliceIndex';
import { VALUE_OFFSET, V_UNKNOWN } from './values';

/** Lanes with at most this many visible intervals per pixel are computed exactly. */
export const EXACT_PER_PIXEL = 2;

export interface LodLane {
  track: Track;
  /** Null: always exact. */
  pyramid: Pyramid | null;
}

export interface LodOptions {
  /** Force the exact pass on every lane (tests, hit testing). */
  exact?: boolean;
  /** Minimum pyramid buckets per pixel (default 2; 1 lets a bucket-aligned pixel read one bucket). */
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
  /** Intervals touching the pixel (estimated on pyramid lanes). */
  count: Uint32Array;
  /** Share of the pixel the dominant value covers, 0..255. */
  share: Uint8Array;
  /** Per lane: -1 exact, else the pyramid shift used. */
  levelOf: Int16Array;
}

export function allocLod(width: number, lanes: number, reuse?: LodResult): LodResult {
  const size = width * lanes;
  if (reuse && reuse.value.length >= size && reuse.levelOf.length >= lanes) {
    return {
      ...reuse,
      width,
      lanes,
      value: reuse.value.subarray(0, size),
      count: reuse.count.subarray(0, size),
      share: reuse.share.subarray(0, size),
      levelOf: reuse.levelOf.subarray(0, lanes),
    };
  }
  return {
    width,
    lanes,
    t0: 0,
    t1: 0,
    value: new Int32Array(size),
    count: new Uint32Array(size),
    share: new Uint8Array(size),
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
  const pixelNs = (t1 - t0) / width;
  const exactPerPixel = opts.exactPerPixel ?? EXACT_PER_PIXEL;
  for (let l = 0; l < lanes.length; l++) {
    const { track, pyramid } = lanes[l];
    let shift: number | null = null;
    if (!opts.exact && pyramid && track.n > exactPerPixel * width) {
      const visible = firstStartAtOrAfter(track, t1) - firstEndAfter(track, t0);
      if (visible > exactPerPixel * width) shift = pyramid.shiftFor(pixelNs, opts.bucketsPerPixel ?? 2);
    }
    if (shift === null) {
      out.levelOf[l] = -1;
      exactLane(track, t0, t1, width, out, l * width);
    } else {
      out.levelOf[l] = shift;
      pyramidLane(pyramid as Pyramid, shift, t0, t1, width, out, l * width);
    }
  }
  return out;
}

/** Time at the left edge of pixel column x (x = width gives t1). */
export function pixelTime(t0: number, t1: number, width: number, x: number): number {
  return x === width ? t1 : t0 + ((t1 - t0) * x) / width;
}

function exactLane(track: Track, t0: number, t1: number, width: number, out: LodResult, base: number): void {
  scratchFor(track.domain);
  const cov = scratchCov;
  const touched = scratchTouched;
  const { rows, start, end, value, n } = track;
  const span = t1 - t0;
  let k = firstEndAfter(track, t0);
  // Zero-length intervals exactly at t0 end at t0: step back to include them.
  while (k > 0) {
    const r = rows === null ? k - 1 : rows[k - 1];
    if (start[r] >= t0 && end[r] === start[r]) k--;
    else break;
  }
  const edge = (x: number): number => (x + 1 === width ? t1 : t0 + (span * (x + 1)) / width);
  const { value: outValue, count: outCount, share: outShare } = out;
  let a = t0;
  let x = 0;
  while (x < width) {
    // Fast path: an interval covering this pixel from its left edge fills every pixel it covers whole.
    // Likewise a gap before the next interval (or after the last) is unknown in every pixel it covers whole.
    const gapEnd = k < n ? start[rows === null ? k : rows[k]] : Infinity;
    if (gapEnd >= edge(x)) {
      let xe = gapEnd === Infinity ? width - 1 : Math.min(width - 1, Math.floor(((gapEnd - t0) * width) / span) - 1);
      while (xe > x && edge(xe) > gapEnd) xe--;
      while (xe + 1 < width && edge(xe + 1) <= gapEnd) xe++;
      outValue.fill(V_UNKNOWN, base + x, base + xe + 1);
      outCount.fill(0, base + x, base + xe + 1);
      outShare.fill(255, base + x, base + xe + 1);
      a = edge(xe);
      x = xe + 1;
      continue;
    }
    if (k < n) {
      const row = rows === null ? k : rows[k];
      const s = start[row];
      const e = end[row];
      if (s <= a && e > a) {
        let xe = Math.min(width - 1, Math.floor(((e - t0) * width) / span) - 1);
        while (xe >= x && edge(xe) > e) xe--;
        while (xe + 1 < width && edge(xe + 1) <= e) xe++;
        if (xe >= x) {
          const v = value[row];
          outValue.fill(v, base + x, base + xe + 1);
          outCount.fill(1, base + x, base + xe + 1);
          outShare.fill(255, base + x, base + xe + 1);
          a = edge(xe);
          x = xe + 1;
          if (e <= a) k++;
          continue;
        }
      }
    }
    const b = edge(x);
    let nt = 0;
    let known = 0;
    let count = 0;
    let j = k;
    while (j < n) {
      const row = rows === null ? j : rows[j];
      const s = start[row];
      if (s >= b) break;
      const e = end[row];
      count++;
      const lo = s > a ? s : a;
      const hi = e < b ? e : b;
      if (hi > lo) {
        const xi = value[row] + VALUE_OFFSET;
        if (cov[xi] === 0) touched[nt++] = xi;
        cov[xi] += hi - lo;
        known += hi - lo;
      }
      if (e <= b) {
        j++;
        k = j;
      } else break;
    }
    let bestX = -1;
    let bestCov = 0;
    // Largest coverage; ties to the value that appeared first in the pixel.
    for (let i = 0; i < nt; i++) {
      const xi = touched[i];
      if (cov[xi] > bestCov) {
        bestCov = cov[xi];
        bestX = xi;
      }
      cov[xi] = 0;
    }
    const len = b - a;
    const unknown = len - known;
    const o = base + x;
    if (bestX < 0 || unknown > bestCov) {
      outValue[o] = V_UNKNOWN;
      outShare[o] = len > 0 ? Math.round((255 * unknown) / len) : 255;
    } else {
      outValue[o] = bestX - VALUE_OFFSET;
      outShare[o] = Math.round((255 * bestCov) / len);
    }
    outCount[o] = count;
    a = b;
    x++;
  }
}

// Per-pixel accumulation over a handful of buckets: tiny linear lists.
const accValue = new Int32Array(64);
const accWeight = new Float64Array(64);

function pyramidLane(
  pyramid: Pyramid,
  shift: number,
  t0: number,
  t1: number,
  width: number,
  out: LodResult,
  base: number,
): void {
  const level = pyramid.level(shift);
  const { size, first, n, dom, share, touch } = level;
  const span = t1 - t0;
  let a = t0;
  for (let x = 0; x < width; x++) {
    const b = x + 1 === width ? t1 : t0 + (span * (x + 1)) / width;
    const len = b - a;
    let na = 0;
    let countEst = 0;
    let anyKnown = false;
    const bA = Math.floor(a / size);
    let bB = Math.floor(b / size);
    if (bB * size === b) bB--;
    if (bB - bA >= accValue.length) bB = bA + accValue.length - 1;
    for (let bk = bA; bk <= bB; bk++) {
      const lo = Math.max(a, bk * size);
      const hi = Math.min(b, (bk + 1) * size);
      if (!(hi > lo)) continue;
      const f = (hi - lo) / size;
      const i = bk - first;
      let v: number;
      let w: number;
      if (i < 0 || i >= n) {
        v = V_UNKNOWN;
        w = f;
      } else {
        v = dom[i];
        w = f * share[i];
        countEst += f * touch[i];
        if (v !== V_UNKNOWN || share[i] < 1) anyKnown = true;
      }
      let m = 0;
      while (m < na && accValue[m] !== v) m++;
      if (m === na) {
        accValue[na] = v;
        accWeight[na] = 0;
        na++;
      }
      accWeight[m] += w;
    }
    let best = V_UNKNOWN;
    let bestW = -1;
    for (let m = 0; m < na; m++) {
      // Known values win ties against unknown.
      if (accWeight[m] > bestW || (accWeight[m] === bestW && best === V_UNKNOWN)) {
        bestW = accWeight[m];
        best = accValue[m];
      }
    }
    const o = base + x;
    out.value[o] = best;
    const sh = len > 0 ? (bestW * size) / len : 1;
    out.share[o] = Math.round(255 * Math.min(1, Math.max(0, sh)));
    out.count[o] = anyKnown ? Math.max(1, Math.round(countEst)) : 0;
    a = b;
  }
}
