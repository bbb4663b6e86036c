// Analysis benchmark: every metric (analyzeRun) on a 10-million-switch model of
// a big host, built straight from the trace generator's simulation (parsing 10M
// switches of text would take minutes and gigabytes of disk; the parse bench
// gives switches/s to set the two side by side).

import { analyzeRun } from '../src/analysis/analyze';
import { TraceBuilder } from '../src/model/builder';
import { assembleRuns } from '../src/model/runs';
import { PrevState, WakeupKind, type TraceModel } from '../src/model/types';
import { buildHost } from '../src/synth/hostModel';
import { mulberry32 } from '../src/synth/random';
import { simulate, type SynthPolicy, type SynthState } from '../src/synth/schedule';

const STATE: Record<SynthState, PrevState> = {
  R: PrevState.Runnable,
  'R+': PrevState.Preempted,
  S: PrevState.Sleeping,
  D: PrevState.Uninterruptible,
};

export function buildSynthModel(cpus: number, vms: number, vcpus: number, seconds: number, policy: SynthPolicy): TraceModel {
  const host = buildHost(cpus, vms, vcpus);
  const b = new TraceBuilder('perf-script', 'generated in memory');
  b.hasStates = true;
  const taskOf = host.tasks.map((t) => {
    const i = b.task(t.tid, t.comm, 0);
    b.setTgid(i, t.tgid);
    return i;
  });
  const idx = (t: number): number => (t < 0 ? 0 : taskOf[t]);
  b.time(0, 0);
  simulate(host, policy, seconds, mulberry32(11), {
    switch: (t, cpu, prev, state, next) => b.addSwitch(t, cpu, idx(prev), STATE[state], idx(next)),
    waking: (t, _cpu, task, target) => b.addWakeup(t, idx(task), target, WakeupKind.Waking),
  });
  return b.finish();
}

export interface AnalysisBenchResult {
  switches: number;
  analysisMs: number;
  buildMs: number;
}

export function runAnalysisBench(targetSwitches: number, repeats: number): AnalysisBenchResult {
  // Probe a short run to size the simulation to the target switch count.
  const probe = buildSynthModel(80, 8, 20, 0.05, 'ple-on').switches.length;
  const seconds = (0.05 * targetSwitches) / probe;
  let t = performance.now();
  const model = buildSynthModel(80, 8, 20, seconds, 'ple-on');
  const buildMs = performance.now() - t;
  const [run] = assembleRuns([{ name: 'bench', kind: 'trace', model }]);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    t = performance.now();
    analyzeRun(run);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { switches: model.switches.length, analysisMs: times[Math.floor(times.length / 2)], buildMs };
}
