// Analysis benchmark: every metric (analyzeRun) on a 10-million-switch model of
// a big host (80 CPUs, 8 VMs x 20 vCPUs, PLE-on-like), built straight from the
// trace generator's simulation: parsing 10M switches of text would take
// minutes and gigabytes of disk; the parse bench gives switches/s to set the
// two side by side.

import { analyzeRun } from '../src/analysis/analyze';
import { benchRun } from './benchModel';

export interface AnalysisBenchResult {
  switches: number;
  /** Median of the runs. */
  analysisMs: number;
  samples: number[];
  buildMs: number;
}

export function runAnalysisBench(targetSwitches: number, repeats: number): AnalysisBenchResult {
  let t = performance.now();
  const run = benchRun(targetSwitches, { cpus: 80, vms: 8, vcpus: 20, policy: 'ple-on', seed: 1 });
  const buildMs = performance.now() - t;
  const times: number[] = [];
  // A full collection first, so each run allocates fresh memory as in the app
  // (the benchmark runs Node with --expose-gc) and not the previous run's garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let r = 0; r < repeats; r++) {
    gc?.();
    t = performance.now();
    analyzeRun(run);
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    switches: run.model.switches.length,
    analysisMs: sorted[Math.floor(sorted.length / 2)],
    samples: times,
    buildMs,
  };
}
