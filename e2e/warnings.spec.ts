// The warnings panel: one row per kind (count, first lines, which metrics it
// can bias) over the per-line messages, on a verbatim console dump from an
// lkml mail (test/fixtures/paste) and the same summary the CLI's --json gives.

import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { FIXTURES } from '../test/fixtures';
import { analyze, SHOTS } from './helpers';
import { thousands } from '../src/model/format';

const DUMP = join(FIXTURES, 'paste', 'lkml-2024-10-06-ftrace-dump-on-oops.txt');

test('the warnings panel shows one row per warning kind, as analyze --json counts them', async ({ page }) => {
  const json = analyze(DUMP);
  const kinds = json.warningSummary as { kind: string; count: number; firstLines: number[] }[];
  expect(kinds.map((k) => k.kind)).toEqual(['lost-events', 'skipped-line', 'other-tracer']);

  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(DUMP);
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', String(json.switches), {
    timeout: 30_000,
  });
  const panel = page.getByTestId('warnings');
  await expect(panel.locator('summary')).toContainText('(3 kinds)');
  await panel.locator('summary').click();
  const rows = panel.getByTestId('warning-kinds').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const [i, k] of kinds.entries()) {
    const row = rows.nth(i);
    await expect(row).toHaveAttribute('data-kind', k.kind);
    await expect(row.locator('td').first()).toContainText(`${k.kind}: ${thousands(k.count)}`);
  }
  await expect(rows.nth(0)).toContainText('lost-events: 1 (12,570,412 events lost)');
  await expect(rows.nth(0)).toContainText('first at line 22');
  await expect(rows.nth(0)).toContainText('can bias slice p50');
  await expect(rows.nth(2)).toContainText('biases no metric');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/warnings-kinds-1600.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/warnings-kinds-1280.png` });
});

test('a timehist excerpt: the switches the reader inferred are said apart, in the summary line and the panel', async ({
  page,
}) => {
  const file = join(FIXTURES, 'paste', 'lkml-2024-10-04-quoted-timehist.txt');
  const json = analyze(file);
  expect([json.switches, json.inferredSwitches]).toEqual([10, 6]);
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(file);
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', '10', { timeout: 30_000 });
  await expect(summary).toHaveAttribute('data-inferred-switches', '6');
  await expect(summary).toContainText('10 switches (and 6 inferred)');
  const panel = page.getByTestId('warnings');
  await panel.locator('summary').click();
  const row = panel.locator('tr[data-kind="inferred-switch"]');
  await expect(row).toContainText('inferred-switch: 6');
  await page.setViewportSize({ width: 1280, height: 720 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/warnings-inferred-1280.png` });
});
