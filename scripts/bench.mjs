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
});
const r = spawnSync(process.execPath, ['--expose-gc', 'bench-out/bench.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
