// `npm run bench`: prints a table per part, and as its last line one JSON object.
// BENCH_PARTS picks parts (comma list of parse, e2e, tracedat, perfdata (BENCH_PERFDATA_MB: its synth perf.data), analysis, cli, synth, frame, load, big, cancel, pair;
// default all; `talk` prints docs/simulator.md's result tables and runs only when named).

import type { SynthFormat } from '../src/synth/render';
import { runAnalysisBench } from './analysisBench';
import { runCliBench } from './cliBench';
import { runE2eBench } from './e2eBench';
import {
  cancelBench,
  chromiumPath,
  frameBench,
  loadBench,
  pairMemoryBench,
  type ContextMemory,
  type LoadBenchResult,
} from './browserBench';
import { runParseBench, type ParseBenchRow } from './parseBench';
import { PERFDATA_BENCH_FIXTURE, runPerfDataBench, runTraceDatBench, TRACEDAT_BENCH_FIXTURE } from './traceDatBench';
import { runSynthSpeedBench, talkTables } from './synthBench';
import { runSynthPerfDataBench } from './synthPerfDataBench';

const targetMB = Number(process.env.BENCH_MB ?? 100);
const analysisSwitches = Number(process.env.BENCH_ANALYSIS_SWITCHES ?? 10_000_000);
const firstMapMB = Number(process.env.BENCH_FIRSTMAP_MB ?? 100);
const bigMB = Number(process.env.BENCH_BIG_MB ?? 1000);
const cliMB = Number(process.env.BENCH_CLI_MB ?? 1000);
const e2eMB = Number(process.env.BENCH_E2E_MB ?? 100);
const cancelMB = Number(process.env.BENCH_CANCEL_MB ?? 300);
const pairMB = Number(process.env.BENCH_PAIR_MB ?? 1000);
/** The synth perf.data of the perfdata part (schedmap analyze against perf script). */
const perfDataMB = Number(process.env.BENCH_PERFDATA_MB ?? 100);
/** The built app the pair part loads (another build, e.g. of an older commit, to compare). */
const pairDist = process.env.BENCH_PAIR_DIST ?? process.env.BENCH_DIST ?? 'dist';
const skipBrowser = process.env.BENCH_BROWSER === '0';
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const parts = new Set(
  (process.env.BENCH_PARTS ?? 'parse,e2e,tracedat,perfdata,analysis,cli,synth,frame,load,big,cancel,pair')
    .split(',')
    .map((s) => s.trim()),
);
const synthSeconds = Number(process.env.BENCH_SYNTH_SECONDS ?? 2);
if (bigMB <= 0) parts.delete('big');
if (cliMB <= 0) parts.delete('cli');
if (e2eMB <= 0) parts.delete('e2e');
if (pairMB <= 0) parts.delete('pair');
const formats: SynthFormat[] = ['map', 'script', 'script-pidtid', 'ftrace', 'timehist'];

const f1 = (x: number): string => x.toFixed(1);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = (s: string): boolean => process.stdout.write(s);

async function main(): Promise<void> {
  const summary: Record<string, unknown> = {};
  let rows: ParseBenchRow[] = [];
  if (parts.has('parse')) {
    out(`parse benchmark: ~${targetMB} MB generated per format (64-CPU host), median of ${repeats}\n`);
    rows = await runParseBench(formats, targetMB, repeats);
    out('format          MB      switches   parse MB/s  switches/s   line-scan MB/s  parse/line-scan  bytes/switch\n');
    for (const r of rows) {
      out(
        `${r.format.padEnd(14)} ${f1(r.bytes / 1e6).padStart(6)} ${String(r.switches).padStart(12)} ${f1(r.parseMBps).padStart(11)} ${Math.round(r.parseSwitchesPerSec).toString().padStart(11)} ${f1(r.baselineMBps).padStart(15)} ${r.parseVsLineScan.toFixed(3).padStart(16)} ${f1(r.bytesPerSwitch).padStart(13)}\n`,
      );
    }
    const byFormat = <K extends keyof ParseBenchRow>(k: K) => Object.fromEntries(rows.map((r) => [r.format, r[k]]));
    Object.assign(summary, {
      parseMBps: byFormat('parseMBps'),
      parseSwitchesPerSec: byFormat('parseSwitchesPerSec'),
      parseVsLineScan: byFormat('parseVsLineScan'),
      lineScanMBps: byFormat('baselineMBps'),
      bytesPerSwitch: byFormat('bytesPerSwitch'),
    });
  }

  if (parts.has('perfdata')) {
    const n = Math.max(5, repeats);
    out(`\nperf.data benchmark: ${PERFDATA_BENCH_FIXTURE}.perf.data decoded vs its perf script --ns text parsed, median of ${n}\n`);
    const pd = await runPerfDataBench(n);
    out(
      `  ${pd.switches} switches: perf.data (${(pd.datBytes / 1e6).toFixed(1)} MB) ${pd.datMs.toFixed(1)} ms, perf script text (${(pd.reportBytes / 1e6).toFixed(1)} MB) ${pd.reportParseMs.toFixed(1)} ms: perf.data ${pd.datVsReportText.toFixed(2)}x faster per switch; ${pd.traceCmdReportMs === null ? 'perf is not installed here (no peer timing)' : `perf script itself ${pd.traceCmdReportMs.toFixed(0)} ms (${(pd.traceCmdReportMs / pd.datMs).toFixed(2)}x our decode)`}\n`,
    );
    Object.assign(summary, {
      perfDataMs: pd.datMs,
      perfDataScriptTextMs: pd.reportParseMs,
      perfDataVsScriptText: pd.datVsReportText,
      perfScriptMs: pd.traceCmdReportMs,
    });
    if (perfDataMB > 0) {
      out(
        `\nperf.data benchmark: a synth perf.data of >= ${perfDataMB} MB: schedmap analyze X.perf.data --json against perf script -i X.perf.data > /dev/null, new process each, median of ${repeats}\n`,
      );
      const big = await runSynthPerfDataBench(perfDataMB, repeats);
      out(
        `  ${(big.bytes / 1e6).toFixed(1)} MB, ${big.switches} switches: schedmap analyze ${big.analyzeMs.toFixed(0)} ms; ${big.perfScriptMs === null ? big.perfMissing : `perf script ${big.perfScriptMs.toFixed(0)} ms (perf script / analyze ${(big.perfScriptMs / big.analyzeMs).toFixed(2)}x)`}\n`,
      );
      out(
        `  in process, from memory: the perf.data decoded ${big.decodeMs.toFixed(0)} ms, its script-pidtid text (${(big.textBytes / 1e6).toFixed(1)} MB) parsed ${big.textParseMs.toFixed(0)} ms: perf.data ${big.decodeVsText.toFixed(2)}x faster per switch\n`,
      );
      Object.assign(summary, {
        synthPerfDataBytes: big.bytes,
        synthPerfDataSwitches: big.switches,
        synthPerfDataAnalyzeMs: big.analyzeMs,
        synthPerfDataPerfScriptMs: big.perfScriptMs,
        synthPerfDataPerfScriptVsAnalyze: big.perfScriptMs === null ? null : big.perfScriptMs / big.analyzeMs,
        synthPerfDataDecodeMs: big.decodeMs,
        synthPerfDataTextParseMs: big.textParseMs,
        synthPerfDataVsScriptText: big.decodeVsText,
      });
    }
  }

  if (parts.has('tracedat')) {
    const n = Math.max(5, repeats);
    out(
      `\ntrace.dat benchmark: ${TRACEDAT_BENCH_FIXTURE} decoded vs its trace-cmd report -t text parsed, median of ${n}\n`,
    );
    const td = await runTraceDatBench(n);
    out(
      `  ${td.switches} switches: trace.dat (${(td.datBytes / 1e3).toFixed(0)} kB) ${td.datMs.toFixed(1)} ms, report text (${(td.reportBytes / 1e6).toFixed(1)} MB) ${td.reportParseMs.toFixed(1)} ms: trace.dat ${td.datVsReportText.toFixed(2)}x faster per switch${td.traceCmdReportMs === null ? '' : `; trace-cmd report itself ${td.traceCmdReportMs.toFixed(0)} ms`}\n`,
    );
    Object.assign(summary, {
      traceDatMs: td.datMs,
      traceDatReportTextMs: td.reportParseMs,
      traceDatVsReportText: td.datVsReportText,
      traceCmdReportMs: td.traceCmdReportMs ?? -1,
    });
  }

  if (parts.has('analysis')) {
    // Analysis of every metric on a 10M-switch model, next to the time parsing
    // that many switches takes at the measured speed of each format.
    const n = Math.max(3, repeats);
    out(`\nanalysis benchmark: all metrics (analyzeRun) on a ${analysisSwitches}-switch model, median of ${n}\n`);
    const an = runAnalysisBench(analysisSwitches, n);
    out(
      `  analysis ${an.analysisMs.toFixed(0)} ms for ${an.switches} switches (runs: ${an.samples.map((x) => x.toFixed(0)).join(', ')} ms)\n`,
    );
    const parseMsFor = Object.fromEntries(rows.map((r) => [r.format, (an.switches / r.parseSwitchesPerSec) * 1000]));
    for (const r of rows)
      out(
        `  parsing that many switches of ${r.format.padEnd(13)} text: ${parseMsFor[r.format].toFixed(0).padStart(6)} ms (analysis/parse ${(an.analysisMs / parseMsFor[r.format]).toFixed(3)})\n`,
      );
    Object.assign(summary, {
      analysisMs: an.analysisMs,
      analysisSwitches: an.switches,
      parseMsForAnalysisSwitches: parseMsFor,
    });
  }

  if (parts.has('e2e')) {
    out(
      `\ne2e benchmark: schedmap analyze FILE --json (new process, start to exit) on ~${e2eMB} MB per format, 64 CPUs, perf's layout; baseline: node counting newlines of the same file (createReadStream, 1 MiB chunks); median of ${repeats}\n`,
    );
    const e2e = runE2eBench(formats, e2eMB, repeats);
    for (const r of e2e)
      out(
        `  ${r.format.padEnd(14)} ${(r.bytes / 1e6).toFixed(0).padStart(5)} MB  baseline ${r.baselineMs.toFixed(0).padStart(6)} ms  analyze ${r.analyzeMs.toFixed(0).padStart(6)} ms  analyze/baseline ${r.ratio.toFixed(2)}  (${((r.bytes / r.analyzeMs) * 1e-3).toFixed(0)} MB/s)\n`,
      );
    summary.e2e = Object.fromEntries(
      e2e.map((r) => [r.format, { baselineMs: r.baselineMs, analyzeMs: r.analyzeMs, ratio: r.ratio }]),
    );
  }

  if (parts.has('cli')) {
    out(
      `\ncli benchmark: schedmap analyze --json and report, new process each, on ~${cliMB} and ~${2 * cliMB} MB of perf script\n`,
    );
    const c = runCliBench(cliMB);
    const mbOf = (i: 0 | 1) => (c.bytes[i] / 1e6).toFixed(0);
    for (const i of [0, 1] as const)
      out(
        `  analyze ${mbOf(i)} MB (${c.switches[i]} switches): ${(c.analyze[i].ms / 1000).toFixed(2)} s, peak RSS ${(c.analyze[i].hwmKB / 1024).toFixed(0)} MB\n`,
      );
    out(`  peak RSS growth: ${c.analyzeHwmBytesPerSwitch.toFixed(1)} bytes per switch (slope between the two)\n`);
    out(
      `  report ${mbOf(0)} MB: ${(c.report.ms / 1000).toFixed(2)} s, peak RSS ${(c.report.hwmKB / 1024).toFixed(0)} MB; report/analyze ${c.reportVsAnalyze.toFixed(2)}\n`,
    );
    Object.assign(summary, {
      cliAnalyzeMs: c.analyze.map((r) => r.ms),
      cliAnalyzeHwmMB: c.analyze.map((r) => r.hwmKB / 1024),
      cliHwmBytesPerSwitch: c.analyzeHwmBytesPerSwitch,
      reportMs: c.report.ms,
      reportHwmMB: c.report.hwmKB / 1024,
      reportVsAnalyze: c.reportVsAnalyze,
    });
  }
  if (parts.has('synth')) {
    out(
      `\nsynth benchmark: schedmap synth, 80 CPUs, 8 VMs x 20 vCPUs, ${synthSeconds} s, next to schedmap analyze --json on the trace it wrote (processes, median of ${repeats})\n`,
    );
    const rows = runSynthSpeedBench(['ple-on', 'gang'], synthSeconds, 'script-pidtid', repeats);
    for (const r of rows)
      out(
        `  ${r.policy.padEnd(8)} ${(r.bytes / 1e6).toFixed(0).padStart(6)} MB  synth ${r.synthMs.toFixed(0).padStart(7)} ms  analyze ${r.analyzeMs.toFixed(0).padStart(7)} ms  synth/analyze ${r.synthVsAnalyze.toFixed(2)}\n`,
      );
    Object.assign(summary, {
      synthMs: Object.fromEntries(rows.map((r) => [r.policy, r.synthMs])),
      synthAnalyzeMs: Object.fromEntries(rows.map((r) => [r.policy, r.analyzeMs])),
      synthVsAnalyze: Object.fromEntries(rows.map((r) => [r.policy, r.synthVsAnalyze])),
    });
  }
  if (parts.has('talk')) Object.assign(summary, talkTables(out));

  const browserParts = ['frame', 'load', 'big', 'cancel', 'pair'].filter((p) => parts.has(p));
  if (browserParts.length === 0) return void out(JSON.stringify(summary) + '\n');
  if (skipBrowser) out('\nbrowser benchmark skipped (BENCH_BROWSER=0)\n');
  else if (!chromiumPath()) out('\nbrowser benchmark skipped: no Chromium (set SCHEDMAP_CHROMIUM)\n');
  else {
    if (parts.has('frame')) {
      out(
        `\nbrowser benchmark (headless Chromium): map redraw at 1600x900, median of 60 frames over 4 zooms; median of ${repeats} runs\n`,
      );
      const runs = [];
      for (let r = 0; r < repeats; r++) {
        const fb = await frameBench();
        runs.push(fb);
        out(
          `  10k switches: ${fb.frameMsSmall.toFixed(2)} ms (mean ${fb.meanSmall.toFixed(2)}, p90 ${fb.p90Small.toFixed(2)})   10M switches: ${fb.frameMsLarge.toFixed(2)} ms (mean ${fb.meanLarge.toFixed(2)}, p90 ${fb.p90Large.toFixed(2)})   large/small ${(fb.frameMsLarge / fb.frameMsSmall).toFixed(2)}\n`,
        );
      }
      const ratio = median(runs.map((r) => r.frameMsLarge / r.frameMsSmall));
      Object.assign(summary, {
        frameMsSmall: median(runs.map((r) => r.frameMsSmall)),
        frameMsLarge: median(runs.map((r) => r.frameMsLarge)),
        frameLargeVsSmall: ratio,
        // Chromium's clock moves in 0.1 ms steps: the means of the same frames, as a finer second view.
        frameMeanMsSmall: median(runs.map((r) => r.meanSmall)),
        frameMeanMsLarge: median(runs.map((r) => r.meanLarge)),
      });
      out(
        `  medians: small ${(summary.frameMsSmall as number).toFixed(2)} ms, large ${(summary.frameMsLarge as number).toFixed(2)} ms, large/small ${ratio.toFixed(2)}\n`,
      );
    }
    const line = (r: LoadBenchResult): string =>
      `  ${r.firstMapMs} ms for ${(r.bytes / 1e6).toFixed(1)} MB, ${r.switches} switches; longest main-thread task ${r.longestTaskMs.toFixed(0)} ms; JS heap after ${r.heapMB === null ? '?' : r.heapMB.toFixed(0)} MB\n`;
    if (parts.has('load')) {
      out(
        `first map: a ${firstMapMB} MB perf script trace from the file input to the first drawn map; median of ${repeats}\n`,
      );
      const runs: LoadBenchResult[] = [];
      for (let r = 0; r < repeats; r++) {
        runs.push(await loadBench(firstMapMB));
        out(line(runs[runs.length - 1]));
      }
      Object.assign(summary, {
        firstMapMs: median(runs.map((r) => r.firstMapMs)),
        firstMapLongestTaskMs: median(runs.map((r) => r.longestTaskMs)),
      });
    }
    if (parts.has('big')) {
      out(`big trace: ${bigMB} MB of perf script text into the app\n`);
      const big = await loadBench(bigMB);
      out(line(big));
      Object.assign(summary, {
        bigTraceMB: big.bytes / 1e6,
        bigTraceLoadMs: big.firstMapMs,
        bigTraceHeapMB: big.heapMB ?? -1,
        bigTraceLongestTaskMs: big.longestTaskMs,
      });
    }
    if (parts.has('cancel')) {
      out(`cancel: Cancel pressed during a ${cancelMB} MB parse (at 10, 30, 70 % read) until the worker stopped\n`);
      const stops: number[] = [];
      for (const at of [0.1, 0.3, 0.7]) {
        const c = await cancelBench(cancelMB, at);
        stops.push(c.stopMs);
        out(
          `  at ${(at * 100).toFixed(0)} %: stopped in ${c.stopMs.toFixed(1)} ms, ${(c.readFraction * 100).toFixed(1)} % read\n`,
        );
      }
      Object.assign(summary, { cancelToStopMs: median(stops), cancelToStopMaxMs: Math.max(...stops) });
    }
    if (parts.has('pair')) {
      out(`two ${pairMB} MB traces side by side (${pairDist}): the tab's resident memory against the model's\n`);
      const p = await pairMemoryBench(pairMB, pairDist);
      const traces = p.rendererMB - p.emptyMB;
      out(
        `  ${p.switchesPerTrace} switches per trace, model ${p.modelMB.toFixed(0)} MB each; renderer ${p.rendererMB.toFixed(0)} MB (empty app ${p.emptyMB.toFixed(0)} MB): ${traces.toFixed(0)} MB for the two runs = ${(traces / p.modelMB).toFixed(2)} models; loaded in ${p.loadMs} ms\n`,
      );
      // Where it is: each JS context's live heap and array buffers after a full GC, less the empty app's.
      const emptyOf = (c: string): ContextMemory | undefined => p.emptyHeaps.find((h) => h.context === c);
      const model = (mb: number): string => `${mb.toFixed(0)} MB (${(mb / p.modelMB).toFixed(2)} models)`;
      const breakdown: Record<string, { jsHeapMB: number; arrayBuffersMB: number; embedderMB: number }> = {};
      let known = 0;
      for (const h of p.heaps) {
        const e = emptyOf(h.context);
        const js = h.jsHeapMB - (e?.jsHeapMB ?? 0);
        const ab = h.arrayBuffersMB - (e?.arrayBuffersMB ?? 0);
        const dom = h.embedderMB - (e?.embedderMB ?? 0);
        const reserved = h.jsHeapTotalMB - (e?.jsHeapTotalMB ?? 0);
        known += reserved + ab + dom;
        breakdown[h.context] = { jsHeapMB: js, arrayBuffersMB: ab, embedderMB: dom };
        const drawn = h.context === 'page' ? ` (the drawn slices: ${p.drawnMB.toFixed(0)} MB a run)` : '';
        out(
          `    ${h.context.padEnd(20)} array buffers ${model(ab)}${drawn}, JS heap ${model(js)} live of ${reserved.toFixed(0)} MB reserved, Blink heap ${dom.toFixed(0)} MB\n`,
        );
      }
      const peak = p.peakMB - p.emptyMB;
      out(`    while they loaded the renderer peaked at ${p.peakMB.toFixed(0)} MB: ${model(peak)} for the two runs\n`);
      const afterGc = p.rendererAfterGcMB - p.emptyMB;
      out(
        `    after those GCs the renderer holds ${model(afterGc)} for the two runs; ${(afterGc - known).toFixed(0)} MB of it is none of the above (malloc, code, canvases' pixels)\n`,
      );
      // Chromium's own view (memory-infra), by allocator: what each took from the system for the two runs.
      const byAllocator = Object.entries(p.allocators)
        .map(([k, v]): [string, number] => [k, v - (p.emptyAllocators[k] ?? 0)])
        .filter(([k, d]) => Math.abs(d) >= 1 && k !== 'partition_alloc')
        .sort((a, b) => b[1] - a[1]);
      out(`    by allocator (Chromium memory-infra, less the empty app's): ${byAllocator.map(([k, d]) => `${k.replace('partition_alloc/partitions/', 'partition ')} ${d.toFixed(0)} MB`).join(', ')}\n`);
      Object.assign(summary, {
        pairBreakdownMB: breakdown,
        pairAllocatorsMB: Object.fromEntries(byAllocator),
        pairRendererAfterGcMB: p.rendererAfterGcMB,
        pairPeakMB: p.peakMB,
        pairPeakModels: peak / p.modelMB,
        pairModelsHeldAfterGc: afterGc / p.modelMB,
        pairModelMB: p.modelMB,
        pairDrawnMB: p.drawnMB,
        pairRendererMB: p.rendererMB,
        pairEmptyMB: p.emptyMB,
        pairModelsHeld: traces / p.modelMB,
        pairLoadMs: p.loadMs,
      });
    }
  }
  out(JSON.stringify(summary) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
