// A parsed file as the runs assembly takes it (src/model/runs.ts), the same in the Worker and the CLI.

import type { DroppedInput } from '../model/runs';
import type { ParsedInput } from './parseInput';

/**
 * The inputs a parsed file gives: one, or one trace per timehist of a paste that holds several (named
 * `NAME #k`, as if each had been dropped as a file of its own).
 */
export function droppedInputsOf(name: string, parsed: ParsedInput): DroppedInput[] {
  if (parsed.kind !== 'trace' || parsed.more === undefined || parsed.more.length === 0)
    return [droppedInputOf(name, parsed)];
  return [parsed.model, ...parsed.more].map((model, k) => ({ name: `${name} #${k + 1}`, kind: 'trace', model }));
}

export function droppedInputOf(name: string, parsed: ParsedInput): DroppedInput {
  if (parsed.kind === 'trace') return { name, kind: 'trace', model: parsed.model };
  const c = parsed.companion;
  switch (c.kind) {
    case 'vm-csv':
      return { name, kind: 'vm-csv', rows: c.rows, warnings: c.warnings };
    case 'ps':
      return { name, kind: 'ps', threads: c.threads, warnings: c.warnings };
    case 'topology':
      return { name, kind: 'topology', topology: c.topology };
    case 'vm-facts':
      return { name, kind: 'vm-facts', format: c.format, facts: c.facts, warnings: c.warnings };
    case 'numa-memory':
      return { name, kind: 'numa-memory', memory: c.memory, warnings: c.warnings };
  }
}
