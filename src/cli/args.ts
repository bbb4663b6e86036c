// The CLI's flags, read by node:util parseArgs: `--name value`, `--name=value`, `--flag`, `-o value`,
// positionals. Flags keep the spelling they were given (`--json`, `-o`); each command checks its own.

import { parseArgs as parseNodeArgs } from 'node:util';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Read argv; `valued` names the flags that take a value (as written: `--range`, `-o`). */
export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>): ParsedArgs {
  const options: Record<string, { type: 'string'; short?: string }> = {};
  for (const v of valued) {
    const name = v.replace(/^-+/, '');
    options[name] = v.startsWith('--') ? { type: 'string' } : { type: 'string', short: name };
  }
  const { tokens } = parseNodeArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    else if (t.kind === 'option') {
      if (valued.has(t.rawName) && t.value === undefined) throw new Error(`${t.rawName} needs a value`);
      flags.set(t.rawName, t.value ?? true);
    }
  }
  return { positionals, flags };
}
