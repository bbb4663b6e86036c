// Frame-time benchmark of the map layer: draw N frames (LOD + ImageData write
// + put) at 1600×900 into a context, over a fixed sequence of windows (whole
// trace, then pans at 1/4, 1/16 and 1/64 of it), and report the median. The
// browser part of `npm run bench` passes an OffscreenCanvas context; in Node
// the FakeContext2D stands in (its putImageData copies the pixels, as a
// browser must).

import type { Run } from '../src/model/runs';
import type { Ctx2D } from '../src/render/canvas';
import { FakeContext2D } from '../src/testing/fakeContext';
import type { LaneMode } from '../src/render/lanes';
import type { Viewport } from '../src/render/viewport';
import { sceneOfRun } from '../src/testing/scenes';

export interface FrameBenchOptions {
  width?: number;
  height?: number;
  frames?: number;
  mode?: LaneMode;
  /** Context to draw into (canvas size must be width × height); default a FakeContext2D. */
  ctx?: Ctx2D;
  /** Clock in ms; default performance.now. */
  now?: () => number;
}

export interface FrameBenchResult {
  frames: number;
  width: number;
  height: number;
  lanes: number;
  switches: number;
  /** Building the slice index, lanes and every pyramid level (once per trace), ms. */
  prepareMs: number;
  medianMs: number;
  meanMs: number;
  p90Ms: number;
  maxMs: number;
  /** Per-frame times in draw order, ms. */
  samples: number[];
}

/** The i-th window of the benchmark sequence over a trace [t0, t1]. */
export function benchView(i: number, t0: number, t1: number): Viewport {
  const span = Math.max(1, t1 - t0);
  const zooms = [1, 1 / 4, 1 / 16, 1 / 64];
  const z = zooms[i % zooms.length];
  const w = span * z;
  // Golden-ratio steps spread the windows over the trace without repeating.
  const pos = ((i * 0.6180339887) % 1) * (span - w);
  return { start: t0 + pos, end: t0 + pos + w };
}

export function benchFrames(run: Run, opts: FrameBenchOptions = {}): FrameBenchResult {
  const width = opts.width ?? 1600;
  const height = opts.height ?? 900;
  const frames = opts.frames ?? 40;
  const now = opts.now ?? (() => performance.now());
  let ctx = opts.ctx;
  if (!ctx) {
    const fake = new FakeContext2D(width, height);
    fake.record = false;
    ctx = fake;
  }
  const p0 = now();
  const scene = sceneOfRun(run, { mode: opts.mode ?? 'cpu' });
  scene.prebuild();
  const layout = scene.layout(width, height);
  const { start, end } = scene.bounds();
  // Warm up (JIT, buffers) on windows outside the measured sequence.
  for (let i = 0; i < 4; i++) scene.drawMap(ctx, benchView(i + 1000, start, end), layout);
  const prepareMs = now() - p0;
  const samples: number[] = [];
  for (let i = 0; i < frames; i++) {
    const view = benchView(i, start, end);
    const a = now();
    scene.drawMap(ctx, view, layout);
    samples.push(now() - a);
  }
  const sorted = [...samples].sort((x, y) => x - y);
  const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 0;
  return {
    frames,
    width,
    height,
    lanes: scene.lanes.length,
    switches: run.model.switches.length,
    prepareMs,
    medianMs: sorted.length % 2 === 1 ? q(0.5) : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
    meanMs: samples.reduce((s, x) => s + x, 0) / Math.max(1, samples.length),
    p90Ms: q(0.9),
    maxMs: sorted[sorted.length - 1] ?? 0,
    samples,
  };
}
