// Sharing what you see: the PNG export is the map with its title and window,
// lane labels, time axis and legend (decoded in the page and read by region);
// the CSV names the run and the window of every row.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { fixturePath } from '../test/fixtures';
import { analyze, SHOTS, writeTalkTrace } from './helpers';

const SPREAD = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');

async function open(page: Page, file: string): Promise<void> {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(file);
  await expect(page.getByTestId('analysis-panel').first()).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

interface PictureRegions {
  width: number;
  height: number;
  /** Per colour asked for: how many pixels of it are in the legend strip (below map and axis). */
  legendHits: number[];
  /** Light text pixels in the label column beside the map, in the title line, below the map (axis). */
  labelText: number;
  titleText: number;
  axisText: number;
}

/** The exported PNG decoded in the page, its regions read against the map's layout. */
async function readPicture(page: Page, png: Buffer, colours: string[]): Promise<PictureRegions> {
  const mapHeight = await page
    .getByTestId('sched-map')
    .first()
    .evaluate((c: HTMLCanvasElement) => c.height);
  return page.evaluate(
    async ({ bytes, colours, mapHeight }) => {
      const bmp = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      const dpr = window.devicePixelRatio || 1;
      const head = Math.round(20 * dpr);
      const axis = Math.round(26 * dpr);
      const labels = Math.round(110 * dpr);
      const rgbOf = (css: string): number[] => css.match(/\d+/g)!.slice(0, 3).map(Number);
      const wanted = colours.map(rgbOf);
      const near = (i: number, [r, g, b]: number[], tol: number) =>
        Math.abs(d[i] - r) <= tol && Math.abs(d[i + 1] - g) <= tol && Math.abs(d[i + 2] - b) <= tol;
      // Text is drawn in light greys (#e6e9ee, #97a0ad) on #111418: count pixels well above the background.
      const bright = (i: number) => d[i] + d[i + 1] + d[i + 2] > 3 * 80;
      const count = (x0: number, y0: number, x1: number, y1: number, f: (i: number) => boolean) => {
        let n = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (f((y * bmp.width + x) * 4)) n++;
        return n;
      };
      const legendTop = head + mapHeight + axis;
      return {
        width: bmp.width,
        height: bmp.height,
        legendHits: wanted.map((rgb) => count(0, legendTop, bmp.width, bmp.height, (i) => near(i, rgb, 2))),
        labelText: count(0, head, labels, head + mapHeight, bright),
        titleText: count(0, 0, bmp.width, head, bright),
        axisText: count(labels, head + mapHeight + 2, bmp.width, legendTop, bright),
      };
    },
    { bytes: [...png], colours, mapHeight },
  );
}

async function exportPng(page: Page, name: string): Promise<Buffer> {
  const panel = page.getByTestId('analysis-panel').first();
  const [dl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-png').click()]);
  await dl.saveAs(`${SHOTS}/${name}`);
  return readFileSync((await dl.path())!);
}

/** Every VM's ramp colours as the page's legend shows them (computed CSS rgb()). */
async function legendColours(page: Page): Promise<string[][]> {
  return page
    .getByTestId('vm-legend-item')
    .evaluateAll((items) =>
      items.map((li) =>
        [...li.querySelectorAll('.vm-swatches .swatch')].map((s) => getComputedStyle(s).backgroundColor),
      ),
    );
}

test('the PNG export carries the title with the window, lane labels, the time axis and the legend', async ({
  page,
}) => {
  await open(page, SPREAD);
  const view = page.getByTestId('map-view').first();
  // Zoom in so the window is not the whole trace.
  await view.focus();
  await page.keyboard.down('w');
  await page.waitForTimeout(400);
  await page.keyboard.up('w');
  const png = await exportPng(page, 'export-map-4vm.png');
  const ramps = await legendColours(page);
  expect(ramps).toHaveLength(4);
  const pic = await readPicture(page, png, ramps.flat());
  const mapCanvas = await page
    .getByTestId('sched-map')
    .first()
    .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  expect(pic.width).toBeGreaterThan(mapCanvas[0]);
  // Title, map, axis and at least one legend row.
  expect(pic.height).toBeGreaterThan(mapCanvas[1] + 46 + 18);
  // Every vCPU colour of every VM is in the legend strip (its swatch stripe is at least 6 x 10 px).
  pic.legendHits.forEach((n, k) => expect(n, `legend colour ${ramps.flat()[k]}`).toBeGreaterThanOrEqual(30));
  expect(pic.titleText).toBeGreaterThan(200);
  expect(pic.labelText).toBeGreaterThan(100);
  expect(pic.axisText).toBeGreaterThan(50);
  // A hidden VM leaves the legend of the picture.
  await page
    .getByRole('button', { name: /^hide / })
    .first()
    .click();
  const pic2 = await readPicture(page, await exportPng(page, 'export-map-4vm-hidden.png'), ramps[0]);
  pic2.legendHits.forEach((n) => expect(n).toBe(0));
});

test('a talk-scale map (8 x 20 vCPUs on 80 CPUs) exports with its 8 VMs and lane labels', async ({ page }) => {
  const file = writeTalkTrace('8x20', 'export');
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, file);
  const ramps = await legendColours(page);
  expect(ramps).toHaveLength(8);
  const pic = await readPicture(
    page,
    await exportPng(page, 'export-map-8x20-1280.png'),
    ramps.map((r) => r[0]),
  );
  pic.legendHits.forEach((n, k) => expect(n, `VM ${k}'s vCPU 0 colour`).toBeGreaterThanOrEqual(6));
  expect(pic.labelText).toBeGreaterThan(100);
});

test('CSV rows carry the run label and the window; the panel, the CSV and the CLI table agree', async ({ page }) => {
  await open(page, SPREAD);
  const panel = page.getByTestId('analysis-panel').first();
  await panel.getByTestId('cpu-filter').fill('1');
  await panel.getByTestId('cpu-filter').press('Enter');
  await expect(panel).toHaveAttribute('data-cpus', '1');
  await expect(panel).toHaveAttribute('data-state', 'ready');
  const [dl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-csv').click()]);
  const rows = Papa.parse<Record<string, string>>(readFileSync((await dl.path())!, 'utf8').trim(), {
    header: true,
  }).data;
  const cli = analyze([SPREAD], '--cpus', '1');
  expect(rows.length).toBe(4 + 8);
  for (const r of rows) {
    // The run's label as the pane shows it (the file name without its extension unless renamed).
    expect(r.run).toBe('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid');
    expect(Number(r.windowStartUs)).toBe(cli.window.startUs);
    expect(Number(r.windowEndUs)).toBe(cli.window.endUs);
    expect(r.windowCpus).toBe('1');
  }
  // The panel's VM row cells are the CLI table's cells, in the same order (one formatter).
  const text = execFileSync(process.execPath, ['bin/schedmap.mjs', 'analyze', SPREAD, '--cpus', '1'], {
    encoding: 'utf8',
  }).split('\n');
  const cells = await panel
    .getByTestId('vm-row')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td.num')].map((td) => td.textContent ?? '')));
  const names = await panel
    .getByTestId('vm-row')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-vm-name')));
  names.forEach((name, i) => {
    const line = text.find((l) => l.startsWith(`  ${name} `) && /\d\s/.test(l) && !l.includes('tgid'))!;
    expect(line, `${name}'s CLI row`).toBeTruthy();
    const got = line
      .trim()
      .split(/\s{2,}/)
      .slice(1);
    // vCPUs, then every metric ('-' in the CLI where the panel writes '—').
    expect(got.map((c) => (c === '-' ? '—' : c))).toEqual(cells[i].slice(0, got.length));
    expect(got.length).toBeGreaterThan(15);
  });
});
