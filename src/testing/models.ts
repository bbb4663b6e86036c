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
