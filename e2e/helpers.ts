// Shared by the browser tests: the `schedmap analyze --json` the UI's numbers
// are checked against, and the folder screenshots are saved to for review.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export const SHOTS = 'e2e/screenshots';
mkdirSync(SHOTS, { recursive: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

let cliBuilt = false;

/** `schedmap analyze FILES... --json FLAGS...` through the built CLI bundle. */
export function analyze(files: string | string[], ...flags: string[]): Json {
  if (!cliBuilt) {
    execFileSync(process.execPath, ['scripts/build-cli.mjs']);
    cliBuilt = true;
  }
  const list = Array.isArray(files) ? files : [files];
  return JSON.parse(
    execFileSync(process.execPath, ['bin/schedmap.mjs', 'analyze', ...list, '--json', ...flags], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  );
}
