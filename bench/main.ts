// `npm run bench`: prints a table per part, and as its last line one JSON object.

import type { SynthFormat } from '../src/synth/render';
import { runAnalysisBench } from './analysisBench';
import { chromiumPath, frameBench, loadBench } from './browserBench';
import { runParseBench } from './parseBench';

const targetMB = Number(process.env.BENCH_MB ?? 100);
const analysisSwitches = Number(process.env.BENCH_ANALYSIS_SWITCHES ?? 10_000_000);
const firstMapMB = Number(process.env.BENCH_FIRSTMAP_MB ?? 100);
const bigMB = Number(process.env.BENCH_BIG_MB ?? 1000);
const skipBrowser = process.env.BENCH_BROWSER === '0';
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const formats: SynthFormat[] = ['map', 'script', 'script-pidtid', 'ftrace', 'timehist'];

const f1 = (x: number): string => x.toFixed(1);

async function main(): Promise<void> {
  process.stdout.write(`parse benchmark: ~${targetMB} MB generated per format (64-CPU host), median of ${repeats}\n`);
  const rows = await runParseBench(formats, targetMB, repeats);
  process.stdout.write(
    'format          MB      switches   parse MB/s  switches/s   line-scan MB/s  parse/line-scan  bytes/switch\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `${r.format.padEnd(14)} ${f1(r.bytes / 1e6).padStart(6)} ${String(r.switches).padStart(12)} ${f1(r.parseMBps).padStart(11)} ${Math.round(r.parseSwitchesPerSec).toString().padStart(11)} ${f1(r.baselineMBps).padStart(15)} ${r.parseVsLineScan.toFixed(3).padStart(16)} ${f1(r.bytesPerSwitch).padStart(13)}\n`,
    );
  }
  const byFormat = <K extends keyof (typeof rows)[number]>(k: K) =>
    Object.fromEntries(rows.map((r) => [r.format, r[k]]));
  // Analysis of every metric on a 10M-switch model, next to the time parsing
  // that many switches takes at the measured speed of each format.
  process.stdout.write(`\nanalysis benchmark: all metrics (analyzeRun) on a ${analysisSwitches}-switch model, median of 3\n`);
  const an = runAnalysisBench(analysisSwitches, 3);
  const parseMsFor = Object.fromEntries(rows.map((r) => [r.format, (an.switches / r.parseSwitchesPerSec) * 1000]));
  process.stdout.write(`  analysis ${an.analysisMs.toFixed(0)} ms for ${an.switches} switches\n`);
  for (const r of rows)
    process.stdout.write(
      `  parsing that many switches of ${r.format.padEnd(13)} text: ${parseMsFor[r.format].toFixed(0).padStart(6)} ms (analysis/parse ${(an.analysisMs / parseMsFor[r.format]).toFixed(3)})\n`,
    );

  let browser: Record<string, number> = {};
  if (skipBrowser) process.stdout.write('\nbrowser benchmark skipped (BENCH_BROWSER=0)\n');
  else if (!chromiumPath()) process.stdout.write('\nbrowser benchmark skipped: no Chromium (set SCHEDMAP_CHROMIUM)\n');
  else {
    process.stdout.write('\nbrowser benchmark (headless Chromium): map redraw at 1600x900, median of 60 frames over 4 zooms\n');
    const fb = await frameBench();
    process.stdout.write(
      `  10k switches: ${fb.frameMsSmall.toFixed(2)} ms (p90 ${fb.p90Small.toFixed(2)})   10M switches: ${fb.frameMsLarge.toFixed(2)} ms (p90 ${fb.p90Large.toFixed(2)})   large/small ${(fb.frameMsLarge / fb.frameMsSmall).toFixed(2)}\n`,
    );
    process.stdout.write(`first map: a ${firstMapMB} MB perf script trace from the file input to the first drawn map\n`);
    const fm = await loadBench(firstMapMB);
    const line = (r: Awaited<ReturnType<typeof loadBench>>): string =>
      `  ${r.firstMapMs} ms for ${(r.bytes / 1e6).toFixed(1)} MB, ${r.switches} switches; longest main-thread task ${r.longestTaskMs.toFixed(0)} ms; JS heap after ${r.heapMB === null ? '?' : r.heapMB.toFixed(0)} MB\n`;
    process.stdout.write(line(fm));
    let big: Awaited<ReturnType<typeof loadBench>> | null = null;
    if (bigMB > 0) {
      process.stdout.write(`big trace: ${bigMB} MB of perf script text into the app\n`);
      big = await loadBench(bigMB);
      process.stdout.write(line(big));
    }
    browser = {
      frameMsSmall: fb.frameMsSmall,
      frameMsLarge: fb.frameMsLarge,
      firstMapMs: fm.firstMapMs,
      firstMapLongestTaskMs: fm.longestTaskMs,
      ...(big ? { bigTraceMB: big.bytes / 1e6, bigTraceLoadMs: big.firstMapMs, bigTraceHeapMB: big.heapMB ?? -1, bigTraceLongestTaskMs: big.longestTaskMs } : {}),
    };
  }

  const summary = {
    parseMBps: byFormat('parseMBps'),
    parseSwitchesPerSec: byFormat('parseSwitchesPerSec'),
    parseVsLineScan: byFormat('parseVsLineScan'),
    lineScanMBps: byFormat('baselineMBps'),
    bytesPerSwitch: byFormat('bytesPerSwitch'),
    analysisMs: an.analysisMs,
    analysisSwitches: an.switches,
    parseMsForAnalysisSwitches: parseMsFor,
    ...browser,
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
