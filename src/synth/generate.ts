// One call from options to a trace: build the host, simulate, render, and the
// ground truth (`OUT.sim.json`) of what the simulated guests did.

import type { HostTopology } from '../model/topology';
import { CountingSink, teeSinks, type HostEventSink } from './events';
import type { VmStats } from './guest';
import type { HostStats } from './hostStats';
import { buildHost } from './hostModel';
import { simParams, type SimKnobs, type SimParams } from './params';
import { mulberry32 } from './random';
import { createRenderer, formatShowsKvm, type BinaryOutput, type SynthOutputFormat, type Write } from './render';
import { defaultPlacement, simulate, type SynthPolicy } from './schedule';
import { synthTopology } from './topology';

export interface SynthOptions extends Partial<SimKnobs> {
  cpus: number;
  vms: number;
  vcpus: number;
  seconds: number;
  policy: SynthPolicy;
  format: SynthOutputFormat;
  seed: number;
  /** NUMA nodes of the host (default 1); CPUs are split evenly, one socket per node. */
  nodes?: number;
  /** Two SMT threads per core (default off). */
  smt?: boolean;
  /** Write kvm:kvm_exit / kvm:kvm_entry events (perf script and ftrace formats). */
  kvm?: boolean;
  /** 'restricted': no two vCPUs of a VM on one runqueue (throttled-yield's default); 'free' lifts it. */
  placement?: 'free' | 'restricted';
  /** Seconds the host runs before the recording starts (default 0.2): the trace and the counts start after it. */
  warmup?: number;
}

export const DEFAULT_WARMUP = 0.2;

export const DEFAULT_SYNTH: SynthOptions = {
  cpus: 80,
  vms: 8,
  vcpus: 20,
  // 1 s of the talk's host: ple-on's yield storms switch ~100 k times per CPU-second.
  seconds: 1,
  policy: 'ple-on',
  format: 'map',
  seed: 1,
};

/** The ground truth written beside a trace. */
export interface SimTruth {
  generator: 'schedmap synth';
  options: Required<Pick<SynthOptions, 'cpus' | 'vms' | 'vcpus' | 'seconds' | 'policy' | 'format' | 'seed' | 'nodes' | 'smt' | 'kvm'>> & {
    placement: string;
  };
  parameters: SimParams;
  /** Per VM: `name` and `tgid` as `schedmap analyze` names it from this format (tgid null where the format has none), `pid` its QEMU process. */
  vms: (VmStats & { name: string; tgid: number | null; pid: number; vcpus: number })[];
  /** What the host did over the same window (src/synth/hostStats.ts): where CPU time went, PAUSE exit outcomes, boosts, switches. */
  host: HostStats;
}

export interface SynthRun {
  switches: number;
  truth: SimTruth;
}

/** The host's topology for these options (write it with lscpuText). */
export function generatedTopology(options: SynthOptions): HostTopology {
  return synthTopology(options.cpus, { nodes: options.nodes ?? 1, smt: options.smt ?? false });
}

/** Formats that carry tgids, so that analyze names VMs `vm<tgid>`. */
const WITH_TGID: ReadonlySet<SynthOutputFormat> = new Set(['script-pidtid', 'ftrace', 'timehist', 'perf.data']);

/** Simulate and stream events into `sink`; the same options and seed give the same events. */
export function simulateHost(options: SynthOptions, sink: HostEventSink): { stats: VmStats[]; host: HostStats; params: SimParams } {
  const host = buildHost(options.cpus, options.vms, options.vcpus);
  const topology = generatedTopology(options);
  const nodeOfCpu = new Int32Array(options.cpus);
  for (const c of topology.cpus) nodeOfCpu[c.cpu] = topology.nodes.indexOf(c.node);
  const params = simParams(options.cpus, options);
  const { stats, host: hostStats } = simulate(
    host,
    {
      policy: options.policy,
      seconds: options.seconds,
      params,
      nodeOfCpu,
      placement: options.placement,
      kvm: (options.kvm ?? false) && formatShowsKvm(options.format),
      warmup: options.warmup ?? DEFAULT_WARMUP,
    },
    mulberry32(options.seed),
    sink,
  );
  return { stats, host: hostStats, params };
}

/** Generate a trace, handing text to `write` in pieces (a perf.data to `binary`), with its ground truth. */
export function runSynth(options: SynthOptions, write: Write, binary?: BinaryOutput): SynthRun {
  const host = buildHost(options.cpus, options.vms, options.vcpus);
  let entries = 0;
  if (options.format === 'ftrace') {
    // ftrace's header counts the entries that follow: a first, identical run counts them.
    const count = new CountingSink();
    simulateHost(options, count);
    entries = count.total;
  }
  const counter = new CountingSink();
  const { stats, host: hostStats, params } = simulateHost(options, teeSinks([counter, createRenderer(options.format, host, write, entries, binary && { ...binary, kvm: options.kvm ?? false })]));
  const tgids = WITH_TGID.has(options.format);
  return {
    switches: counter.switches,
    truth: {
      generator: 'schedmap synth',
      options: {
        cpus: options.cpus,
        vms: options.vms,
        vcpus: options.vcpus,
        seconds: options.seconds,
        policy: options.policy,
        format: options.format,
        seed: options.seed,
        nodes: options.nodes ?? 1,
        smt: options.smt ?? false,
        kvm: options.kvm ?? false,
        placement: options.placement ?? defaultPlacement(options.policy),
      },
      parameters: params,
      vms: stats.map((s, v) => {
        const pid = host.tasks[host.vmVcpus[v][0]].tgid;
        return { name: tgids ? `vm${pid}` : `vm${v}`, tgid: tgids ? pid : null, pid, vcpus: options.vcpus, ...s };
      }),
      host: hostStats,
    },
  };
}

/** Generate a trace, handing text to `write` in pieces; returns the number of switches. */
export function generateTrace(options: SynthOptions, write: Write): number {
  return runSynth(options, write).switches;
}

/** Buffer small writes into large ones (file streams are slow per call). */
export function bufferedWriter(flush: (chunk: string) => void, size = 1 << 20): { write: Write; end: () => void } {
  let parts: string[] = [];
  let length = 0;
  return {
    write(text) {
      parts.push(text);
      length += text.length;
      if (length >= size) {
        flush(parts.join(''));
        parts = [];
        length = 0;
      }
    },
    end() {
      if (length > 0) flush(parts.join(''));
      parts = [];
      length = 0;
    },
  };
}
