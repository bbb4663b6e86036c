// Binary recordings against their text: decoding the largest trace.dat fixture
// against parsing its `trace-cmd report -t` text, and the QEMU perf.data
// against its `perf script --ns` text (the same switches), both from memory in
// the same process, and against the real peer (trace-cmd report, perf script)
// printing that text from the file where it is installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bytesSource, parseTrace } from '../src/parse/parseInput';
import { memorySource } from '../src/parse/source';

export const TRACEDAT_BENCH_FIXTURE = 'tracecmd-pipe-4vm-x2vcpu';

export interface TraceDatBenchResult {
  switches: number;
  datBytes: number;
  reportBytes: number;
  datMs: number;
  reportParseMs: number;
  /** Report-text parse time over trace.dat decode time, per switch (the same switches). */
  datVsReportText: number;
  /** The peer (`trace-cmd report -t`, `perf script`) printing the same file to /dev/null, when installed. */
  traceCmdReportMs: number | null;
}

// The bench runs bundled from bench-out/, so fixtures are found from the repository root (npm run's cwd).
const fixture = (name: string): string => join(process.cwd(), 'test', 'fixtures', name);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const PERFDATA_BENCH_FIXTURE = 'qemu-tcg-2vm-x2vcpu';

export function runTraceDatBench(repeats: number): Promise<TraceDatBenchResult> {
  return runBinaryBench(`${TRACEDAT_BENCH_FIXTURE}.v7-zstd.dat`, `${TRACEDAT_BENCH_FIXTURE}.report-t.txt.gz`, repeats, (path) => [
    'trace-cmd',
    ['report', '-t', '-i', path],
  ]);
}

/** The perf.data (stored gzipped, decompressed to a temporary file for perf) against its perf script --ns text. */
export function runPerfDataBench(repeats: number): Promise<TraceDatBenchResult> {
  return runBinaryBench(`${PERFDATA_BENCH_FIXTURE}.perf.data.gz`, `${PERFDATA_BENCH_FIXTURE}.script-ns.txt.gz`, repeats, (path) => [
    'perf',
    ['script', '--ns', '-F', 'comm,pid,tid,cpu,time,event,trace', '-i', path],
  ]);
}

async function runBinaryBench(
  binName: string,
  textName: string,
  repeats: number,
  peer: (path: string) => [string, string[]],
): Promise<TraceDatBenchResult> {
  let datPath = fixture(binName);
  let dat = new Uint8Array(readFileSync(datPath));
  if (binName.endsWith('.gz')) {
    dat = new Uint8Array(gunzipSync(dat));
    datPath = join(mkdtempSync(join(tmpdir(), 'schedmap-bench-')), binName.slice(0, -3));
    writeFileSync(datPath, dat);
  }
  const text = new Uint8Array(gunzipSync(readFileSync(fixture(textName))));
  const datMs: number[] = [];
  const textMs: number[] = [];
  let switches = 0;
  // Interleaved, so machine load falls on both alike; the first round warms the JIT.
  for (let r = 0; r <= repeats; r++) {
    let t = performance.now();
    const m = await parseTrace(bytesSource(dat), { random: memorySource(dat) });
    const a = performance.now() - t;
    t = performance.now();
    const mt = await parseTrace(bytesSource(text));
    const b = performance.now() - t;
    if (m.switches.length !== mt.switches.length)
      throw new Error(`${binName} has ${m.switches.length} switches, its text ${mt.switches.length}`);
    switches = m.switches.length;
    if (r === 0) continue;
    datMs.push(a);
    textMs.push(b);
  }
  let traceCmdReportMs: number | null = null;
  {
    const runs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      const [cmd, args] = peer(datPath);
      const p = spawnSync(cmd, args, {
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      if (p.status !== 0) break;
      runs.push(performance.now() - t);
    }
    if (runs.length === repeats) traceCmdReportMs = median(runs);
  }
  const d = median(datMs);
  const t = median(textMs);
  return {
    switches,
    datBytes: dat.length,
    reportBytes: text.length,
    datMs: d,
    reportParseMs: t,
    datVsReportText: t / d,
    traceCmdReportMs,
  };
}
