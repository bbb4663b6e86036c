// A paste of several perf sched timehists one after another (issue 15), dropped
// in real Chromium: each timehist is a run of its own, side by side as if the
// blocks had been dropped as separate files, with the numbers `schedmap
// analyze --json` gives for the same paste.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixturePath } from '../test/fixtures';
import { analyze, SHOTS, type Json } from './helpers';

test('two timehists in one paste open as two runs, each equal to the CLI', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-e2e-'));
  const paste = join(dir, 'two-timehists.txt');
  const head = (name: string): string[] => readFileSync(fixturePath(name), 'utf8').split('\n').slice(0, 203);
  writeFileSync(
    paste,
    [...head('synth-4vm-x2vcpu-spin.timehist.txt'), ...head('synth-4vm-x2vcpu-yield.timehist.txt')].join('\n') + '\n',
  );
  const cli = analyze(paste);
  expect(cli.runs).toHaveLength(2);

  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(paste);
  const panes = page.getByTestId('run-pane');
  await expect(panes).toHaveCount(2, { timeout: 30_000 });
  for (let i = 0; i < 2; i++) {
    const pane = panes.nth(i);
    await expect(pane.getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(pane.getByTestId('run-label')).toHaveValue(new RegExp(`two-timehists.*#${i + 1}`));
    const rows = pane.getByTestId('vm-row');
    const run = cli.runs[i];
    await expect(rows).toHaveCount(run.vms.length);
    const got = await rows.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
    run.vms.forEach((vm: Json, k: number) => {
      expect(got[k].vmName).toBe(vm.name);
      expect(got[k].switchInsPerSec).toBe(String(vm.switchInsPerSec));
      expect(got[k].gangScore).toBe(String(vm.gangScore));
    });
  }
  await page.screenshot({ path: `${SHOTS}/pasted-blocks-1600.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: `${SHOTS}/pasted-blocks-1280.png` });
});
