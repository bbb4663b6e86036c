// Finding your way in a talk-scale map (8 VMs x 20 vCPUs on 80 CPUs, 16 x 16 on 128): the search box
// (Ctrl+F or /) by tid, comm or VM name with its counts, Enter to jump (the lanes scrolled to the match),
// the matches marked on the map, no match said; lanes pinned above the scrolled ones (P, a label's
// right-click, a match's pin button), kept in the link and through a reload.

import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openTraces, SHOTS, writeTalkTrace } from './helpers';

let t80: string;
let t128: string;

test.beforeAll(() => {
  t80 = writeTalkTrace('8x20', 'find');
  t128 = writeTalkTrace('16x16', 'find');
});

const open = openTraces;

/** Switch-ins per tid of a comm, counted in the perf script text itself. */
function switchIns(file: string, comm: string): Map<number, number> {
  const out = new Map<number, number>();
  const re = new RegExp(`next_comm=${comm.replace(/[/]/g, '\\/')} next_pid=(\\d+) `, 'g');
  for (const m of readFileSync(file, 'utf8').matchAll(re)) out.set(Number(m[1]), (out.get(Number(m[1])) ?? 0) + 1);
  return out;
}

const num = async (page: Page, attr: string) => Number(await page.getByTestId('map-view').getAttribute(attr));

test('80 CPUs at 1280x720: / finds a comm in every VM with its slice counts, Enter jumps, a tid finds one, none says so', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, [t80]);
  const map = page.getByTestId('map-view');
  await map.focus();
  await page.keyboard.press('/');
  const input = page.getByTestId('map-search-input');
  await expect(input).toBeFocused();
  await input.fill('CPU 7/KVM');
  const count = page.getByTestId('map-search-count');
  await expect(count).toHaveAttribute('data-total', '8');
  await expect(count).toHaveText('8 matches (0 VMs, 8 threads)');
  // Each match's slice count is its switch-ins in the trace text.
  const truth = switchIns(t80, 'CPU 7/KVM');
  expect(truth.size).toBe(8);
  const rows = page.getByTestId('map-search-match');
  await expect(rows).toHaveCount(8);
  const listed = await rows.evaluateAll((els) => els.map((e) => [Number(e.dataset.tid), Number(e.dataset.slices)]));
  expect(new Map(listed as [number, number][])).toEqual(truth);
  // The matches are marked on the map (pixel runs where they ran in the window).
  await expect.poll(() => num(page, 'data-search-runs')).toBeGreaterThan(8);
  await page.keyboard.press('Enter');
  await expect(count).toHaveAttribute('data-current', '0');
  await expect(count).toHaveText(/^1 of 8 matches/);
  // The fitted lanes (80 in the map, too thin for labels) zoom to 16 px, the thread's lane in view.
  await expect(map).toHaveAttribute('data-lane-height', '16');
  await expect(page.getByTestId('lane-label').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(count).toHaveAttribute('data-current', '1');
  await expect(rows.nth(1)).toHaveClass(/current/);
  // Typing in the box does not steer the map (W would zoom, 0 reset).
  const view0 = [await num(page, 'data-view-start'), await num(page, 'data-view-end')];
  await page.screenshot({ path: `${SHOTS}/find-80cpu-comm-1280.png` });

  // A tid: exactly one thread.
  const [tid] = [...truth.keys()].sort((a, b) => b - a);
  await input.fill(String(tid));
  await expect(count).toHaveText('1 match (0 VMs, 1 thread)');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-tid', String(tid));
  await input.fill('wasd0');
  await expect(count).toHaveText('no thread or VM matches “wasd0”');
  await expect(rows).toHaveCount(0);
  await expect.poll(() => num(page, 'data-search-runs')).toBe(0);
  expect([await num(page, 'data-view-start'), await num(page, 'data-view-end')]).toEqual(view0);
  await page.screenshot({ path: `${SHOTS}/find-80cpu-none-1280.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('map-search')).toHaveCount(0);
  await expect(map).toBeFocused();
  // Ctrl+F opens it again, with the last query.
  await page.keyboard.press('Control+f');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('wasd0');
  // The keys work from anywhere in the pane (a button of its head, a legend chip), not only on the map.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('map-search')).toHaveCount(0);
  const hostCpus = page.getByRole('button', { name: 'host CPUs' });
  await hostCpus.focus();
  await page.keyboard.press('/');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'vCPU threads' }).focus();
  await page.keyboard.press('Control+f');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  // In a text field of the pane (renaming a VM) / is typed, not taken.
  await page
    .getByRole('button', { name: /^rename / })
    .first()
    .click();
  const rename = page.getByLabel('VM name');
  await expect(rename).toBeFocused();
  await page.keyboard.type('a/b');
  await expect(rename).toHaveValue(/a\/b/);
  await expect(page.getByTestId('map-search')).toHaveCount(0);
  await page.keyboard.press('Escape');
  // Outside every pane (the focus on the page itself): Ctrl+F opens the map search, not the browser's find.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await page.keyboard.press('Control+f');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('/');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
});

test('vCPU lanes zoomed at 1600x900: a tid jumps and scrolls its lane into view; P pins lanes above the scroll; the link and a reload keep them', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await open(page, [t80]);
  const map = page.getByTestId('map-view');
  await map.focus();
  await page.keyboard.press('v');
  await expect(map).toHaveAttribute('data-lanes', '160');
  for (let i = 0; i < 20 && (await num(page, 'data-lane-height')) < 16; i++) await page.keyboard.press('+');
  expect(await num(page, 'data-lane-height')).toBeGreaterThanOrEqual(16);
  await page.keyboard.press('Home');
  await expect.poll(() => num(page, 'data-lane-scroll')).toBe(0);

  // The last VM's vCPU 19: far below the screen. Enter scrolls the lanes to it.
  const tids = [...switchIns(t80, 'CPU 19/KVM').keys()].sort((a, b) => a - b);
  const last = tids[tids.length - 1];
  await page.keyboard.press('/');
  await page.getByTestId('map-search-input').fill(String(last));
  await page.keyboard.press('Enter');
  await expect.poll(() => num(page, 'data-lane-scroll')).toBeGreaterThan(500);
  const mapBox = (await page.getByTestId('map-overlay').boundingBox())!;
  const label = page
    .getByTestId('lane-label')
    .filter({ hasText: /^vCPU 19$/ })
    .last();
  await expect(label).toHaveAttribute('title', /^vm4217 · 19/);
  const lb = (await label.boundingBox())!;
  expect(lb.y).toBeGreaterThanOrEqual(mapBox.y - 1);
  expect(lb.y + lb.height).toBeLessThanOrEqual(mapBox.y + mapBox.height + 1);
  await page.screenshot({ path: `${SHOTS}/find-vcpu-jump-1600.png` });

  // Pin it from the list; then a VM's whole block by name.
  await page.getByTestId('map-search-pin').first().click();
  await expect(map).toHaveAttribute('data-pinned-lanes', new RegExp(`^vcpu:7:${last}$`));
  await page.getByTestId('map-search-input').fill('vm4062');
  await expect(page.getByTestId('map-search-match')).toHaveCount(1);
  await page.getByTestId('map-search-pin').first().click();
  await expect.poll(async () => (await map.getAttribute('data-pinned-lanes'))!.split(',').length).toBe(21);
  await page.getByTestId('map-search-close').click();

  // Scrolled to the top and to the end: the pinned band stays, its labels first.
  await map.focus();
  await page.keyboard.press('Home');
  const pinnedLabels = page.locator('[data-testid="lane-label"][data-pinned="yes"]');
  await expect(pinnedLabels.first()).toHaveAttribute('title', /^vm4217 · 19/);
  const top0 = (await pinnedLabels.first().boundingBox())!.y;
  await page.keyboard.press('End');
  await expect.poll(() => num(page, 'data-lane-scroll')).toBeGreaterThan(1000);
  await expect(pinnedLabels.first()).toHaveAttribute('title', /^vm4217 · 19/);
  expect((await pinnedLabels.first().boundingBox())!.y).toBeCloseTo(top0, 0);
  await expect(page.getByTestId('pinned-band')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/find-vcpu-pinned-1600.png` });

  // P over a scrolled lane pins it too; over a pinned one unpins it.
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  await page.mouse.move(box.x + 400, box.y + box.height - 30);
  await expect(page.getByTestId('map-tooltip')).toBeVisible();
  await page.keyboard.press('p');
  await expect.poll(async () => (await map.getAttribute('data-pinned-lanes'))!.split(',').length).toBe(22);
  await page.mouse.move(box.x + 400, box.y + 8);
  await page.keyboard.press('p');
  await expect.poll(async () => (await map.getAttribute('data-pinned-lanes'))!.split(',').length).toBe(21);
  expect(await map.getAttribute('data-pinned-lanes')).not.toContain(`:${last}`);

  // A right-click on a pinned label unpins it.
  await pinnedLabels.first().click({ button: 'right' });
  await expect.poll(async () => (await map.getAttribute('data-pinned-lanes'))!.split(',').length).toBe(20);

  // The link carries the pins; a reload (the trace kept in this browser) restores them.
  const pinnedNow = await map.getAttribute('data-pinned-lanes');
  const tidsNow = pinnedNow!.split(',').map((k) => k.split(':')[2]);
  await expect
    .poll(() => page.evaluate(() => decodeURIComponent(location.hash)))
    .toContain(`"pins":{"cpu":[],"vcpu":[${tidsNow.join(',')}]}`);
  expect(await page.evaluate(() => location.hash)).toMatch(/^#v=2&/);
  await page.reload();
  await expect(page.getByTestId('map-view')).toHaveAttribute('data-lane-mode', 'vcpu', { timeout: 60_000 });
  await expect(page.getByTestId('map-view')).toHaveAttribute('data-pinned-lanes', pinnedNow!);
});

/** The CPUs a VM's vCPU threads (comm CPU n/KVM, the VM's pid before the tid) were switched in on, from the text. */
function vcpuCpus(file: string, pid: number): Set<number> {
  const text = readFileSync(file, 'utf8');
  const tids = new Set([...text.matchAll(new RegExp(`CPU \\d+/KVM +${pid}/(\\d+) `, 'g'))].map((m) => m[1]));
  const cpus = new Set<number>();
  for (const m of text.matchAll(/\[(\d+)\] [^\n]*next_comm=CPU \d+\/KVM next_pid=(\d+) /g))
    if (tids.has(m[2])) cpus.add(Number(m[1]));
  return cpus;
}

/** Every lane label inside the label column (none peeking in past its edges); their titles. */
async function labelsInColumn(page: Page): Promise<string[]> {
  const col = (await page.locator('.lane-labels').boundingBox())!;
  const boxes = await page.getByTestId('lane-label').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, title: (e as HTMLElement).title };
    }),
  );
  for (const b of boxes) {
    expect(b.top, b.title).toBeGreaterThanOrEqual(col.y - 0.5);
    expect(b.bottom, b.title).toBeLessThanOrEqual(col.y + col.height + 0.5);
  }
  return boxes.map((b) => b.title);
}

for (const [w, h] of [
  [1600, 900],
  [1280, 720],
])
  test(`80 CPUs, 8 VMs x 20 vCPUs at ${w}x${h}: a VM jump in CPU lanes brings the CPUs its vCPUs ran on into view; in vCPU lanes its block fills the map, no other block's label peeking in`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, [t80]);
    const map = page.getByTestId('map-view');
    // Zoomed CPU lanes at the top: CPU 0 first, the CPUs of vm4155's vCPUs (20-39) below the map.
    await map.focus();
    for (let i = 0; i < 20 && (await num(page, 'data-lane-height')) < 16; i++) await page.keyboard.press('+');
    await page.keyboard.press('Home');
    await expect.poll(() => num(page, 'data-lane-scroll')).toBe(0);
    const cpus = vcpuCpus(t80, 4155);
    expect(cpus.size).toBe(20);
    await page.keyboard.press('/');
    await page.getByTestId('map-search-input').fill('vm4155');
    await expect(page.getByTestId('map-search-match').first()).toHaveAttribute('data-kind', 'vm');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-search-count')).toHaveAttribute('data-current', '0');
    // Every CPU its vCPUs ran on is labelled on screen (the lanes zoomed to fill the map with them).
    await expect
      .poll(async () => {
        const shown = new Set((await labelsInColumn(page)).map((t) => Number(t.replace(/^CPU /, '').split(' ')[0])));
        return [...cpus].filter((c) => !shown.has(c));
      })
      .toEqual([]);
    expect(await num(page, 'data-lane-height')).toBeGreaterThanOrEqual(10);
    await expect.poll(() => num(page, 'data-search-runs')).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/find-8x20-vm-cpus-${w}.png` });

    // vCPU lanes: vm4062's block of 20 fills the map; the labels shown are its lanes', inside the column.
    await page.getByTestId('map-search-close').click();
    await map.focus();
    await page.keyboard.press('v');
    await expect(map).toHaveAttribute('data-lanes', '160');
    await page.keyboard.press('/');
    await page.getByTestId('map-search-input').fill('vm4062');
    await expect(page.getByTestId('map-search-match').first()).toHaveAttribute('data-kind', 'vm');
    await page.keyboard.press('Enter');
    await expect.poll(() => num(page, 'data-lane-height')).toBeGreaterThanOrEqual(10);
    const laneH = await num(page, 'data-lane-height');
    expect(20 * laneH).toBeLessThanOrEqual(await num(page, 'data-map-height'));
    const titles = await labelsInColumn(page);
    expect(titles.filter((t) => t.startsWith('vm4062 · ')).length).toBe(20);
    await page.screenshot({ path: `${SHOTS}/find-8x20-vm-block-${w}.png` });
  });

for (const [w, h] of [
  [1600, 900],
  [1280, 720],
])
  test(`128 CPUs, 16 VMs x 16 vCPUs (340 threads) at ${w}x${h}: the legend stays compact, wide slices carry comms or perf short names, a VM name finds its block`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, [t128]);
    const map = page.getByTestId('map-view');
    // 16 VMs: at most two legend rows, the vCPU ramp once.
    const items = page.getByTestId('vm-legend-item');
    await expect(items).toHaveCount(16);
    const tops = await items.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBeLessThanOrEqual(2);
    expect((await page.locator('.legend').boundingBox())!.height).toBeLessThanOrEqual(80);
    // The switch-rate chart gets its bins (until then it says it is computing, with no empty 0..1/s axis).
    const timeline = page.getByTestId('switch-timeline');
    await expect(timeline).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    expect(Number(await timeline.getAttribute('data-max-rate'))).toBeGreaterThan(1e6);
    // Every time-axis label inside the axis (the last one is not cut at the right edge).
    const axis = (await page.locator('svg.time-axis').boundingBox())!;
    const labels = await page.locator('svg.time-axis .tick text').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return [r.left, r.right];
      }),
    );
    expect(labels.length).toBeGreaterThan(5);
    for (const [l, r] of labels) {
      expect(l).toBeGreaterThanOrEqual(axis.x - 0.5);
      expect(r).toBeLessThanOrEqual(axis.x + axis.width + 0.5);
    }
    await page.screenshot({ path: `${SHOTS}/find-16x16-whole-${w}.png` });

    // Taller lanes and a short window: the slices are wide enough to be named.
    await map.focus();
    for (let i = 0; i < 20 && (await num(page, 'data-lane-height')) < 18; i++) await page.keyboard.press('+');
    await page.keyboard.press('Home');
    const box = (await page.getByTestId('map-overlay').boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + 40);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -300);
    await expect
      .poll(async () => (await num(page, 'data-view-end')) - (await num(page, 'data-view-start')))
      .toBeLessThan(2_000_000);
    const canvas = page.getByTestId('sched-map');
    await expect.poll(async () => Number(await canvas.getAttribute('data-slice-labels'))).toBeGreaterThan(10);
    const texts = (await canvas.getAttribute('data-slice-label-texts'))!.split('|');
    // Comms of the trace (vCPU threads, QEMU, host threads) or two-character perf short names.
    const switchIn = [...readFileSync(t128, 'utf8').matchAll(/next_comm=(.+?) next_pid=(\d+)/g)];
    const comms = new Set(switchIn.map((m) => m[1]));
    // More threads than perf has short names (260): the names wrap.
    expect(new Set(switchIn.map((m) => m[2])).size).toBeGreaterThan(260);
    for (const t of texts) expect(comms.has(t) || /^[A-Z][0-9]$/.test(t)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/find-16x16-names-${w}.png` });

    // A VM by name: its block's vCPUs jump in vCPU lanes.
    await page.keyboard.press('v');
    await expect(map).toHaveAttribute('data-lanes', '256');
    await page.keyboard.press('/');
    const name = (await page.getByTestId('lane-vm-label').first().getAttribute('title'))!.split(':')[0];
    await page.getByTestId('map-search-input').fill(name);
    await expect(page.getByTestId('map-search-match').first()).toHaveAttribute('data-kind', 'vm');
    const zoomedWindow = (await num(page, 'data-view-end')) - (await num(page, 'data-view-start'));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-search-count')).toHaveAttribute('data-current', '0');
    await expect.poll(() => num(page, 'data-search-runs')).toBeGreaterThan(0);
    // The VM, not one of its slices: the window over its span (the whole 10 ms trace, not a few µs) and
    // its block of 16 lanes zoomed to fill the map.
    await expect
      .poll(async () => (await num(page, 'data-view-end')) - (await num(page, 'data-view-start')))
      .toBeGreaterThan(9_000_000);
    expect(zoomedWindow).toBeLessThan(2_000_000);
    const laneH = await num(page, 'data-lane-height');
    const mapH = await num(page, 'data-map-height');
    expect(16 * laneH).toBeLessThanOrEqual(mapH);
    expect(16 * laneH).toBeGreaterThan(0.6 * mapH);
    // Its 16 vCPU lanes are labelled (the labels name their VM).
    const shown = await page.getByTestId('lane-label').evaluateAll((els) => els.map((e) => (e as HTMLElement).title));
    expect(shown.filter((t) => t.startsWith(`${name} · `)).length).toBe(16);
    await page.screenshot({ path: `${SHOTS}/find-16x16-vm-${w}.png` });
  });

test('CPU lanes at 1280x720: a thread whose one slice is outside the window moves the window to it; a CPU lane pinned by its label stays above the scroll', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, [t128]);
  const map = page.getByTestId('map-view');
  // A ksoftirqd thread switched in once, late in the trace (ns from the first event, as the app counts).
  const text = readFileSync(t128, 'utf8');
  const stamp = (line: string): number => Math.round(Number(line.match(/\] (\d+\.\d+):/)![1]) * 1e9);
  const t0 = stamp(text.slice(0, text.indexOf('\n')));
  const once = [...text.matchAll(/^.*next_comm=ksoftirqd\/\d+ next_pid=(\d+) .*$/gm)]
    .map((m) => ({ tid: Number(m[1]), t: stamp(m[0]) - t0 }))
    .filter((x, _, all) => all.filter((y) => y.tid === x.tid).length === 1 && x.t > 6_000_000);
  expect(once.length).toBeGreaterThan(0);
  const { tid, t } = once[0];
  // Zoomed into the first 2 ms: its slice is not in the window.
  const box = (await page.getByTestId('map-overlay').boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 40);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -300);
  await expect.poll(() => num(page, 'data-view-end')).toBeLessThan(2_000_000);
  const span = (await num(page, 'data-view-end')) - (await num(page, 'data-view-start'));
  await map.focus();
  await page.keyboard.press('/');
  await page.getByTestId('map-search-input').fill(String(tid));
  await expect(page.getByTestId('map-search-count')).toHaveText('1 match (0 VMs, 1 thread)');
  await expect.poll(() => num(page, 'data-search-runs')).toBe(0);
  await page.keyboard.press('Enter');
  // The window is centred on it, as wide as before, and the slice is marked.
  await expect.poll(() => num(page, 'data-view-start')).toBeGreaterThan(2_000_000);
  const [s, e] = [await num(page, 'data-view-start'), await num(page, 'data-view-end')];
  expect(s).toBeLessThan(t);
  expect(e).toBeGreaterThan(t);
  expect(e - s).toBeCloseTo(span, -3);
  await expect.poll(() => num(page, 'data-search-runs')).toBe(1);
  await page.screenshot({ path: `${SHOTS}/find-128cpu-window-jump-1280.png` });
  await page.getByTestId('map-search-close').click();

  // Taller lanes, a CPU pinned by a right-click on its label, then scrolled: it stays first, at the top.
  for (let i = 0; i < 20 && (await num(page, 'data-lane-height')) < 14; i++) await page.keyboard.press('+');
  await page.keyboard.press('Home');
  const third = page.getByTestId('lane-label').nth(5);
  const cpu = (await third.textContent())!;
  await third.click({ button: 'right' });
  await expect(map).toHaveAttribute('data-pinned-lanes', `cpu:${cpu.slice(4)}`);
  await expect(map).toHaveAttribute('data-lane-cpus', new RegExp(`^${cpu.slice(4)},0,1,2,`));
  const pinned = page.locator('[data-testid="lane-label"][data-pinned="yes"]');
  const y0 = (await pinned.boundingBox())!.y;
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect.poll(() => num(page, 'data-lane-scroll')).toBeGreaterThan(500);
  await expect(pinned).toHaveText(cpu);
  expect((await pinned.boundingBox())!.y).toBeCloseTo(y0, 0);
  // The label below the band is a CPU far down, not CPU 0.
  const next = Number((await page.getByTestId('lane-label').nth(1).textContent())!.slice(4));
  expect(next).toBeGreaterThan(20);
  await page.screenshot({ path: `${SHOTS}/find-128cpu-pinned-1280.png` });
  // The PNG export is the map as drawn: the band, the names in slices, one label per lane shown.
  const panel = page.getByTestId('analysis-panel').first();
  const [dl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-png').click()]);
  await dl.saveAs(`${SHOTS}/find-128cpu-pinned-export.png`);
  expect(
    readFileSync((await dl.path())!)
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');
});
