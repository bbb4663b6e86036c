// `schedmap report TRACE... [--label NAME...] -o report.html`: one self-contained
// HTML file, the one-file app with the traces embedded (gzipped, base64) so it
// opens straight into their map and analysis, with nothing to fetch.

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInput } from '../parse/parseInput';
import { bytes } from '../model/format';
import { parseArgs } from './args';
import { rangeOption } from './analyzeOptions';
import { fileSource } from './loadFiles';
import { writeReport, type ReportInput, type ReportView } from './reportWriter';

export const REPORT_USAGE = `usage: schedmap report TRACE [COMPANION...] [--label NAME]... [--range A_S:B_S]
                       [--lanes cpu|vcpu] -o report.html

  One self-contained HTML file: the app with the traces embedded, opening straight into them.
  --label     names the runs, in order (traces only, not companions)
  --range     the view it opens in: [A, B) seconds from the trace start, also the analysed range
  --lanes     host CPU lanes (cpu, the default) or one lane per vCPU thread (vcpu)
  -o          the file to write`;

/** The one-file app, built by `npm run build:single` (and by `npm install`). */
export function singleFileApp(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [
    join(here, '..', 'dist-single', 'schedmap.html'),
    join(process.cwd(), 'dist-single', 'schedmap.html'),
  ])
    if (existsSync(p)) return p;
  throw new Error('the one-file app is not built: run `npm run build:single` in the schedmap folder');
}

/** Bytes of an input read to tell a trace from a companion (its format is known well before). */
const SNIFF_BYTES = 256 * 1024;

async function* headOf(path: string): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const chunk of fileSource(path)) {
    const c = chunk as Uint8Array;
    yield n + c.length > SNIFF_BYTES ? c.subarray(0, SNIFF_BYTES - n) : c;
    n += c.length;
    if (n >= SNIFF_BYTES) return;
  }
}

/**
 * Whether an input is a companion (VM map, ps, topology) rather than a trace, read from its head with the app's
 * own parser. Anything that is not a companion counts as a trace: the report opens it and says what is wrong.
 */
async function isCompanion(path: string): Promise<boolean> {
  try {
    return (await parseInput(headOf(path))).kind === 'companion';
  } catch {
    return false;
  }
}

/** The report's inputs in order; the n-th label goes to the n-th trace, never to a companion given between traces. */
export async function reportInputs(paths: readonly string[], labels: readonly string[]): Promise<ReportInput[]> {
  const companion = await Promise.all(paths.map(isCompanion));
  const traceCount = companion.filter((c) => !c).length;
  if (labels.length > traceCount)
    throw new Error(
      `${labels.length} labels for ${traceCount} trace${traceCount === 1 ? '' : 's'}: a label names a run`,
    );
  let t = 0;
  return paths.map((p, i) => ({ path: p, name: basename(p), label: companion[i] ? null : (labels[t++] ?? null) }));
}

/** The view the report opens in: `--range A:B` (seconds from the trace start, as analyze's) and `--lanes`. */
export function reportView(flags: ReadonlyMap<string, string | true>): ReportView | null {
  const range = flags.get('--range');
  const lanes = flags.get('--lanes');
  if (range === undefined && lanes === undefined) return null;
  if (lanes !== undefined && lanes !== 'cpu' && lanes !== 'vcpu')
    throw new Error(`--lanes takes cpu or vcpu, not "${lanes === true ? '' : lanes}"`);
  if (range === true) throw new Error('--range needs a value');
  return { range: range === undefined ? null : rangeOption(range), lanes: lanes ?? 'cpu' };
}

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const labels: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--label') {
      if (i + 1 >= argv.length) throw new Error('--label needs a value');
      labels.push(argv[++i]);
    } else rest.push(argv[i]);
  }
  const valued = new Set(['-o', '--output', '--range', '--lanes']);
  const { positionals, flags } = parseArgs(rest, valued);
  for (const k of flags.keys()) if (!valued.has(k)) throw new Error(`unknown option ${k}`);
  const out = flags.get('-o') ?? flags.get('--output');
  if (typeof out !== 'string') throw new Error('-o report.html is required');
  const view = reportView(flags);
  if (positionals.length === 0) throw new Error('no trace given');
  const inputs = await reportInputs(positionals, labels);
  const size = await writeReport(readFileSync(singleFileApp(), 'utf8'), inputs, out, view);
  process.stderr.write(
    `schedmap: wrote ${out} (${bytes(size)}, ${inputs.length} file${inputs.length === 1 ? '' : 's'})\n`,
  );
  return 0;
}
