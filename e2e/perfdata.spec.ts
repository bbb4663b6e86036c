// perf.data in real Chromium, on real recordings (test/fixtures, perf 6.1): file mode, pipe mode and -z dropped,
// each equal to `schedmap analyze --json` of the same file, with the host facts `perf report --header-only`
// prints in the summary; the file button; two perf.data side by side with the comparison; a companion (ps -eo
// pid,args) naming the VMs; the built-in perf.data sample.

import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixtureBytes, fixturePath, truth } from '../test/fixtures';
import { compareRuns, matchVms } from '../src/analysis/compare';
import type { RunMetrics } from '../src/analysis/metrics';
import { analyze, SHOTS, type Json } from './helpers';

const FIX = 'perf-vmsim-2vm-x2vcpu';
const QEMU = 'qemu-tcg-2vm-x2vcpu';
let dir: string;
/** The shared QEMU recording's perf.data as perf wrote it (stored gzipped in test/fixtures). */
let qemu: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'schedmap-perfdata-'));
  qemu = join(dir, `${QEMU}.perf.data`);
  writeFileSync(qemu, gunzipSync(fixtureBytes(`${QEMU}.perf.data.gz`)));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** "vm, 6.18.44-fc-v1098, x86_64, 2 CPUs, perf 6.1.187" and the cmdline, from `perf report --header-only`. */
function headerLine(name: string): { host: string; cmdline: string } {
  const text = new TextDecoder().decode(fixtureBytes(name));
  const f = (key: string): string => new RegExp(`^# ${key} : (.*)$`, 'm').exec(text)![1].trimEnd();
  const online = f('nrcpus online');
  expect(online).toBe(f('nrcpus avail'));
  return {
    host: [f('hostname'), f('os release'), f('arch'), `${online} CPUs`, `perf ${f('perf version')}`].join(', '),
    cmdline: f('cmdline'),
  };
}

/** Drop files on the drop zone as a user's drag does (a DataTransfer of Files). */
async function drop(page: Page, files: { name: string; path: string }[]): Promise<void> {
  // As base64: a byte array of a few MB would be slow to hand to the page.
  const data = files.map((f) => ({ name: f.name, b64: readFileSync(f.path).toString('base64') }));
  const dt = await page.evaluateHandle((list) => {
    const d = new DataTransfer();
    for (const f of list) d.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return d;
  }, data);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dt });
}

test('file mode, pipe mode and -z perf.data dropped: the CLI numbers, and the host facts perf prints', async ({
  page,
}) => {
  await page.goto('./#nosample');
  for (const v of ['sched', 'pipe', 'z']) {
    const path = fixturePath(`${FIX}.${v}.perf.data`);
    const cli = analyze(path);
    await drop(page, [{ name: `${v}.perf.data`, path }]);
    const summary = page.getByTestId('trace-summary');
    await expect(summary).toContainText(`${v}.perf.data`, { timeout: 30_000 });
    await expect(summary).toHaveAttribute('data-switches', String(cli.switches));
    await expect(summary).toHaveAttribute('data-cpus', String(cli.cpus));
    await expect(summary).toHaveAttribute('data-vms', String(cli.vms.length));
    await expect(summary).toContainText(cli.formatDetail);
    const { host, cmdline } = headerLine(`${FIX}.${v}.header.txt`);
    const recorded = page.getByTestId('recorded-on');
    await expect(recorded).toHaveText(`Recorded on ${host} by ${cmdline}`);
    await expect(recorded).toHaveAttribute('title', cmdline);
    expect(cli.recordedOn.cmdline).toBe(cmdline);
    await expect(page.getByTestId('load-errors')).toHaveCount(0);
    if (v === 'z')
      for (const size of [
        { width: 1600, height: 900 },
        { width: 1280, height: 720 },
      ]) {
        await page.setViewportSize(size);
        await page.screenshot({ path: `${SHOTS}/perfdata-z-${size.width}.png` });
      }
  }
});

test('the file button opens a perf.data: its VMs by tgid, as the truth of the recording', async ({ page }) => {
  await page.goto('./#nosample');
  const cli = analyze(qemu);
  await page.getByTestId('trace-input').setInputFiles(qemu);
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', String(cli.switches), { timeout: 30_000 });
  const items = page.getByTestId('vm-legend-item');
  const t = truth(QEMU);
  await expect
    .poll(() => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-vcpu-tids'))))
    .toEqual(t.vms.map((vm) => vm.vcpus.map((c) => c.tid).join(',')));
  await expect(page.getByTestId('recorded-on')).toHaveText(
    `Recorded on ${headerLine(`${QEMU}.perf.header.txt`).host} by ${headerLine(`${QEMU}.perf.header.txt`).cmdline}`,
  );
});

test('two perf.data side by side: the comparison table has the rows of schedmap analyze A B', async ({ page }) => {
  const sched = fixturePath(`${FIX}.sched.perf.data`);
  const runs = [analyze(qemu), analyze(sched)];
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles([qemu, sched]);
  const panes = page.getByTestId('run-pane');
  await expect(panes).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('panes')).toHaveAttribute('data-layout', 'side');
  for (let i = 0; i < 2; i++) {
    await expect(panes.nth(i).getByTestId('trace-summary')).toHaveAttribute('data-switches', String(runs[i].switches));
    await expect(panes.nth(i).getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', {
      timeout: 30_000,
    });
  }
  const want = compareRuns(
    runs as RunMetrics[],
    matchVms(runs.map((r: Json) => r.vms.map((v: Json) => v.name))),
  ).length;
  expect(want).toBeGreaterThan(10);
  const rows = page.getByTestId('compare-table').getByTestId('compare-row');
  await expect(rows).toHaveCount(want, { timeout: 30_000 });
  const gang = await page
    .locator('[data-testid="compare-row"][data-metric="gangScore"]')
    .evaluateAll((els) => els.map((e) => JSON.parse((e as HTMLElement).dataset.values!)));
  expect(gang).toEqual(runs[0].vms.map((vm: Json, i: number) => [vm.gangScore, runs[1].vms[i].gangScore]));
  for (const size of [
    { width: 1600, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}/perfdata-compare-${size.width}.png` });
  }
});

test('a perf.data dropped with a ps -eo pid,args listing: the VMs take their -name guest= names', async ({ page }) => {
  const t = truth(QEMU);
  // The QEMU command lines of the recording (its truth.json, read from /proc at record time) as ps prints them.
  const ps = join(dir, 'ps-args.txt');
  writeFileSync(
    ps,
    [
      '    PID COMMAND',
      ...t.vms.map((vm) => `${String(vm.pid).padStart(7)} ${(vm as unknown as { cmdline: string[] }).cmdline.join(' ')}`),
    ].join('\n') + '\n',
  );
  const cli = analyze([qemu, ps]);
  expect(cli.vms.map((v: Json) => v.name)).toEqual(t.vms.map((vm) => vm.name));
  await page.goto('./#nosample');
  await drop(page, [
    { name: `${QEMU}.perf.data`, path: qemu },
    { name: 'ps-args.txt', path: ps },
  ]);
  await expect(page.getByTestId('trace-summary')).toContainText('with ps-args.txt', { timeout: 30_000 });
  const items = page.getByTestId('vm-legend-item');
  await expect
    .poll(() => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-vm-name'))))
    .toEqual(t.vms.map((vm) => vm.name));
  await expect(page.getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('vm-row')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/perfdata-companion-1600.png` });
});

test('the built-in perf.data sample opens with its host facts', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByLabel('Samples').selectOption({ label: '2 QEMU VMs x 2 vCPUs (the perf.data itself)' });
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', String(analyze(qemu).switches), { timeout: 30_000 });
  await expect(summary).toHaveAttribute('data-vms', '2');
  await expect(page.getByTestId('recorded-on')).toContainText(headerLine(`${QEMU}.perf.header.txt`).host);
});
