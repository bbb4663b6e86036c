// Hand-made and random models for the tests (not used by the app).

import { TraceBuilder } from '../model/builder';
import { PrevState, type TraceModel } from '../model/types';

export function builder(hasStates = true): TraceBuilder {
  const b = new TraceBuilder('perf-script');
  b.hasStates = hasStates;
  return b;
}

/** Deterministic PRNG for random models. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random model: `cpus` CPUs, `tasks` normal tasks plus idle, `switches` switches at integer times
 * with random gaps (ties and zero-length slices included), so migrations and unknown gaps occur.
 */
export function randomModel(seed: number, switches: number, cpus = 3, tasks = 6, maxGap = 40): TraceModel {
  const r = rng(seed);
  const b = builder(true);
  const ids = [0];
  for (let i = 0; i < tasks; i++) ids.push(b.task(100 + i, `task-${i}`, 0));
  const running = new Int32Array(cpus);
  let t = Math.floor(r() * 50);
  for (let i = 0; i < switches; i++) {
    t += Math.floor(r() * maxGap);
    const cpu = Math.floor(r() * cpus);
    const next = ids[Math.floor(r() * ids.length)];
    b.addSwitch(t, cpu, running[cpu], r() < 0.5 ? PrevState.Preempted : PrevState.Sleeping, next);
    running[cpu] = next;
  }
  return b.finish();
}

/** A window of W pixels over [t0, t1), as a frame draws it. */
export interface Frame {
  t0: number;
  t1: number;
  W: number;
}

/**
 * `count` random frames over a trace's [t0, t1] (some starting before it, 5-204 pixels wide): the
 * zooms at which the level-of-detail tests compare each pixel with a brute-force reading.
 */
export function randomFrames(t0: number, t1: number, seed: number, count = 6): Frame[] {
  const r = rng(seed);
  const span = t1 - t0;
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const a = t0 - 20 + r() * span * 0.5;
    const b = a + 10 + r() * span * 0.6;
    frames.push({ t0: a, t1: b, W: 5 + Math.floor(r() * 200) });
  }
  return frames;
}

/** Pixel x's [a, b) in frame f (the last pixel ends exactly at t1). */
export function pixelSpan(f: Frame, x: number): [number, number] {
  const a = f.t0 + ((f.t1 - f.t0) * x) / f.W;
  const b = x + 1 === f.W ? f.t1 : f.t0 + ((f.t1 - f.t0) * (x + 1)) / f.W;
  return [a, b];
}

/**
 * Time each value (task) runs on a CPU in [a, b), by brute force over the raw slices, in the order
 * the values first appear, and the time known at all: the oracle of the level-of-detail tests.
 */
export function sliceCoverage(
  m: TraceModel,
  cpu: number,
  a: number,
  b: number,
): { cov: Map<number, number>; known: number } {
  const cov = new Map<number, number>();
  let known = 0;
  for (let i = 0; i < m.switches.length; i++) {
    if (m.switches.cpu[i] !== cpu) continue;
    const d = Math.min(b, m.slices.end[i]) - Math.max(a, m.switches.time[i]);
    if (d <= 0) continue;
    const v = m.switches.next[i];
    cov.set(v, (cov.get(v) ?? 0) + d);
    known += d;
  }
  return { cov, known };
}
