import { describe, expect, it } from 'vitest';
import { RoundQueue } from './order';

/** A queue of rows [time, id]; returns it and the ids in the order delivered. */
function queue(): { q: RoundQueue; out: number[]; push: (t: number, id: number) => void } {
  const out: number[] = [];
  const q = new RoundQueue(2, (rows, at) => out.push(rows[at + 1]));
  // The rows are read after the push: it may have grown them.
  const push = (t: number, id: number): void => {
    const at = q.push(t);
    q.rows[at + 1] = id;
  };
  return { q, out, push };
}

describe('RoundQueue (perf ordered-events rounds)', () => {
  it('delivers at each round what came before the previous round, by time, equal times in push order', () => {
    const { q, out, push } = queue();
    // Round 1: two CPU buffers, each in time order.
    push(30, 1);
    push(10, 2);
    push(30, 3);
    push(20, 4);
    q.round(); // nothing yet: the limit is the newest time before the previous round (none)
    expect(out).toEqual([]);
    push(25, 5);
    push(40, 6);
    q.round(); // up to 30, the newest time seen before the last round
    expect(out).toEqual([2, 4, 5, 1, 3]);
    push(35, 7);
    q.finish();
    expect(out).toEqual([2, 4, 5, 1, 3, 7, 6]);
    expect(q.late).toBe(0);
    expect(q.pending).toBe(0);
  });

  it('counts an event older than what a round already delivered, and still delivers it', () => {
    const { q, out, push } = queue();
    push(10, 1);
    q.round();
    push(20, 2);
    q.round(); // delivers 1 (up to 10)
    push(5, 3); // below the flushed 10: perf's "Timestamp below last timeslice flush"
    q.finish();
    expect(out).toEqual([1, 3, 2]);
    expect(q.late).toBe(1);
  });

  it('keeps every row and its order when the rows grow past their first allocation', () => {
    const { q, out, push } = queue();
    const n = 10000;
    // Two interleaved runs, like two CPU buffers, with many equal times.
    for (let i = 0; i < n; i++) push(Math.floor(i / 4), i);
    q.round();
    for (let i = 0; i < n; i++) push(Math.floor(i / 4), n + i);
    q.finish();
    const expected = [];
    for (let t = 0; t < n / 4; t++) {
      for (let k = 0; k < 4; k++) expected.push(t * 4 + k);
      for (let k = 0; k < 4; k++) expected.push(n + t * 4 + k);
    }
    expect(out).toEqual(expected);
  });
});
