// The map as a user meets it, in real Chromium: real recordings loaded by file
// input and by drag-and-drop, checked against `schedmap analyze --json` and the
// ground truth, canvas pixels read back, hover, keyboard navigation.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadInputs } from '../src/cli/loadFiles';
import { assembleRuns, type Run } from '../src/model/runs';
import { SliceEnd } from '../src/model/types';
import { fixturePath, truth } from '../test/fixtures';

const SHOTS = 'e2e/screenshots';
mkdirSync(SHOTS, { recursive: true });

function analyzeJson(file: string) {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  return JSON.parse(execFileSync(process.execPath, ['bin/schedmap.mjs', 'analyze', file, '--json'], { encoding: 'utf8' }));
}

async function runOf(file: string): Promise<Run> {
  return assembleRuns(await loadInputs([file]))[0];
}

async function dropFiles(page: Page, files: string[]): Promise<void> {
  const payload = files.map((f) => ({ name: basename(f), data: [...readFileSync(f)] }));
  const dt = await page.evaluateHandle((items) => {
    const d = new DataTransfer();
    for (const it of items) d.items.add(new File([new Uint8Array(it.data)], it.name));
    return d;
  }, payload);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dt });
}

/** RGB of the map canvas at CSS (x, y). */
async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.getByTestId('sched-map').evaluate(
    (c: HTMLCanvasElement, [cx, cy]) => {
      const dpr = c.width / c.clientWidth;
      const d = c.getContext('2d')!.getImageData(Math.floor(cx * dpr), Math.floor(cy * dpr), 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    },
    [x, y],
  );
}

const rgbOf = (css: string): [number, number, number] => {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

test('file input: summary equals `schedmap analyze --json`, VMs equal the truth', async ({ page }) => {
  const file = fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt');
  const cli = analyzeJson(file);
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(file);
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', String(cli.switches), { timeout: 30_000 });
  await expect(summary).toHaveAttribute('data-cpus', String(cli.cpus));
  await expect(summary).toHaveAttribute('data-vms', String(cli.vms.length));
  const items = page.getByTestId('vm-legend-item');
  await expect(items).toHaveCount(cli.vms.length);
  const shown = await items.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-vm-name'), e.getAttribute('data-vcpu-tids')]),
  );
  const t = truth('qemu-tcg-2vm-x2vcpu');
  expect(shown.map(([, tids]) => tids).sort()).toEqual(t.vms.map((vm) => vm.vcpus.map((v) => v.tid).join(',')).sort());
  expect(shown.map(([name]) => name)).toEqual(cli.vms.map((v: { name: string }) => v.name));
  await page.screenshot({ path: `${SHOTS}/map-qemu-tcg-script-pidtid.png` });
});

test('drag and drop: a map with its timehist opens with tgid grouping from the companion', async ({ page }) => {
  const rec = 'synth-4vm-x2vcpu-spin';
  await page.goto('./#nosample');
  await dropFiles(page, [fixturePath(`${rec}.map.txt`), fixturePath(`${rec}.timehist.txt`)]);
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', '1117', { timeout: 30_000 });
  await expect(summary).toContainText('timehist');
  const tids = await page
    .getByTestId('vm-legend-item')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-vcpu-tids')).sort());
  expect(tids).toEqual(truth(rec).vms.map((vm) => vm.vcpus.map((v) => v.tid).join(',')).sort());
  await expect(page.getByTestId('vm-ambiguous')).toHaveCount(0);
});

test('a map alone flags the interleaved VM grouping as a guess', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('qemu-tcg-2vm-x2vcpu.map.txt'));
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '6899', { timeout: 30_000 });
  await expect(page.getByTestId('vm-ambiguous')).toHaveCount(2);
});

test('each VM hue is on the CPU rows where its vCPUs ran; hover tells which', async ({ page }) => {
  const file = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
  const run = await runOf(file);
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(file);
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', String(run.model.switches.length), {
    timeout: 30_000,
  });
  const canvas = page.getByTestId('sched-map');
  const box = (await canvas.boundingBox())!;
  const view = page.getByTestId('map-view');
  const t0 = Number(await view.getAttribute('data-view-start'));
  const t1 = Number(await view.getAttribute('data-view-end'));
  const nsPerPx = (t1 - t0) / box.width;
  const lanes = run.model.cpus.length;
  const laneH = box.height / lanes;

  // For every VM, a vCPU slice that covers at least 3 whole pixels, on each CPU it used.
  const m = run.model;
  let checked = 0;
  for (const [vi, vm] of run.vms.entries()) {
    for (const cpu of m.cpus) {
      let best = -1;
      for (let i = 0; i < m.switches.length; i++) {
        const v = vm.vcpus.findIndex((c) => c.task === m.switches.next[i]);
        if (v < 0 || m.switches.cpu[i] !== cpu || m.slices.endReason[i] !== SliceEnd.Switch) continue;
        if (m.slices.end[i] - m.switches.time[i] >= 3 * nsPerPx) {
          best = i;
          break;
        }
      }
      if (best < 0) continue;
      const v = vm.vcpus.findIndex((c) => c.task === m.switches.next[best]);
      const mid = (m.switches.time[best] + m.slices.end[best]) / 2;
      const x = (mid - t0) / nsPerPx;
      const y = (m.cpus.indexOf(cpu) + 0.5) * laneH;
      const swatch = page.getByTestId('vm-legend-item').nth(vi).locator('.swatch:not(.vm-base)').nth(v);
      const expected = rgbOf(await swatch.evaluate((e) => getComputedStyle(e).backgroundColor));
      const got = await pixelAt(page, x, y);
      for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - expected[k]), `${vm.name} vCPU ${v} on CPU ${cpu}`).toBeLessThanOrEqual(2);
      // Hover the same pixel: the tooltip names the vCPU thread and its VM.
      await page.mouse.move(box.x + x, box.y + y);
      const tip = page.getByTestId('map-tooltip');
      await expect(tip).toContainText(`tid ${vm.vcpus[v].tid}`);
      await expect(tip).toContainText(`VM ${vm.name}`);
      await expect(tip).toContainText(`CPU ${cpu}`);
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(run.vms.length);
  await page.screenshot({ path: `${SHOTS}/map-hover-pin-spread.png` });
});

test('keyboard: W zooms in, D pans, 0 resets, V switches to vCPU lanes, ? shows shortcuts', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath('synth-4vm-x2vcpu-yield-pin-shared.script-pidtid.txt'));
  const view = page.getByTestId('map-view');
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  const span = async () => Number(await view.getAttribute('data-view-end')) - Number(await view.getAttribute('data-view-start'));
  const full = await span();
  await view.focus();
  await page.keyboard.down('w');
  await page.waitForTimeout(600);
  await page.keyboard.up('w');
  await expect.poll(span).toBeLessThan(full * 0.8);
  const start = Number(await view.getAttribute('data-view-start'));
  await page.keyboard.down('d');
  await page.waitForTimeout(400);
  await page.keyboard.up('d');
  await expect.poll(async () => Number(await view.getAttribute('data-view-start'))).toBeGreaterThan(start);
  await page.screenshot({ path: `${SHOTS}/map-zoomed.png` });
  await page.keyboard.press('0');
  await expect.poll(span).toBe(full);
  await page.keyboard.press('v');
  await expect(view).toHaveAttribute('data-lane-mode', 'vcpu');
  await expect(view).toHaveAttribute('data-lanes', '8');
  await page.screenshot({ path: `${SHOTS}/map-vcpu-lanes.png` });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toBeVisible();
});

test('task names are shown as text, never run as HTML', async ({ page }) => {
  const evil = [
    '  *A0        1420.590990 secs A0 => <img src=x onerror=window.__pwned=1>:18',
    '  *B0        1420.591014 secs B0 => CPU 0/KVM:20746',
    '   B0 *C0    1420.591095 secs C0 => <script>window.__pwned=2</script>:20733',
    '  *A0  C0    1420.591102 secs ',
    '   A0 *B0    1420.592102 secs ',
    '',
  ].join('\n');
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles({ name: 'evil.txt', mimeType: 'text/plain', buffer: Buffer.from(evil) });
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '5', { timeout: 30_000 });
  const canvas = page.getByTestId('sched-map');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 4);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src=x]').count()).toBe(0);
});

test('a companion dropped after the trace fixes an ambiguous grouping', async ({ page }) => {
  const rec = 'qemu-tcg-2vm-x2vcpu';
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath(`${rec}.map.txt`));
  await expect(page.getByTestId('vm-ambiguous')).toHaveCount(2, { timeout: 30_000 });
  await page.getByTestId('companion-input').first().setInputFiles(fixturePath(`${rec}.timehist.txt`));
  await expect(page.getByTestId('vm-ambiguous')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '6899');
  const tids = await page
    .getByTestId('vm-legend-item')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-vcpu-tids')).sort());
  expect(tids).toEqual(truth(rec).vms.map((vm) => vm.vcpus.map((v) => v.tid).join(',')).sort());
});
