// A per-track pyramid for zoomed-out frames: level `shift` cuts time into
// buckets of 2^shift ns aligned to 0 (bucket b = [b·2^shift, (b+1)·2^shift)) and
// stores, for each bucket, the value covering most of it (unknown time counts
// as a value of its own) and the share of the bucket it covers. Each level is
// computed exactly from the intervals (one pass, O(intervals + buckets)), on
// first use. The finest level holds about PYRAMID_DENSITY intervals per
// bucket; the coarsest about 64 buckets. A bucket costs 5 bytes; all levels
// together about 2.5–5 bytes per interval. A track with value classes (CPU
// lanes: pixelClasses.ts) stores, where no value covers half a bucket, the
// class covering half of it or the mixed value instead.

import { classWinner, DOMINANT_SHARE, type ValueClasses } from './pixelClasses';
import { firstStartAtOrAfter, type Track } from './sliceIndex';
import { VALUE_OFFSET, V_UNKNOWN } from './values';

/** Mean intervals per bucket at the finest level. */
export const PYRAMID_DENSITY = 2;
/** Tracks with fewer intervals never need a pyramid: a frame reads them exactly. */
export const PYRAMID_MIN_INTERVALS = 2048;
const COARSEST_BUCKETS = 64;
/** Cells of the span whose interval counts bound how many intervals a window shows (see minVisible). */
const COUNT_CELLS = 64;

export interface PyramidLevel {
  shift: number;
  /** Bucket width in ns: 2^shift. */
  size: number;
  /** Bucket number (floor(time / size)) of the level's bucket 0. */
  first: number;
  n: number;
  /** Dominant value per bucket (V_UNKNOWN where unknown time dominates or nothing is known). */
  dom: Int32Array;
  /** Share of the bucket the dominant value covers, in 255ths. */
  share: Uint8Array;
}

/**
 * Compute one level exactly: per bucket the value of largest coverage (unknown included), or with
 * `classes` the value of pixelClasses' rule.
 */
export function buildLevel(
  track: Track,
  shift: number,
  tStart: number,
  tEnd: number,
  classes: ValueClasses | null = null,
): PyramidLevel {
  const size = 2 ** shift;
  const inv = 1 / size;
  const first = Math.floor(tStart * inv);
  const nb = Math.max(1, Math.floor(tEnd * inv) - first + 1);
  const dom = new Int32Array(nb).fill(V_UNKNOWN);
  const share = new Uint8Array(nb).fill(255);
  if (scratch.length < track.domain + VALUE_OFFSET) {
    scratch = new Float64Array(track.domain + VALUE_OFFSET);
    scratchTouched = new Int32Array(track.domain + VALUE_OFFSET);
  }
  const cov = scratch;
  const touched = scratchTouched;
  let nt = 0;
  let known = 0;
  let cur = -1;
  const { rows, start, end, value } = track;
  // Written without closures so the loop's state stays in registers.
  for (let k = 0; k < track.n; k++) {
    const row = rows === null ? k : rows[k];
    const s = start[row];
    const e = end[row];
    if (!(e > s)) continue;
    let bs = Math.floor(s * inv) - first;
    if (bs < 0) bs = 0;
    else if (bs >= nb) bs = nb - 1;
    let be = Math.floor(e * inv) - first;
    if ((be + first) * size === e) be--;
    if (be >= nb) be = nb - 1;
    if (bs !== cur) {
      if (cur >= 0) {
        finalizeBucket(cov, touched, nt, known, size, dom, share, cur, classes);
        nt = 0;
        known = 0;
      }
      cur = bs;
    }
    const x = value[row] + VALUE_OFFSET;
    if (be <= bs) {
      if (cov[x] === 0) touched[nt++] = x;
      cov[x] += e - s;
      known += e - s;
      continue;
    }
    // Spans buckets: its head ends bucket bs, full buckets between, its tail opens bucket be.
    const head = (bs + first + 1) * size - s;
    if (cov[x] === 0) touched[nt++] = x;
    cov[x] += head;
    known += head;
    finalizeBucket(cov, touched, nt, known, size, dom, share, bs, classes);
    const v = value[row];
    for (let b = bs + 1; b < be; b++) {
      dom[b] = v;
      share[b] = 255;
    }
    cur = be;
    const tail = e - (be + first) * size;
    touched[0] = x;
    nt = 1;
    cov[x] = tail;
    known = tail;
  }
  if (cur >= 0) finalizeBucket(cov, touched, nt, known, size, dom, share, cur, classes);
  return { shift, size, first, n: nb, dom, share };
}

let scratch = new Float64Array(1024);
let scratchTouched = new Int32Array(1024);

// A bucket's values and coverages for the class rule.
let bucketVals = new Int32Array(256);
let bucketCovs = new Float64Array(256);
const classShare = new Float64Array(1);

/**
 * Close bucket b: the value of largest coverage (first touched wins ties) unless unknown time is larger;
 * with `classes`, where neither covers half the bucket, the class rule's value (pixelClasses.ts).
 */
function finalizeBucket(
  cov: Float64Array,
  touched: Int32Array,
  nt: number,
  known: number,
  size: number,
  dom: Int32Array,
  share: Uint8Array,
  b: number,
  classes: ValueClasses | null,
): void {
  let best = -1;
  let bestCov = 0;
  for (let i = 0; i < nt; i++) {
    const x = touched[i];
    if (cov[x] > bestCov) {
      bestCov = cov[x];
      best = x;
    }
  }
  const unknown = size - known;
  if (classes !== null && nt > 1 && bestCov < DOMINANT_SHARE * size && unknown < DOMINANT_SHARE * size) {
    if (bucketVals.length < nt) {
      bucketVals = new Int32Array(nt);
      bucketCovs = new Float64Array(nt);
    }
    for (let i = 0; i < nt; i++) {
      bucketVals[i] = touched[i] - VALUE_OFFSET;
      bucketCovs[i] = cov[touched[i]];
      cov[touched[i]] = 0;
    }
    dom[b] = classWinner(classes, bucketVals, bucketCovs, nt, size, classShare);
    share[b] = Math.round((255 * Math.max(classShare[0], bestCov, unknown)) / size);
    return;
  }
  for (let i = 0; i < nt; i++) cov[touched[i]] = 0;
  if (best < 0 || unknown > bestCov) {
    dom[b] = V_UNKNOWN;
    share[b] = Math.round((255 * unknown) / size);
  } else {
    dom[b] = best - VALUE_OFFSET;
    share[b] = Math.round((255 * bestCov) / size);
  }
}

export class Pyramid {
  readonly track: Track;
  readonly tStart: number;
  readonly tEnd: number;
  /** Finest and coarsest shift; maxShift < minShift means no levels. */
  readonly minShift: number;
  readonly maxShift: number;
  private readonly levels = new Map<number, PyramidLevel>();
  /** Edges of COUNT_CELLS equal cells over the span, and the intervals starting before each (on first use). */
  private countEdges: Float64Array | null = null;
  private startsBefore: Int32Array | null = null;

  /** The track's value classes (CPU lanes), or null: the plain dominant value. */
  readonly classes: ValueClasses | null;

  constructor(track: Track, tStart: number, tEnd: number, classes: ValueClasses | null = null) {
    this.track = track;
    this.classes = classes;
    this.tStart = tStart;
    this.tEnd = tEnd;
    const span = Math.max(1, tEnd - tStart);
    this.minShift = Math.max(0, Math.ceil(Math.log2((span * PYRAMID_DENSITY) / Math.max(1, track.n))));
    this.maxShift = Math.max(this.minShift, Math.ceil(Math.log2(span / COARSEST_BUCKETS)));
  }

  level(shift: number): PyramidLevel {
    let l = this.levels.get(shift);
    if (!l) {
      l = buildLevel(this.track, shift, this.tStart, this.tEnd, this.classes);
      this.levels.set(shift, l);
    }
    return l;
  }

  /**
   * The level for pixels `pixelNs` wide: the coarsest with at least `bucketsPerPixel` buckets per pixel
   * (clamped to the pyramid's range), or null when even the finest level's buckets are wider than a pixel.
   */
  shiftFor(pixelNs: number, bucketsPerPixel = 1): number | null {
    const want = Math.floor(Math.log2(pixelNs / bucketsPerPixel));
    if (want >= this.minShift) return Math.min(want, this.maxShift);
    return 2 ** this.minShift <= pixelNs ? this.minShift : null;
  }

  /**
   * At least how many intervals touch [t0, t1): those starting in the count cells that lie inside it. No
   * search over the intervals (whose cache misses cost more than the rest of deciding a lane's path), so a
   * frame over many intervals knows it reads the pyramid at once.
   */
  minVisible(t0: number, t1: number): number {
    let edges = this.countEdges;
    let before = this.startsBefore;
    if (!edges || !before) {
      edges = new Float64Array(COUNT_CELLS + 1);
      before = new Int32Array(COUNT_CELLS + 1);
      for (let c = 0; c <= COUNT_CELLS; c++) {
        edges[c] = this.tStart + ((this.tEnd - this.tStart) * c) / COUNT_CELLS;
        before[c] = firstStartAtOrAfter(this.track, edges[c]);
      }
      this.countEdges = edges;
      this.startsBefore = before;
    }
    // First edge after t0 and last edge at or before t1: intervals starting between them start inside
    // (t0, t1), so they touch it.
    const cell = (this.tEnd - this.tStart) / COUNT_CELLS;
    let lo = Math.max(0, Math.min(COUNT_CELLS + 1, Math.floor((t0 - this.tStart) / cell)));
    while (lo > 0 && edges[lo - 1] > t0) lo--;
    while (lo <= COUNT_CELLS && edges[lo] <= t0) lo++;
    let hi = Math.max(-1, Math.min(COUNT_CELLS, Math.floor((t1 - this.tStart) / cell)));
    while (hi >= 0 && edges[hi] > t1) hi--;
    while (hi < COUNT_CELLS && edges[hi + 1] <= t1) hi++;
    return hi > lo ? before[hi] - before[lo] : 0;
  }

  /** Build every level now instead of on first use. */
  buildAll(): void {
    for (let s = this.minShift; s <= this.maxShift; s++) this.level(s);
  }

  /** Build the next missing level, finest first; false when all are built (for idle-time prebuilding). */
  buildNext(): boolean {
    for (let s = this.minShift; s <= this.maxShift; s++)
      if (!this.levels.has(s)) {
        this.level(s);
        return true;
      }
    return false;
  }
}

/** The pyramid of a track, or null for tracks small enough to read exactly. */
export function pyramidFor(
  track: Track,
  tStart: number,
  tEnd: number,
  classes: ValueClasses | null = null,
): Pyramid | null {
  return track.n >= PYRAMID_MIN_INTERVALS ? new Pyramid(track, tStart, tEnd, classes) : null;
}
