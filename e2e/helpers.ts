// Shared by the browser tests: the `schedmap analyze --json` the UI's numbers
// are checked against, and the folder screenshots are saved to for review.

import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** The talk's host sizes as `schedmap synth` writes them (perf script -F pid,tid layout). */
const TALK_ARGS = {
  '8x20': ['--cpus', '80', '--vms', '8', '--vcpus', '20', '--seconds', '0.05', '--policy', 'throttled-yield'],
  '16x16': ['--cpus', '128', '--vms', '16', '--vcpus', '16', '--seconds', '0.01', '--nodes', '2', '--policy', 'numa'],
} as const;

/**
 * A talk-scale trace written into a fresh temporary folder: 8 VMs x 20 vCPUs on 80 CPUs, or 16 x 16 on 128
 * CPUs in 2 nodes. Its name is talk-SIZE.script-pidtid.txt (the run's label in the app).
 */
export function writeTalkTrace(size: keyof typeof TALK_ARGS, tag: string): string {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  const file = join(mkdtempSync(join(tmpdir(), `schedmap-${tag}-`)), `talk-${size}.script-pidtid.txt`);
  execFileSync(
    process.execPath,
    ['bin/schedmap.mjs', 'synth', ...TALK_ARGS[size], '--format', 'script-pidtid', '-o', file],
    { stdio: 'ignore' },
  );
  return file;
}

/** Open FILES in a page without the sample and wait for the map's lanes to be laid out. */
export async function openTraces(page: Page, files: string[]): Promise<void> {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(files);
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('map-view')).not.toHaveAttribute('data-lane-height', '', { timeout: 30_000 });
}
