import { describe, expect, it } from 'vitest';
import { analyzeRun } from './analyze';
import { seriesForRun } from './series';
import { US } from '../testing/runs';
import { runFromTimeline } from '../testing/timeline';

/** Two VMs of two vCPUs each, taking turns on both CPUs every 100 µs (one column = 10 µs), idle from 400 µs. */
const GANG = `
  time 0         100       200       300       400
  cpu0 |a0-------|b0-------|a0-------|b0-------|
  cpu1 |a1-------|b1-------|a1-------|b1-------|
`;

/** As perf sched map gives it: no prev task or state. */
const gang = () => runFromTimeline(GANG, { unit: 10 * US, states: false }).run;

describe('seriesForRun', () => {
  it('bins from T0, with a partial last bin normalised by its real width', () => {
    // 150 µs bins over D = 400: [0,150), [150,300), [300,400] (100 µs wide).
    const s = seriesForRun(gang(), 150 * US);
    expect(s.binStartsUs).toEqual([0, 150, 300]);
    expect(s.binWidthsUs).toEqual([150, 150, 100]);
    const [A, B] = s.vms;
    // A: r = 2 on [0,100) and [200,300): bin 0 ∫ = 200 → 200/150; bin 1 ∫ = 200 → 200/150; bin 2: 0.
    expect(A.meanRunning[0]).toBeCloseTo(4 / 3, 12);
    expect(A.meanRunning[1]).toBeCloseTo(4 / 3, 12);
    expect(A.meanRunning[2]).toBe(0);
    // B: r = 2 on [100,200) and [300,400): bin 0 ∫ = 100, bin 1 ∫ = 100, bin 2 ∫ = 200 over 100 µs = 2.
    expect(B.meanRunning[0]).toBeCloseTo(2 / 3, 12);
    expect(B.meanRunning[1]).toBeCloseTo(2 / 3, 12);
    expect(B.meanRunning[2]).toBe(2);
    // Switch-ins: A at 0 (2) and 200 (2); B at 100 (2) and 300 (2).
    expect(A.switchIns).toEqual([2, 2, 0]);
    expect(B.switchIns).toEqual([2, 0, 2]);
    // Bin 2 of B: 2 switch-ins in 100 µs = 20000 /s.
    expect(B.switchInsPerSec[2]).toBeCloseTo(20000, 6);
    expect(B.switchInsPerSec[0]).toBeCloseTo(2 / 150e-6, 6);
  });

  it('bins from a with a range, and the time-weighted mean of the bins is the gang integral', () => {
    // [50, 350), 100 µs bins: [50,150), [150,250), [250,350).
    const s = seriesForRun(gang(), 100 * US, { range: [50 * US, 350 * US] });
    expect(s.startUs).toBe(50);
    expect(s.binStartsUs).toEqual([50, 150, 250]);
    // A: r=2 on [50,100) → bin0 ∫ 100 → 1; [200,250) → bin1 ∫ 100 → 1; [250,300) → bin2 ∫ 100 → 1.
    expect(s.vms[0].meanRunning).toEqual([1, 1, 1]);
    // Switch-ins in [50,350): A at 200 (bin 1); B at 100 (bin 0), 300 (bin 2).
    expect(s.vms[0].switchIns).toEqual([0, 2, 0]);
    expect(s.vms[1].switchIns).toEqual([2, 0, 2]);
    // Σ mean × width = ∫ r over the window = cpuShare × D × P.
    const m = analyzeRun(gang(), { range: [50 * US, 350 * US] });
    for (let v = 0; v < 2; v++) {
      const integral = s.vms[v].meanRunning.reduce<number>((acc, x, k) => acc + (x ?? NaN) * s.binWidthsUs[k], 0);
      expect(integral).toBeCloseTo((m.vms[v].cpuShare ?? NaN) * 300 * 2, 9);
    }
  });

  it('puts switches at T1 in the last bin, and has no bins when D = 0', () => {
    const s = seriesForRun(gang(), 400 * US);
    expect(s.binWidthsUs).toEqual([400]);
    expect(s.vms[0].switchIns).toEqual([4]);
    expect(seriesForRun(gang(), 100 * US, { range: [100 * US, 100 * US] }).binStartsUs).toEqual([]);
    expect(() => seriesForRun(gang(), 0)).toThrow(RangeError);
  });
});
