// The analysis panel in real Chromium: its numbers against `schedmap analyze
// --json` for the same file (full precision, through the rows' data
// attributes), a Shift+drag range against `--range A:B`, a CPU subset against
// `--cpus`, exports (CSV with formula escaping, JSON, PNG), markers, the
// histogram hover marks on the map, and the lock-holder-preemption view.

import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { fixturePath } from '../test/fixtures';
import { analyze, SHOTS, type Json } from './helpers';




const SPREAD = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');

async function open(page: Page, file: string | string[]): Promise<void> {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(file);
  await expect(page.getByTestId('analysis-panel').first()).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
}

/** Every VM row's data attributes against the CLI's VM fields (exact: same engine, same model). */
async function expectVmRows(panel: Locator, cli: Json): Promise<void> {
  const rows = panel.getByTestId('vm-row');
  await expect(rows).toHaveCount(cli.vms.length);
  const got = await rows.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
  const str = (x: unknown): string => (x === null ? 'null' : String(x));
  cli.vms.forEach((vm: Json, i: number) => {
    const row = got[i];
    expect(row.vmName).toBe(vm.name);
    // The test contract's attributes…
    expect(row.gangScore, `${vm.name} gangScore`).toBe(str(vm.gangScore));
    expect(row.switchInsPerSec, `${vm.name} switchInsPerSec`).toBe(str(vm.switchInsPerSec));
    expect(row.runSliceMedianUs, `${vm.name} runSliceMedianUs`).toBe(str(vm.runSliceMedianUs));
    // …and every other scalar field.
    for (const k of [
      'allRunningFraction',
      'runSliceP90Us',
      'runSliceP99Us',
      'runSliceMaxUs',
      'siblingHandoffs',
      'cpuShare',
      'hostNoiseShare',
      'vcpuMigrationsPerSec',
      'preemptedVcpusMean',
      'runDelayP50Us',
      'runDelayP99Us',
      'pleExitsPerSec',
      'vcpuCount',
      'k',
    ])
      expect(row[k], `${vm.name} ${k}`).toBe(str(vm[k]));
  });
}

async function expectCpuRows(panel: Locator, cli: Json): Promise<void> {
  const rows = panel.getByTestId('cpu-row');
  const got = await rows.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
  for (const c of cli.perCpu) {
    const row = got.find((r) => r.cpu === String(c.cpu))!;
    expect(row.switchesPerSec).toBe(String(c.switchesPerSec));
    expect(row.idleFraction).toBe(c.idleFraction === null ? 'null' : String(c.idleFraction));
  }
  await expect(panel.getByTestId('host-switch-rate')).toHaveAttribute(
    'data-switches-per-sec-per-cpu',
    String(cli.switchesPerSecPerCpu),
  );
}

test('panel numbers equal `schedmap analyze --json`, per VM, per vCPU and per CPU', async ({ page }) => {
  const cli = analyze([SPREAD]);
  await open(page, SPREAD);
  const panel = page.getByTestId('analysis-panel');
  await expect(panel.getByTestId('analysis-range')).toContainText('whole trace');
  await expectVmRows(panel, cli);
  await expectCpuRows(panel, cli);

  // Expand every VM: one row per vCPU with the CLI's per-vCPU numbers.
  await panel.locator('.vm-table thead button.expand').click();
  const vcpuRows = panel.getByTestId('vcpu-row');
  await expect(vcpuRows).toHaveCount(cli.vms.reduce((n: number, v: Json) => n + v.vcpus.length, 0));
  const got = await vcpuRows.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
  const want = cli.vms.flatMap((vm: Json) => vm.vcpus);
  want.forEach((v: Json, i: number) => {
    expect(got[i].tid).toBe(String(v.tid));
    for (const k of [
      'runSliceMedianUs',
      'switchInsPerSec',
      'runFraction',
      'preemptedFraction',
      'migrationsPerSec',
      'runDelayP99Us',
    ])
      expect(got[i][k], `tid ${v.tid} ${k}`).toBe(v[k] === null ? 'null' : String(v[k]));
  });

  // Sorting by gang score (descending) orders the rows by it.
  await panel.locator('button[data-sort-key="gangScore"]').click();
  const order = await panel
    .getByTestId('vm-row')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.gangScore)));
  expect(order).toEqual([...order].sort((a, b) => b - a));

  // Histograms: one small multiple per VM; their slice counts are the slices the statistics use.
  await expect(panel.getByTestId('slice-histograms').locator('figure')).toHaveCount(cli.vms.length);
  await expect(panel.getByTestId('corun-histograms').locator('figure')).toHaveCount(cli.vms.length);
  for (const [i, vm] of cli.vms.entries()) {
    const bars = panel.locator(`[data-testid="corun-bar"][data-vm="${i}"]`);
    const fr = await bars.evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.fraction));
    expect(fr).toEqual(vm.coRunHistogram.map((x: number | null) => String(x)));
    // The independent expectation drawn over the bars: the CLI's coRunIndependent.
    const ind = await bars.evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.independent));
    expect(ind).toEqual(vm.coRunIndependent.map((x: number | null) => String(x)));
  }
  await expect(panel.getByTestId('corun-independent')).toHaveCount(cli.vms.length);
  await page.screenshot({ path: `${SHOTS}/panel-pin-spread.png`, fullPage: true });
});

/** Time (relative ns) at CSS x of the overlay, from the map's window. */
async function timeAtX(page: Page, x: number, width: number): Promise<number> {
  const view = page.getByTestId('map-view').first();
  const t0 = Number(await view.getAttribute('data-view-start'));
  const t1 = Number(await view.getAttribute('data-view-end'));
  return t0 + ((t1 - t0) * x) / width;
}

const toSec = (ns: number): string => (ns / 1e9).toFixed(9);

test('a Shift+drag range, a typed range and a CPU subset change the numbers to the CLI’s for them', async ({
  page,
}) => {
  const whole = analyze([SPREAD]);
  await open(page, SPREAD);
  const panel = page.getByTestId('analysis-panel');
  const overlay = page.getByTestId('map-overlay');
  const box = (await overlay.boundingBox())!;
  const [x1, x2] = [box.width * 0.22, box.width * 0.61];
  const [e1, e2] = [await timeAtX(page, x1, box.width), await timeAtX(page, x2, box.width)];
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + x1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + (x1 + x2) / 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + x2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');

  await expect(panel).toHaveAttribute('data-range-start-ns', /\d+/, { timeout: 15_000 });
  await expect(panel).toHaveAttribute('data-state', 'ready');
  const a = Number(await panel.getAttribute('data-range-start-ns'));
  const b = Number(await panel.getAttribute('data-range-end-ns'));
  // The range is the dragged pixels' (to a pixel), in whole ns.
  const nsPerPx = (e2 - e1) / (x2 - x1);
  expect(Number.isInteger(a) && Number.isInteger(b)).toBe(true);
  expect(Math.abs(a - e1)).toBeLessThanOrEqual(1.5 * nsPerPx);
  expect(Math.abs(b - e2)).toBeLessThanOrEqual(1.5 * nsPerPx);
  await expect(panel.getByTestId('analysis-range')).toContainText('selection');

  const ranged = analyze([SPREAD], '--range', `${toSec(a)}:${toSec(b)}`);
  expect(ranged.window.startUs).toBe(a / 1000);
  await expectVmRows(panel, ranged);
  await expectCpuRows(panel, ranged);
  // The numbers did change with the range.
  expect(ranged.vms.map((v: Json) => v.switchInsPerSec)).not.toEqual(whole.vms.map((v: Json) => v.switchInsPerSec));

  // A selection also gets the time per VM and per task, shares of D × P that add up to 1.
  const sel = panel.getByTestId('selection-tables');
  await expect(sel.getByTestId('selection-vm-row')).toHaveCount(ranged.vms.length);
  const shares = await sel
    .locator('[data-testid="selection-vm-row"], [data-testid="selection-other-row"]')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.timeNs)));
  const cpuTime = (b - a) * ranged.window.cpus.length;
  expect(shares.reduce((x, y) => x + y, 0) / cpuTime).toBeCloseTo(1, 9);
  // Each VM's vCPU time there is its CPU share × D × P.
  const vmTimes = await sel
    .getByTestId('selection-vm-row')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.timeNs)));
  ranged.vms.forEach((vm: Json, i: number) => expect(vmTimes[i] / cpuTime).toBeCloseTo(vm.cpuShare, 9));
  await page.screenshot({ path: `${SHOTS}/panel-range.png`, fullPage: true });

  // A typed range, exact.
  await panel.getByTestId('range-start').fill('0.5');
  await panel.getByTestId('range-end').fill('1.25');
  await panel.getByTestId('range-apply').click();
  await expect(panel).toHaveAttribute('data-range-start-ns', '500000000');
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await expectVmRows(panel, analyze([SPREAD], '--range', '0.5:1.25'));

  // A CPU subset on top: the map loses the lane, the numbers are the CLI's --cpus ones.
  await panel.getByTestId('cpu-filter').fill('1');
  await panel.getByTestId('cpu-filter').press('Enter');
  await expect(panel).toHaveAttribute('data-cpus', '1');
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('map-view')).toHaveAttribute('data-lanes', '1');
  await expectVmRows(panel, analyze([SPREAD], '--range', '0.5:1.25', '--cpus', '1'));

  // Back to the whole trace and all CPUs.
  await panel.getByTestId('cpu-filter').fill('');
  await panel.getByTestId('cpu-filter').press('Enter');
  await panel.getByTestId('range-clear').click();
  await expect(panel).toHaveAttribute('data-range-start-ns', '');
  await expect(panel).toHaveAttribute('data-cpus', 'all');
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await expectVmRows(panel, whole);
});

test('exports: CSV (formula-escaped names) and JSON equal the CLI, PNG is the map', async ({ page }) => {
  // Hostile VM names from a VM map: each starts with a character a spreadsheet runs as a formula.
  const names = ['=1+2', '+SUM(1)', '-3+4', '@cmd'];
  const tids = [
    [7981, 7982],
    [7983, 7984],
    [7987, 7988],
    [7989, 7990],
  ];
  const csvMap =
    ['tid,vm,vcpu', ...tids.flatMap((t, i) => t.map((tid, k) => `${tid},${names[i]},${k}`))].join('\n') + '\n';
  const mapFile = `${test.info().outputDir}/vm-map.csv`;
  mkdirSync(test.info().outputDir, { recursive: true });
  writeFileSync(mapFile, csvMap);
  const cli = analyze([SPREAD, mapFile]);
  expect(cli.vms.map((v: Json) => v.name).sort()).toEqual([...names].sort());

  await open(page, [SPREAD, mapFile]);
  const panel = page.getByTestId('analysis-panel');
  await expectVmRows(panel, cli);

  const [csvDl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-csv').click()]);
  expect(csvDl.suggestedFilename()).toMatch(/\.csv$/);
  const text = readFileSync((await csvDl.path())!, 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
  expect(parsed.errors).toEqual([]);
  const vmRows = parsed.data.filter((r) => r.level === 'vm');
  const vcpuRows = parsed.data.filter((r) => r.level === 'vcpu');
  expect(vmRows).toHaveLength(cli.vms.length);
  expect(vcpuRows).toHaveLength(8);
  cli.vms.forEach((vm: Json, i: number) => {
    // Every name cell is made inert: a leading quote, then the name.
    expect(vmRows[i].vm).toBe(`'${vm.name}`);
    expect(Number(vmRows[i].gangScore)).toBe(vm.gangScore);
    expect(Number(vmRows[i].switchInsPerSec)).toBe(vm.switchInsPerSec);
    expect(Number(vmRows[i].runSliceMedianUs)).toBe(vm.runSliceMedianUs);
    expect(Number(vmRows[i].cpuShare)).toBe(vm.cpuShare);
    expect(vmRows[i].runDelayP50Us).toBe('');
  });
  // No cell starts a formula (a negative number is a number: `-` followed by a digit).
  for (const line of text.split('\n').slice(1)) if (line) expect(line).not.toMatch(/(^|,)"?([=+@]|-(?!\d))/);
  expect(Number(vmRows[0].coScheduling)).toBe(cli.vms[0].coScheduling);
  // vCPU rows carry their comm and tid.
  expect(vcpuRows.map((r) => Number(r.tid)).sort()).toEqual(tids.flat().sort());
  expect(vcpuRows[0].comm).toMatch(/^CPU \d\/KVM$/);

  const [jsonDl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-json').click()]);
  const json = JSON.parse(readFileSync((await jsonDl.path())!, 'utf8'));
  expect(json.rangeNs).toBeNull();
  expect(json.metrics.switchesPerSecPerCpu).toBe(cli.switchesPerSecPerCpu);
  expect(json.metrics.perCpu).toEqual(cli.perCpu);
  json.metrics.vms.forEach((vm: Json, i: number) => {
    const { vcpus, ...fields } = vm;
    for (const [k, v] of Object.entries(fields)) expect(v, `${vm.name} ${k}`).toEqual(cli.vms[i][k]);
    expect(vcpus.map((v: Json) => v.runSliceMedianUs)).toEqual(cli.vms[i].vcpus.map((v: Json) => v.runSliceMedianUs));
  });

  const [pngDl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-png').click()]);
  await pngDl.saveAs(`${SHOTS}/panel-export-map.png`);
  const png = readFileSync((await pngDl.path())!);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const map = page.getByTestId('sched-map');
  const mapWidth = await map.evaluate((c: HTMLCanvasElement) => c.width);
  // Width: lane labels + the map, in device pixels.
  expect(png.readUInt32BE(16)).toBeGreaterThan(mapWidth);
});

/** Pixels of the marks canvas with this colour (± 8 per channel) and at least this alpha. */
async function marksPixels(page: Page, rgb: [number, number, number], minAlpha = 200, maxAlpha = 255): Promise<number> {
  return page.getByTestId('map-overlay').evaluate(
    (c: HTMLCanvasElement, [r, g, b, lo, hi]) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (
          d[i + 3] >= lo &&
          d[i + 3] <= hi &&
          Math.abs(d[i] - r) <= 8 &&
          Math.abs(d[i + 1] - g) <= 8 &&
          Math.abs(d[i + 2] - b) <= 8
        )
          n++;
      return n;
    },
    [...rgb, minAlpha, maxAlpha],
  );
}

/** The hover veil (everything but the bar's slices dimmed) and the clear, white-edged slices. */
async function highlightState(page: Page): Promise<{ veil: number; clear: number; edges: number }> {
  return page.getByTestId('map-overlay').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let veil = 0;
    let clear = 0;
    let edges = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 150 && d[i + 3] < 190 && d[i] < 20) veil++;
      else if (d[i + 3] === 0) clear++;
      else if (d[i + 3] === 255 && d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255) edges++;
    }
    return { veil, clear, edges };
  });
}

test('markers A and B at the cursor give the time between them; a histogram bar marks its slices', async ({ page }) => {
  await open(page, SPREAD);
  const panel = page.getByTestId('analysis-panel');
  const overlay = page.getByTestId('map-overlay');
  const box = (await overlay.boundingBox())!;
  await page.getByTestId('map-view').focus();
  const [x1, x2] = [box.width * 0.3, box.width * 0.45];
  await page.mouse.move(box.x + x1, box.y + 10);
  await page.keyboard.press('[');
  await page.mouse.move(box.x + x2, box.y + 10);
  await page.keyboard.press(']');
  const expected = (await timeAtX(page, x2, box.width)) - (await timeAtX(page, x1, box.width));
  const delta = Number(await panel.getByTestId('marker-delta').getAttribute('data-delta-ns'));
  expect(Math.abs(delta - expected)).toBeLessThanOrEqual(
    (await timeAtX(page, 2, box.width)) - (await timeAtX(page, 0, box.width)),
  );
  await expect(panel.getByTestId('marker-delta')).toContainText('ms');
  // Both marker lines are on the marks layer.
  expect(await marksPixels(page, [0xff, 0x9f, 0x43])).toBeGreaterThan(50);
  expect(await marksPixels(page, [0xd9, 0x80, 0xfa])).toBeGreaterThan(50);
  // "analyse A–B" makes the markers the range.
  await panel.getByRole('button', { name: 'analyse A–B' }).click();
  await expect(panel).toHaveAttribute(
    'data-range-start-ns',
    String(await panel.getByTestId('marker-a').getAttribute('data-t')),
  );

  // Hovering the tallest bar of the first VM's slice histogram marks those slices on the map.
  await panel.getByTestId('range-clear').click();
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await page.mouse.move(0, 0);
  expect((await highlightState(page)).veil).toBe(0);
  const bars = panel.locator('[data-testid="slice-hist-bar"][data-vm="0"]');
  const counts = await bars.evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.count)));
  await bars.nth(counts.indexOf(Math.max(...counts))).hover();
  await expect.poll(async () => (await highlightState(page)).veil).toBeGreaterThan(1000);
  const lit = await highlightState(page);
  expect(lit.clear).toBeGreaterThan(200);
  expect(lit.edges).toBeGreaterThan(50);
  await page.screenshot({ path: `${SHOTS}/panel-histogram-hover.png` });
  await page.mouse.move(0, 0);
  await expect.poll(async () => (await highlightState(page)).veil).toBe(0);
});

test('lock-holder preemption: what ran while a pinned vCPU waited, siblings marked', async ({ page }) => {
  const file = fixturePath('synth-4vm-x2vcpu-spin-pin-shared.script-pidtid.txt');
  const cli = analyze([file]);
  await open(page, file);
  const panel = page.getByTestId('analysis-panel');
  const vm = cli.vms[0];
  const v = vm.vcpus[0];
  // Pick it (the same as clicking one of its slices on the map).
  const pick = panel.getByTestId('antagonist-pick');
  const value = await pick.locator('option', { hasText: `(tid ${v.tid})` }).getAttribute('value');
  await pick.selectOption(value!);
  const summary = panel.getByTestId('antagonist-summary');
  await expect(summary).toBeVisible({ timeout: 15_000 });
  // Its waiting time is its preempted fraction × D.
  const waiting = Number(await summary.getAttribute('data-waiting-ns'));
  expect(waiting / (v.preemptedFraction * cli.window.durationUs * 1000)).toBeCloseTo(1, 9);
  const rows = panel.getByTestId('antagonist-row');
  expect(await rows.count()).toBeGreaterThan(0);
  // Pinned to one CPU with its sibling: the sibling is what held that CPU most.
  await expect(rows.first()).toHaveAttribute('data-relation', 'sibling');
  await expect(rows.first()).toHaveAttribute('data-tid', String(vm.vcpus[1].tid));
  const times = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.timeNs)));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  await panel.getByTestId('antagonists').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/panel-antagonists.png`, fullPage: true });

  // Clicking a vCPU slice on the map pins it too (vCPU lanes: lane 0 is that VM's vCPU 0).
  await page.getByTestId('map-view').focus();
  await page.keyboard.press('v');
  await pick.selectOption('');
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  const lanes = Number(await page.getByTestId('map-view').getAttribute('data-lanes'));
  for (let f = 0.1; f < 0.9; f += 0.05) {
    await page.mouse.click(box.x + box.width * f, box.y + box.height / lanes / 2);
    if ((await panel.getByTestId('antagonists').count()) > 0) break;
  }
  await expect(panel.getByTestId('antagonists')).toBeVisible();
  await expect(summary).toBeVisible({ timeout: 15_000 });
});
