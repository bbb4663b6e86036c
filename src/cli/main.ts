// `schedmap` command line: the same parsers and analysis as the app, headless.

import { summarizeRun } from '../analysis/summary';
import { assembleRuns } from '../model/runs';
import { UnrecognizedInputError } from '../parse/parseInput';
import { formatSummaryText } from './formatText';
import { loadInput } from './loadFiles';
import type { DroppedInput } from '../model/runs';
import { SYNTH_USAGE, synthCommand } from './synthCommand';

const USAGE = `usage: schedmap analyze TRACE [COMPANION...] [--json]
       ${SYNTH_USAGE.replace('usage: ', '')}

  TRACE       perf sched map, perf script, ftrace / trace-cmd report or perf sched timehist
              text, plain or gzipped
  COMPANION   files that say which threads form which VM: a timehist of the same recording,
              \`ps -eLo pid,tid,comm\` output, or a CSV tid,vm[,vcpu]; told apart by content.
              Several traces are several runs.
  --json      one JSON object (several runs: {"runs": [...]})`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === 'synth') {
    try {
      return synthCommand(rest);
    } catch (e) {
      process.stderr.write(`schedmap synth: ${e instanceof Error ? e.message : String(e)}\n${SYNTH_USAGE}\n`);
      return 2;
    }
  }
  if (command !== 'analyze') {
    process.stderr.write(`schedmap: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  const json = rest.includes('--json');
  const unknownFlag = rest.find((a) => a.startsWith('--') && a !== '--json');
  if (unknownFlag) {
    process.stderr.write(`schedmap: unknown option ${unknownFlag}\n`);
    return 2;
  }
  const files = rest.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write(`schedmap: no trace given\n${USAGE}\n`);
    return 2;
  }
  const inputs: DroppedInput[] = [];
  for (const f of files) {
    try {
      inputs.push(await loadInput(f));
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
  const runs = assembleRuns(inputs);
  if (runs.length === 0) {
    process.stderr.write('schedmap: only companion files given; add a trace\n');
    return 1;
  }
  const summaries = runs.map(summarizeRun);
  if (json) {
    const out = summaries.length === 1 ? summaries[0] : { runs: summaries };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(summaries.map(formatSummaryText).join('\n\n') + '\n');
  }
  return 0;
}
