// Which thread a reused `perf sched map` short name stands for.
//
// perf hands out A0..Z9 in first-switch-in order and starts over at A0 after
// 260 names, without saying so again: past 260 threads, a starred name that no
// announcement on its line pins may be any thread ever announced under it. The
// map text still carries evidence, used here in this order:
//   1. exclusion: a thread runs on one CPU at a time, so a candidate another
//      column still shows is not it, and the column's own task (the switch's
//      prev) is not it either (a switch never switches a thread to itself);
//   2. this CPU: of the rest, those that last ran in this very column (the
//      scheduler keeps a thread on its CPU unless it has reason to move it);
//   3. activity: of those, one seen far more often per second since it first
//      appeared than every other (a busy vCPU thread against a ksoftirqd that
//      ran once);
//   4. recency: else the one seen (switched in or out) most recently: a thread
//      not seen for long may have exited.
// When every candidate is excluded, the text contradicts itself (a lost
// switch): the most recent announcement is taken.
//
// The per-task history (last column, times seen) is kept for every switch,
// since a thread's name may be reused only after it last ran.

/** What decided a pick (index into the per-name counts). */
export const enum Evidence {
  /** The other candidates are shown in other columns or are this column's prev. */
  Exclusion = 0,
  /** Several possible; the pick is the only one that last ran on this CPU. */
  ThisCpu = 1,
  /** Several equally placed; the pick was seen ACTIVITY_RATIO times as often as any other. */
  Activity = 2,
  /** Several equally placed and alike: the one seen most recently. */
  Recency = 3,
  /** Every candidate excluded (contradictory text): the most recent announcement. */
  Contradiction = 4,
}
export const EVIDENCE_KINDS = 5;

/** How much more often (sightings per second since first seen) a candidate must be seen to be taken for that. */
const ACTIVITY_RATIO = 4;

/** How each evidence is worded in a message, by Evidence. */
export const EVIDENCE_TEXT = [
  'by exclusion (the other candidates were on other CPUs or were the switched-out task)',
  'as the candidate that last ran on that CPU',
  `as the candidate seen at least ${ACTIVITY_RATIO} times as often as the others (a guess)`,
  'as the candidate seen most recently (a guess)',
  'as the most recent announcement although every candidate was excluded (contradictory text, a lost switch?)',
] as const;

export class ShortNameResolver {
  private lastCol = new Int32Array(1024).fill(-1);
  private lastSeen = new Float64Array(1024);
  private firstSeen = new Float64Array(1024).fill(-1);
  private seenCount = new Uint32Array(1024);
  /** The evidence of the last pick(). */
  evidence: Evidence = Evidence.Exclusion;

  /**
   * `task` (>= 0) was switched in or out in column `col` at `time`; `sure`: switched in, and known to be
   * this task (announced, a name of one thread, or by exclusion), which is what activity counts.
   */
  seen(task: number, col: number, time: number, sure: boolean): void {
    if (task >= this.lastCol.length) this.grow(task);
    if (this.firstSeen[task] < 0) this.firstSeen[task] = time;
    if (sure) this.seenCount[task]++;
    this.lastCol[task] = col;
    this.lastSeen[task] = time;
  }

  /**
   * The candidate (tasks announced under one name, oldest first; each seen at
   * least once, at its announcement) switched in at column `col`, whose tasks
   * per column are `colTask` (-1: none), at `time`.
   */
  pick(cands: readonly number[], col: number, colTask: readonly number[], time: number): number {
    const prev = colTask[col];
    let viable = 0;
    let here = 0;
    // The pool: the viable candidates that last ran here if any, else all viable ones.
    let recent = -1;
    let busiest = -1;
    // Activity: sure switch-ins per ns since first seen (1 µs added: a new task is not infinitely busy).
    let busiestRate = -1;
    let secondRate = -1;
    for (let i = cands.length - 1; i >= 0; i--) {
      const t = cands[i];
      if (t === prev || shownElsewhere(t, col, colTask)) continue;
      viable++;
      const isHere = this.lastCol[t] === col;
      if (isHere && here++ === 0) {
        // The first one here: those seen elsewhere leave the pool.
        recent = busiest = -1;
        busiestRate = secondRate = -1;
      } else if (!isHere && here > 0) continue;
      if (recent < 0 || this.lastSeen[t] > this.lastSeen[recent]) recent = t;
      const r = this.seenCount[t] / (time - this.firstSeen[t] + 1000);
      if (r > busiestRate) {
        secondRate = busiestRate;
        busiestRate = r;
        busiest = t;
      } else if (r > secondRate) secondRate = r;
    }
    if (viable === 0) {
      this.evidence = Evidence.Contradiction;
      return cands[cands.length - 1];
    }
    if (viable === 1) this.evidence = Evidence.Exclusion;
    else if (here === 1) this.evidence = Evidence.ThisCpu;
    else if (busiestRate > 0 && busiestRate >= ACTIVITY_RATIO * secondRate) {
      this.evidence = Evidence.Activity;
      return busiest;
    } else this.evidence = Evidence.Recency;
    return recent;
  }

  private grow(task: number): void {
    let n = this.lastCol.length;
    while (n <= task) n *= 2;
    this.lastCol = grown(new Int32Array(n).fill(-1), this.lastCol);
    this.lastSeen = grown(new Float64Array(n), this.lastSeen);
    this.firstSeen = grown(new Float64Array(n).fill(-1), this.firstSeen);
    this.seenCount = grown(new Uint32Array(n), this.seenCount);
  }
}

/** `to` with `from` copied to its start. */
function grown<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(
  to: T,
  from: T,
): T {
  to.set(from);
  return to;
}

function shownElsewhere(t: number, col: number, colTask: readonly number[]): boolean {
  for (let j = 0; j < colTask.length; j++) if (j !== col && colTask[j] === t) return true;
  return false;
}
