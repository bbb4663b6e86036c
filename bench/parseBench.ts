// Parse benchmark: per format, parse speed next to a baseline run in the same
// process on the same file: the same chunked reader, counting '\n' bytes in a
// plain loop. Inputs are generated into a temporary folder, never committed.

import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource } from '../src/cli/loadFiles';
import { parseTrace } from '../src/parse/parseInput';
import { bufferedWriter, generateTrace } from '../src/synth/generate';
import type { SynthFormat } from '../src/synth/render';

export interface ParseBenchRow {
  format: SynthFormat;
  bytes: number;
  switches: number;
  parseMBps: number;
  parseSwitchesPerSec: number;
  baselineMBps: number;
  parseVsLineScan: number;
  /** Model memory per switch: every typed array's byteLength plus an estimate for strings and objects. */
  bytesPerSwitch: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Bytes the model holds: the byteLength of every typed array, and for the rest
 * (task comms, comm changes, warnings ...) an estimate of V8's layout: a string
 * 16 bytes plus one (or two, past Latin-1) per character, an array or object 16
 * bytes plus 8 per slot. Shared strings are counted each time they are met.
 */
export function modelBytes(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === 'string') return 16 + (isLatin1(value) ? 1 : 2) * value.length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + 8 + modelBytes(v), 16);
  if (value !== null && typeof value === 'object')
    return Object.values(value).reduce((n: number, v) => n + 8 + modelBytes(v), 16);
  return 0;
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

async function lineScan(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fileSource(path)) {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  return lines;
}

export function generateFile(
  dir: string,
  format: SynthFormat,
  targetBytes: number,
  cpus = 64,
): { path: string; switches: number } {
  const path = join(dir, `bench-${format}.txt`);
  const fd = openSync(path, 'w');
  let written = 0;
  const out = bufferedWriter((chunk) => {
    written += writeSync(fd, chunk);
  });
  // Size the run from a short probe: bytes per simulated second.
  let probe = 0;
  generateTrace(
    { cpus, vms: 8, vcpus: 16, seconds: 0.05, policy: 'ple-on', format, seed: 7 },
    (t) => (probe += t.length),
  );
  const seconds = Math.max(0.05, (0.05 * targetBytes) / probe);
  const switches = generateTrace({ cpus, vms: 8, vcpus: 16, seconds, policy: 'ple-on', format, seed: 7 }, out.write);
  out.end();
  closeSync(fd);
  void written;
  return { path, switches };
}

export async function runParseBench(
  formats: SynthFormat[],
  targetMB: number,
  repeats: number,
): Promise<ParseBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-bench-'));
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < targetMB * 1e6 * 3) throw new Error(`not enough free disk in ${dir} for ${targetMB} MB inputs`);
  const rows: ParseBenchRow[] = [];
  try {
    for (const format of formats) {
      const { path, switches } = generateFile(dir, format, targetMB * 1e6);
      const bytes = statSync(path).size;
      const base: number[] = [];
      const parse: number[] = [];
      let parsedSwitches = 0;
      let bytesPerSwitch = 0;
      for (let r = 0; r < repeats; r++) {
        let t = performance.now();
        await lineScan(path);
        base.push(performance.now() - t);
        t = performance.now();
        const model = await parseTrace(fileSource(path));
        parse.push(performance.now() - t);
        parsedSwitches = model.switches.length;
        bytesPerSwitch = modelBytes(model) / Math.max(1, parsedSwitches);
      }
      if (parsedSwitches !== switches)
        throw new Error(`${format}: parsed ${parsedSwitches} switches, generated ${switches}`);
      const parseMs = median(parse);
      const baseMs = median(base);
      rows.push({
        format,
        bytes,
        switches,
        parseMBps: bytes / 1e6 / (parseMs / 1000),
        parseSwitchesPerSec: switches / (parseMs / 1000),
        baselineMBps: bytes / 1e6 / (baseMs / 1000),
        parseVsLineScan: baseMs / parseMs,
        bytesPerSwitch,
      });
      rmSync(path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
