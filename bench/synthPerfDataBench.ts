// The big perf.data: `schedmap synth --format perf.data` sized to at least
// BENCH_PERFDATA_MB (a 64-CPU host, 8 VMs x 16 vCPUs, PLE on, kvm events), then
// `schedmap analyze X.perf.data --json` (a new process, start to exit) against
// the peer, `perf script -i X.perf.data > /dev/null`, interleaved in the same run.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth, type SynthOptions } from '../src/synth/generate';

export interface SynthPerfDataBenchResult {
  bytes: number;
  switches: number;
  /** Median wall time of `schedmap analyze X --json`. */
  analyzeMs: number;
  /** Median wall time of `perf script -i X > /dev/null`; null when perf is not on this machine. */
  perfScriptMs: number | null;
  /** Why there is no perf timing. */
  perfMissing: string | null;
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

/** Write a synth perf.data of at least `targetBytes` to `path`; returns its switches. */
function writePerfData(path: string, targetBytes: number): number {
  // Bytes per simulated second from a short probe written nowhere.
  let probe = 0;
  runSynth(OPTIONS, () => {}, { out: { write: (b) => (probe += b.length), writeAt: () => {} }, cmdline: ['bench'] });
  const seconds = (OPTIONS.seconds * targetBytes * 1.05) / probe;
  const fd = openSync(path, 'w');
  try {
    const cmdline = [
      'schedmap',
      'synth',
      '--cpus',
      '64',
      '--vms',
      '8',
      '--vcpus',
      '16',
      '--kvm',
      '--seconds',
      String(seconds),
      '--format',
      'perf.data',
    ];
    return runSynth({ ...OPTIONS, seconds }, () => {}, {
      out: { write: (b) => void writeSync(fd, b), writeAt: (at, b) => void writeSync(fd, b, 0, b.length, at) },
      cmdline,
    }).switches;
  } finally {
    closeSync(fd);
  }
}

function timed(cmd: string, args: string[]): { ms: number; status: number | null; stderr: string; error?: Error } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  return { ms: performance.now() - t, status: r.status, stderr: r.stderr ?? '', error: r.error };
}

export function runSynthPerfDataBench(mb: number, repeats: number): SynthPerfDataBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-bench-perfdata-'));
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < mb * 1e6 * 1.5) throw new Error(`not enough free disk in ${dir} for a ${mb} MB perf.data`);
  // bin/schedmap.mjs runs dist-cli: build it from this checkout, so the part measures it.
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
  try {
    const path = join(dir, 'synth.perf.data');
    const switches = writePerfData(path, mb * 1e6);
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
    return {
      bytes: statSync(path).size,
      switches,
      analyzeMs: median(analyze),
      perfScriptMs: perfMissing === null ? median(perf) : null,
      perfMissing,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
