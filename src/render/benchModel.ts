// A generated run for the frame benchmark: the synth scheduler simulation
// (src/synth) fed straight into a TraceBuilder, no text in between, stopped at
// a target switch count. Realistic shapes (VMs of vCPU threads with tgids,
// host noise, R/R+/S states, wakeups) at any size, in the browser or Node.

import { TraceBuilder } from '../model/builder';
import { assembleRuns, type Run } from '../model/runs';
import { PrevState, WakeupKind } from '../model/types';
import { buildHost } from '../synth/hostModel';
import { mulberry32 } from '../synth/random';
import { simulate, type SynthPolicy, type SynthState } from '../synth/schedule';

export interface BenchModelOptions {
  cpus?: number;
  vms?: number;
  vcpus?: number;
  policy?: SynthPolicy;
  seed?: number;
}

const STATE: Record<SynthState, PrevState> = {
  R: PrevState.Runnable,
  'R+': PrevState.Preempted,
  S: PrevState.Sleeping,
  D: PrevState.Uninterruptible,
};

class Stop extends Error {}

/** Simulate until `switches` switches (default host: 80 CPUs, 8 VMs × 20 vCPUs, PLE on). */
export function benchRun(switches: number, opts: BenchModelOptions = {}): Run {
  const cpus = opts.cpus ?? 80;
  const host = buildHost(cpus, opts.vms ?? 8, opts.vcpus ?? 20);
  const policy = opts.policy ?? 'ple-on';
  const b = new TraceBuilder('perf-script', 'generated (synth simulation)');
  b.hasStates = true;
  b.declaredCpuCount = cpus;
  const taskOf = host.tasks.map((t) => {
    const i = b.task(t.tid, t.comm, 0);
    b.setTgid(i, t.tgid);
    return i;
  });
  const idx = (t: number): number => (t < 0 ? 0 : taskOf[t]);
  // Generous duration: the simulation stops itself at the target.
  const seconds = Math.max(0.01, (switches / (cpus * 2000)) * 4);
  try {
    simulate(host, policy, seconds, mulberry32(opts.seed ?? 1), {
      switch(t, cpu, prev, state, next) {
        b.addSwitch(t, cpu, idx(prev), STATE[state], idx(next));
        if (b.switchCount >= switches) throw new Stop();
      },
      waking(t, _cpu, task, target) {
        b.addWakeup(t, idx(task), target, WakeupKind.Waking);
      },
    });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  const model = b.finish();
  return assembleRuns([{ name: `generated-${switches}`, kind: 'trace', model }])[0];
}
