// The big perf.data: `schedmap synth --format perf.data` sized to at least
// BENCH_PERFDATA_MB (a 64-CPU host, 8 VMs x 16 vCPUs, PLE on, kvm events), then
// `schedmap analyze X.perf.data --json` (a new process, start to exit) against
// the peer, `perf script -i X.perf.data > /dev/null`, interleaved in the same
// run; and, in this process from memory, the perf.data decoded into the model
// against the same run's `--format script-pidtid` text (the lines perf script
// prints of it) parsed, per switch.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesSource, parseTrace } from '../src/parse/parseInput';
import { memorySource } from '../src/parse/source';
import { bufferedWriter, runSynth, type SynthOptions } from '../src/synth/generate';

export interface SynthPerfDataBenchResult {
  bytes: number;
  textBytes: number;
  switches: number;
  /** Median wall time of `schedmap analyze X --json`. */
  analyzeMs: number;
  /** Median wall time of `perf script -i X > /dev/null`; null when perf is not on this machine. */
  perfScriptMs: number | null;
  /** Why there is no perf timing. */
  perfMissing: string | null;
  /** In process, from memory: the perf.data into the model, and its script-pidtid text parsed. */
  decodeMs: number;
  textParseMs: number;
  /** textParseMs / decodeMs: the same switches, so the per-switch ratio. */
  decodeVsText: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const OPTIONS: SynthOptions = {
  cpus: 64,
  vms: 8,
  vcpus: 16,
  seconds: 0.01,
  policy: 'ple-on',
  format: 'perf.data',
  seed: 7,
  kvm: true,
};

/** Seconds of OPTIONS' host whose perf.data is at least `targetBytes`, from a short probe written nowhere. */
function secondsFor(targetBytes: number): number {
  let probe = 0;
  runSynth(OPTIONS, () => {}, { out: { write: (b) => (probe += b.length), writeAt: () => {} }, cmdline: ['bench'] });
  return (OPTIONS.seconds * targetBytes * 1.05) / probe;
}

/** The run as a perf.data at `path`; returns its switches. */
function writePerfData(path: string, seconds: number): number {
  const fd = openSync(path, 'w');
  try {
    const flags = ['--cpus', '64', '--vms', '8', '--vcpus', '16', '--kvm', '--seconds', String(seconds)];
    return runSynth({ ...OPTIONS, seconds }, () => {}, {
      out: { write: (b) => void writeSync(fd, b), writeAt: (at, b) => void writeSync(fd, b, 0, b.length, at) },
      cmdline: ['schedmap', 'synth', ...flags, '--format', 'perf.data'],
    }).switches;
  } finally {
    closeSync(fd);
  }
}

/** The same run as script-pidtid text at `path`. */
function writeText(path: string, seconds: number): number {
  const fd = openSync(path, 'w');
  try {
    const w = bufferedWriter((chunk) => writeSync(fd, chunk));
    const switches = runSynth({ ...OPTIONS, seconds, format: 'script-pidtid' }, w.write).switches;
    w.end();
    return switches;
  } finally {
    closeSync(fd);
  }
}

function timed(cmd: string, args: string[]): { ms: number; status: number | null; stderr: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  return { ms: performance.now() - t, status: r.status, stderr: r.stderr ?? '' };
}

export async function runSynthPerfDataBench(mb: number, repeats: number): Promise<SynthPerfDataBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-bench-perfdata-'));
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < mb * 1e6 * 3.5) throw new Error(`not enough free disk in ${dir} for a ${mb} MB perf.data and its text`);
  // bin/schedmap.mjs runs dist-cli: build it from this checkout, so the part measures it.
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
  try {
    const path = join(dir, 'synth.perf.data');
    const textPath = join(dir, 'synth.script-pidtid.txt');
    const seconds = secondsFor(mb * 1e6);
    const switches = writePerfData(path, seconds);
    if (writeText(textPath, seconds) !== switches) throw new Error('the perf.data and its text hold different runs');
    const perfVersion = spawnSync('perf', ['--version'], { encoding: 'utf8' });
    let perfMissing: string | null =
      perfVersion.error !== undefined || perfVersion.status !== 0
        ? `perf is not on this machine (${perfVersion.error?.message ?? perfVersion.stderr.trim()}): no peer timing`
        : null;
    const analyze: number[] = [];
    const perf: number[] = [];
    // Interleaved, so machine load falls on both alike.
    for (let r = 0; r < repeats; r++) {
      const a = timed(process.execPath, ['bin/schedmap.mjs', 'analyze', path, '--json']);
      if (a.status !== 0) throw new Error(`schedmap analyze ${path} --json failed: ${a.stderr}`);
      analyze.push(a.ms);
      if (perfMissing !== null) continue;
      const p = timed('perf', ['script', '-i', path]);
      if (p.status !== 0) perfMissing = `perf script failed on the synth perf.data: ${p.stderr.trim().slice(0, 300)}`;
      else perf.push(p.ms);
    }

    const bin = new Uint8Array(readFileSync(path));
    const text = new Uint8Array(readFileSync(textPath));
    const decode: number[] = [];
    const parse: number[] = [];
    // The first round warms the JIT.
    for (let r = 0; r <= repeats; r++) {
      let t = performance.now();
      const m = await parseTrace(bytesSource(bin), { random: memorySource(bin) });
      const d = performance.now() - t;
      t = performance.now();
      const mt = await parseTrace(bytesSource(text));
      const p = performance.now() - t;
      if (m.switches.length !== switches || mt.switches.length !== switches)
        throw new Error(
          `synth wrote ${switches} switches; read ${m.switches.length} from the perf.data, ${mt.switches.length} from its text`,
        );
      if (r === 0) continue;
      decode.push(d);
      parse.push(p);
    }
    return {
      bytes: bin.length,
      textBytes: text.length,
      switches,
      analyzeMs: median(analyze),
      perfScriptMs: perfMissing === null ? median(perf) : null,
      perfMissing,
      decodeMs: median(decode),
      textParseMs: median(parse),
      decodeVsText: median(parse) / median(decode),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
