#!/usr/bin/env node
// Entry point of the `schedmap` command: runs the bundle built by `npm install` (prepare).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist-cli', 'schedmap.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('schedmap: the CLI is not built; run `npm install` (or `npm run build:cli`) in the schedmap folder\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
