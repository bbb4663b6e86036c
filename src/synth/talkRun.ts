// One simulated run analysed the way a user's trace would be, without text:
// the event stream into a model (TraceModelSink), analyzeRun over it, and the
// simulator's own counts beside. Used by talk.test.ts and by the bench's
// `talk` part, which prints the tables of docs/simulator.md.

import { analyzeRun } from '../analysis/analyze';
import { durationNs } from '../analysis/summary';
import { assembleRuns } from '../model/runs';
import { simulateHost, type SynthOptions } from './generate';
import { buildHost } from './hostModel';
import type { HostStats } from './hostStats';
import type { SimKnobs } from './params';
import type { SynthPolicy } from './schedule';
import { TraceModelSink } from './traceModelSink';

export interface TalkHost {
  cpus: number;
  vms: number;
  vcpus: number;
}

export interface TalkRun {
  /** Mean guest work (lock acquisitions) per VM per second, the simulator's count. */
  work: number;
  /** Means over the VMs of what analyzeRun reports. */
  coScheduling: number;
  runSliceMedianUs: number;
  pleExitsPerSec: number;
  /** PAUSE exits per VM: counted by the simulator, and found by the analysis in its window. */
  simExits: number[];
  seenExits: number[];
  /** What the host did (OUT.sim.json's `host`). */
  host: HostStats;
}

export const TALK: TalkHost = { cpus: 80, vms: 8, vcpus: 20 };
export const MEDIUM: TalkHost = { cpus: 40, vms: 8, vcpus: 10 };

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `seconds` recorded after `warmup` (long enough for PLE off's ticket-lock convoys to form). */
export function talkRun(
  policy: SynthPolicy,
  seed: number,
  host: TalkHost,
  extra: Partial<SimKnobs> & Pick<SynthOptions, 'placement'> = {},
  seconds = 0.1,
  warmup = 0.1,
): TalkRun {
  const options: SynthOptions = { ...host, ...extra, seconds, policy, seed, format: 'script-pidtid', kvm: true, warmup };
  const sink = new TraceModelSink(buildHost(host.cpus, host.vms, host.vcpus));
  const { stats, host: hostStats } = simulateHost(options, sink);
  const [run] = assembleRuns([{ name: policy, kind: 'trace', model: sink.model() }]);
  const vms = analyzeRun(run).vms;
  const window = durationNs(run) / 1e9;
  return {
    work: mean(stats.map((s) => s.lockAcquisitions)) / seconds,
    coScheduling: mean(vms.map((v) => v.coScheduling ?? NaN)),
    runSliceMedianUs: mean(vms.map((v) => v.runSliceMedianUs ?? NaN)),
    pleExitsPerSec: mean(vms.map((v) => v.pleExitsPerSec ?? 0)),
    simExits: stats.map((s) => s.pleExits),
    seenExits: vms.map((v) => Math.round((v.pleExitsPerSec ?? 0) * window)),
    host: hostStats,
  };
}

/** Spearman's rank correlation (average ranks for ties). */
export function spearman(x: number[], y: number[]): number {
  const rank = (v: number[]): number[] => {
    const order = v.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
      for (let k = i; k <= j; k++) r[order[k].i] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(x);
  const ry = rank(y);
  const mx = mean(rx);
  const my = mean(ry);
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < x.length; i++) {
    num += (rx[i] - mx) * (ry[i] - my);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - my) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}
