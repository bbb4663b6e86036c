// Comparing runs in real Chromium: several traces picked at once open side by
// side, each pane's numbers equal `schedmap analyze --json` for its file, the
// comparison table marks the pin-spread run's gang score better than the
// pin-shared run's (and slice lengths without a verdict), labels, a summary,
// locked zoom and pan scaled to each run's length, stacked layout, re-pairing,
// and closing or replacing one run while the other keeps its state.

import { expect, test, type Locator, type Page } from '@playwright/test';
import { fixturePath } from '../test/fixtures';
import { analyze, SHOTS, type Json } from './helpers';
import { compareRuns, matchVms, type PairOverrides } from '../src/analysis/compare';
import type { RunMetrics } from '../src/analysis/metrics';

/** The rows the comparison of these `analyze --json` outputs has (rows without any value are hidden). */
const rowsOf = (runs: Json[], overrides: (PairOverrides | undefined)[] = []): number =>
  compareRuns(
    runs as RunMetrics[],
    matchVms(
      runs.map((r) => r.vms.map((v: Json) => v.name)),
      overrides,
    ),
  ).length;

const SHARED = fixturePath('synth-4vm-x2vcpu-spin-pin-shared.script-pidtid.txt');
const SPREAD = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
const LONG = fixturePath('synth-2vm-x2vcpu-startup-exit.script-pidtid.txt');
const YIELD = fixturePath('synth-4vm-x2vcpu-yield-pin-spread.script-pidtid.txt');

async function openAll(page: Page, files: string[]): Promise<Locator> {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(files);
  const panes = page.getByTestId('run-pane');
  await expect(panes).toHaveCount(files.length, { timeout: 30_000 });
  for (let i = 0; i < files.length; i++)
    await expect(panes.nth(i).getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', {
      timeout: 30_000,
    });
  return panes;
}

async function viewOf(pane: Locator): Promise<[number, number]> {
  const v = pane.getByTestId('map-view');
  return [Number(await v.getAttribute('data-view-start')), Number(await v.getAttribute('data-view-end'))];
}

/** The view once the keyboard motion has glided to a stop. */
async function settledView(page: Page, pane: Locator): Promise<[number, number]> {
  let last = await viewOf(pane);
  for (;;) {
    await page.waitForTimeout(250);
    const now = await viewOf(pane);
    if (now[0] === last[0] && now[1] === last[1]) return now;
    last = now;
  }
}

test('two traces picked at once: side by side, each equal to the CLI, pin-spread’s gang score marked better', async ({
  page,
}) => {
  const cliShared = analyze(SHARED);
  const cliSpread = analyze(SPREAD);
  const panes = await openAll(page, [SHARED, SPREAD]);
  await expect(page.getByTestId('panes')).toHaveAttribute('data-layout', 'side');
  const [b0, b1] = [(await panes.nth(0).boundingBox())!, (await panes.nth(1).boundingBox())!];
  expect(b1.x).toBeGreaterThan(b0.x + b0.width - 1);
  expect(Math.abs(b1.y - b0.y)).toBeLessThan(2);

  // A search key outside every pane opens the search of the pane used last (the app store's activePane).
  for (const [used, other] of [
    [panes.nth(1), panes.nth(0)],
    [panes.nth(0), panes.nth(1)],
  ]) {
    await used.getByTestId('trace-summary').click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/');
    await expect(used.getByTestId('map-search-input')).toBeFocused();
    await expect(other.getByTestId('map-search')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(used.getByTestId('map-search')).toHaveCount(0);
  }

  // Each pane's panel is its own run's numbers.
  for (const [pane, cli] of [
    [panes.nth(0), cliShared],
    [panes.nth(1), cliSpread],
  ] as const) {
    const rows = pane.getByTestId('vm-row');
    await expect(rows).toHaveCount(cli.vms.length);
    const got = await rows.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
    cli.vms.forEach((vm: Json, i: number) => {
      expect(got[i].vmName).toBe(vm.name);
      expect(got[i].gangScore).toBe(String(vm.gangScore));
      expect(got[i].switchInsPerSec).toBe(String(vm.switchInsPerSec));
      expect(got[i].runSliceMedianUs).toBe(String(vm.runSliceMedianUs));
    });
  }

  // Names differ (they come from process ids): VMs are paired by order.
  const table = page.getByTestId('compare-table');
  const rows = table.getByTestId('compare-row');
  await expect(rows).toHaveCount(rowsOf([cliShared, cliSpread]));
  // No kvm exits or wakeups in these traces: PLE exits/s and run delays have no rows.
  await expect(table.locator('[data-metric="pleExitsPerSec"], [data-metric="runDelayP99Us"]')).toHaveCount(0);
  const gang = await table
    .locator('[data-testid="compare-row"][data-metric="gangScore"]')
    .evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
  expect(gang).toHaveLength(4);
  gang.forEach((r, i) => {
    expect(JSON.parse(r.values!)).toEqual([cliShared.vms[i].gangScore, cliSpread.vms[i].gangScore]);
    expect(JSON.parse(r.vmNames!)).toEqual([cliShared.vms[i].name, cliSpread.vms[i].name]);
    expect(r.direction).toBe('higher');
    // pin-spread runs siblings on both CPUs at once: better.
    expect(r.verdict).toBe('better');
    expect(Number(r.rel)).toBeCloseTo(cliSpread.vms[i].gangScore / cliShared.vms[i].gangScore - 1, 12);
  });
  // Sibling handoffs: every one of them is gone in pin-spread (lower is better).
  const handoffs = await table
    .locator('[data-testid="compare-row"][data-metric="siblingHandoffsPerSec"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.verdict));
  expect(handoffs).toEqual(['better', 'better', 'better', 'better']);
  // Slice lengths and switch rates carry no verdict.
  for (const metric of ['runSliceMedianUs', 'runSliceMaxUs', 'switchInsPerSec']) {
    const v = await table
      .locator(`[data-testid="compare-row"][data-metric="${metric}"]`)
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.verdict));
    expect(v.every((x) => x === 'none')).toBe(true);
  }
  await expect(table.locator('[data-metric="runSliceMedianUs"] .verdict').first()).toHaveText('');

  // Labels: editable, used by the summary.
  await panes.nth(0).getByTestId('run-label').fill('pinned shared');
  await panes.nth(1).getByTestId('run-label').fill('pinned spread');
  const summary = page.getByTestId('compare-summary');
  // The summary names the windows compared.
  await expect(summary).toContainText('pinned spread against pinned shared (0.000–2.032 s against 0.000–2.012 s):');
  // `schedmap analyze A B` gives the same table: the same rows, values and verdicts (noise estimated).
  await expect(page.getByTestId('verdict-rule')).not.toContainText('estimating');
  const both = analyze([SHARED, SPREAD]).comparison;
  const shown = await rows.evaluateAll((els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { metric: d.metric, values: JSON.parse(d.values!), verdicts: JSON.parse(d.verdicts!) };
    }),
  );
  expect(shown).toEqual(
    both.rows.map((r: Json) => ({
      metric: r.metric,
      values: r.values,
      verdicts: r.diffs.slice(1).map((d: Json) => d?.verdict ?? null),
    })),
  );
  await expect(summary).toContainText('co-scheduling better in all 4 VMs');
  await expect(summary).toContainText('sibling handoffs/s better in all 4 VMs');
  // Side-by-side histograms share their axes.
  for (const id of ['slice-histograms', 'corun-histograms']) {
    const attrs = await Promise.all(
      [0, 1].map((i) =>
        panes
          .nth(i)
          .getByTestId(id)
          .evaluate((e) => [(e as HTMLElement).dataset.xDomain ?? null, (e as HTMLElement).dataset.yMax]),
      ),
    );
    expect(attrs[0]).toEqual(attrs[1]);
  }
  await page.screenshot({ path: `${SHOTS}/compare-pin-shared-vs-spread.png`, fullPage: true });
  await page.getByTestId('compare-head').screenshot({ path: `${SHOTS}/compare-summary.png` });

  // The comparison follows each pane's range: a steady-state window in the second run.
  const p1 = panes.nth(1).getByTestId('analysis-panel');
  await p1.getByTestId('range-start').fill('0.5');
  await p1.getByTestId('range-end').fill('1.5');
  await p1.getByTestId('range-apply').click();
  await expect(p1).toHaveAttribute('data-range-start-ns', '500000000');
  await expect(p1).toHaveAttribute('data-state', 'ready');
  const ranged = analyze(SPREAD, '--range', '0.5:1.5');
  const first = table.locator('[data-testid="compare-row"][data-metric="gangScore"]').first();
  await expect
    .poll(async () => JSON.parse((await first.getAttribute('data-values'))!))
    .toEqual([cliShared.vms[0].gangScore, ranged.vms[0].gangScore]);
  await expect(page.getByTestId('compare-windows')).toContainText('selection 0.500000 s – 1.500000 s');
});

test('lock zoom, pan and range by offset from each trace start (default), stacked layout, re-pair VMs, close and replace one run', async ({
  page,
}) => {
  const cliYield = analyze(YIELD);
  const [wa, wb] = [analyze(SHARED).window, analyze(LONG).window];
  const panes = await openAll(page, [SHARED, LONG]);
  const [a, b] = [panes.nth(0), panes.nth(1)];
  const ownA: [number, number] = [wa.startUs * 1000, wa.endUs * 1000];
  const union = [Math.min(wa.startUs, wb.startUs) * 1000, Math.max(wa.endUs, wb.endUs) * 1000];
  expect(wb.endUs - wb.startUs).toBeGreaterThan(1.5 * (wa.endUs - wa.startUs));
  const near = (v: number[], w: number[]) => v.forEach((x, i) => expect(x).toBeCloseTo(w[i], -1));

  // Locked by default: both panes show the same window, the whole of both traces, by time from each start.
  await expect(page.getByTestId('lock-views')).toBeChecked();
  near(await viewOf(a), union);
  near(await viewOf(b), union);
  // Zooming and panning pane A moves pane B to the same offsets.
  await a.getByTestId('map-view').focus();
  await page.keyboard.down('w');
  await page.waitForTimeout(500);
  await page.keyboard.up('w');
  await page.keyboard.down('d');
  await page.waitForTimeout(300);
  await page.keyboard.up('d');
  const va = await settledView(page, a);
  expect(va[1] - va[0]).toBeLessThan(0.8 * (union[1] - union[0]));
  expect(await viewOf(b)).toEqual(va);
  // Panning B to its end takes A past the end of its (shorter) trace: A's pane is empty there.
  await b.getByTestId('map-view').focus();
  await page.keyboard.down('d');
  await page.waitForTimeout(1500);
  await page.keyboard.up('d');
  const vb = await settledView(page, b);
  expect(vb[1]).toBeCloseTo(union[1], -1);
  expect(await viewOf(a)).toEqual(vb);
  expect(vb[0]).toBeGreaterThan(ownA[1]);
  await page.screenshot({ path: `${SHOTS}/compare-locked-past-end.png` });

  // A range typed in one locked pane is every locked pane's range.
  const pa = a.getByTestId('analysis-panel');
  await pa.getByTestId('range-start').fill('0.5');
  await pa.getByTestId('range-end').fill('1.0');
  await pa.getByTestId('range-apply').click();
  await expect(b.getByTestId('analysis-panel')).toHaveAttribute('data-range-start-ns', '500000000');
  await expect(b.getByTestId('analysis-panel')).toHaveAttribute('data-range-end-ns', '1000000000');
  await expect(page.getByTestId('compare-summary')).toContainText('(0.500–1.000 s against 0.500–1.000 s)');
  await pa.getByTestId('range-clear').click();
  await expect(b.getByTestId('analysis-panel')).not.toHaveAttribute('data-range-start-ns', /\d/);

  // Unlocked: A moves alone, and its reset is its own trace again.
  await page.getByTestId('lock-views').uncheck();
  const vbNow = await viewOf(b);
  await a.getByTestId('map-view').focus();
  await page.keyboard.press('0');
  await expect.poll(async () => (await viewOf(a)).map(Math.round)).toEqual(ownA.map(Math.round));
  expect(await viewOf(b)).toEqual(vbNow);

  // Stacked.
  await page.getByTestId('layout-stacked').click();
  await expect(page.getByTestId('panes')).toHaveAttribute('data-layout', 'stacked');
  expect((await b.boundingBox())!.y).toBeGreaterThan((await a.boundingBox())!.y + (await a.boundingBox())!.height - 1);
  await page.getByTestId('layout-side').click();

  // Close B: A keeps its pane (its zoom and its label).
  await a.getByTestId('run-label').fill('baseline');
  await a.getByTestId('map-view').focus();
  await page.keyboard.down('w');
  await page.waitForTimeout(300);
  await page.keyboard.up('w');
  const kept = await settledView(page, a);
  await b.getByTestId('close-run').click();
  await expect(panes).toHaveCount(1);
  await expect(page.getByTestId('compare-table')).toHaveCount(0);
  expect(await viewOf(panes.nth(0))).toEqual(kept);
  await expect(panes.nth(0).getByTestId('run-label')).toHaveValue('baseline');

  // Add a run next to it, then replace that one: A is never reloaded.
  await page.getByTestId('add-trace-input').setInputFiles(LONG);
  await expect(panes).toHaveCount(2, { timeout: 30_000 });
  await expect(panes.nth(1).getByTestId('trace-summary')).toContainText('startup-exit');
  await panes.nth(1).getByTestId('replace-input').setInputFiles(YIELD);
  await expect(panes.nth(1).getByTestId('trace-summary')).toContainText('yield-pin-spread', { timeout: 30_000 });
  await expect(panes).toHaveCount(2);
  expect(await viewOf(panes.nth(0))).toEqual(kept);
  await expect(panes.nth(0).getByTestId('run-label')).toHaveValue('baseline');
  await expect(panes.nth(1).getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });

  // Re-pair: the baseline's first VM with the new run's second.
  const gang0 = page.locator('[data-testid="compare-row"][data-metric="gangScore"]').first();
  await expect(gang0).toHaveAttribute('data-values', /,/);
  expect(JSON.parse((await gang0.getAttribute('data-values'))!)[1]).toBe(cliYield.vms[0].gangScore);
  await page.getByTestId('pairing').locator('summary').click();
  await page.locator('[data-testid="pair-select"][data-run="1"][data-ref-vm="0"]').selectOption('1');
  await expect
    .poll(async () => JSON.parse((await gang0.getAttribute('data-values'))!)[1])
    .toBe(cliYield.vms[1].gangScore);
  // Paired VMs share a colour: the new run's VM 1 now has the baseline's VM 0 colour.
  const swatch = (pane: Locator, vm: number) =>
    pane
      .locator(`[data-testid="vm-row"][data-vm-index="${vm}"] .swatch`)
      .evaluate((e) => getComputedStyle(e).backgroundColor);
  await expect.poll(() => swatch(panes.nth(1), 1)).toBe(await swatch(panes.nth(0), 0));
  // Its old partner is unpaired now, a group of its own.
  await expect(page.getByTestId('compare-row')).toHaveCount(rowsOf([analyze(LONG), cliYield], [undefined, { 0: 1 }]));
  await page.screenshot({ path: `${SHOTS}/compare-repaired.png`, fullPage: true });
});
