// Runs a Node entry point (`node bench/hwm.mjs SCRIPT ARGS...`) as if started
// directly, and prints its peak resident memory (VmHWM, kB) to stderr at exit
// as `schedmap-bench VmHWM <kB>`: the CLI bench's memory figure.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('exit', () => {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stderr.write(`\nschedmap-bench VmHWM ${m ? m[1] : -1}\n`);
});
process.argv.splice(1, 1);
await import(pathToFileURL(resolve(process.argv[1])).href);
