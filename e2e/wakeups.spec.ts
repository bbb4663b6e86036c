// Wakeups and the tooltip on real recordings and a talk-scale map (8 VMs x 20 vCPUs on 80 CPUs): the
// vCPU lanes' off-CPU states in the legend, the tooltip following the view (a keyboard zoom under a still
// pointer), honouring hidden VMs (no tooltip, no empty band in vCPU mode), times to the window's precision.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../test/fixtures';
import { SHOTS } from './helpers';

const REAL = fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt');
const dir = mkdtempSync(join(tmpdir(), 'schedmap-wakeups-'));
const t80 = join(dir, 'talk-8x20.script-pidtid.txt');

test.beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  execFileSync(
    process.execPath,
    ['bin/schedmap.mjs', 'synth', '--cpus', '80', '--vms', '8', '--vcpus', '20', '--seconds', '0.05']
      .concat(['--policy', 'throttled-yield', '--format', 'script-pidtid', '-o', t80]),
    { stdio: 'ignore' },
  );
});

async function open(page: Page, files: string[]): Promise<void> {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(files);
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('map-view')).not.toHaveAttribute('data-lane-height', '', { timeout: 30_000 });
}

const attr = async (page: Page, name: string): Promise<number> =>
  Number(await page.getByTestId('map-view').getAttribute(name));

/** Move the pointer over the map until a tooltip shows (off the gaps between lanes); returns the point. */
async function hoverSlice(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  const tip = page.getByTestId('map-tooltip');
  for (let k = 0; k < 12; k++) {
    const p = { x: box.x + box.width * fx + k * 3, y: box.y + box.height * fy + k };
    await page.mouse.move(p.x, p.y);
    if (await tip.isVisible()) return p;
  }
  throw new Error('no tooltip over the map');
}

for (const [w, h] of [
  [1600, 900],
  [1280, 720],
] as const) {
  test(`${w}x${h} real recording: the tooltip follows a keyboard zoom; times to the window's precision`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, [REAL]);
    const map = page.getByTestId('map-view');
    const box = (await page.getByTestId('map-overlay').boundingBox())!;
    const p = await hoverSlice(page, 0.1, 0.3);
    const tip = page.getByTestId('map-tooltip');
    // The pixel the tooltip describes holds the time under the pointer, in the window on screen.
    const underPointer = async () => {
      const s = await attr(page, 'data-view-start');
      const e = await attr(page, 'data-view-end');
      const t = s + ((e - s) * (p.x - box.x)) / box.width;
      const a = Number(await tip.getAttribute('data-pixel-start'));
      const b = Number(await tip.getAttribute('data-pixel-end'));
      return { t, a, b, span: e - s };
    };
    const before = await underPointer();
    expect(before.t).toBeGreaterThanOrEqual(before.a - (before.b - before.a));
    expect(before.t).toBeLessThanOrEqual(before.b + (before.b - before.a));
    const wholeText = await tip.textContent();
    await map.focus();
    await page.keyboard.down('w');
    await page.waitForTimeout(700);
    await page.keyboard.up('w');
    await expect.poll(async () => (await underPointer()).span).toBeLessThan(before.span * 0.5);
    // After the zoom the tooltip describes what is under the still pointer now (not the old pixel).
    await expect
      .poll(async () => {
        const u = await underPointer();
        return u.t >= u.a - (u.b - u.a) && u.t <= u.b + (u.b - u.a);
      })
      .toBe(true);
    const after = await underPointer();
    expect(after.b - after.a).toBeLessThan((before.b - before.a) * 0.5);
    // Finer window, finer times: the tooltip's "from" has more decimals than at the whole trace.
    const decimals = (s: string | null) => /from (\d+)(?:\.(\d+))? /.exec(s ?? '')?.[2]?.length ?? 0;
    const zoomedText = await tip.textContent();
    expect(decimals(zoomedText)).toBeGreaterThan(decimals(wholeText));
    await page.screenshot({ path: `${SHOTS}/wakeups-tooltip-zoomed-${w}x${h}.png` });
  });
}

test('80 CPUs: a hidden VM has no tooltip in CPU lanes and leaves no band in vCPU lanes; the states key', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await open(page, [t80]);
  const map = page.getByTestId('map-view');
  const items = page.getByTestId('vm-legend-item');
  await expect(items).toHaveCount(8);
  const hidden = (await items.nth(0).getAttribute('data-vm-name'))!;
  await page.getByRole('button', { name: `hide ${hidden}` }).click();
  // CPU lanes: sweep the map; no tooltip names the hidden VM (index 0).
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  const tip = page.getByTestId('map-tooltip');
  let shown = 0;
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(box.x + 5 + ((i * 37) % (box.width - 10)), box.y + 3 + ((i * 53) % (box.height - 6)));
    if (await tip.isVisible()) {
      shown++;
      expect(await tip.getAttribute('data-vm')).not.toBe('0');
    }
  }
  expect(shown).toBeGreaterThan(10);
  // vCPU lanes: 7 VMs' 140 lanes, no band for the hidden one; the off-CPU states explained.
  await map.focus();
  await page.keyboard.press('v');
  await expect(map).toHaveAttribute('data-lane-mode', 'vcpu');
  await expect(map).toHaveAttribute('data-lanes', '140');
  const key = page.getByTestId('lane-state-key');
  await expect(key).toBeVisible();
  await expect(key.locator('[data-state]')).toHaveText([/runnable \(preempted\)/, /runnable \(woken\)/, /sleeping/, /unknown/]);
  await page.screenshot({ path: `${SHOTS}/wakeups-hidden-vm-vcpu-1600x900.png` });
  // No band of background where the hidden VM's lanes were: the map and its mask composed, the longest
  // run of background rows down a column is a gap between VM blocks, not 20 lanes.
  expect(await longestBackgroundRun(page)).toBeLessThanOrEqual(6);
  await page.getByRole('button', { name: `show ${hidden}` }).click();
  await expect(map).toHaveAttribute('data-lanes', '160');
  expect(await longestBackgroundRun(page)).toBeLessThanOrEqual(6);
});

/** Over a few columns of the map as shown (map and mask layers), the longest run of background rows, device px. */
async function longestBackgroundRun(page: Page): Promise<number> {
  return page.evaluate(() => {
    const layers = [...document.querySelectorAll('.canvas-stack canvas')].slice(0, 2) as HTMLCanvasElement[];
    const c = new OffscreenCanvas(layers[0].width, layers[0].height);
    const ctx = c.getContext('2d')!;
    for (const l of layers) ctx.drawImage(l, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    let worst = 0;
    for (let k = 1; k <= 8; k++) {
      const x = Math.floor((width * k) / 9);
      let run = 0;
      let longest = 0;
      for (let y = 0; y < height; y++) {
        const i = (y * width + x) * 4;
        // THEME.background #111418
        const bg = Math.abs(data[i] - 0x11) + Math.abs(data[i + 1] - 0x14) + Math.abs(data[i + 2] - 0x18) < 6;
        run = bg ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      worst = Math.max(worst, longest);
    }
    return worst;
  });
}
