// Metric noise over sub-windows, on a real fixture (the synth pin-spread run, 2 s on 2 CPUs).

import { describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns } from '../model/runs';
import { fixturePath } from '../../test/fixtures';
import { analyzeRun } from './analyze';
import { metricNoise, standardError, SUB_WINDOWS } from './noise';

describe('metricNoise', () => {
  it('is the standard error of each metric over 10 equal sub-windows of the window', async () => {
    const [run] = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-yield-pin-spread.script-pidtid.txt')]));
    const whole = analyzeRun(run);
    const range: [number, number] = [whole.window.startUs * 1000 + 2e8, whole.window.startUs * 1000 + 1.2e9];
    const n = metricNoise(run, { range });
    expect(n.subWindows).toBe(SUB_WINDOWS);
    expect(n.subWindowNs).toBe(1e8);
    // By hand: the 10 sub-windows of [0.2 s, 1.2 s) from the first switch.
    const subs = Array.from({ length: 10 }, (_, i) =>
      analyzeRun(run, { range: [range[0] + i * 1e8, range[0] + (i + 1) * 1e8] }),
    );
    for (let v = 0; v < run.vms.length; v++) {
      const rates = subs.map((s) => s.vms[v].switchInsPerSec);
      expect(n.vms[v].switchInsPerSec).toBeCloseTo(standardError(rates)!, 9);
      // Rates vary between sub-windows of a real run: a positive standard error.
      expect(n.vms[v].switchInsPerSec).toBeGreaterThan(0);
      // No kvm exits in this trace: no PLE exits noise either.
      expect(n.vms[v].pleExitsPerSec).toBeNull();
    }
    expect(n.host.switchesPerSecPerCpu).toBeCloseTo(standardError(subs.map((s) => s.switchesPerSecPerCpu))!, 9);
  });
});
