// CLI benchmark: `schedmap analyze` and `schedmap report` as a user runs them
// (a new process each, start to exit), on perf script traces of ~1 and ~2 GB.
// Memory: the slope of peak RSS (VmHWM) between the two inputs, per switch
// (what a bigger trace costs, whatever the process's fixed start-up memory).
// Time: report / analyze on the same ~1 GB input, measured in the same run.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFile } from './parseBench';

export interface CliRun {
  ms: number;
  hwmKB: number;
}

export interface CliBenchResult {
  bytes: [number, number];
  switches: [number, number];
  analyze: [CliRun, CliRun];
  report: CliRun;
  /** (VmHWM(2x) - VmHWM(1x)) / (switches(2x) - switches(1x)), bytes. */
  analyzeHwmBytesPerSwitch: number;
  reportVsAnalyze: number;
}

function runCli(args: string[]): CliRun {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bench/hwm.mjs', 'bin/schedmap.mjs', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`schedmap ${args.join(' ')} failed: ${r.stderr}`);
  const m = /schedmap-bench VmHWM (\d+)/.exec(r.stderr);
  return { ms, hwmKB: m ? Number(m[1]) : NaN };
}

export function runCliBench(mb: number): CliBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-bench-cli-'));
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < mb * 1e6 * 4.5) throw new Error(`not enough free disk in ${dir} for ${mb} + ${2 * mb} MB inputs`);
  try {
    const small = generateFile(dir, 'script-pidtid', mb * 1e6);
    const a1 = runCli(['analyze', small.path, '--json']);
    const report = runCli(['report', small.path, '-o', join(dir, 'report.html')]);
    const bytes1 = statSync(small.path).size;
    rmSync(small.path);
    rmSync(join(dir, 'report.html'));
    const big = generateFile(dir, 'script-pidtid', 2 * mb * 1e6);
    const a2 = runCli(['analyze', big.path, '--json']);
    const bytes2 = statSync(big.path).size;
    return {
      bytes: [bytes1, bytes2],
      switches: [small.switches, big.switches],
      analyze: [a1, a2],
      report,
      analyzeHwmBytesPerSwitch: ((a2.hwmKB - a1.hwmKB) * 1024) / (big.switches - small.switches),
      reportVsAnalyze: report.ms / a1.ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
