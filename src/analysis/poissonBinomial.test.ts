import { describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns } from '../model/runs';
import { fixturePath } from '../../test/fixtures';
import { analyzeRun } from './analyze';
import { poissonBinomial } from './poissonBinomial';

describe('poissonBinomial', () => {
  it('worked examples: two vCPUs at 50%, three at 50/25/100%, equal p is the binomial', () => {
    expect(poissonBinomial([0.5, 0.5])).toEqual([0.25, 0.5, 0.25]);
    // r = 1 + Bernoulli(0.5) + Bernoulli(0.25): P(1) = 0.5·0.75, P(2) = 0.5·0.25 + 0.5·0.75, P(3) = 0.5·0.25.
    expect(poissonBinomial([0.5, 0.25, 1])).toEqual([0, 0.375, 0.5, 0.125]);
    const b = poissonBinomial(Array(20).fill(0.3));
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    b.forEach((x, j) => expect(x).toBeCloseTo(choose(20, j) * 0.3 ** j * 0.7 ** (20 - j), 14));
    expect(poissonBinomial([])).toEqual([1]);
  });

  it("a real run's coRunIndependent sums to 1 and gives its independent gang score", async () => {
    const [run] = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-yield-pin-spread.script-pidtid.txt')]));
    for (const vm of analyzeRun(run).vms) {
      const pb = vm.coRunIndependent as number[];
      expect(pb).toHaveLength(vm.vcpuCount + 1);
      expect(pb.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      // Mean Σp and P(r > 0) = 1 − Π(1 − p): the gang score's independent baseline (k = n here).
      const mean = pb.reduce((a, x, j) => a + j * x, 0);
      expect(mean / (vm.k * (1 - pb[0]))).toBeCloseTo(vm.gangScoreIndependent!, 12);
    }
  });
});
