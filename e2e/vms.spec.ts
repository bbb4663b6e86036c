// VMs of QEMU without thread names in the legend, in real Chromium: estimated vCPUs flagged, made
// exact by dropping the QMP answers, and what to drop when the trace has no process ids.

import { expect, test } from '@playwright/test';
import { fixturePath, truth } from '../test/fixtures';
import { SHOTS } from './helpers';

const REC = 'qemu-nodebug-3vm';
const T = truth(REC);
const QMP = T.vms.map((vm) => fixturePath(`companions/${REC}/${vm.name}.json`));

test('estimated VMs are flagged in the legend; the QMP answers make them exact', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath(`${REC}.script-pidtid.txt`));
  const items = page.getByTestId('vm-legend-item');
  await expect(items).toHaveCount(3, { timeout: 30_000 });
  await expect(page.getByTestId('vm-estimated')).toHaveCount(3);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-estimated')))).toEqual([
    'true',
    'true',
    'true',
  ]);
  await expect(page.getByTestId('vm-estimated').first()).toHaveAttribute(
    'title',
    /vCPU threads estimated: .* debug-threads=on/,
  );
  for (const size of [
    { width: 1600, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(size);
    await page.locator('.legend').screenshot({ path: `${SHOTS}/legend-estimated-${size.width}.png` });
  }
  await page.setViewportSize({ width: 1600, height: 900 });
  await page.screenshot({ path: `${SHOTS}/map-qemu-nodebug-estimated.png` });

  await page.getByTestId('companion-input').first().setInputFiles(QMP);
  // The legend is rebuilt when the companions join the run: poll the whole legend, not one attribute, so a
  // legend caught between two renders (no items yet, hence no estimate marks either) cannot pass or fail it.
  await expect
    .poll(
      () =>
        items.evaluateAll((els) => els.map((e) => [e.getAttribute('data-vm-name'), e.getAttribute('data-vcpu-tids')])),
      { timeout: 30_000 },
    )
    .toEqual(T.vms.map((vm) => [vm.name, vm.vcpus.map((v) => v.tid).join(',')]));
  await expect(page.getByTestId('vm-estimated')).toHaveCount(0);
});

test('a map of QEMU without thread names says what to drop; with QMP answers the main threads are a flagged guess', async ({
  page,
}) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath(`${REC}.map.txt`));
  await expect(page.getByTestId('vm-note')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('vm-note')).toContainText('no process ids');
  await expect(page.getByTestId('vm-note')).toContainText('perf sched timehist');
  await page.locator('.legend').screenshot({ path: `${SHOTS}/legend-no-tgids.png` });

  await page.getByTestId('trace-input').setInputFiles(QMP);
  await expect(page.getByTestId('vm-legend-item')).toHaveCount(3, { timeout: 30_000 });
  await expect(page.getByTestId('vm-threads-guessed')).toHaveCount(3);
  await expect(page.getByTestId('vm-estimated')).toHaveCount(0);
  await page.locator('.legend').screenshot({ path: `${SHOTS}/legend-guessed-main-threads.png` });
});
