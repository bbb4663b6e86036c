// perf.data in real Chromium, on real recordings (test/fixtures, perf 6.1): file mode, pipe mode and -z dropped,
// each equal to `schedmap analyze --json` of the same file, with the host facts `perf report --header-only`
// prints in the summary; the file button; two perf.data side by side with the comparison; a companion (ps -eo
// pid,args) naming the VMs; the built-in perf.data sample.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { fixtureBytes, fixturePath, truth } from '../test/fixtures';
import { compareRuns, matchVms } from '../src/analysis/compare';
import type { RunMetrics } from '../src/analysis/metrics';
import { writeBigPerfData } from './bigPerfData';
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
  // The panel's JSON export carries the same host facts as analyze --json.
  const panel = page.getByTestId('analysis-panel');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const [dl] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  expect(exported.recordedOn).toEqual(cli.recordedOn);
  expect(cli.recordedOn.hostname).toBe('vm');
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

test("a trace.dat's host facts: its UNAME and VERSION options as trace-cmd dump --options prints them", async ({
  page,
}) => {
  const name = 'tracecmd-arm64-qemu-2cpu.v7-zstd';
  const dump = new TextDecoder().decode(fixtureBytes(`${name}.options.txt`));
  const [, host, release, arch] = /\[Option UNAME, \d+ bytes\]\n(.*)\n/.exec(dump)![1].split(' ');
  const version = /\[Option VERSION, \d+ bytes\]\n(\S+)/.exec(dump)![1];
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(fixturePath(`${name}.dat`));
  await expect(page.getByTestId('recorded-on')).toHaveText(
    `Recorded on ${host}, ${release}, ${arch}, trace-cmd ${version}`,
    { timeout: 30_000 },
  );
  // Text has none: no such line.
  await page.getByTestId('trace-input').setInputFiles(fixturePath(`${FIX}.sched.script-ns.txt.gz`));
  await expect(page.getByTestId('trace-summary')).toContainText('script-ns.txt.gz', { timeout: 30_000 });
  await expect(page.getByTestId('recorded-on')).toHaveCount(0);
});

test('the built-in perf.data sample opens with its host facts', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByLabel('Samples').selectOption({ label: '2 QEMU VMs x 2 vCPUs (the perf.data itself)' });
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveAttribute('data-switches', String(analyze(qemu).switches), { timeout: 30_000 });
  await expect(summary).toHaveAttribute('data-vms', '2');
  await expect(page.getByTestId('recorded-on')).toContainText(headerLine(`${QEMU}.perf.header.txt`).host);
});

// ---- a big perf.data: progress, reads by Blob slices, Cancel -------------------------------------------

/** What the model worker read of its Files, recorded by wrapping Blob's readers inside the worker. */
interface Reads {
  /** [size of the blob sliced, start, end] of every Blob.slice. */
  slices: [number, number, number][];
  /** Size of every blob read whole (arrayBuffer / text / bytes). */
  whole: number[];
  /** Bytes pulled from streams of blobs of this size, by size. */
  streamed: Record<number, number>;
}

async function watchWorkerReads(page: Page): Promise<() => Promise<Reads>> {
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  const workers = page.workers();
  for (const w of workers)
    await w.evaluate(() => {
      const log: Reads = { slices: [], whole: [], streamed: {} };
      (self as unknown as { __reads: Reads }).__reads = log;
      const proto = Blob.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
      const slice = proto.slice;
      proto.slice = function (this: Blob, ...a: unknown[]) {
        const [start = 0, end = this.size] = a as number[];
        log.slices.push([this.size, start, end]);
        return slice.apply(this, a);
      };
      for (const m of ['arrayBuffer', 'text', 'bytes']) {
        const f = proto[m];
        if (typeof f !== 'function') continue;
        proto[m] = function (this: Blob, ...a: unknown[]) {
          log.whole.push(this.size);
          return f.apply(this, a);
        };
      }
      const stream = proto.stream;
      // The bytes the reader asked for: a pull source with no queue of its own (a pipe would count what
      // Chromium reads ahead before the reader cancels, which depends on the machine's load).
      proto.stream = function (this: Blob) {
        const size = this.size;
        const source = (stream.call(this) as ReadableStream<Uint8Array>).getReader();
        return new ReadableStream<Uint8Array>(
          {
            async pull(ctl) {
              const r = await source.read();
              if (r.done) return ctl.close();
              log.streamed[size] = (log.streamed[size] ?? 0) + r.value.length;
              ctl.enqueue(r.value);
            },
            cancel: (reason) => source.cancel(reason),
          },
          { highWaterMark: 0 },
        );
      };
    });
  return async () => {
    const all = await Promise.all(workers.map((w) => w.evaluate(() => (self as unknown as { __reads: Reads }).__reads)));
    return all.reduce((a, b) => ({
      slices: [...a.slices, ...b.slices],
      whole: [...a.whole, ...b.whole],
      streamed: { ...a.streamed, ...b.streamed },
    }));
  };
}

test.describe('a perf.data of 140 MB made here from a real one (its samples repeated, times moved on)', () => {
  let big: string;
  let made: { bytes: number; samples: number };
  test.beforeAll(() => {
    big = join(dir, 'big.perf.data');
    made = writeBigPerfData(fixturePath(`${FIX}.sched.perf.data`), big, 630);
    expect(made.bytes).toBeGreaterThan(100e6);
  });

  test('loads with progress, read by Blob slices of at most 4 MiB, never whole', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('./#nosample');
    // A small perf.data first: the model worker starts with it, and its reads are watched from then on.
    await page.getByTestId('trace-input').setInputFiles(fixturePath(`${FIX}.pipe.perf.data`));
    await expect(page.getByTestId('trace-summary')).toHaveAttribute('data-switches', '354', { timeout: 30_000 });
    const reads = await watchWorkerReads(page);
    const cli = analyze(big);
    await page.getByTestId('trace-input').setInputFiles(big);
    // Progress while it loads: a bar and the bytes read of the file's size.
    const bar = page.locator('[data-testid="parse-progress"] progress');
    await expect.poll(async () => Number((await bar.getAttribute('value')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(Number(await bar.getAttribute('max'))).toBe(made.bytes);
    await expect(page.getByTestId('parse-progress')).toContainText('big.perf.data: ');
    await page.screenshot({ path: `${SHOTS}/perfdata-progress-1600.png` });
    const summary = page.getByTestId('trace-summary');
    await expect(summary).toHaveAttribute('data-switches', String(cli.switches), { timeout: 150_000 });
    expect(cli.switches).toBe(733 * 631);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: `${SHOTS}/perfdata-big-1280.png` });

    const r = await reads();
    const ofBig = r.slices.filter(([size]) => size === made.bytes).map(([, s, e]) => e - s);
    // The data section (all but the header, attrs and features) came in 4 MiB slices.
    expect(Math.max(...ofBig)).toBeLessThanOrEqual(4 << 20);
    expect(ofBig.reduce((a, b) => a + b, 0)).toBeGreaterThan(made.bytes * 0.99);
    expect(ofBig.filter((n) => n === 4 << 20).length).toBe(Math.floor((made.bytes - 2000) / (4 << 20)));
    // Nothing was read whole: every whole-blob read is of a slice (the sniffed head among them), and the file
    // was never streamed, neither whole nor from the end of its head on.
    expect(Math.max(...r.whole)).toBeLessThanOrEqual(4 << 20);
    expect(r.streamed[made.bytes] ?? 0).toBe(0);
    expect(r.streamed[made.bytes - (64 << 10)] ?? 0).toBe(0);
    expect(r.slices.some(([size, s, e]) => size === made.bytes && s === 0 && e === 64 << 10)).toBe(true);
  });

  test('Cancel stops its load: nothing opens, and only part of the file was read', async ({ page }) => {
    await page.goto('./#nosample');
    await page.getByTestId('trace-input').setInputFiles(big);
    const bar = page.locator('[data-testid="parse-progress"] progress');
    await expect.poll(async () => Number((await bar.getAttribute('value')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('parse-progress').getByRole('button', { name: 'Cancel' }).click();
    const note = page.getByTestId('parse-cancelled');
    await expect(note).toBeVisible({ timeout: 10_000 });
    const read = Number(await note.getAttribute('data-bytes-read'));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(made.bytes);
    expect(Number(await note.getAttribute('data-total-bytes'))).toBe(made.bytes);
    // No result arrives later either.
    await page.waitForTimeout(3000);
    await expect(page.getByTestId('run-pane')).toHaveCount(0);
    await expect(page.getByTestId('parse-progress')).toHaveCount(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: `${SHOTS}/perfdata-cancelled-1280.png` });
  });
});

test.describe('schedmap report of a perf.data', () => {
  test.beforeAll(() => {
    // The report embeds the one-file app as this checkout builds it.
    execFileSync('npm', ['run', 'build:single'], { stdio: 'ignore' });
  });

  test('opened from file:// it shows the map of the perf.data it embeds, and its host facts', async ({ page }) => {
    const out = join(dir, 'report.html');
    execFileSync(process.execPath, ['bin/schedmap.mjs', 'report', qemu, '-o', out], { stdio: 'ignore' });
    const cli = analyze(qemu);
    await page.goto(pathToFileURL(out).href);
    const summary = page.getByTestId('trace-summary');
    await expect(summary).toHaveAttribute('data-switches', String(cli.switches), { timeout: 30_000 });
    await expect(summary).toHaveAttribute('data-vms', '2');
    await expect(page.getByTestId('recorded-on')).toContainText(headerLine(`${QEMU}.perf.header.txt`).host);
    // Some pixel of the map differs from the background: the map was drawn.
    await expect
      .poll(() =>
        page
          .getByTestId('sched-map')
          .first()
          .evaluate((c: HTMLCanvasElement) => {
            const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            const colours = new Set<number>();
            for (let i = 0; i < d.length; i += 4 * 97) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
            return colours.size;
          }),
      )
      .toBeGreaterThan(3);
    await expect(page.getByTestId('vm-row')).toHaveCount(2, { timeout: 30_000 });
    const got = await page
      .getByTestId('vm-row')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.switchInsPerSec));
    expect(got).toEqual(cli.vms.map((v: Json) => String(v.switchInsPerSec)));
    for (const size of [
      { width: 1600, height: 900 },
      { width: 1280, height: 720 },
    ]) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `${SHOTS}/perfdata-report-${size.width}.png` });
    }
  });
});
