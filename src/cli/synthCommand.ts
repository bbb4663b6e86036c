// `schedmap synth`: write a realistic, seeded trace in real perf's text format.

import { closeSync, openSync, writeSync } from 'node:fs';
import { bufferedWriter, DEFAULT_SYNTH, generateTrace, type SynthOptions } from '../synth/generate';
import { SYNTH_FORMATS, type SynthFormat } from '../synth/render';
import { SYNTH_POLICIES, type SynthPolicy } from '../synth/schedule';
import { parseArgs } from './args';

export const SYNTH_USAGE = `usage: schedmap synth [--cpus N] [--vms N] [--vcpus N] [--seconds S]
                      [--policy ${SYNTH_POLICIES.join('|')}]
                      [--format ${SYNTH_FORMATS.join('|')}] [--seed N] -o FILE`;

const VALUED = new Set(['--cpus', '--vms', '--vcpus', '--seconds', '--policy', '--format', '--seed', '-o', '--output']);

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
  for (const k of flags.keys()) if (!VALUED.has(k)) throw new Error(`unknown option ${k}`);
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
  };
  if (options.cpus > 4096) throw new Error('--cpus is at most 4096');
  const fd = openSync(out, 'w');
  try {
    const w = bufferedWriter((chunk) => writeSync(fd, chunk));
    const switches = generateTrace(options, w.write);
    w.end();
    process.stderr.write(`schedmap: wrote ${switches} switches to ${out}\n`);
  } finally {
    closeSync(fd);
  }
  return 0;
}
