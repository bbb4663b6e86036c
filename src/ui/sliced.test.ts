import { describe, expect, it } from 'vitest';
import { runSliced } from './sliced';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('runSliced', () => {
  it('runs the first slice at once and the rest in later tasks, then done once', async () => {
    let t = 0;
    const now = (): number => t;
    const seen: number[] = [];
    let done = 0;
    let units = 0;
    // 10 units of 3 ms each; 8 ms slices: 3 units per slice (the third passes the deadline).
    runSliced(
      (deadline) => {
        seen.push(units);
        while (units < 10) {
          units++;
          t += 3;
          if (t >= deadline) break;
        }
        return units < 10;
      },
      () => done++,
      { sliceMs: 8, now },
    );
    expect(seen).toEqual([0]);
    expect(units).toBe(3);
    for (let i = 0; i < 10 && done === 0; i++) await tick();
    expect(seen).toEqual([0, 3, 6, 9]);
    expect(done).toBe(1);
  });

  it('defers the first slice when asked, and stops when cancelled', async () => {
    let calls = 0;
    const cancel = runSliced(
      () => {
        calls++;
        return true;
      },
      () => {
        throw new Error('not done');
      },
      { defer: true },
    );
    expect(calls).toBe(0);
    await tick();
    expect(calls).toBeGreaterThan(0);
    cancel();
    const after = calls;
    for (let i = 0; i < 5; i++) await tick();
    expect(calls).toBe(after);
  });
});
