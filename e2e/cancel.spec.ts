// Cancel and the newest drop, in Chromium, on a perf script trace of a few
// hundred MB generated here (a big host's switches in perf's own layout):
// after Cancel no run appears and the worker had read only part of the file;
// a small trace dropped while the big one parses is the one shown at the end.

import { expect, test, type Page } from '@playwright/test';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../test/fixtures';

const MB = 300;
let dir: string;
let big: string;

/** Switches on 16 CPUs between eight vCPU threads and the idle task, 1 µs apart, in `perf script` layout. */
function writeBigTrace(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  let written = 0;
  let t = 0;
  const running = new Int32Array(16);
  while (written < bytes) {
    const lines: string[] = [];
    for (let k = 0; k < 20_000; k++, t++) {
      const cpu = t % 16;
      const prev = running[cpu];
      const next = prev === 0 ? 1 + ((t >> 4) % 8) : 0;
      running[cpu] = next;
      const name = (task: number) => (task === 0 ? `swapper/${cpu}` : `CPU ${task - 1}/KVM`);
      const pid = (task: number) => (task === 0 ? 0 : 2000 + task);
      const sec = 1000 + t / 1e6;
      lines.push(
        `${name(prev).padStart(16)} ${String(pid(prev)).padStart(5)} [${String(cpu).padStart(3, '0')}] ${sec.toFixed(6)}:       sched:sched_switch: prev_comm=${name(prev)} prev_pid=${pid(prev)} prev_prio=120 prev_state=${prev === 0 ? 'R' : 'S'} ==> next_comm=${name(next)} next_pid=${pid(next)} next_prio=120\n`,
      );
    }
    written += writeSync(fd, lines.join(''));
  }
  closeSync(fd);
}

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'schedmap-cancel-'));
  big = join(dir, 'big.script.txt');
  writeBigTrace(big, MB * 1e6);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Hand the big trace to the app and wait until the worker has read some of it. */
async function startBig(page: Page): Promise<void> {
  await page.getByTestId('trace-input').setInputFiles(big);
  await expect
    .poll(async () => Number((await page.locator('[data-testid="parse-progress"] progress').getAttribute('value')) ?? 0), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
}

test('Cancel stops a big parse: nothing opens, and only part of the file was read', async ({ page }) => {
  await page.goto('./#nosample');
  await startBig(page);
  await page.getByTestId('parse-progress').getByRole('button', { name: 'Cancel' }).click();
  const note = page.getByTestId('parse-cancelled');
  await expect(note).toBeVisible({ timeout: 10_000 });
  const size = statSync(big).size;
  const read = Number(await note.getAttribute('data-bytes-read'));
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(size);
  expect(Number(await note.getAttribute('data-total-bytes'))).toBe(size);
  // No result arrives later either.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-pane')).toHaveCount(0);
  await expect(page.getByTestId('parse-progress')).toHaveCount(0);
});

test('a small trace dropped while a big one parses is the one shown at the end', async ({ page }) => {
  await page.goto('./#nosample');
  await startBig(page);
  await page.getByTestId('trace-input').setInputFiles(fixturePath('synth-4vm-x2vcpu-spin.script-pidtid.txt'));
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', '1117', { timeout: 30_000 });
  // The big parse was superseded: it stops and never replaces the small trace.
  await expect(page.getByTestId('parse-progress')).toHaveCount(0, { timeout: 10_000 });
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-pane')).toHaveCount(1);
  await expect(summary).toHaveAttribute('data-switches', '1117');
  await expect(page.getByTestId('run-pane')).toHaveAttribute('data-run-name', /^synth-4vm-x2vcpu-spin\.script-pidtid\.txt/);
});
