// `schedmap synth`: simulate a host (src/synth) and write its trace in real
// perf / ftrace text, plus FILE.sim.json, the ground truth of what the
// simulated guests did. With --nodes N and/or --smt the host has N NUMA nodes
// (one socket each) and two SMT threads per core, and FILE.lscpu gets its
// `lscpu -p` beside the trace; --policy numa keeps each VM on its home node.

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { MEMORY_PLACEMENTS, numastatText, type MemoryPlacement } from '../synth/memory';
import {
  bufferedWriter,
  DEFAULT_SYNTH,
  DEFAULT_WARMUP,
  generatedTopology,
  runSynth,
  type SynthOptions,
} from '../synth/generate';
import { CGROUPS, DEFAULT_KNOBS, YIELD_CANDIDATES } from '../synth/params';
import { formatShowsKvm, SYNTH_OUTPUT_FORMATS, type BinaryOutput, type SynthOutputFormat } from '../synth/render';
import { SYNTH_POLICIES, type SynthPolicy } from '../synth/schedule';
import { lscpuText } from '../synth/topology';
import { parseArgs } from './args';
import { thousands } from '../model/format';

export const SYNTH_USAGE = `usage: schedmap synth [--cpus N] [--vms N] [--vcpus N] [--seconds S]
                      [--policy ${SYNTH_POLICIES.join('|')}]
                      [--format ${SYNTH_OUTPUT_FORMATS.join('|')}] [--seed N]
                      [--nodes N] [--smt] [--kvm] [--placement free|restricted]
                      [--memory home|node0|spread]
                      [--ple-window CYCLES] [--section-us US] [--work-us US] [--locks N]
                      [--lock ticket|tas] [--yield-candidates ${YIELD_CANDIDATES.join('|')}]
                      [--cgroups ${CGROUPS.join('|')}]
                      [--hz N] [--warmup S] -o FILE`;

const VALUED = new Set([
  '--cpus',
  '--vms',
  '--vcpus',
  '--seconds',
  '--policy',
  '--format',
  '--seed',
  '--nodes',
  '--memory',
  '--placement',
  '--ple-window',
  '--section-us',
  '--work-us',
  '--locks',
  '--lock',
  '--yield-candidates',
  '--cgroups',
  '--hz',
  '--warmup',
  '-o',
  '--output',
]);
const BOOLEAN = new Set(['--smt', '--kvm']);

function positiveNumber(name: string, v: string | true | undefined, fallback: number, integer = true): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`${name} takes a positive ${integer ? 'whole ' : ''}number, not "${String(v)}"`);
  return n;
}

function oneOf<T extends string>(
  name: string,
  v: string | true | undefined,
  values: readonly T[],
  fallback?: T,
): T | undefined {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !values.includes(v as T)) throw new Error(`${name} is one of ${values.join(', ')}`);
  return v as T;
}

export function synthCommand(argv: readonly string[]): number {
  const { flags, positionals } = parseArgs(argv, VALUED);
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  for (const k of flags.keys()) if (!VALUED.has(k) && !BOOLEAN.has(k)) throw new Error(`unknown option ${k}`);
  for (const b of BOOLEAN) if (flags.has(b) && flags.get(b) !== true) throw new Error(`${b} takes no value`);
  const out = flags.get('-o') ?? flags.get('--output');
  if (typeof out !== 'string') throw new Error('-o FILE is required');
  const warmup = flags.get('--warmup');
  const options: SynthOptions = {
    cpus: positiveNumber('--cpus', flags.get('--cpus'), DEFAULT_SYNTH.cpus),
    vms: positiveNumber('--vms', flags.get('--vms'), DEFAULT_SYNTH.vms),
    vcpus: positiveNumber('--vcpus', flags.get('--vcpus'), DEFAULT_SYNTH.vcpus),
    seconds: positiveNumber('--seconds', flags.get('--seconds'), DEFAULT_SYNTH.seconds, false),
    seed: positiveNumber('--seed', flags.get('--seed'), DEFAULT_SYNTH.seed),
    policy: oneOf<SynthPolicy>('--policy', flags.get('--policy'), SYNTH_POLICIES, DEFAULT_SYNTH.policy)!,
    format: oneOf<SynthOutputFormat>('--format', flags.get('--format'), SYNTH_OUTPUT_FORMATS, DEFAULT_SYNTH.format)!,
    nodes: positiveNumber('--nodes', flags.get('--nodes'), 1),
    smt: flags.has('--smt'),
    kvm: flags.has('--kvm'),
    placement: oneOf('--placement', flags.get('--placement'), ['free', 'restricted'] as const),
    pleWindow: positiveNumber('--ple-window', flags.get('--ple-window'), DEFAULT_KNOBS.pleWindow),
    sectionUs: positiveNumber('--section-us', flags.get('--section-us'), DEFAULT_KNOBS.sectionUs, false),
    workUs: positiveNumber('--work-us', flags.get('--work-us'), DEFAULT_KNOBS.workUs, false),
    locks: positiveNumber('--locks', flags.get('--locks'), DEFAULT_KNOBS.locks),
    lockKind: oneOf('--lock', flags.get('--lock'), ['ticket', 'tas'] as const, DEFAULT_KNOBS.lockKind),
    yieldCandidates: oneOf('--yield-candidates', flags.get('--yield-candidates'), YIELD_CANDIDATES, DEFAULT_KNOBS.yieldCandidates),
    cgroups: oneOf('--cgroups', flags.get('--cgroups'), CGROUPS, DEFAULT_KNOBS.cgroups),
    hz: positiveNumber('--hz', flags.get('--hz'), DEFAULT_KNOBS.hz),
    // 0 is allowed: record from the moment the VMs start.
    warmup: warmup === '0' ? 0 : positiveNumber('--warmup', warmup, DEFAULT_WARMUP, false),
  };
  if (options.cpus > 4096) throw new Error('--cpus is at most 4096');
  if (options.kvm && !formatShowsKvm(options.format))
    process.stderr.write(
      `schedmap: --kvm: a ${options.format} shows switches only; kvm events go to script, script-pidtid, ftrace and perf.data\n`,
    );
  if (options.hz! > 10_000) throw new Error('--hz is at most 10000');
  // Checked before anything is written: --nodes must fit the cores, --smt an even CPU count.
  const topology = generatedTopology(options);
  const withTopology = flags.has('--nodes') || flags.has('--smt');
  const fd = openSync(out, 'w');
  let run;
  try {
    const w = bufferedWriter((chunk) => writeSync(fd, chunk));
    // A perf.data is written front to back, its header last (at offset 0).
    const binary: BinaryOutput = {
      out: { write: (b) => writeSync(fd, b), writeAt: (at, b) => writeSync(fd, b, 0, b.length, at) },
      cmdline: ['schedmap', 'synth', ...argv],
    };
    run = runSynth(options, w.write, options.format === 'perf.data' ? binary : undefined);
    w.end();
    process.stderr.write(`schedmap: wrote ${thousands(run.switches)} switches to ${out}\n`);
  } finally {
    closeSync(fd);
  }
  writeFileSync(`${out}.sim.json`, JSON.stringify(run.truth, null, 2) + '\n');
  process.stderr.write(`schedmap: wrote what the simulated guests did to ${out}.sim.json\n`);
  if (withTopology) {
    writeFileSync(`${out}.lscpu`, lscpuText(topology));
    process.stderr.write(`schedmap: wrote the host's topology (lscpu -p) to ${out}.lscpu\n`);
  }
  if (flags.has('--nodes') || flags.has('--memory')) {
    // Default: memory where the numa policy keeps the vCPUs; otherwise all on node 0 (SchedNUMA's picture).
    const memory = oneOf<MemoryPlacement>(
      '--memory',
      flags.get('--memory'),
      MEMORY_PLACEMENTS,
      options.policy === 'numa' ? 'home' : 'node0',
    )!;
    writeFileSync(`${out}.numastat`, numastatText(run.truth.vms, options.nodes ?? 1, memory));
    process.stderr.write(
      `schedmap: wrote each VM's memory per node (numastat -p qemu, ${memory}) to ${out}.numastat\n`,
    );
  }
  return 0;
}
