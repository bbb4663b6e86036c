// Browser part of `npm run bench`, in real headless Chromium (Playwright):
//  - frameMsSmall / frameMsLarge: map redraw at 1600x900 for a 10k- and a
//    10M-switch generated trace (median of 60 frames over several zooms);
//  - firstMapMs: from handing a 100 MB trace to the app's file input to the
//    first drawn map (the built app served from this machine), with the
//    longest main-thread task meanwhile and the page's JS heap after;
//  - the same for a 1 GB trace: it must load without the tab running out of memory;
//  - cancelToStopMs: Cancel pressed during a big parse to the worker's word that it stopped;
//  - two 1 GB traces side by side: the tab's memory (its renderer process, page and worker) against
//    the model's size (once per run is the goal).

import { chromium, type Browser } from '@playwright/test';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileSource } from '../src/cli/loadFiles';
import { cpuSlicesBuffers, groupSlicesByCpu } from '../src/model/cpuSlices';
import { parseTrace } from '../src/parse/parseInput';
import { generateFile, modelBytes } from './parseBench';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function chromiumPath(): string | null {
  for (const p of [process.env.SCHEDMAP_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (p && existsSync(p)) return p;
  return null;
}

async function launch(extra: string[] = []): Promise<Browser> {
  const executablePath = chromiumPath() ?? undefined;
  return chromium.launch({ executablePath, args: [...ARGS, ...extra] });
}

export interface FrameBenchResult {
  frameMsSmall: number;
  frameMsLarge: number;
  /** Means of the same frames: Chromium's performance.now() is coarsened to 0.1 ms, so medians move in 0.1 ms steps. */
  meanSmall: number;
  meanLarge: number;
  p90Small: number;
  p90Large: number;
}

export async function frameBench(): Promise<FrameBenchResult> {
  const out = await build({
    entryPoints: ['bench/frameBench.entry.ts'],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'warning',
  });
  const script = out.outputFiles[0].text;
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>frame bench</title>');
    await page.addScriptTag({ content: script });
    const small = await page.evaluate(() => window.schedmapFrameBench(10_000));
    const large = await page.evaluate(() => window.schedmapFrameBench(10_000_000));
    return {
      frameMsSmall: small.medianMs,
      frameMsLarge: large.medianMs,
      meanSmall: small.meanMs,
      meanLarge: large.meanMs,
      p90Small: small.p90Ms,
      p90Large: large.p90Ms,
    };
  } finally {
    await browser.close();
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

export interface LoadBenchResult {
  /** From handing the file to the app's input to the first drawn map, ms. */
  firstMapMs: number;
  /** Longest main-thread task (PerformanceObserver longtask) during the load, ms: how responsive the page stayed. */
  longestTaskMs: number;
  /** JS heap of the page after the load (Chromium, precise memory info), MB. */
  heapMB: number | null;
  bytes: number;
  switches: number;
}

/** The built app the browser parts load (BENCH_DIST: another build, e.g. a copy made before editing). */
const DIST = process.env.BENCH_DIST ?? 'dist';

/** Serve a built app folder on a free port of this machine. */
async function serve(dist: string = DIST): Promise<{ url: string; close: () => void }> {
  if (dist === 'dist' && !existsSync('dist/index.html'))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const server = createServer((req, res) => {
    const rel =
      normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '') ||
      'index.html';
    const file = join(dist, rel);
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** Wait until every pane's map canvas shows something (the first drawn map of each). */
async function mapsDrawn(page: import('@playwright/test').Page, panes: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const cs = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="sched-map"]')];
      if (cs.length < n) return false;
      return cs.every((c) => {
        if (c.width === 0) return false;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4 * 211) if (d[i] + d[i + 1] + d[i + 2] > 120) return true;
        return false;
      });
    },
    panes,
    { timeout: 1_200_000, polling: 50 },
  );
}

/** Load a generated perf script trace of `targetMB` into the built app, in Chromium. */
export async function loadBench(targetMB: number): Promise<LoadBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-load-'));
  const { path, switches } = generateFile(dir, 'script', targetMB * 1e6);
  const server = await serve();
  const browser = await launch(['--enable-precise-memory-info']);
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}#nosample`);
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const t0 = Date.now();
    await page.getByTestId('trace-input').setInputFiles(path);
    await page.getByTestId('trace-summary').waitFor({ timeout: 1_200_000 });
    await mapsDrawn(page, 1);
    const firstMapMs = Date.now() - t0;
    const longestTaskMs = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
    );
    return {
      firstMapMs,
      longestTaskMs,
      heapMB: heap === null ? null : heap / 1e6,
      bytes: statSync(path).size,
      switches,
    };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Cancel pressed while a `targetMB` perf script trace parses (once a fraction `at` of it is read): the
 * time until the worker says it stopped (the app's cancelled note), ms, and how much it had read.
 */
export async function cancelBench(targetMB: number, at: number): Promise<{ stopMs: number; readFraction: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-cancel-'));
  const { path } = generateFile(dir, 'script', targetMB * 1e6);
  const server = await serve();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}#nosample`);
    await page.getByTestId('trace-input').setInputFiles(path);
    await page.waitForFunction(
      (f) => {
        const p = document.querySelector<HTMLProgressElement>('[data-testid="parse-progress"] progress');
        return p !== null && p.value / p.max >= f;
      },
      at,
      { timeout: 600_000, polling: 20 },
    );
    await page.getByTestId('parse-progress').getByRole('button', { name: 'Cancel' }).click();
    const note = page.getByTestId('parse-cancelled');
    await note.waitFor({ timeout: 60_000 });
    return {
      stopMs: Number(await note.getAttribute('data-stop-ms')),
      readFraction: Number(await note.getAttribute('data-bytes-read')) / statSync(path).size,
    };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PairMemoryResult {
  bytesPerTrace: number;
  switchesPerTrace: number;
  /** The model of one run as Node holds it (parseBench's modelBytes), MB. */
  modelMB: number;
  /** What the page gets of one run to draw (its slices grouped by CPU), MB. */
  drawnMB: number;
  /** Resident memory of the tab's renderer processes (page and its workers), MB, after both maps are up. */
  rendererMB: number;
  /** The same right after the empty app loaded: what the tab costs without traces. */
  emptyMB: number;
  loadMs: number;
  /** The highest resident MB of the renderer processes while the two traces loaded. */
  peakMB: number;
  /** Where the tab's memory is, per JS context (page, each worker), after a full GC: with the traces and empty. */
  heaps: ContextMemory[];
  emptyHeaps: ContextMemory[];
  /** Chromium's memory-infra view of the same, by allocator (see allocatorMB), with the traces and empty. */
  allocators: Record<string, number>;
  emptyAllocators: Record<string, number>;
  /** Renderer resident MB after those GCs (rendererMB is before them, as the tab is left). */
  rendererAfterGcMB: number;
}

/** One JS context's memory as V8 reports it (CDP Runtime.getHeapUsage), MB. */
export interface ContextMemory {
  /** 'page', or 'worker N' (the app's workers in the browser's order; the model worker is its only one). */
  context: string;
  /** Live objects on the V8 heap (strings, arrays of objects, closures). */
  jsHeapMB: number;
  /** What the heap has reserved from the system (used plus free space in its pages). */
  jsHeapTotalMB: number;
  /** Backing stores of ArrayBuffers (typed-array columns): outside the JS heap. */
  arrayBuffersMB: number;
  /** Blink's own heap (DOM nodes, canvases' objects; not their pixels). */
  embedderMB: number;
}

/** CPU time (ms) the browser's renderer processes have used so far (Linux /proc, utime + stime). */
async function rendererCpuMs(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  let ticks = 0;
  for (const p of info.processInfo) {
    if (p.type !== 'renderer') continue;
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${p.id}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Wait (at least 2 s, at most 2 min) until the renderers used under 5 % of a core over the last second. */
async function tabIdle(browser: Browser): Promise<void> {
  const t0 = Date.now();
  let last = await rendererCpuMs(browser);
  let quiet = 0;
  while (Date.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await rendererCpuMs(browser);
    quiet = now - last <= 25 ? quiet + 1 : 0;
    last = now;
    if (quiet >= 2 && Date.now() - t0 >= 2000) return;
  }
}

/** Resident MB of the browser's renderer processes (Linux /proc), by the browser's own list of them. */
async function rendererMB(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  let kb = 0;
  for (const p of info.processInfo) {
    if (p.type !== 'renderer') continue;
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
    if (m) kb += Number(m[1]);
  }
  await cdp.detach();
  return kb / 1024;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

/**
 * Memory of the page and of each of its workers, after a full GC in each. A worker's target is reached
 * through the page's CDP session (Target.attachToTarget, unflattened: Playwright's session sends to one target).
 */
async function contextMemory(page: import('@playwright/test').Page): Promise<ContextMemory[]> {
  const cdp = await page.context().newCDPSession(page);
  const mb = (n: number | undefined): number => (n ?? 0) / 2 ** 20;
  const of = (context: string, h: HeapUsage): ContextMemory => ({
    context,
    jsHeapMB: mb(h.usedSize),
    jsHeapTotalMB: mb(h.totalSize),
    arrayBuffersMB: mb(h.backingStorageSize),
    embedderMB: mb(h.embedderHeapUsedSize),
  });
  try {
    // Twice, a moment apart: array buffers die in a GC but are freed by a sweep that runs after it.
    for (const wait of [300, 300]) {
      await cdp.send('HeapProfiler.collectGarbage');
      await new Promise((r) => setTimeout(r, wait));
    }
    const out = [of('page', (await cdp.send('Runtime.getHeapUsage')) as HeapUsage)];
    const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
    let nextId = 1;
    cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const done = m.id === undefined ? undefined : pending.get(m.id);
      if (done) {
        pending.delete(m.id as number);
        done(m);
      }
    });
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { type: string; targetId: string }[];
    };
    for (const t of targetInfos.filter((x) => x.type === 'worker')) {
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as {
        sessionId: string;
      };
      const send = (method: string): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
          void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
        });
      for (const wait of [300, 300]) {
        await send('HeapProfiler.collectGarbage');
        await new Promise((r) => setTimeout(r, wait));
      }
      out.push(of(`worker ${out.length}`, (await send('Runtime.getHeapUsage')) as HeapUsage));
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/**
 * The renderer processes' memory by allocator, as Chromium's memory-infra dump reports it (MB): V8's heaps,
 * PartitionAlloc's partitions (array buffers, Blink's buffers, malloc), Skia, cc. Sizes are what each
 * allocator has taken from the system (including its free space), summed over renderer processes.
 */
async function allocatorMB(browser: Browser): Promise<Record<string, number>> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const chunks: string[] = [];
    const done = new Promise<string>((resolve) =>
      cdp.on('Tracing.tracingComplete', (e: { stream?: string }) => resolve(e.stream ?? '')),
    );
    await cdp.send('Tracing.start', {
      transferMode: 'ReturnAsStream',
      traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], excludedCategories: ['*'] },
    } as never);
    await cdp.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' } as never);
    await cdp.send('Tracing.end');
    const handle = await done;
    for (;;) {
      const r = (await cdp.send('IO.read', { handle } as never)) as { data: string; eof: boolean; base64Encoded?: boolean };
      chunks.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString() : r.data);
      if (r.eof) break;
    }
    await cdp.send('IO.close', { handle } as never);
    const text = chunks.join('');
    const events = (JSON.parse(text) as { traceEvents: TraceEvent[] }).traceEvents;
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    const renderers = new Set(info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id));
    const out: Record<string, number> = {};
    for (const e of events) {
      if (e.ph !== 'v' || !renderers.has(e.pid)) continue;
      for (const [name, a] of Object.entries(e.args?.dumps?.allocators ?? {})) {
        const size = a.attrs?.size?.value;
        // The allocators themselves, and PartitionAlloc's partitions (array buffers are one of them).
        const depth = name.split('/').length;
        if (size === undefined || (depth > 1 && !(depth === 3 && name.startsWith('partition_alloc/partitions/'))))
          continue;
        out[name] = (out[name] ?? 0) + parseInt(size, 16) / 2 ** 20;
      }
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

interface TraceEvent {
  ph: string;
  pid: number;
  args?: { dumps?: { allocators?: Record<string, { attrs?: { size?: { value: string } } }> } };
}

/** Two `targetMB` traces side by side in the app built in `dist`: the tab's memory against the models'. */
export async function pairMemoryBench(targetMB: number, dist = DIST): Promise<PairMemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-pair-'));
  const { path, switches } = generateFile(dir, 'script', targetMB * 1e6);
  const second = join(dir, 'bench-script-b.txt');
  copyFileSync(path, second);
  const model = await parseTrace(fileSource(path));
  const modelMB = modelBytes(model) / 2 ** 20;
  const drawnMB = cpuSlicesBuffers(groupSlicesByCpu(model)).reduce((s, b) => s + b.byteLength, 0) / 2 ** 20;
  const server = await serve(dist);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}#nosample`);
    await page.getByTestId('trace-input').waitFor({ state: 'attached' });
    const emptyMB = await rendererMB(browser);
    const emptyHeaps = await contextMemory(page);
    const emptyAllocators = await allocatorMB(browser);
    // The highest resident memory while the two load (sampled every 100 ms): what must fit for them to open.
    let peakMB = emptyMB;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakMB = Math.max(peakMB, await rendererMB(browser));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = Date.now();
    await page.getByTestId('trace-input').setInputFiles([path, second]);
    await mapsDrawn(page, 2);
    const loadMs = Date.now() - t0;
    sampling = false;
    await sampler;
    // Let the panels' first analyses land (their results are part of what the tab holds, their scratch
    // arrays are not): until the tab's processes are idle.
    await tabIdle(browser);
    const loadedMB = await rendererMB(browser);
    const heaps = await contextMemory(page);
    return {
      bytesPerTrace: statSync(path).size,
      switchesPerTrace: switches,
      modelMB,
      drawnMB,
      rendererMB: loadedMB,
      emptyMB,
      loadMs,
      peakMB,
      heaps,
      emptyHeaps,
      rendererAfterGcMB: await rendererMB(browser),
      allocators: await allocatorMB(browser),
      emptyAllocators,
    };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
