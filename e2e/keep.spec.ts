// A reload keeps the open traces when the app is served over http(s): they are
// kept in this browser's IndexedDB (never the network), reopened with the URL's
// view, said to be "kept in this browser only", forgettable, and held to the
// storage quota. A page opened from file:// keeps nothing.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixturePath } from '../test/fixtures';
import { SHOTS } from './helpers';

const SPREAD = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
const YIELD = fixturePath('synth-4vm-x2vcpu-yield.script-pidtid.txt.gz');

/** The names of the IndexedDB databases of the page's origin. */
const databases = (page: Page): Promise<string[]> =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

/** Every request the page makes: none may leave for another origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

test('two open traces come back after a reload, with the view; forget, reload: gone', async ({ page }) => {
  const urls = recordRequests(page);
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(SPREAD);
  await expect(page.getByTestId('trace-summary')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('add-trace-input').setInputFiles(YIELD);
  await expect(page.getByTestId('trace-summary')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('kept-files')).toContainText('Kept in this browser only');
  await expect(page.getByTestId('kept-files')).toContainText('synth-4vm-x2vcpu-yield.script-pidtid.txt.gz');
  // A view to come back to: vCPU lanes, zoomed in.
  const view = page.getByTestId('map-view').first();
  await view.focus();
  await page.keyboard.press('v');
  await page.keyboard.down('w');
  await page.waitForTimeout(400);
  await page.keyboard.up('w');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('%22vcpu%22');
  await page.waitForTimeout(600);
  const start = await view.getAttribute('data-view-start');
  const end = await view.getAttribute('data-view-end');
  await page.screenshot({ path: `${SHOTS}/keep-before-reload.png` });

  await page.reload();
  const summaries = page.getByTestId('trace-summary');
  await expect(summaries).toHaveCount(2, { timeout: 30_000 });
  await expect(summaries.nth(0)).toContainText('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
  await expect(summaries.nth(1)).toContainText('synth-4vm-x2vcpu-yield.script-pidtid.txt.gz');
  await expect(summaries.nth(0)).toHaveAttribute('data-switches', '1126');
  const v2 = page.getByTestId('map-view').first();
  await expect(v2).toHaveAttribute('data-lane-mode', 'vcpu', { timeout: 30_000 });
  await expect(v2).toHaveAttribute('data-view-start', start ?? '');
  await expect(v2).toHaveAttribute('data-view-end', end ?? '');
  await expect(page.getByTestId('link-note')).toHaveCount(0);
  await expect(page.getByTestId('kept-files')).toContainText('Kept in this browser only');
  await page.screenshot({ path: `${SHOTS}/keep-after-reload.png` });

  await page.getByTestId('forget-kept').click();
  await expect(page.getByTestId('kept-note')).toContainText('Forgotten');
  // The open traces stay open until the page goes.
  await expect(summaries).toHaveCount(2);
  await page.reload();
  // Nothing comes back: the link waits for its files.
  await expect(page.getByTestId('link-note')).toContainText('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt', {
    timeout: 30_000,
  });
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('trace-summary')).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  expect(urls.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
});

test('what the storage quota does not allow is not kept, and the page says so', async ({ page, context }) => {
  const big = fixturePath('synth-4vm-x2vcpu-yield.timehist.txt');
  await page.goto('./#nosample');
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  // A quota of 100 kB for this origin: the 170 kB timehist does not fit, the 29 kB gzipped trace does.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 100 * 1024 });
  await page.getByTestId('trace-input').setInputFiles(big);
  await expect(page.getByTestId('trace-summary')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('not-kept')).toContainText('synth-4vm-x2vcpu-yield.timehist.txt (166 kB');
  await expect(page.getByTestId('not-kept')).toContainText('over the storage quota');
  await expect(page.getByTestId('kept-files')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/keep-over-quota.png` });
  await page.getByTestId('trace-input').setInputFiles(SPREAD);
  await expect(page.getByTestId('trace-summary')).toContainText('spin-pin-spread', { timeout: 30_000 });
  await expect(page.getByTestId('kept-files')).toContainText('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt.gz');
  await expect(page.getByTestId('not-kept')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('trace-summary')).toContainText('spin-pin-spread', { timeout: 30_000 });
});

test('a trace whose file name is an object key (__proto__) is kept and comes back like any other', async ({ page }) => {
  await page.goto('./#nosample');
  // setInputFiles takes a buffer with any name: the user's file name is untrusted text.
  const text = readFileSync(SPREAD);
  await page.getByTestId('trace-input').setInputFiles({ name: '__proto__', mimeType: 'text/plain', buffer: text });
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '1126', { timeout: 30_000 });
  // A second trace beside it: the files opened are copied to a new record, which must still hold it.
  await page.getByTestId('add-trace-input').setInputFiles(YIELD);
  const summaries = page.getByTestId('trace-summary');
  await expect(summaries).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('kept-files')).toContainText('__proto__');
  await expect(page.getByTestId('kept-files')).toContainText('synth-4vm-x2vcpu-yield.script-pidtid.txt.gz');
  await page.reload();
  await expect(summaries).toHaveCount(2, { timeout: 30_000 });
  await expect(summaries.nth(0)).toContainText('__proto__');
  await expect(summaries.nth(0)).toHaveAttribute('data-switches', '1126');
  await expect(summaries.nth(1)).toContainText('synth-4vm-x2vcpu-yield.script-pidtid.txt.gz');
});

test('the built-in sample opened at start is not kept (the app has it); a trace opened after it is', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('kept-files')).toHaveCount(0);
  await page.getByTestId('trace-input').setInputFiles(SPREAD);
  await expect(page.getByTestId('trace-summary')).toContainText('spin-pin-spread', { timeout: 30_000 });
  await expect(page.getByTestId('kept-files')).toContainText('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
});

test.describe('from file://', () => {
  test.beforeAll(() => {
    test.setTimeout(240_000);
    execFileSync('npm', ['run', 'build:single'], { stdio: 'ignore' });
  });

  test('the one-file build opened from file:// keeps nothing', async ({ page }) => {
    await page.goto(pathToFileURL(join(process.cwd(), 'dist-single', 'schedmap.html')).href);
    await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('trace-input').setInputFiles(SPREAD);
    await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '1126', { timeout: 30_000 });
    await page.waitForTimeout(1000);
    await expect(page.getByTestId('kept-note')).toHaveCount(0);
    expect(await databases(page)).toEqual([]);
    await page.reload();
    // Nothing comes back: the view in the URL waits for its file, and no database was made.
    await expect(page.getByTestId('link-note')).toContainText('synth-4vm-x2vcpu-spin-pin-spread', { timeout: 30_000 });
    await page.waitForTimeout(1000);
    await expect(page.getByTestId('trace-summary')).toHaveCount(0);
    expect(await databases(page)).toEqual([]);
  });
});
