// A pasted trace with a stretch left out behind `[...]` (a real recording, quoted as in a mail), in real
// Chromium: the map draws a band where the text was cut, the legend keys it, and the tooltip over it says
// the mark's line, the mark and the time between the events around it. The switch-rate timeline under the
// map breaks there (no rate is known), and its readout at the cursor says the text was cut there.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadInputs } from '../src/cli/loadFiles';
import { assembleRuns } from '../src/model/runs';
import { fixturePath, fixtureText } from '../test/fixtures';
import { SHOTS } from './helpers';

/** Pixels of the map canvas's device column at CSS x with exactly the colour rgb, top to bottom. */
async function columnCount(page: Page, x: number, rgb: [number, number, number]): Promise<number> {
  return page.getByTestId('sched-map').evaluate(
    (c: HTMLCanvasElement, [cx, r, g, b]) => {
      const dpr = c.width / c.clientWidth;
      const d = c.getContext('2d')!.getImageData(Math.floor(cx * dpr), 0, 1, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i + 1] === g && d[i + 2] === b) n++;
      return n;
    },
    [x, ...rgb],
  );
}

const STRIPE: [number, number, number] = [0xd9, 0xa4, 0x41]; // THEME.gapStripe

test('the band where the pasted text was cut: drawn, keyed, and its tooltip says line, mark and span', async ({
  page,
}) => {
  const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-e2e-'));
  const paste = join(dir, 'pasted-with-cut.txt');
  writeFileSync(paste, [...lines.slice(0, 400), '[...]', ...lines.slice(1400, 3000)].map((l) => `> ${l}`).join('\n'));
  const m = assembleRuns(await loadInputs([paste]))[0].model;
  expect(m.gaps.length).toBe(1);
  const ms = (m.gaps.end[0] - m.gaps.start[0]) / 1e6;
  expect(ms).toBeGreaterThan(100); // shown to 3 significant digits: whole ms

  // A trace without a cut has no key for it.
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('qemu-tcg-2vm-x2vcpu.script.txt'));
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('host-key')).toBeVisible();
  await expect(page.getByTestId('gap-key')).toHaveCount(0);
  const timeline = page.getByTestId('switch-timeline');
  /** Subpaths of the timeline's all-switches line: one per stretch with a rate. */
  const lineParts = async (): Promise<number> => {
    await expect(timeline).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    return ((await timeline.locator('.total-line').getAttribute('d')) ?? '').split('M').length - 1;
  };
  await expect.poll(lineParts).toBe(1);

  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(paste);
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', String(m.switches.length), {
    timeout: 30_000,
  });
  await expect(page.getByTestId('gap-key')).toHaveText('text cut (elided)');
  await expect.poll(lineParts).toBe(2);

  const hoverGap = async (): Promise<void> => {
    const canvas = page.getByTestId('sched-map');
    const box = (await canvas.boundingBox())!;
    const view = page.getByTestId('map-view');
    const t0 = Number(await view.getAttribute('data-view-start'));
    const t1 = Number(await view.getAttribute('data-view-end'));
    const x = (t: number) => ((t - t0) / (t1 - t0)) * box.width;
    const mid = x((m.gaps.start[0] + m.gaps.end[0]) / 2);
    // Stripes down the band's middle column; none a few pixels before the band.
    expect(await columnCount(page, mid, STRIPE)).toBeGreaterThan(10);
    expect(await columnCount(page, x(m.gaps.start[0]) - 4, STRIPE)).toBe(0);
    await page.mouse.move(box.x + mid, box.y + box.height / 4);
    await expect(page.getByTestId('gap-note')).toHaveText(
      `text cut here: line 401 \`[...]\`; ${Math.round(ms)} ms between the events around it`,
    );
    await expect(page.getByTestId('map-tooltip')).toContainText(
      'the pasted text was cut here: its events are not in the trace',
    );
    // The timeline's readout follows the map's pointer: over the gap it has no rate.
    await expect(timeline.locator('.timeline-readout')).toHaveText(
      /^\d+\.\d+ s: the pasted text was cut here, its switches are not in the trace$/,
    );
  };
  await hoverGap();
  await page.screenshot({ path: `${SHOTS}/pasted-gap-1600.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.mouse.move(0, 0);
  await hoverGap();
  await page.screenshot({ path: `${SHOTS}/pasted-gap-1280.png` });
});
