// A generated run for the frame benchmark: the synth host simulation
// (src/synth) fed straight into a trace model (TraceModelSink), no text in
// between, stopped at a target switch count. Realistic shapes (VMs of vCPU
// threads with tgids, host noise, R/R+/S states, wakeups) at any size, in the
// browser or Node.

import { assembleRuns, type Run } from '../src/model/runs';
import { simulateHost } from '../src/synth/generate';
import { buildHost } from '../src/synth/hostModel';
import type { SynthPolicy } from '../src/synth/schedule';
import { EnoughSwitches, TraceModelSink } from '../src/synth/traceModelSink';

export interface BenchModelOptions {
  cpus?: number;
  vms?: number;
  vcpus?: number;
  policy?: SynthPolicy;
  seed?: number;
}

/** Simulate until `switches` switches (default host: 80 CPUs, 8 VMs × 20 vCPUs, PLE on). */
export function benchRun(switches: number, opts: BenchModelOptions = {}): Run {
  const cpus = opts.cpus ?? 80;
  const vms = opts.vms ?? 8;
  const vcpus = opts.vcpus ?? 20;
  const sink = new TraceModelSink(buildHost(cpus, vms, vcpus), switches);
  // Generous duration: the sink stops the simulation at the target.
  const seconds = Math.max(0.01, (switches / (cpus * 2000)) * 4);
  try {
    simulateHost({ cpus, vms, vcpus, seconds, policy: opts.policy ?? 'ple-on', format: 'script-pidtid', seed: opts.seed ?? 1 }, sink);
  } catch (e) {
    if (!(e instanceof EnoughSwitches)) throw e;
  }
  return assembleRuns([{ name: `generated-${switches}`, kind: 'trace', model: sink.model() }])[0];
}
