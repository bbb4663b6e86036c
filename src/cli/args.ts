// Minimal flag parsing for the CLI: `--name value`, `--flag`, `-o value`, positionals.

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (valued.has(name)) {
        if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
        flags.set(name, argv[++i]);
      } else flags.set(name, true);
    } else positionals.push(a);
  }
  return { positionals, flags };
}
