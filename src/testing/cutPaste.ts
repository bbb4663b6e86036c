// A real recording with a stretch of its lines behind elision marks, as a paste from a mail has it, and the
// same text with the lines gone but no mark: the pair the gap tests compare (read through the CLI's loader).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureText } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';

/** The one run of `lines` written to a file named `name` (its suffix says the format). */
export async function runOfLines(name: string, lines: string[]): Promise<Run> {
  const file = join(mkdtempSync(join(tmpdir(), 'schedmap-cut-')), name);
  writeFileSync(file, lines.join('\n'));
  const runs = assembleRuns(await loadInputs([file]));
  if (runs.length !== 1) throw new Error(`${name}: ${runs.length} runs, not 1`);
  return runs[0];
}

/** The QEMU perf script recording with lines 401–1400 cut behind `marks` (cut), and without them (plain). */
export async function cutScript(marks: string[] = ['[...]']): Promise<{ cut: Run; plain: Run }> {
  const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
  const [head, tail] = [lines.slice(0, 400), lines.slice(1400)];
  return {
    cut: await runOfLines('cut.script.txt', [...head, ...marks, ...tail]),
    plain: await runOfLines('plain.script.txt', [...head, ...tail]),
  };
}

/**
 * A real recording (`fixture`, in test/fixtures) with its lines from..to-1 (0-based) replaced by one `[...]`, as a
 * mail paste has it (cut), and the whole recording (original). `name` is the cut's file name (its suffix says the format).
 */
export async function cutFixture(
  fixture: string,
  name: string,
  from = 400,
  to = 1400,
): Promise<{ cut: Run; original: Run }> {
  const lines = fixtureText(fixture).split('\n');
  return {
    cut: await runOfLines(name, [...lines.slice(0, from), '[...]', ...lines.slice(to)]),
    original: await runOfLines(name, lines),
  };
}
