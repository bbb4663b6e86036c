// Timestamp outliers (issue 19): one damaged timestamp (1606.x edited to 6.x)
// would stretch the trace's duration from milliseconds to 1600 s and every
// rate with it. A switch is an outlier when its time is more than 1000 times
// its CPU's median gap between consecutive switches away from both of its
// neighbours on that CPU (in line order), and at least 1 s away. A CPU's first
// or last switch has one neighbour: it must also lie at least 1 s outside the
// span of every other switch of the trace. Outliers are dropped with a warning
// naming their line and what they would have changed.
//
// The other event tables (wakeups, migrations, kvm exits and entries, NUMA events) are watched the same
// way, each among its own rows on each CPU, but only for the rows next to a paste's elision mark: there a
// damaged stamp would be the gap's start or end (TraceBuilder.eventOutliersAtMarks).
//
// Switches of one line on one CPU are one point: a timehist line and the
// switch-in its run time implies (timehist.ts) go, or stay, together; else the
// implied switch, next to its line's, would hide the line's outlier time.
//
// Online, the watch keeps a few numbers per CPU and records candidates (gaps
// of 1 s or more, rare in real traces); the median is computed at the end only
// for CPUs that have a candidate.

import { seconds } from './format';

const SECOND = 1e9;
const FACTOR = 1000;
/** Gaps sampled per CPU for its median (a rough median is enough against a factor of 1000). */
const MEDIAN_SAMPLE = 4096;

interface Candidate {
  /** Switch row (insertion order): the point's last. */
  index: number;
  /** The point's other rows (switches of the same line), or null. */
  extra: number[] | null;
  line: number;
  cpu: number;
  /** Gap to the previous and the next switch on its CPU; Infinity where there is none. */
  before: number;
  after: number;
}

export interface Outlier {
  /** The outlier's switch rows (insertion order): more than one when its line gave several. */
  rows: number[];
  line: number;
  message: string;
}

export class OutlierWatch {
  private lastTime = new Float64Array(0);
  private lastIndex = new Int32Array(0);
  private lastLine = new Int32Array(0);
  /** Gap before the CPU's last switch (Infinity for its first). */
  private lastGap = new Float64Array(0);
  /** Rows of the CPU's last point besides its last row (see the top), or undefined. */
  private lastExtra: (number[] | undefined)[] = [];
  private readonly candidates: Candidate[] = [];

  add(time: number, cpu: number, index: number, line: number): void {
    if (cpu >= this.lastIndex.length) this.grow(cpu);
    const li = this.lastIndex[cpu];
    if (li < 0) {
      this.lastGap[cpu] = Infinity;
    } else if (line > 0 && line === this.lastLine[cpu]) {
      // Another switch of the same line: the same point.
      (this.lastExtra[cpu] ??= []).push(li);
      this.lastTime[cpu] = time;
      this.lastIndex[cpu] = index;
      return;
    } else {
      const gap = Math.abs(time - this.lastTime[cpu]);
      const before = this.lastGap[cpu];
      const extra = this.lastExtra[cpu] ?? null;
      if (gap >= SECOND && before >= SECOND)
        this.candidates.push({ index: li, extra, line: this.lastLine[cpu], cpu, before, after: gap });
      this.lastGap[cpu] = gap;
      if (extra !== null) this.lastExtra[cpu] = undefined;
    }
    this.lastTime[cpu] = time;
    this.lastIndex[cpu] = index;
    this.lastLine[cpu] = line;
  }

  private grow(cpu: number): void {
    const n = Math.max(cpu + 1, this.lastIndex.length * 2, 8);
    const t = new Float64Array(n);
    t.set(this.lastTime);
    const i = new Int32Array(n).fill(-1);
    i.set(this.lastIndex);
    const l = new Int32Array(n);
    l.set(this.lastLine);
    const g = new Float64Array(n);
    g.set(this.lastGap);
    [this.lastTime, this.lastIndex, this.lastLine, this.lastGap] = [t, i, l, g];
  }

  /** Switches of CPU `from` are now CPU `to` (to had none): see TraceBuilder.renumberSwitchCpus. */
  renumber(from: number, to: number): void {
    if (from >= this.lastIndex.length) return;
    if (to >= this.lastIndex.length) this.grow(to);
    for (const a of [this.lastTime, this.lastIndex, this.lastLine, this.lastGap]) {
      a[to] = a[from];
      a[from] = a === this.lastIndex ? -1 : 0;
    }
    this.lastExtra[to] = this.lastExtra[from];
    this.lastExtra[from] = undefined;
    for (const c of this.candidates) if (c.cpu === from) c.cpu = to;
  }

  /**
   * The outliers among the switches (times and CPUs in insertion order). `inferred` marks the switches a
   * reader inferred (they go with their line's point, but their gaps say nothing of the CPU's usual gap).
   */
  finish(time: Float64Array, cpu: Uint16Array, inferred: Uint8Array | null = null): Outlier[] {
    // Each CPU's last switch: a candidate when the gap before it is 1 s or more.
    for (let c = 0; c < this.lastIndex.length; c++) {
      const li = this.lastIndex[c];
      if (li >= 0 && this.lastGap[c] >= SECOND && this.lastGap[c] !== Infinity)
        this.candidates.push({
          index: li,
          extra: this.lastExtra[c] ?? null,
          line: this.lastLine[c],
          cpu: c,
          before: this.lastGap[c],
          after: Infinity,
        });
    }
    if (this.candidates.length === 0) return [];
    const medians = medianGaps(time, cpu, new Set(this.candidates.map((c) => c.cpu)), inferred);
    const found = this.candidates.filter((k) => {
      const limit = Math.max(SECOND, FACTOR * (medians.get(k.cpu) ?? Infinity));
      return k.before > limit && k.after > limit;
    });
    if (found.length === 0) return [];
    const drop = new Set(found.flatMap(rowsOf));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < time.length; i++)
      if (!drop.has(i)) {
        if (time[i] < lo) lo = time[i];
        if (time[i] > hi) hi = time[i];
      }
    const out: Outlier[] = [];
    for (const k of found) {
      const t = time[k.index];
      // An end of its CPU's switches must also lie outside the rest of the trace.
      if ((k.before === Infinity || k.after === Infinity) && t > lo - SECOND && t < hi + SECOND) continue;
      const withIt = Math.max(hi, t) - Math.min(lo, t);
      out.push({
        rows: rowsOf(k),
        line: k.line,
        message:
          `timestamp outlier on CPU ${k.cpu}: ${seconds(Math.min(k.before, k.after))} from its neighbours on that CPU, ` +
          `more than ${FACTOR} times its median gap (${seconds(medians.get(k.cpu) ?? 0)}); kept out of the window ` +
          `(with it the trace would span ${seconds(withIt)} instead of ${seconds(hi - lo)}, changing durationSec and every per-second rate and share)`,
      });
    }
    return out;
  }
}

function rowsOf(k: Candidate): number[] {
  return k.extra === null ? [k.index] : [...k.extra, k.index];
}

/** Median gap between consecutive switches (insertion order) of each CPU asked for, from a strided sample. */
function medianGaps(
  time: Float64Array,
  cpu: Uint16Array,
  cpus: Set<number>,
  skip: Uint8Array | null,
): Map<number, number> {
  const count = new Map<number, number>();
  for (let i = 0; i < cpu.length; i++) if (cpus.has(cpu[i])) count.set(cpu[i], (count.get(cpu[i]) ?? 0) + 1);
  const samples = new Map<number, number[]>();
  const seen = new Map<number, number>();
  const last = new Map<number, number>();
  for (let i = 0; i < cpu.length; i++) {
    const c = cpu[i];
    if (!cpus.has(c) || (skip !== null && skip[i] === 1)) continue;
    const prev = last.get(c);
    last.set(c, time[i]);
    if (prev === undefined) continue;
    const k = seen.get(c) ?? 0;
    seen.set(c, k + 1);
    const stride = Math.max(1, Math.ceil((count.get(c) ?? 1) / MEDIAN_SAMPLE));
    if (k % stride !== 0) continue;
    let s = samples.get(c);
    if (!s) samples.set(c, (s = []));
    s.push(Math.abs(time[i] - prev));
  }
  const out = new Map<number, number>();
  for (const [c, s] of samples) {
    s.sort((a, b) => a - b);
    out.set(c, s[s.length >> 1]);
  }
  return out;
}
