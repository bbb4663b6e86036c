// Wakeups and the tooltip on real recordings and a talk-scale map (8 VMs x 20 vCPUs on 80 CPUs): the
// vCPU lanes' off-CPU states in the legend, the tooltip following the view (a keyboard zoom under a still
// pointer), honouring hidden VMs (no tooltip, no empty band in vCPU mode), times to the window's precision.

import { expect, test, type Page } from '@playwright/test';
import { loadInputs } from '../src/cli/loadFiles';
import { assembleRuns, type Run } from '../src/model/runs';
import { sliceWakeup } from '../src/analysis/sliceWakeup';
import { fixturePath, fixtureText } from '../test/fixtures';
import { openTraces, SHOTS, writeTalkTrace } from './helpers';

const REAL = fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt');
let t80: string;

test.beforeAll(() => {
  t80 = writeTalkTrace('8x20', 'wakeups');
});

const open = openTraces;

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
    // After the zoom the tooltip describes what is under the still pointer now (not the old pixel): the hover
    // is read from the frame drawn, so until the zoomed frame is drawn it is the old pixel, which also holds t.
    await expect
      .poll(async () => {
        const u = await underPointer();
        return u.b - u.a < (before.b - before.a) * 0.5 && u.t >= u.a - (u.b - u.a) && u.t <= u.b + (u.b - u.a);
      })
      .toBe(true);
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
  await expect(key.locator('[data-state]')).toHaveText([
    /runnable \(preempted\)/,
    /runnable \(woken\)/,
    /sleeping/,
    /unknown/,
  ]);
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

/** The tooltip's wakeup state now ('' without one), read at once (the tooltip comes and goes). */
const wakeupState = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-testid=tt-wakeup]')?.getAttribute('data-state') ?? '');

/**
 * The longest slice of the recording that a wakeup started (of the tasks `only` keeps): its CPU, task, start and
 * end (relative ns), and its vCPU lane (VMs in order, vCPUs by index, as the vCPU lanes are laid out).
 */
async function longestWokenSlice(file: string, only: (run: Run, task: number) => boolean = () => true) {
  const run = assembleRuns(await loadInputs([file]))[0];
  const m = run.model;
  const sw = m.switches;
  let best = { cpu: -1, task: -1, start: 0, end: 0 };
  for (let i = 0; i < sw.length; i++) {
    const len = m.slices.end[i] - sw.time[i];
    if (sw.next[i] === 0 || len <= best.end - best.start || !only(run, sw.next[i])) continue;
    if (sliceWakeup(m, sw.next[i], sw.time[i])?.wakeup)
      best = { cpu: sw.cpu[i], task: sw.next[i], start: sw.time[i], end: m.slices.end[i] };
  }
  const vcpuLane = run.vms.flatMap((vm) => vm.vcpus.map((v) => v.task)).indexOf(best.task);
  return { ...best, vcpuLane };
}

const isVcpu = (run: Run, task: number) => run.vms.some((vm) => vm.vcpus.some((v) => v.task === task));

/** Two animation frames: a pointer move or a resize has been rendered. */
const frames = (page: Page) =>
  page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/**
 * The tooltip's lane for the pointer at page y (null over a gap). The tooltip sits 14 px below the pointer, so
 * its top says which move it describes: a tooltip still showing an earlier move (a busy machine) is waited out.
 */
async function laneAtPointer(page: Page, y: number, boxY: number): Promise<string | null> {
  await frames(page);
  const handle = await page.waitForFunction(
    (top) => {
      const tip = document.querySelector<HTMLElement>('[data-testid=map-tooltip]');
      if (!tip) return { lane: null };
      return Math.abs(parseFloat(tip.style.top) - top) <= 1 ? { lane: tip.getAttribute('data-lane') } : false;
    },
    y - boxY + 14,
  );
  return ((await handle.jsonValue()) as { lane: string | null }).lane;
}

/** Hover lane `lane` at CSS x (page coordinates) by bisecting the map's height on the tooltip's lane. */
async function hoverLane(page: Page, x: number, lane: number): Promise<void> {
  await frames(page);
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  let lo = box.y;
  let hi = box.y + box.height - 1;
  for (let k = 0; k < 30; k++) {
    const y = Math.round((lo + hi) / 2);
    await page.mouse.move(x, y);
    const at = await laneAtPointer(page, y, box.y);
    if (at === undefined || at === null) {
      lo += 1; // a gap between lanes
      continue;
    }
    if (Number(at) === lane) return;
    if (Number(at) < lane) lo = y + 1;
    else hi = y - 1;
  }
  throw new Error(`lane ${lane} not found`);
}

test('real recording, CPU lanes: the waker, its CPU, the wakeup time and latency, an arrow from the waker’s CPU lane', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await open(page, [REAL]);
  const map = page.getByTestId('map-view');
  // The recording's longest woken slice (its vCPUs spin: most of their slices follow a preemption), hovered.
  const target = await longestWokenSlice(REAL);
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  const s = Number(await map.getAttribute('data-view-start'));
  const e = Number(await map.getAttribute('data-view-end'));
  const laneCpus = (await map.getAttribute('data-lane-cpus'))!.split(',').map(Number);
  const lane = laneCpus.indexOf(target.cpu);
  await page.mouse.move(
    box.x + (((target.start + target.end) / 2 - s) / (e - s)) * box.width,
    box.y + ((lane + 0.5) * box.height) / laneCpus.length,
  );
  const tip = page.getByTestId('map-tooltip');
  await expect.poll(() => wakeupState(page)).toBe('woken');
  expect(Number(await tip.getAttribute('data-start'))).toBe(target.start);
  const lines = page.getByTestId('tt-wakeup');
  const start = Number(await tip.getAttribute('data-start'));
  const wakeAt = Number(await lines.getAttribute('data-wakeup-time'));
  const latency = Number(await lines.getAttribute('data-latency'));
  expect(latency).toBe(start - wakeAt);
  expect(latency).toBeGreaterThanOrEqual(0);
  const wakerTid = Number(await lines.getAttribute('data-waker-tid'));
  const wakerCpu = Number(await lines.getAttribute('data-waker-cpu'));
  await expect(lines).toContainText(`woken by`);
  await expect(lines).toContainText(`on CPU ${wakerCpu}`);
  await expect(lines).toContainText('wakeup latency');
  // The waker is the thread of the perf script line of that wakeup, on its CPU (the recording's own text).
  const { origin } = assembleRuns(await loadInputs([REAL]))[0].model;
  const ns = origin.ns + wakeAt;
  const stamp = `${origin.sec + Math.floor(ns / 1e9)}.${String((ns % 1e9) / 1000).padStart(6, '0')}`;
  const line = fixtureText('qemu-tcg-2vm-x2vcpu.script-pidtid.txt')
    .split('\n')
    .find((l) => l.includes(` ${stamp}:`) && /sched_wak(ing|eup)/.test(l));
  expect(line, `a wakeup line at ${stamp}`).toBeDefined();
  const m = /\s(?:\d+\/)?(\d+)\s+\[(\d+)\]/.exec(line!)!;
  expect(Number(m[1])).toBe(wakerTid);
  expect(Number(m[2])).toBe(wakerCpu);
  // The arrow: from the waker CPU's lane at the wakeup to the slice's start on the hovered lane.
  const arrows = page.getByTestId('wakeup-arrows');
  await expect(arrows).toHaveAttribute('data-arrows', '1');
  const [from, to] = (await arrows.getAttribute('data-arrow-lanes'))!.split('>');
  expect(laneCpus[Number(from)]).toBe(wakerCpu);
  expect(Number(to)).toBe(Number(await tip.getAttribute('data-lane')));
  const [x0, , x1] = (await arrows.getAttribute('data-arrow-xy'))!.split(',').map(Number);
  expect(Math.abs(x1 - ((start - s) / (e - s)) * box.width)).toBeLessThan(1);
  expect(Math.abs(x0 - ((wakeAt - s) / (e - s)) * box.width)).toBeLessThan(1);
  await page.screenshot({ path: `${SHOTS}/wakeups-cpu-lanes-1600x900.png` });
  // A click pins the slice: its arrow stays when the pointer leaves the map.
  const xy = await arrows.getAttribute('data-arrow-xy');
  await page.mouse.down();
  await page.mouse.up();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 60);
  await expect(page.getByTestId('map-tooltip')).toBeHidden();
  await expect(arrows).toHaveAttribute('data-arrows', '1');
  await expect(arrows).toHaveAttribute('data-arrow-xy', xy!);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.mouse.move(box.x + 30, box.y + 10);
  await expect(arrows).toHaveAttribute('data-arrows', /[12]/);
  await page.screenshot({ path: `${SHOTS}/wakeups-cpu-lanes-1280x720.png` });
});

test('8x20 on 80 CPUs, vCPU lanes: a woken vCPU’s wakeup and its arrow', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await open(page, [t80]);
  const map = page.getByTestId('map-view');
  await map.focus();
  await page.keyboard.press('v');
  await expect(map).toHaveAttribute('data-lane-mode', 'vcpu');
  await expect(map).toHaveAttribute('data-lanes', '160');
  // The longest woken vCPU slice (most follow a preemption or a yield), hovered on its lane.
  const target = await longestWokenSlice(t80, isVcpu);
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  const s = Number(await map.getAttribute('data-view-start'));
  const e = Number(await map.getAttribute('data-view-end'));
  await hoverLane(page, box.x + (((target.start + target.end) / 2 - s) / (e - s)) * box.width, target.vcpuLane);
  const tip = page.getByTestId('map-tooltip');
  await expect.poll(() => wakeupState(page)).toBe('woken');
  expect(Number(await tip.getAttribute('data-start'))).toBe(target.start);
  const lines = page.getByTestId('tt-wakeup');
  await expect(lines).toContainText('wakeup latency');
  const arrows = page.getByTestId('wakeup-arrows');
  await expect(arrows).toHaveAttribute('data-arrows', '1');
  const [from, to] = (await arrows.getAttribute('data-arrow-lanes'))!.split('>');
  expect(Number(to.replace('*', ''))).toBe(Number(await tip.getAttribute('data-lane')));
  expect(Number(from)).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/wakeups-vcpu-lanes-1600x900.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  const small = (await page.getByTestId('map-overlay').boundingBox())!;
  await hoverLane(page, small.x + (((target.start + target.end) / 2 - s) / (e - s)) * small.width, target.vcpuLane);
  await expect.poll(() => wakeupState(page)).toBe('woken');
  await expect(arrows).toHaveAttribute('data-arrows', '1');
  await page.screenshot({ path: `${SHOTS}/wakeups-vcpu-lanes-1280x720.png` });
});

test('a perf sched map has no wakeups: the tooltip says so', async ({ page }) => {
  await open(page, [fixturePath('qemu-tcg-2vm-x2vcpu.map.txt')]);
  await hoverSlice(page, 0.3, 0.3);
  await expect(page.getByTestId('tt-wakeup')).toHaveAttribute('data-state', 'none');
  await expect(page.getByTestId('tt-wakeup')).toContainText('a perf sched map carries none');
  await expect(page.getByTestId('wakeup-arrows')).toHaveAttribute('data-arrows', '0');
});

test('8x20 on 80 CPUs at whole-trace zoom: every colour of the map is a swatch of the legend', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await open(page, [t80]);
  for (const mode of ['cpu', 'vcpu'] as const) {
    if (mode === 'vcpu') {
      await page.getByTestId('map-view').focus();
      await page.keyboard.press('v');
      await expect(page.getByTestId('map-view')).toHaveAttribute('data-lane-mode', 'vcpu');
    }
    const read = () =>
      page.evaluate(() => {
        const hex = (r: number, g: number, b: number): string =>
          `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
        const legend = new Set<string>();
        for (const el of document.querySelectorAll('.legend .swatch')) {
          const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(getComputedStyle(el).backgroundColor);
          if (m) legend.add(hex(Number(m[1]), Number(m[2]), Number(m[3])));
        }
        // Not data: between lanes (#111418), unknown time (#16181d) and its hatch (#3a3e49), shown as 'unknown'.
        for (const c of ['#111418', '#16181d', '#3a3e49']) legend.add(c);
        const c = document.querySelector('[data-testid=sched-map]') as HTMLCanvasElement;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const out = new Set<string>();
        const drawn = new Set<string>();
        for (let i = 0; i < data.length; i += 4) {
          const h = hex(data[i], data[i + 1], data[i + 2]);
          drawn.add(h);
          if (!legend.has(h)) out.add(h);
        }
        // Pixels no thread covers half of: a VM's base colour (its first swatch) or the mixed mark.
        const swatch = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)].map((e) => e.dataset.color!);
        return {
          stray: [...out],
          bases: swatch('[data-testid=vm-base-swatch]').filter((x) => drawn.has(x)).length,
          mixed: swatch('.swatch.mixed').filter((x) => drawn.has(x)).length,
        };
      });
    // (The frame of the new lane mode may come a moment after the attribute.)
    await expect.poll(async () => (await read()).stray, { message: `${mode} lanes` }).toEqual([]);
    const stray = await read();
    if (mode === 'cpu') {
      expect(stray.bases).toBeGreaterThan(0);
      expect(stray.mixed).toBe(1);
      // Hovering a pixel in the mixed mark's colour: the tooltip says how that pixel is painted.
      const at = await page.evaluate(() => {
        const c = document.querySelector('[data-testid=sched-map]') as HTMLCanvasElement;
        const mixed = (document.querySelector('.swatch.mixed') as HTMLElement).dataset.color!;
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(mixed.slice(i, i + 2), 16));
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const box = c.getBoundingClientRect();
        for (let i = 0; i < data.length; i += 4)
          if (data[i] === r && data[i + 1] === g && data[i + 2] === b) {
            const px = (i / 4) % c.width;
            const py = Math.floor(i / 4 / c.width);
            return {
              x: box.left + (px + 0.5) * (box.width / c.width),
              y: box.top + (py + 0.5) * (box.height / c.height),
            };
          }
        return null;
      });
      expect(at).not.toBeNull();
      await page.mouse.move(at!.x, at!.y);
      await expect(page.getByTestId('map-tooltip')).toHaveAttribute('data-drawn-as', 'mixed');
      await expect(page.getByTestId('map-tooltip')).toContainText('pixel drawn as mixed: no VM has half of it');
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${SHOTS}/wakeups-legend-colours-cpu-1600x900.png` });
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.screenshot({ path: `${SHOTS}/wakeups-legend-colours-cpu-1280x720.png` });
      await page.setViewportSize({ width: 1600, height: 900 });
    }
  }
  await page.screenshot({ path: `${SHOTS}/wakeups-legend-colours-vcpu-1600x900.png` });
});
