// End-to-end benchmark: `schedmap analyze FILE --json` as a user runs it (a new
// process, start to exit) on ~100 MB of each text format of a 64-CPU host in
// the layout the real tools print (synth writes it byte for byte, see
// src/synth/synthLayout.test.ts), against a baseline process measured in the
// same run: `node -e` reading the same file with fs.createReadStream
// (highWaterMark 1 MiB) and counting 0x0A bytes in a plain for loop.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SynthFormat } from '../src/synth/render';
import { generateFile } from './parseBench';

export interface E2eRow {
  format: SynthFormat;
  bytes: number;
  switches: number;
  /** Medians over the repeats, ms. */
  baselineMs: number;
  analyzeMs: number;
  /** analyze / baseline. */
  ratio: number;
}

const NEWLINE_COUNT = `
const fs = require('fs');
let n = 0;
fs.createReadStream(process.argv[1], { highWaterMark: 1 << 20 })
  .on('data', (b) => { for (let i = 0; i < b.length; i++) if (b[i] === 10) n++; })
  .on('end', () => console.log(n));
`;

function timed(args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.slice(0, 3).join(' ')} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runE2eBench(formats: SynthFormat[], targetMB: number, repeats: number): E2eRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-bench-e2e-'));
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < targetMB * 1e6 * 2) throw new Error(`not enough free disk in ${dir} for ${targetMB} MB inputs`);
  const rows: E2eRow[] = [];
  // bin/schedmap.mjs runs dist-cli, built at npm install: build it from this checkout, so the part measures it.
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
  try {
    for (const format of formats) {
      const { path, switches } = generateFile(dir, format, targetMB * 1e6, 64);
      const base: number[] = [];
      const analyze: number[] = [];
      // Alternated, so both see the same machine load and page cache.
      for (let r = 0; r < repeats; r++) {
        base.push(timed(['-e', NEWLINE_COUNT, path]).ms);
        const a = timed(['bin/schedmap.mjs', 'analyze', path, '--json']);
        if (!a.stdout.startsWith('{')) throw new Error(`analyze ${format} printed no JSON`);
        analyze.push(a.ms);
      }
      const baselineMs = median(base);
      const analyzeMs = median(analyze);
      rows.push({ format, bytes: statSync(path).size, switches, baselineMs, analyzeMs, ratio: analyzeMs / baselineMs });
      rmSync(path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
