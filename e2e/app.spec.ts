import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../test/fixtures';

test('opens with a built-in sample trace parsed in the worker', async ({ page }) => {
  await page.goto('./');
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  expect(Number(await summary.getAttribute('data-switches'))).toBeGreaterThan(1000);
  await expect(page.getByTestId('vm-legend-item')).toHaveCount(3);
});

test('loads a trace from the file input and shows its summary', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('synth-4vm-x2vcpu-spin.script-pidtid.txt'));
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', '1117', { timeout: 30_000 });
  await expect(summary).toHaveAttribute('data-cpus', '2');
  await expect(summary).toHaveAttribute('data-vms', '4');
});

test('a bad file gets a clear error and the app stays usable', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles({
    name: 'perf.data',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(fixturePath('bad-perf-data-head.perf.data')),
  });
  await expect(page.getByTestId('load-errors')).toContainText('This perf.data cannot be read');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('synth-4vm-x2vcpu-spin.map.txt'));
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '1117', { timeout: 30_000 });
});
