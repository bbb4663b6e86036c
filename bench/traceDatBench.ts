// trace.dat benchmark: decoding the largest trace.dat fixture against parsing
// its `trace-cmd report -t` text (the same switches), both from memory in the
// same process, and against trace-cmd itself printing that report where it is
// installed.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  /** `trace-cmd report -t` of the same file to /dev/null, when trace-cmd is installed. */
  traceCmdReportMs: number | null;
}

// The bench runs bundled from bench-out/, so fixtures are found from the repository root (npm run's cwd).
const fixture = (name: string): string => join(process.cwd(), 'test', 'fixtures', name);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runTraceDatBench(repeats: number): Promise<TraceDatBenchResult> {
  const datPath = fixture(`${TRACEDAT_BENCH_FIXTURE}.v7-zstd.dat`);
  const dat = new Uint8Array(readFileSync(datPath));
  const text = new Uint8Array(gunzipSync(readFileSync(fixture(`${TRACEDAT_BENCH_FIXTURE}.report-t.txt.gz`))));
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
      throw new Error(`trace.dat has ${m.switches.length} switches, its report ${mt.switches.length}`);
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
      const p = spawnSync('trace-cmd', ['report', '-t', '-i', datPath], {
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
