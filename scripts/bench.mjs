// Bundle the benchmark (TypeScript) with esbuild and run it in plain Node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['bench/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'bench-out/bench.mjs',
  logLevel: 'warning',
  // Run from node_modules, not bundled: the browser driver and the bundler for the in-page part.
  external: ['@playwright/test', 'playwright-core', 'esbuild'],
});
const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', 'bench-out/bench.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
