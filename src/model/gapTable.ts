// The gap table (TraceModel.gaps): where a paste's elision marks cut the text. The builder notes each mark
// as it comes (its line, its text, the last time before it and how many rows each event table had then);
// the first event after it is looked up once, at finish, so that reading an event line costs nothing more.

import type { GapTable } from './types';

/** One elision mark while the model is built. */
export interface GapMark {
  line: number;
  mark: string;
  /** The last event time before the mark; -Infinity when it comes before the first event. */
  from: number;
  /** The first event time after it (gapEnds); Infinity when no event follows. */
  to: number;
  /** Rows of the switch table, then of each other timed table, when the mark was read. */
  rows: number[];
}

/** A timed event table as gapEnds reads it: its row count and each row's time. */
export interface TimedRows {
  length: number;
  get(row: number): number;
}

/**
 * Each mark's `to`: the earliest time among the events read after it and before the next mark (rows of
 * `tables`, in the order of GapMark.rows); a mark with none after it before the next mark takes the next
 * one's. Only the rows after the first mark are read, once.
 */
export function gapEnds(marks: GapMark[], tables: readonly TimedRows[]): void {
  let to = Infinity;
  for (let g = marks.length - 1; g >= 0; g--) {
    const m = marks[g];
    const next = marks[g + 1];
    let first = Infinity;
    tables.forEach((t, k) => {
      const end = next ? next.rows[k] : t.length;
      for (let r = m.rows[k]; r < end; r++) {
        const time = t.get(r);
        if (time < first) first = time;
      }
    });
    if (first < Infinity) to = first;
    m.to = to;
  }
}

/** The table of the marks with events on both sides, in time order; an end is never before its start. */
export function gapTableOf(marks: readonly GapMark[]): GapTable {
  const kept = marks
    .filter((m) => m.from > -Infinity && m.to < Infinity)
    .sort((a, b) => a.from - b.from || a.line - b.line);
  return {
    length: kept.length,
    start: Float64Array.from(kept, (m) => m.from),
    end: Float64Array.from(kept, (m) => Math.max(m.from, m.to)),
    line: Int32Array.from(kept, (m) => m.line),
    mark: kept.map((m) => m.mark),
  };
}
