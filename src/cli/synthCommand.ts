// `schedmap synth`: write a realistic, seeded trace in real perf's text format.
// With --nodes N and/or --smt the host has N NUMA nodes (one socket each) and
// two SMT threads per core, and FILE.lscpu gets its `lscpu -p` beside the trace;
// --policy numa keeps each VM's vCPUs on its home node.

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { bufferedWriter, DEFAULT_SYNTH, generatedTopology, generateTrace, type SynthOptions } from '../synth/generate';
import { lscpuText } from '../synth/topology';
import { SYNTH_FORMATS, type SynthFormat } from '../synth/render';
import { SYNTH_POLICIES, type SynthPolicy } from '../synth/schedule';
import { parseArgs } from './args';

export const SYNTH_USAGE = `usage: schedmap synth [--cpus N] [--vms N] [--vcpus N] [--seconds S]
                      [--policy ${SYNTH_POLICIES.join('|')}]
                      [--format ${SYNTH_FORMATS.join('|')}] [--seed N]
                      [--nodes N] [--smt] -o FILE`;

const VALUED = new Set([
  '--cpus',
  '--vms',
  '--vcpus',
  '--seconds',
  '--policy',
  '--format',
  '--seed',
  '--nodes',
  '-o',
  '--output',
]);
const BOOLEAN = new Set(['--smt']);

function positiveNumber(name: string, v: string | true | undefined, fallback: number, integer = true): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`${name} takes a positive ${integer ? 'whole ' : ''}number, not "${String(v)}"`);
  return n;
}

export function synthCommand(argv: readonly string[]): number {
  const { flags, positionals } = parseArgs(argv, VALUED);
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  for (const k of flags.keys()) if (!VALUED.has(k) && !BOOLEAN.has(k)) throw new Error(`unknown option ${k}`);
  if (flags.has('--smt') && flags.get('--smt') !== true) throw new Error('--smt takes no value');
  const policy = (flags.get('--policy') ?? DEFAULT_SYNTH.policy) as string;
  const format = (flags.get('--format') ?? DEFAULT_SYNTH.format) as string;
  if (!SYNTH_POLICIES.includes(policy as SynthPolicy))
    throw new Error(`--policy is one of ${SYNTH_POLICIES.join(', ')}`);
  if (!SYNTH_FORMATS.includes(format as SynthFormat)) throw new Error(`--format is one of ${SYNTH_FORMATS.join(', ')}`);
  const out = flags.get('-o') ?? flags.get('--output');
  if (typeof out !== 'string') throw new Error('-o FILE is required');
  const options: SynthOptions = {
    cpus: positiveNumber('--cpus', flags.get('--cpus'), DEFAULT_SYNTH.cpus),
    vms: positiveNumber('--vms', flags.get('--vms'), DEFAULT_SYNTH.vms),
    vcpus: positiveNumber('--vcpus', flags.get('--vcpus'), DEFAULT_SYNTH.vcpus),
    seconds: positiveNumber('--seconds', flags.get('--seconds'), DEFAULT_SYNTH.seconds, false),
    seed: positiveNumber('--seed', flags.get('--seed'), DEFAULT_SYNTH.seed),
    policy: policy as SynthPolicy,
    format: format as SynthFormat,
    nodes: positiveNumber('--nodes', flags.get('--nodes'), 1),
    smt: flags.has('--smt'),
  };
  if (options.cpus > 4096) throw new Error('--cpus is at most 4096');
  // Checked before anything is written: --nodes must fit the cores, --smt an even CPU count.
  const topology = generatedTopology(options);
  const withTopology = flags.has('--nodes') || flags.has('--smt');
  const fd = openSync(out, 'w');
  try {
    const w = bufferedWriter((chunk) => writeSync(fd, chunk));
    const switches = generateTrace(options, w.write);
    w.end();
    process.stderr.write(`schedmap: wrote ${switches} switches to ${out}\n`);
  } finally {
    closeSync(fd);
  }
  if (withTopology) {
    writeFileSync(`${out}.lscpu`, lscpuText(topology));
    process.stderr.write(`schedmap: wrote the host's topology (lscpu -p) to ${out}.lscpu\n`);
  }
  return 0;
}
