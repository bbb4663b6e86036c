import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../test/fixtures';

test('a trace-cmd trace.dat (v7, zstd) is read in the worker, a damaged one gets a clear message', async ({ page }) => {
  await page.goto('./#nosample');
  const bytes = readFileSync(fixturePath('tracecmd-vmsim-4vm-x2vcpu.v7-zstd.dat'));
  await page.getByTestId('trace-input').setInputFiles({
    name: 'trace.dat',
    mimeType: 'application/octet-stream',
    buffer: bytes.subarray(0, bytes.length - 2000),
  });
  await expect(page.getByTestId('load-errors')).toContainText('This trace.dat cannot be read');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('tracecmd-vmsim-4vm-x2vcpu.v7-zstd.dat'));
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', '300', { timeout: 30_000 });
  await expect(summary).toHaveAttribute('data-cpus', '2');
});
