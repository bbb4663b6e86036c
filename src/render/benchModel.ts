// A generated run for the frame benchmark: the synth scheduler simulation
// (src/synth) fed straight into a TraceBuilder, no text in between, stopped at
// a target switch count. Realistic shapes (VMs of vCPU threads with tgids,
// host noise, R/R+/S states, wakeups) at any size, in the browser or Node.

import { TraceBuilder } from '../model/builder';
import { assembleRuns, type Run } from '../model/runs';
import { PrevState, WakeupKind } from '../model/types';
import type { SwitchState } from '../synth/events';
import { simulateHost } from '../synth/generate';
import { buildHost } from '../synth/hostModel';
import type { SynthPolicy } from '../synth/schedule';

export interface BenchModelOptions {
  cpus?: number;
  vms?: number;
  vcpus?: number;
  policy?: SynthPolicy;
  seed?: number;
}

const STATE: Record<SwitchState, PrevState> = {
  R: PrevState.Runnable,
  'R+': PrevState.Preempted,
  S: PrevState.Sleeping,
  D: PrevState.Uninterruptible,
  I: PrevState.Idle,
};

class Stop extends Error {}

/** Simulate until `switches` switches (default host: 80 CPUs, 8 VMs × 20 vCPUs, PLE on). */
export function benchRun(switches: number, opts: BenchModelOptions = {}): Run {
  const cpus = opts.cpus ?? 80;
  const vms = opts.vms ?? 8;
  const vcpus = opts.vcpus ?? 20;
  const host = buildHost(cpus, vms, vcpus);
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
    const options = { cpus, vms, vcpus, seconds, policy, format: 'script-pidtid' as const, seed: opts.seed ?? 1 };
    simulateHost(options, {
      switch(t, cpu, prev, state, next) {
        b.addSwitch(t, cpu, idx(prev), STATE[state], idx(next));
        if (b.switchCount >= switches) throw new Stop();
      },
      waking(t, _cpu, _current, _ctx, task, target) {
        b.addWakeup(t, idx(task), target, WakeupKind.Waking);
      },
      migrate() {},
      kvmExit() {},
      kvmEntry() {},
      end() {},
    });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  const model = b.finish();
  return assembleRuns([{ name: `generated-${switches}`, kind: 'trace', model }])[0];
}
