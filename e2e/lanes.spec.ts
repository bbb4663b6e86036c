// Finding your way in a talk-scale map (8 VMs x 20 vCPUs on 80 CPUs, 16 x 16 on 128): vertical zoom and
// scroll of the lanes (Ctrl+wheel, keys), lane labels once lanes are 10 px tall, a ruler below that, a
// block per VM in vCPU mode at every zoom, the time axis on screen at 1280x720.

import { expect, test, type Page } from '@playwright/test';
import { openTraces, SHOTS, writeTalkTrace } from './helpers';

let t80: string;
let t128: string;

test.beforeAll(() => {
  t80 = writeTalkTrace('8x20', 'lanes');
  t128 = writeTalkTrace('16x16', 'lanes');
});

const open = openTraces;

const laneHeight = async (page: Page) => Number(await page.getByTestId('map-view').getAttribute('data-lane-height'));

async function axisOnScreen(page: Page): Promise<void> {
  const box = (await page.locator('.time-axis').first().boundingBox())!;
  const vh = page.viewportSize()!.height;
  expect(box.y).toBeGreaterThan(0);
  expect(box.y + box.height).toBeLessThanOrEqual(vh + 0.5);
}

test('80 CPUs at 1280x720: Ctrl+wheel zooms the lanes about the pointer, labels appear, PgDn scrolls, the axis stays', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, [t80]);
  const map = page.getByTestId('map-view');
  // The legend: 8 VMs in one row, the vCPU ramp explained once (not 230 px per pane).
  const items = page.getByTestId('vm-legend-item');
  await expect(items).toHaveCount(8);
  const tops = await items.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
  await expect(page.getByTestId('legend-key')).toHaveCount(1);
  await expect(page.getByTestId('legend-key')).toContainText('20 vCPUs each');
  expect((await page.locator('.legend').boundingBox())!.height).toBeLessThanOrEqual(60);
  // The whole host: lanes under 10 px, a ruler names every k-th CPU.
  expect(await laneHeight(page)).toBeLessThan(10);
  await expect(page.getByTestId('lane-label')).toHaveCount(0);
  const ruler = await page.getByTestId('lane-ruler-label').allTextContents();
  expect(ruler[0]).toBe('CPU 0');
  expect(ruler.length).toBeGreaterThan(8);
  await axisOnScreen(page);

  // Ctrl+wheel over lane ~ 40: taller lanes, each labelled, the CPU under the pointer kept under it.
  const overlay = page.getByTestId('map-overlay');
  const box = (await overlay.boundingBox())!;
  // The middle of the map, off the 1 px gaps between lanes (no tooltip there).
  let y = Math.round(box.height / 2);
  await page.mouse.move(box.x + 300, box.y + y);
  for (let k = 0; k < 4 && !(await page.getByTestId('map-tooltip').isVisible()); k++) {
    y += 1;
    await page.mouse.move(box.x + 300, box.y + y);
  }
  // The tooltip's host CPU line (neither a vCPU's comm `CPU 5/KVM` nor its `vCPU 5`).
  const cpuUnder = async () =>
    Number((await page.getByTestId('map-tooltip').textContent())?.match(/(?<!v)CPU (\d+)(?![\d/])/)?.[1]);
  await expect(page.getByTestId('map-tooltip')).toBeVisible();
  const before = await cpuUnder();
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await expect.poll(() => laneHeight(page)).toBeGreaterThanOrEqual(10);
  const labels = page.getByTestId('lane-label');
  await expect(labels.first()).toBeVisible();
  const texts = await labels.allTextContents();
  expect(texts.every((t) => /^CPU \d+$/.test(t))).toBe(true);
  const first = Number(texts[0].slice(4));
  expect(first).toBeGreaterThan(0);
  // The CPU under the pointer stays under it (give or take the lane boundary it sat near).
  await page.mouse.move(box.x + 301, box.y + y);
  await expect(page.getByTestId('map-tooltip')).toBeVisible();
  expect(Math.abs((await cpuUnder()) - before)).toBeLessThanOrEqual(1);
  expect(first).toBeLessThanOrEqual(before);
  await expect(page.getByTestId('lane-scroll')).toBeVisible();
  await axisOnScreen(page);
  await page.screenshot({ path: `${SHOTS}/lanes-80cpu-zoomed-1280.png` });

  // PgDn scrolls by a screen; End reaches CPU 79; 0 is the whole host again.
  await map.focus();
  const scroll0 = Number(await map.getAttribute('data-lane-scroll'));
  await page.keyboard.press('PageDown');
  await expect.poll(async () => Number(await map.getAttribute('data-lane-scroll'))).toBeGreaterThan(scroll0);
  expect(Number((await labels.first().textContent())!.slice(4))).toBeGreaterThan(first);
  await page.keyboard.press('End');
  await expect(labels.last()).toHaveText('CPU 79');
  await axisOnScreen(page);
  await page.keyboard.press('0');
  await expect.poll(() => laneHeight(page)).toBeLessThan(10);
  await expect(page.getByTestId('lane-scroll')).toHaveCount(0);
});

for (const [w, h] of [
  [1600, 900],
  [1280, 720],
])
  test(`vCPU lanes at ${w}x${h}: a block per VM at every zoom, vCPU labels when lanes are 10 px`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, [t80]);
    await page.getByRole('button', { name: 'vCPU threads' }).click();
    const blocks = page.getByTestId('lane-vm-label');
    await expect(blocks).toHaveCount(8);
    expect(await blocks.allTextContents()).toEqual([
      'vm4000',
      'vm4031',
      'vm4062',
      'vm4093',
      'vm4124',
      'vm4155',
      'vm4186',
      'vm4217',
    ]);
    // The legend: the 8 VMs on one line, the keys on one more (at 1280 px the key line's short texts, the
    // long ones their tooltips; it took three lines).
    const legendTops = await page
      .locator('.legend > li')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(legendTops.length).toBeGreaterThanOrEqual(11);
    expect(new Set(legendTops).size).toBe(2);
    const key = page.getByTestId('legend-key');
    const keyText = await key.evaluate((e) => (e as HTMLElement).innerText);
    expect(keyText).toContain(w >= 1600 ? 'grouped by process id from the trace' : '20 vCPUs each · by pid · vCPU 0');
    await expect(key.locator('.vm-meta').first()).toHaveAttribute('title', 'grouped by process id from the trace');
    const stateKey = page.getByTestId('lane-state-key').locator('.vm-meta').first();
    expect(await stateKey.evaluate((e) => (e as HTMLElement).innerText)).toBe(
      w >= 1600 ? 'vCPU lanes off CPU:' : 'off CPU:',
    );
    await expect(stateKey).toHaveAttribute('title', /^vCPU lanes off CPU: /);
    await axisOnScreen(page);
    await page.screenshot({ path: `${SHOTS}/lanes-vcpu-8x20-fit-${w}.png` });
    if (w < 1600) {
      // A long VM name is cut with an ellipsis where the legend is narrow, the full name its tooltip.
      const long = 'talk-host-guest-with-a-long-name-0';
      await page.getByRole('button', { name: 'rename vm4000' }).click();
      await page.getByLabel('VM name').fill(long);
      await page.keyboard.press('Enter');
      const name = page.getByTestId('vm-name').first();
      await expect(name).toHaveText(long);
      expect(await name.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
      await expect(name).toHaveAttribute('title', new RegExp(`^${long}: 20 vCPUs`));
      await page.screenshot({ path: `${SHOTS}/lanes-vcpu-8x20-long-name-${w}.png` });
      await page.getByRole('button', { name: `rename ${long}` }).click();
      await page.getByLabel('VM name').fill('vm4000');
      await page.keyboard.press('Enter');
      await expect(name).toHaveText('vm4000');
    }
    await page.getByTestId('map-view').focus();
    for (let i = 0; i < 12 && (await laneHeight(page)) < 10; i++) {
      const h0 = await laneHeight(page);
      await page.keyboard.press('+');
      await expect.poll(() => laneHeight(page)).toBeGreaterThan(h0);
    }
    expect(await laneHeight(page)).toBeGreaterThanOrEqual(10);
    const shown = await blocks.count();
    expect(shown).toBeGreaterThanOrEqual(1);
    expect(shown).toBeLessThan(8);
    // Every block with room for a line on screen is named, and the lanes beside it by vCPU index.
    const named = await blocks.evaluateAll((els) => els.filter((e) => e.clientHeight >= 12).map((e) => e.textContent));
    expect(named.length).toBeGreaterThanOrEqual(1);
    for (const t of named) expect(t).toMatch(/^vm\d+$/);
    expect((await page.getByTestId('lane-label').allTextContents()).every((t) => /^vCPU \d+$/.test(t))).toBe(true);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect(blocks.first()).toHaveAttribute('data-vm', /[1-7]/);
    await axisOnScreen(page);
    await page.screenshot({ path: `${SHOTS}/lanes-vcpu-8x20-zoomed-${w}.png` });
  });

test('128 CPUs, 16 VMs x 16 vCPUs: 256 vCPU lanes under 16 named blocks; Alt+wheel scrolls zoomed lanes', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await open(page, [t128]);
  await page.getByRole('button', { name: 'vCPU threads' }).click();
  await expect(page.getByTestId('map-view')).toHaveAttribute('data-lanes', '256');
  await expect(page.getByTestId('lane-vm-label')).toHaveCount(16);
  // 16 VMs take at most two legend rows.
  const tops = await page
    .getByTestId('vm-legend-item')
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(tops).toHaveLength(16);
  expect(new Set(tops).size).toBeLessThanOrEqual(2);
  await axisOnScreen(page);
  await page.screenshot({ path: `${SHOTS}/lanes-vcpu-16x16-fit-1600.png` });
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  // Over VM 0's block (lanes are 1 px tall here): it stays at the top as the lanes grow.
  await page.mouse.move(box.x + 200, box.y + 4);
  await page.keyboard.down('Control');
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -500);
  await page.keyboard.up('Control');
  await expect.poll(() => laneHeight(page)).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('lane-vm-label').filter({ hasText: 'vm4000' })).toHaveCount(1);
  await page.keyboard.down('Alt');
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 500);
  await page.keyboard.up('Alt');
  await expect
    .poll(async () => Number(await page.getByTestId('map-view').getAttribute('data-lane-scroll')))
    .toBeGreaterThan(1000);
  await expect(page.getByTestId('lane-vm-label').filter({ hasText: 'vm4000' })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/lanes-vcpu-16x16-scrolled-1600.png` });
});
