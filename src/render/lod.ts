// Level of detail: reduce each lane to one value per pixel column, the value
// that covers most of the pixel's time (unknown time competes as a value of
// its own; ties go to the earlier interval, never to a random one), with the
// number of intervals touching the pixel.
//
// Cost depends on pixels, not on trace size. A lane whose visible intervals
// number at most EXACT_PER_PIXEL × W is read exactly: binary search to the
// first visible interval, then one pass. A denser lane reads its pyramid: the
// coarsest level with buckets no wider than a pixel, 1–3 buckets per pixel, each
// contributing its dominant value weighted by its overlap with the pixel.
// Pyramid pixels aligned to one bucket answer exactly; others approximate
// (the counts too: the buckets' touching counts weighted by overlap).

import { Pyramid } from './pyramid';
import { firstEndAfter, firstStartAtOrAfter, type Track } from './sliceIndex';
import { VALUE_OFFSET, V_UNKNOWN } from './values';

/** Lanes with at most this many visible intervals per pixel are computed exactly. */
export const EXACT_PER_PIXEL = 1;

export interface LodLane {
  track: Track;
  /** Null: always exact. */
  pyramid: Pyramid | null;
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
    // The same literal shape as below, so the hot loops see one object map.
    return {
      width,
      lanes,
      t0: reuse.t0,
      t1: reuse.t1,
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
  if (!(t1 > t0) || !(width > 0)) {
    out.value.fill(V_UNKNOWN);
    out.count.fill(0);
    out.share.fill(255);
    out.levelOf.fill(-1);
    return out;
  }
  const pixelNs = (t1 - t0) / width;
  const ed = columnEdges(t0, t1, width);
  const exactPerPixel = opts.exactPerPixel ?? EXACT_PER_PIXEL;
  for (let l = 0; l < lanes.length; l++) {
    const { track, pyramid } = lanes[l];
    let shift: number | null = null;
    if (!opts.exact && pyramid && track.n > exactPerPixel * width) {
      const visible = firstStartAtOrAfter(track, t1) - firstEndAfter(track, t0);
      if (visible > exactPerPixel * width) shift = pyramid.shiftFor(pixelNs, opts.bucketsPerPixel ?? 1);
    }
    if (shift === null) {
      out.levelOf[l] = -1;
      exactLane(track, ed, width, out, l * width);
    } else {
      out.levelOf[l] = shift;
      pyramidLane(pyramid as Pyramid, shift, ed, width, out, l * width);
    }
  }
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

function exactLane(track: Track, ed: Float64Array, width: number, out: LodResult, base: number): void {
  const t0 = ed[0];
  const t1 = ed[width];
  scratchFor(track.domain);
  const cov = scratchCov;
  const touched = scratchTouched;
  const { start, end, value, n } = contiguous(track);
  const outV = out.value;
  const outC = out.count;
  const outS = out.share;
  const scale = width / (t1 - t0);
  let k = firstEndAfter(track, t0);
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
      for (let o = base + x, oe = base + xe; o <= oe; o++) {
        outV[o] = V_UNKNOWN;
        outC[o] = 0;
        outS[o] = 255;
      }
      x = xe + 1;
      a = ed[x];
      continue;
    }
    const e = end[k];
    if (s <= a && e >= b) {
      // One interval covers this column whole, and maybe the next ones.
      const xe = lastColumnEndingBy(e, x, ed, width, scale);
      const v = value[k];
      for (let o = base + x, oe = base + xe; o <= oe; o++) {
        outV[o] = v;
        outC[o] = 1;
        outS[o] = 255;
      }
      x = xe + 1;
      a = ed[x];
      if (e <= a) k++;
      continue;
    }
    if (s <= a && k + 1 < n) {
      // A column split by one boundary between two abutting intervals (the common mixed column).
      const s2 = start[k + 1];
      if (s2 === e && end[k + 1] >= b && e > a) {
        const c0 = e - a;
        const c1 = b - e;
        const o = base + x;
        const vA = value[k];
        const vB = value[k + 1];
        outV[o] = c1 > c0 ? vB : vA;
        outC[o] = 2;
        const c = vA === vB ? c0 + c1 : c1 > c0 ? c1 : c0;
        outS[o] = Math.min(255, (255 * c * scale + 0.5) | 0);
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
    let count = 0;
    while (k < n) {
      const sj = start[k];
      if (sj >= b) break;
      const ej = end[k];
      count++;
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
      cov[xi] = 0;
    }
    const len = b - a;
    const unknown = len - known;
    const o = base + x;
    if (best === NONE || unknown > bestCov) {
      outV[o] = V_UNKNOWN;
      outS[o] = Math.min(255, (255 * unknown * scale + 0.5) | 0);
    } else {
      outV[o] = best;
      outS[o] = Math.min(255, (255 * bestCov * scale + 0.5) | 0);
    }
    outC[o] = count;
    a = b;
    x++;
  }
}

const contiguousCopies = new WeakMap<Track, Track>();

/** The track with its intervals in contiguous columns (lane tracks already are; task tracks are copied). */
function contiguous(track: Track): Track {
  if (track.rows === null) return track;
  let c = contiguousCopies.get(track);
  if (!c) {
    const n = track.n;
    const rows = track.rows;
    c = {
      n,
      rows: null,
      start: new Float64Array(n),
      end: new Float64Array(n),
      value: new Int32Array(n),
      slice: new Int32Array(n),
      domain: track.domain,
    };
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      c.start[k] = track.start[r];
      c.end[k] = track.end[r];
      c.value[k] = track.value[r];
      (c.slice as Int32Array)[k] = track.slice === null ? r : track.slice[r];
    }
    contiguousCopies.set(track, c);
  }
  return c;
}

// Per-column accumulation over more than three distinct bucket values.
const accValue = new Int32Array(256);
const accWeight = new Float64Array(256);

function pyramidLane(
  pyramid: Pyramid,
  shift: number,
  ed: Float64Array,
  width: number,
  out: LodResult,
  base: number,
): void {
  const t0 = ed[0];
  const t1 = ed[width];
  const level = pyramid.level(shift);
  const { size, first, n, dom, share, touch } = level;
  const inv = 1 / size; // a power of two: t * inv is exact
  const outV = out.value;
  const outC = out.count;
  const outS = out.share;
  const invLen = width / (t1 - t0);
  let a = t0;
  // The bucket holding a (absolute bucket number).
  let bk = Math.floor(a * inv);
  for (let x = 0; x < width; x++) {
    const b = ed[x + 1];
    // Fast path: the column lies in at most three buckets, all inside the level. Merge equal values
    // with selects rather than branches (bucket values are unpredictable).
    const i0 = bk - first;
    const e0 = (bk + 1) * size;
    if (i0 >= 0 && i0 + 2 < n && e0 + size + size >= b) {
      const e1 = e0 + size;
      const d0 = (e0 < b ? e0 : b) - a;
      const d1 = e0 < b ? (e1 < b ? e1 : b) - e0 : 0;
      const d2 = e1 < b ? b - e1 : 0;
      const u0 = dom[i0];
      const u1 = dom[i0 + 1];
      const u2 = dom[i0 + 2];
      const f0 = d0 * share[i0];
      const f1 = d1 * share[i0 + 1];
      const f2 = d2 * share[i0 + 2];
      // (weights in ns × 255ths)
      const W0 = f0 + (u1 === u0 ? f1 : 0) + (u2 === u0 ? f2 : 0);
      const W1 = d1 > 0 ? f1 + (u2 === u1 ? f2 : 0) : -1;
      const W2 = d2 > 0 ? f2 : -1;
      let best = u0;
      let bestW = W0;
      if (W1 > bestW) {
        best = u1;
        bestW = W1;
      }
      if (W2 > bestW) {
        best = u2;
        bestW = W2;
      }
      const o = base + x;
      outV[o] = best;
      const sh = bestW * invLen;
      outS[o] = sh >= 255 ? 255 : sh <= 0 ? 0 : (sh + 0.5) | 0;
      const c = ((d0 * touch[i0] + d1 * touch[i0 + 1] + d2 * touch[i0 + 2]) * inv + 0.5) | 0;
      // Some known time in the column: at least one slice touches it.
      const known =
        u0 !== V_UNKNOWN ||
        share[i0] < 255 ||
        (d1 > 0 && (u1 !== V_UNKNOWN || share[i0 + 1] < 255)) ||
        (d2 > 0 && (u2 !== V_UNKNOWN || share[i0 + 2] < 255));
      outC[o] = c > 0 ? c : known ? 1 : 0;
      // Next column starts in the bucket holding b.
      bk += e0 > b ? 0 : e1 > b ? 1 : e1 + size > b ? 2 : 3;
      a = b;
      continue;
    }
    let v0 = NONE;
    let w0 = 0;
    let v1 = NONE;
    let w1 = 0;
    let v2 = NONE;
    let w2 = 0;
    let na = 0;
    let countNs = 0;
    let anyKnown = false;
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
          const sh = share[i];
          w = (d * sh) / 255;
          countNs += d * touch[i];
          if (v !== V_UNKNOWN || sh < 255) anyKnown = true;
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
    // Largest weight; ties to the value seen first, except that a known value beats unknown.
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
    const o = base + x;
    outV[o] = best === NONE ? V_UNKNOWN : best;
    const sh = bestW * invLen;
    outS[o] = sh >= 1 ? 255 : sh <= 0 ? 0 : (255 * sh + 0.5) | 0;
    const c = (countNs * inv + 0.5) | 0;
    outC[o] = c > 0 ? c : anyKnown ? 1 : 0;
    a = b;
  }
}
