// A built-in sample pair (public/samples/index.json `with`) opens side by side:
// the simulated PLE on run beside the throttled-yield one.

import { expect, test } from '@playwright/test';

test('the simulated PLE on / throttled yield sample opens as two panes side by side', async ({ page }) => {
  await page.goto('./#nosample');
  const select = page.getByLabel('Samples');
  await expect(select.locator('option', { hasText: 'PLE on vs throttled yield' })).toHaveCount(1);
  await select.selectOption({ label: 'Simulated: PLE on vs throttled yield, side by side' });
  const panes = page.getByTestId('run-pane');
  await expect(panes).toHaveCount(2, { timeout: 30_000 });
  await expect(panes.nth(0)).toHaveAttribute('data-run-name', 'sim-2vm-x16vcpu-ple-on.script-pidtid.txt.gz');
  await expect(panes.nth(1)).toHaveAttribute('data-run-name', 'sim-2vm-x16vcpu-throttled-yield.script-pidtid.txt.gz');
  await expect(page.getByTestId('panes')).toHaveAttribute('data-layout', 'side');
  for (let i = 0; i < 2; i++) await expect(panes.nth(i).getByTestId('vm-legend-item')).toHaveCount(2, { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/samples-pair.png' });
});
