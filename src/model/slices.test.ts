import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './builder';
import { PrevState, SliceEnd } from './types';

describe('computeSlices', () => {
  it('ends slices at the next switch, by migration, and at T1', () => {
    const b = new TraceBuilder('perf-script');
    const x = b.task(100, 'x', 0);
    const y = b.task(200, 'y', 0);
    // cpu0: x at 0; cpu1: y at 10; cpu1: x at 20 (x migrates, cpu0 slice ends by rule); cpu0: idle at 30
    b.addSwitch(0, 0, -1, PrevState.Unknown, x);
    b.addSwitch(10, 1, -1, PrevState.Unknown, y);
    b.addSwitch(20, 1, y, PrevState.Preempted, x);
    b.addSwitch(30, 0, x, PrevState.Unknown, 0);
    const m = b.finish();
    expect(Array.from(m.slices.end)).toEqual([20, 20, 30, 30]);
    expect(Array.from(m.slices.endReason)).toEqual([
      SliceEnd.Migration,
      SliceEnd.Switch,
      SliceEnd.TraceEnd,
      SliceEnd.TraceEnd,
    ]);
  });

  it('never applies the migration rule to the idle task', () => {
    const b = new TraceBuilder('perf-script');
    b.addSwitch(0, 0, -1, PrevState.Unknown, 0);
    b.addSwitch(5, 1, -1, PrevState.Unknown, 0);
    b.addSwitch(9, 1, -1, PrevState.Unknown, 0);
    const m = b.finish();
    expect(Array.from(m.slices.end)).toEqual([9, 9, 9]);
    expect(m.slices.endReason[0]).toBe(SliceEnd.TraceEnd);
  });

  it('keeps exact nanoseconds relative to the first timestamp on long uptimes', () => {
    const b = new TraceBuilder('perf-script');
    expect(b.time(9_876_543_210, 123_456_789)).toBe(0);
    expect(b.time(9_876_543_211, 123_456_790)).toBe(1_000_000_001);
  });
});
