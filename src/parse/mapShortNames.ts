// Which thread a reused `perf sched map` short name stands for.
//
// perf hands out A0..Z9 in first-switch-in order and starts over at A0 after
// 260 names, without saying so again: past 260 threads, a starred name that no
// announcement on its line pins may be any thread ever announced under it. The
// map text still carries evidence, used here in this order:
//   1. exclusion: a thread runs on one CPU at a time, so a candidate another
//      column still shows is not it, and the column's own task (the switch's
//      prev) is not it either (a switch never switches a thread to itself);
//   2. this CPU: of the rest, the one that last ran in this very column
//      (the scheduler keeps a thread on its CPU unless it has reason to move it);
//   3. recency: else the one seen (switched in or out) most recently: a thread
//      not seen for long may have exited.
// When every candidate is excluded, the text contradicts itself (a lost
// switch): the most recent announcement is taken.
//
// The per-task history (last column, last time seen) is kept for every switch,
// since a thread's name may be reused only after it last ran.

/** What decided a pick (index into the per-name counts). */
export const enum Evidence {
  /** The other candidates are shown in other columns or are this column's prev. */
  Exclusion = 0,
  /** Several possible; the pick is the only one that last ran on this CPU. */
  ThisCpu = 1,
  /** Several possible, none (or several) last on this CPU: the one seen most recently. */
  Recency = 2,
  /** Every candidate excluded (contradictory text): the most recent announcement. */
  Contradiction = 3,
}
export const EVIDENCE_KINDS = 4;

/** How each evidence is worded in a message, by Evidence. */
export const EVIDENCE_TEXT = [
  'by exclusion (the other candidates were on other CPUs or were the switched-out task)',
  'as the candidate that last ran on that CPU',
  'as the candidate seen most recently (a guess)',
  'as the most recent announcement although every candidate was excluded (contradictory text, a lost switch?)',
] as const;

export class ShortNameResolver {
  private lastCol = new Int32Array(1024).fill(-1);
  private lastSeen = new Float64Array(1024).fill(-Infinity);
  /** The evidence of the last pick(). */
  evidence: Evidence = Evidence.Exclusion;

  /** `task` (>= 0) was switched in or out in column `col` at `time`. */
  seen(task: number, col: number, time: number): void {
    if (task >= this.lastCol.length) this.grow(task);
    this.lastCol[task] = col;
    this.lastSeen[task] = time;
  }

  /**
   * The candidate (tasks announced under one name, oldest first) switched in
   * at column `col`, whose tasks per column are `colTask` (-1: none).
   */
  pick(cands: readonly number[], col: number, colTask: readonly number[]): number {
    const prev = colTask[col];
    let best = -1;
    let viable = 0;
    let here = 0;
    for (let i = cands.length - 1; i >= 0; i--) {
      const t = cands[i];
      if (t === prev || shownElsewhere(t, col, colTask)) continue;
      viable++;
      const isHere = t < this.lastCol.length && this.lastCol[t] === col;
      if (isHere) here++;
      if (
        best < 0 ||
        (isHere && !this.wasHere(best, col)) ||
        (isHere === this.wasHere(best, col) && this.seenAt(t) > this.seenAt(best))
      )
        best = t;
    }
    if (viable === 0) {
      this.evidence = Evidence.Contradiction;
      return cands[cands.length - 1];
    }
    this.evidence = viable === 1 ? Evidence.Exclusion : here === 1 ? Evidence.ThisCpu : Evidence.Recency;
    return best;
  }

  private wasHere(t: number, col: number): boolean {
    return t < this.lastCol.length && this.lastCol[t] === col;
  }

  private seenAt(t: number): number {
    return t < this.lastSeen.length ? this.lastSeen[t] : -Infinity;
  }

  private grow(task: number): void {
    let n = this.lastCol.length;
    while (n <= task) n *= 2;
    const col = new Int32Array(n).fill(-1);
    col.set(this.lastCol);
    const seen = new Float64Array(n).fill(-Infinity);
    seen.set(this.lastSeen);
    this.lastCol = col;
    this.lastSeen = seen;
  }
}

function shownElsewhere(t: number, col: number, colTask: readonly number[]): boolean {
  for (let j = 0; j < colTask.length; j++) if (j !== col && colTask[j] === t) return true;
  return false;
}
