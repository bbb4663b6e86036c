// The named policies of `schedmap synth`: the same simulated host (simulator.ts),
// differing only in the mechanisms the talk names.
//  ple-off          a spinning vCPU burns its whole timeslice (no PAUSE exits)
//  ple-on           after ple_window cycles of PAUSE the vCPU exits and
//                   kvm_vcpu_on_spin yield_to()s a preempted sibling
//  throttled-yield  at most one yield_to() per vCPU per jiffy, other PAUSE
//                   exits yield(); placed so that no two vCPUs of a VM share a
//                   runqueue (`placement: 'free'` lifts that)
//  gang             a VM's vCPUs are scheduled in and out together, PLE off
//  numa             ple-on, each VM kept on its home node

import { RecordingWindow, type HostEventSink } from './events';
import type { SynthHost } from './hostModel';
import type { SimParams } from './params';
import { Placement, type PlacementRule } from './placement';
import type { Random } from './random';
import { HostSim, type Mechanisms } from './simulator';
import type { VmStats } from './guest';
import type { HostStats } from './hostStats';

export type SynthPolicy = 'gang' | 'ple-off' | 'ple-on' | 'throttled-yield' | 'numa';
export const SYNTH_POLICIES: readonly SynthPolicy[] = ['gang', 'ple-off', 'ple-on', 'throttled-yield', 'numa'];

export const POLICY_MECHANISMS: Readonly<Record<SynthPolicy, Mechanisms>> = {
  'ple-off': { ple: false, pleHandler: 'directed', gang: false },
  'ple-on': { ple: true, pleHandler: 'directed', gang: false },
  'throttled-yield': { ple: true, pleHandler: 'throttled', gang: false },
  gang: { ple: false, pleHandler: 'directed', gang: true },
  numa: { ple: true, pleHandler: 'directed', gang: false },
};

/** The placement a policy uses unless told otherwise. */
export function defaultPlacement(policy: SynthPolicy): PlacementRule {
  return policy === 'throttled-yield' ? 'restricted' : policy === 'gang' ? 'gang' : policy === 'numa' ? 'numa' : 'free';
}

export interface SimulateOptions {
  policy: SynthPolicy;
  seconds: number;
  params: SimParams;
  /** Node of each CPU (all 0 on a one-node host). */
  nodeOfCpu: ArrayLike<number>;
  /** Overrides the policy's placement: 'free' or 'restricted' (gang and numa keep theirs). */
  placement?: 'free' | 'restricted';
  /** Emit kvm_exit / kvm_entry events. */
  kvm: boolean;
  /** Seconds the host runs before the recording starts (not traced, not counted). */
  warmup: number;
}

/** Run the simulation, streaming its events into `sink`; returns what each VM's guest did and what the host did. */
export function simulate(host: SynthHost, options: SimulateOptions, rnd: Random, sink: HostEventSink): { stats: VmStats[]; host: HostStats } {
  const base = defaultPlacement(options.policy);
  const rule = options.placement && (base === 'free' || base === 'restricted') ? options.placement : base;
  const placement = new Placement(host, options.nodeOfCpu, rule);
  const warm = Math.round(options.warmup * 1e9);
  const recorded = warm > 0 ? new RecordingWindow(sink, warm) : sink;
  const sim = new HostSim(host, options.params, POLICY_MECHANISMS[options.policy], placement, rnd, recorded, options.kvm);
  sim.run(options.seconds, options.warmup);
  return { stats: sim.stats, host: sim.hostStats };
}
