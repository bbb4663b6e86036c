import { describe, expect, it } from 'vitest';
import type { TraceBuilder } from '../model/builder';
import { PrevState } from '../model/types';
import { SwitchQueue } from './timehistQueue';

describe('SwitchQueue', () => {
  it('keeps file order and every column when it grows while wrapped (a quiet CPU holds the head)', () => {
    const out: number[][] = [];
    const b = {
      line: 0,
      addSwitch: (time: number, cpu: number, prev: number, state: PrevState, next: number) =>
        out.push([time, cpu, prev, state, next, b.line]),
    };
    const q = new SwitchQueue(b as unknown as TraceBuilder, () => -1);
    // What each pushed switch must come out as, once its next task is known (the next switch on its CPU).
    const pushed: number[][] = [];
    const push = (cpu: number): void => {
      const n = pushed.length;
      const prev = q.waiting(cpu);
      if (prev >= 0) {
        q.resolve(prev, 1000 + n);
        pushed[prev][4] = 1000 + n;
      }
      const state = n % 3 === 0 ? PrevState.Runnable : PrevState.Sleeping;
      q.push(n, cpu, 2000 + n, state, -1, n + 1);
      pushed.push([n, cpu, 2000 + n, state, -1, n + 1]);
      q.flush();
    };
    for (let i = 0; i < 3000; i++) push(1); // the head moves on: later entries wrap around the ring's end
    push(0); // CPU 0's switch waits for its next line, and holds every switch behind it
    for (let i = 0; i < 20000; i++) push(1 + (i % 5)); // past the first capacity (4096) twice, wrapped
    expect(out).toEqual(pushed.slice(0, 3000));
    push(0);
    // All but the last switch of CPUs 0-5, which wait for their next, came out in file order.
    const waiting = pushed.filter((s) => s[4] < 0).length;
    expect(waiting).toBe(6);
    expect(out).toEqual(
      pushed.slice(
        0,
        pushed.findIndex((s) => s[4] < 0),
      ),
    );
    expect(out.length).toBeGreaterThan(20000);
  });

  it('says when a flush can hand switches on: a known head or an inferred switch, never a known switch behind the head', () => {
    const out: number[][] = [];
    const b = {
      line: 0,
      addSwitch: (time: number, cpu: number, prev: number, _state: PrevState, next: number, inferred = false) =>
        out.push([time, cpu, prev, next, inferred ? 1 : 0]),
    };
    const q = new SwitchQueue(b as unknown as TraceBuilder, () => 99);
    q.push(10, 0, 1, PrevState.Runnable, -1, 1);
    q.push(20, 1, 2, PrevState.Runnable, -1, 2);
    // CPU 1's switch is known but CPU 0's, at the head, is not: nothing can go.
    q.resolve(1, 3);
    expect(q.mayFlush(1)).toBe(false);
    q.flush();
    expect(out).toEqual([]);
    // An inferred switch before the head can go even though the head waits.
    q.infer(5, 2, 4, 3);
    expect(q.mayFlush(1)).toBe(true);
    q.flush();
    expect(out).toEqual([[5, 2, 99, 4, 1]]);
    expect(q.mayFlush(1)).toBe(false);
    // The head known: it goes, and the known switch behind it with it, in file order.
    q.resolve(0, 5);
    expect(q.mayFlush(0)).toBe(true);
    q.flush();
    expect(out.slice(1)).toEqual([
      [10, 0, 1, 5, 0],
      [20, 1, 2, 3, 0],
    ]);
    expect(q.waiting(0)).toBe(-1);
  });
});
