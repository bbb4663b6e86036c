// `npm test`: type check, lint, unit tests (Vitest), then browser tests
// (Playwright in real headless Chromium). Finds a Chromium already on the
// machine first; tries Playwright's own download only when none is there.
import { spawnSync } from 'node:child_process';
import { findChromium, playwrightOwnChromium } from './find-chromium.mjs';

const e2eOnly = process.argv.includes('--e2e-only');
const run = (cmd, args, env = process.env) => {
  process.stdout.write(`\n> ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!e2eOnly) {
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('npx', ['eslint', '.', '--max-warnings=0']);
  run('npx', ['vitest', 'run']);
}

let chromium = findChromium() ?? (await playwrightOwnChromium());
if (!chromium) {
  process.stdout.write('\nNo Chromium found; trying Playwright\'s own download…\n');
  const r = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  if (r.status === 0) chromium = await playwrightOwnChromium();
}
if (!chromium) {
  process.stderr.write(
    '\nBrowser tests need Chromium: install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set SCHEDMAP_CHROMIUM=/path/to/chromium\n',
  );
  process.exit(1);
}
run('npx', ['playwright', 'test'], { ...process.env, SCHEDMAP_CHROMIUM: chromium });
