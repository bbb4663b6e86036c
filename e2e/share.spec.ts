// The three ways to share: dist/ from any static host under a sub-path, the
// one-file build opened from disk, and a self-contained report. While any of
// them runs, no request leaves for an origin other than the page's own.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixturePath } from '../test/fixtures';

const SUB = '/team/tools/schedmap/';
let server: Server;
let base: string;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.gz': 'application/gzip',
};

test.beforeAll(async () => {
  // dist/ is built by the test server command; the one-file app here.
  execFileSync('npm', ['run', 'build:single'], { stdio: 'ignore' });
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  // A plain static host that serves dist/ only under a sub-path.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(SUB)) {
      res.writeHead(404).end();
      return;
    }
    let rel = normalize(decodeURIComponent(url.pathname.slice(SUB.length))).replace(/^(\.\.[/\\])+/, '');
    if (rel === '' || rel === '.') rel = 'index.html';
    const file = join('dist', rel);
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SUB}`;
});

test.afterAll(() => server?.close());

/** Every request the page makes, to check none leaves for another origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

function onlyOwnOrigin(urls: string[], origin: string): string[] {
  return urls.filter((u) => !(u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')));
}

async function expectMapDrawn(page: Page): Promise<void> {
  // Some pixel of the map differs from the background: the map was drawn.
  await expect
    .poll(async () =>
      page.getByTestId('sched-map').first().evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 97) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return colours.size;
      }),
    )
    .toBeGreaterThan(3);
}

test('dist/ served from a sub-path loads the sample and a dropped trace', async ({ page }) => {
  const urls = recordRequests(page);
  await page.goto(base);
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  await expectMapDrawn(page);
  await page.getByTestId('trace-input').setInputFiles(fixturePath('synth-4vm-x2vcpu-spin.map.txt'));
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '1117', { timeout: 30_000 });
  await expectMapDrawn(page);
  expect(onlyOwnOrigin(urls, new URL(base).origin)).toEqual([]);
  expect(urls.some((u) => u.includes('/samples/'))).toBe(true);
});

test('the one-file build works from file://, drag-and-drop included', async ({ page }) => {
  const urls = recordRequests(page);
  const url = pathToFileURL(join(process.cwd(), 'dist-single', 'schedmap.html')).href;
  await page.goto(url);
  // The inlined sample opens at once.
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  await expectMapDrawn(page);
  const data = [...readFileSync(fixturePath('synth-4vm-x2vcpu-yield.map.txt'))];
  const dt = await page.evaluateHandle((bytes) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(bytes)], 'yield.map.txt'));
    return d;
  }, data);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByTestId('trace-summary')).toContainText('yield.map.txt', { timeout: 30_000 });
  await expectMapDrawn(page);
  expect(urls.filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
});

test('a report opens with its traces embedded, side by side, with no file input used', async ({ page }) => {
  const out = join(mkdtempSync(join(tmpdir(), 'schedmap-report-')), 'report.html');
  execFileSync(process.execPath, [
    'bin/schedmap.mjs',
    'report',
    fixturePath('synth-4vm-x2vcpu-spin-pin-shared.script.txt'),
    fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script.txt'),
    '--label',
    'pin <shared>',
    '--label',
    'pin spread',
    '-o',
    out,
  ]);
  const urls = recordRequests(page);
  const url = pathToFileURL(out).href;
  await page.goto(url);
  const summaries = page.getByTestId('trace-summary');
  await expect(summaries).toHaveCount(2, { timeout: 30_000 });
  await expect(summaries.nth(0)).toContainText('pin <shared>');
  await expect(summaries.nth(1)).toContainText('pin spread');
  await expectMapDrawn(page);
  expect(urls.filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
});

test('a report opens in the view of --range and --lanes, its numbers those of analyze --range', async ({ page }) => {
  const trace = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
  const out = join(mkdtempSync(join(tmpdir(), 'schedmap-report-')), 'report.html');
  execFileSync(process.execPath, [
    'bin/schedmap.mjs',
    'report',
    trace,
    '--range',
    '0.5:1.25',
    '--lanes',
    'vcpu',
    '-o',
    out,
  ]);
  await page.goto(pathToFileURL(out).href);
  const view = page.getByTestId('map-view').first();
  await expect(view).toHaveAttribute('data-lane-mode', 'vcpu', { timeout: 30_000 });
  await expect(view).toHaveAttribute('data-view-start', '500000000');
  await expect(view).toHaveAttribute('data-view-end', '1250000000');
  const panel = page.getByTestId('analysis-panel').first();
  await expect(panel).toHaveAttribute('data-range-start-ns', '500000000');
  await expect(panel).toHaveAttribute('data-range-end-ns', '1250000000');
  await expect(panel).toHaveAttribute('data-state', 'ready');
  const cli = JSON.parse(
    execFileSync(process.execPath, ['bin/schedmap.mjs', 'analyze', trace, '--json', '--range', '0.5:1.25'], {
      encoding: 'utf8',
    }),
  );
  const rows = panel.getByTestId('vm-row');
  await expect(rows).toHaveCount(cli.vms.length);
  const got = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.switchInsPerSec));
  expect(got).toEqual(cli.vms.map((v: { switchInsPerSec: number }) => String(v.switchInsPerSec)));
  await page.screenshot({ path: 'e2e/screenshots/report-range-vcpu.png' });
});

test('the built page forbids network requests by its Content-Security-Policy', async ({ page }) => {
  await page.goto(base);
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("connect-src 'self'");
  // A request to elsewhere from the page is refused by the browser.
  const refused = await page.evaluate(async () => {
    try {
      await fetch('http://192.0.2.1/leak');
      return false;
    } catch {
      return true;
    }
  });
  expect(refused).toBe(true);
});

/** Inject an inline script and an inline handler; report which of them ran and whether the CSP refused them. */
async function injectedCodeRuns(page: Page): Promise<{ ran: boolean; violations: number }> {
  return page.evaluate(async () => {
    const w = window as unknown as { __injected?: number };
    let violations = 0;
    document.addEventListener('securitypolicyviolation', () => violations++);
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1;';
    document.body.append(s);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__injected = 2;');
    img.src = 'data:image/png;base64,AAAA';
    document.body.append(img);
    await new Promise((r) => setTimeout(r, 300));
    return { ran: w.__injected !== undefined, violations };
  });
}

test('the one-file build and reports allow only their own inline scripts, by hash', async ({ page }) => {
  const url = pathToFileURL(join(process.cwd(), 'dist-single', 'schedmap.html')).href;
  await page.goto(url);
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]{44}'/);
  expect(csp?.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
  // The app's own scripts ran (the map is there); injected ones are refused.
  expect(await injectedCodeRuns(page)).toEqual({ ran: false, violations: 2 });

  const out = join(mkdtempSync(join(tmpdir(), 'schedmap-report-')), 'report.html');
  execFileSync(process.execPath, ['bin/schedmap.mjs', 'report', fixturePath('synth-4vm-x2vcpu-spin.map.txt'), '-o', out]);
  await page.goto(pathToFileURL(out).href);
  await expect(page.getByTestId('trace-summary')).toContainText('synth-4vm-x2vcpu-spin.map.txt', { timeout: 30_000 });
  expect(await injectedCodeRuns(page)).toEqual({ ran: false, violations: 2 });
});

test('vite preview sends the static site policy as a header; dist/ has it as a _headers file', async ({ request }) => {
  const res = await request.get('./');
  const header = res.headers()['content-security-policy'];
  expect(header).toContain("default-src 'none'");
  expect(header).toContain("script-src 'self' blob:");
  expect(header).toContain("frame-ancestors 'none'");
  const headersFile = readFileSync(join('dist', '_headers'), 'utf8');
  expect(headersFile).toContain(`Content-Security-Policy: ${header}`);
});

test('a link with the view in its fragment restores it once the same file is open', async ({ page, context }) => {
  const file = fixturePath('synth-4vm-x2vcpu-yield-pin-spread.script-pidtid.txt');
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(file);
  const view = page.getByTestId('map-view').first();
  await expect(page.getByTestId('trace-summary').first()).toBeVisible({ timeout: 30_000 });
  await view.focus();
  await page.keyboard.press('v');
  await page.keyboard.down('w');
  await page.waitForTimeout(500);
  await page.keyboard.up('w');
  await page.getByTestId('vm-legend-item').nth(1).locator('.vm-swatches').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('%22vcpu%22');
  await page.waitForTimeout(600);
  const hash = await page.evaluate(() => location.hash);
  const start = await view.getAttribute('data-view-start');
  const end = await view.getAttribute('data-view-end');
  // This browser kept the trace (a reload would reopen it): forget it, so the new tab has only the link.
  await page.getByTestId('forget-kept').click();
  await expect(page.getByTestId('kept-note')).toContainText('Forgotten');

  const again = await context.newPage();
  await again.goto(`./${hash}`);
  // Until the same file is open, the link says what it needs and keeps its fragment.
  await expect(again.getByTestId('link-note')).toContainText('synth-4vm-x2vcpu-yield-pin-spread.script-pidtid.txt');
  expect(await again.evaluate(() => location.hash)).toBe(hash);
  await again.getByTestId('trace-input').setInputFiles(file);
  const v2 = again.getByTestId('map-view').first();
  await expect(v2).toHaveAttribute('data-lane-mode', 'vcpu', { timeout: 30_000 });
  await expect(v2).toHaveAttribute('data-view-start', start ?? '');
  await expect(v2).toHaveAttribute('data-view-end', end ?? '');
  await expect(again.getByTestId('vm-legend-item').nth(1)).toHaveClass(/highlighted/);
  await expect(again.getByTestId('link-note')).toHaveCount(0);
});

test('a fragment that does not fit is ignored with a note, and the app works', async ({ page }) => {
  const junk = encodeURIComponent(JSON.stringify({ runs: 'x', panes: [{ view: ['<img src=x onerror=alert(1)>'] }] }));
  await page.goto(`./#v=1&s=${junk}`);
  await expect(page.getByTestId('link-note')).toContainText('did not fit');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('synth-4vm-x2vcpu-spin.map.txt'));
  await expect(page.getByTestId('trace-summary').first()).toHaveAttribute('data-switches', '1117', { timeout: 30_000 });
  expect(await page.locator('img[src=x]').count()).toBe(0);
});
