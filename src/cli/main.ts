// `schedmap` command line: the same parsers and analysis as the app, headless.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { reportRun } from '../analysis/report';
import { parseArgs } from './args';
import { assembleRuns } from '../model/runs';
import type { HostTopology } from '../model/topology';
import { UnrecognizedInputError } from '../parse/parseInput';
import { parseTopology } from '../parse/topology';
import { formatReportText } from './formatText';
import { compareForCli, comparisonJson, formatComparisonText } from './compareText';
import { loadInput } from './loadFiles';
import type { DroppedInput } from '../model/runs';
import { REPORT_USAGE, reportCommand } from './reportCommand';
import { SYNTH_USAGE, synthCommand } from './synthCommand';
import { checkAgainstRuns, OptionError, readAnalyzeOptions } from './analyzeOptions';

const USAGE = `usage: schedmap analyze TRACE [COMPANION...] [--json] [--vcpus] [--series BIN_MS]
                        [--range A_S:B_S] [--cpus LIST] [--topology FILE]
       ${SYNTH_USAGE.replace('usage: ', '')}
       ${REPORT_USAGE.split('\n\n')[0].replace('usage: ', '')}

  TRACE       perf sched map, perf script, ftrace / trace-cmd report or perf sched timehist
              text, plain or gzipped
  COMPANION   files that say which threads form which VM: a timehist of the same recording,
              \`ps -eLo pid,tid,comm\` output, a CSV tid,vm[,vcpu], or the host's topology
              (\`lscpu -p\` / \`numactl -H\` output, as with --topology); told apart by content.
              Several traces are several runs, compared as the app compares them (the first is
              the reference): the comparison table, verdicts beyond noise and the summary.
  --json      one JSON object (several runs: {"runs": [...]})
  --vcpus     the readable table also lists every vCPU
  --series    add per-VM time series (mean vCPUs running, switch-ins) in bins of BIN_MS ms
  --range     analyse only [A, B) seconds from the trace start (e.g. 0.5:1.5)
  --cpus      analyse only these CPUs (e.g. 0-3,8)
  --topology  the host's topology: \`lscpu -p\` (or \`lscpu -p=CPU,CORE,SOCKET,NODE\`) or \`numactl -H\`
              output; adds NUMA node and SMT numbers per VM and per node`;

const ANALYZE_VALUED = new Set(['--series', '--range', '--cpus', '--topology']);
const ANALYZE_FLAGS = new Set(['--json', '--vcpus', ...ANALYZE_VALUED]);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  // `schedmap CMD --help`: that command's usage on stdout, exit 0, before any other option is read.
  if (rest.includes('--help') || rest.includes('-h')) {
    const usage = { analyze: USAGE, synth: SYNTH_USAGE, report: REPORT_USAGE }[command];
    if (usage) {
      process.stdout.write(usage + '\n');
      return 0;
    }
  }
  if (command === 'synth') {
    try {
      return synthCommand(rest);
    } catch (e) {
      process.stderr.write(`schedmap synth: ${e instanceof Error ? e.message : String(e)}\n${SYNTH_USAGE}\n`);
      return 2;
    }
  }
  if (command === 'report') {
    try {
      return await reportCommand(rest);
    } catch (e) {
      process.stderr.write(`schedmap report: ${e instanceof Error ? e.message : String(e)}\n${REPORT_USAGE}\n`);
      return 2;
    }
  }
  if (command !== 'analyze') {
    process.stderr.write(`schedmap: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  let parsed;
  let options;
  try {
    parsed = parseArgs(rest, ANALYZE_VALUED);
    for (const k of parsed.flags.keys()) if (!ANALYZE_FLAGS.has(k)) throw new Error(`unknown option ${k}`);
    options = readAnalyzeOptions(parsed.flags);
  } catch (e) {
    process.stderr.write(`schedmap: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const topologyPath = parsed.flags.get('--topology');
  let topology: HostTopology | null = null;
  if (typeof topologyPath === 'string') {
    try {
      topology = parseTopology(readText(topologyPath));
    } catch (e) {
      const why =
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
      process.stderr.write(`schedmap: ${topologyPath}: ${why}\n`);
      return 1;
    }
  } else if (topologyPath === true) {
    process.stderr.write('schedmap: --topology needs a file\n');
    return 2;
  }
  const json = parsed.flags.has('--json');
  const files = parsed.positionals;
  if (files.length === 0) {
    process.stderr.write(`schedmap: no trace given\n${USAGE}\n`);
    return 2;
  }
  const inputs: DroppedInput[] = [];
  for (const f of files) {
    try {
      const got = await loadInput(f);
      if (got.length > 1)
        process.stderr.write(
          `schedmap: ${f} holds ${got.length} perf sched timehists one after another: each is a run of its own (${got.map((g) => g.name).join(', ')}), compared as separate files would be\n`,
        );
      inputs.push(...got);
    } catch (e) {
      const why =
        e instanceof UnrecognizedInputError
          ? e.message
          : (e as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'no such file'
            : e instanceof Error
              ? e.message
              : String(e);
      process.stderr.write(`schedmap: ${f}: ${why}\n`);
      return 1;
    }
  }
  // --topology FILE, or a topology file among the positionals (told apart by content).
  const topologyFile = typeof topologyPath === 'string' ? basename(topologyPath) : null;
  if (topology && topologyFile) inputs.push({ name: topologyFile, kind: 'topology', topology });
  const runs = assembleRuns(inputs);
  if (runs.length === 0) {
    process.stderr.write('schedmap: only companion files given; add a trace\n');
    return 1;
  }
  for (const r of runs) {
    if (r.topologyError) {
      process.stderr.write(`schedmap: ${r.topologyError} (trace ${r.name})\n`);
      return 1;
    }
  }
  try {
    checkAgainstRuns(runs, options);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    process.stderr.write(`schedmap: ${e.message}\n`);
    return 2;
  }
  const fileOf = (t: HostTopology | null | undefined): string | null =>
    (t && inputs.find((i) => i.kind === 'topology' && i.topology === t)?.name) || null;
  const reports = runs.map((r) =>
    reportRun(r, { ...options, topology: r.topology ?? null, topologyFile: fileOf(r.topology) }),
  );
  // Two or more runs: the app's comparison too (the first run is the reference).
  const window = { range: options.range, cpus: options.cpus };
  const comparison = runs.length > 1 ? compareForCli(runs, reports, window) : null;
  if (json) {
    const out = reports.length === 1 ? reports[0] : { runs: reports, comparison: comparisonJson(comparison!) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const texts = reports.map((r) => formatReportText(r, parsed.flags.has('--vcpus')));
    if (comparison) texts.push(formatComparisonText(comparison));
    process.stdout.write(texts.join('\n\n') + '\n');
  }
  return 0;
}

/** A small text file, gunzipped when it is gzip. */
function readText(path: string): string {
  const buf = readFileSync(path);
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
}
