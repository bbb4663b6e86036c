// A parsed file as the runs assembly takes it (src/model/runs.ts), the same in the Worker and the CLI.

import type { DroppedInput } from '../model/runs';
import type { ParsedInput } from './parseInput';

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
