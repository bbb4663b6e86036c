// `npm run bench`: prints a table per part, and as its last line one JSON object.

import { runParseBench } from './parseBench';
import type { SynthFormat } from '../src/synth/render';

const targetMB = Number(process.env.BENCH_MB ?? 100);
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
  const summary = {
    parseMBps: byFormat('parseMBps'),
    parseSwitchesPerSec: byFormat('parseSwitchesPerSec'),
    parseVsLineScan: byFormat('parseVsLineScan'),
    lineScanMBps: byFormat('baselineMBps'),
    bytesPerSwitch: byFormat('bytesPerSwitch'),
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
