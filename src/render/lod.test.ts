import { describe, expect, it } from 'vitest';
import { PrevState } from '../model/types';
import { computeLod, type LodLane } from './lod';
import { Pyramid, buildLevel } from './pyramid';
import {
  SliceIndex,
  countTouching,
  endOf,
  firstEndAfter,
  firstStartAtOrAfter,
  startOf,
  valueOf,
  type Track,
} from './sliceIndex';
import { builder, pixelSpan, randomFrames, randomModel, rng, sliceCoverage } from '../testing/models';
import { V_UNKNOWN } from './values';
import { indexOfModel } from '../testing/scenes';

const U = PrevState.Unknown;

/** Exact lanes (no pyramid) for every CPU of a model. */
function cpuLanes(idx: SliceIndex): LodLane[] {
  return idx.model.cpus.map((c) => ({ track: idx.cpuTrack(c), pyramid: null }));
}

function row(values: Int32Array, lane: number, width: number): number[] {
  return Array.from(values.subarray(lane * width, (lane + 1) * width));
}

describe('exact level of detail', () => {
  it('picks the task covering most of each pixel (two CPUs, three slices, 10 px)', () => {
    const b = builder();
    const A = b.task(100, 'a', 0);
    const B = b.task(200, 'b', 0);
    const C = b.task(300, 'c', 0);
    b.addSwitch(0, 0, -1, U, A); // CPU0: a [0, 34)
    b.addSwitch(20, 1, -1, U, C); // CPU1: unknown [0, 20), c [20, 100)
    b.addSwitch(34, 0, A, PrevState.Preempted, B); // CPU0: b [34, 100)
    b.addSwitch(100, 0, B, PrevState.Sleeping, 0); // trace end
    const idx = indexOfModel(b.finish());
    const lod = computeLod(cpuLanes(idx), 0, 100, 10);
    // Pixel 3 is [30, 40): a covers 4 ns, b 6 ns.
    expect(row(lod.value, 0, 10)).toEqual([A, A, A, B, B, B, B, B, B, B]);
    const u = V_UNKNOWN;
    expect(row(lod.value, 1, 10)).toEqual([u, u, C, C, C, C, C, C, C, C]);
  });

  it('breaks a tie towards the slice that came first in the pixel, never at random', () => {
    const b = builder();
    const A = b.task(100, 'a', 0);
    const B = b.task(200, 'b', 0);
    b.addSwitch(0, 0, -1, U, A);
    b.addSwitch(35, 0, A, U, B);
    b.addSwitch(45, 0, B, U, A);
    b.addSwitch(100, 0, A, U, 0);
    const idx = indexOfModel(b.finish());
    const lod = computeLod(cpuLanes(idx), 0, 100, 10);
    // [30, 40): a 5, b 5 -> a. [40, 50): b 5, a 5 -> b.
    expect(row(lod.value, 0, 10).slice(2, 6)).toEqual([A, A, B, A]);
  });

  it('keeps unknown time apart from idle: before a CPU first switches and after a migration', () => {
    const b = builder();
    const X = b.task(100, 'x', 0);
    const Y = b.task(200, 'y', 0);
    b.addSwitch(0, 0, -1, U, 0); // CPU0 idle [0, 30)
    b.addSwitch(30, 0, 0, U, X); // CPU0 x [30, 50): ended by x switching in on CPU1
    b.addSwitch(50, 1, -1, U, X); // CPU1 x [50, 100)
    b.addSwitch(80, 0, -1, U, Y); // CPU0 unknown [50, 80), y [80, 100)
    b.addSwitch(100, 1, X, PrevState.Sleeping, 0);
    const idx = indexOfModel(b.finish());
    const lod = computeLod(cpuLanes(idx), 0, 100, 10);
    const u = V_UNKNOWN;
    expect(row(lod.value, 0, 10)).toEqual([0, 0, 0, X, X, u, u, u, Y, Y]);
    expect(row(lod.value, 1, 10)).toEqual([u, u, u, u, u, X, X, X, X, X]);
    // A window reaching past the trace is unknown there.
    const wide = computeLod(cpuLanes(idx), 50, 150, 10);
    expect(row(wide.value, 0, 10)).toEqual([u, u, u, Y, Y, u, u, u, u, u]);
  });

  it('lets unknown time win a pixel only when it covers more than any task', () => {
    const b = builder();
    const A = b.task(100, 'a', 0);
    b.addSwitch(6, 0, -1, U, A); // a from 6: pixel [0, 10) is 6 unknown, 4 a
    b.addSwitch(14, 0, A, U, 0); // idle from 14
    b.addSwitch(20, 0, 0, U, 0);
    const idx = indexOfModel(b.finish());
    const lod = computeLod(cpuLanes(idx), 0, 20, 2);
    // [0, 10): unknown 6 > a 4. [10, 20): a 4, idle 6 -> idle.
    expect(row(lod.value, 0, 2)).toEqual([V_UNKNOWN, 0]);
  });

  it('counts every slice touching a pixel (for the hit test), as a brute-force count does', () => {
    const m = randomModel(7, 2000, 2, 5, 12);
    const idx = indexOfModel(m);
    const t0 = 500;
    const t1 = 9000;
    const W = 37;
    m.cpus.forEach((cpu) => {
      for (let x = 0; x < W; x++) {
        const a = t0 + ((t1 - t0) * x) / W;
        const bEdge = x + 1 === W ? t1 : t0 + ((t1 - t0) * (x + 1)) / W;
        let n = 0;
        for (let i = 0; i < m.switches.length; i++) {
          if (m.switches.cpu[i] !== cpu) continue;
          const s = m.switches.time[i];
          const e = m.slices.end[i];
          if (s < bEdge && (e > a || (e === s && s >= a))) n++;
        }
        expect(countTouching(idx.cpuTrack(cpu), a, bEdge)).toBe(n);
      }
    });
  });
});

/** The dominant value of [a, b) on a CPU by brute force over the raw slices (ties: first to appear). */
function bruteDominant(m: ReturnType<typeof randomModel>, cpu: number, a: number, b: number): number {
  const { cov, known } = sliceCoverage(m, cpu, a, b);
  let best = V_UNKNOWN;
  let bestCov = 0;
  for (const [v, c] of cov)
    if (c > bestCov) {
      best = v;
      bestCov = c;
    }
  return b - a - known > bestCov ? V_UNKNOWN : best;
}

describe('exact level of detail on random models', () => {
  it('agrees with a brute-force dominant for every pixel, at many zooms', () => {
    for (let seed = 20; seed < 26; seed++) {
      const m = randomModel(seed, 600, 3, 5, seed % 2 === 0 ? 15 : 60);
      const idx = indexOfModel(m);
      const lanes = cpuLanes(idx);
      for (const f of randomFrames(idx.t0, idx.t1, seed)) {
        const W = f.W;
        const lod = computeLod(lanes, f.t0, f.t1, W, { exact: true });
        m.cpus.forEach((cpu, l) => {
          for (let x = 0; x < W; x++) {
            const [a, b] = pixelSpan(f, x);
            expect(lod.value[l * W + x]).toBe(bruteDominant(m, cpu, a, b));
          }
        });
      }
    }
  });
});

/** Time of [a, b) a track spends on value v (V_UNKNOWN: time no interval covers), interval by interval. */
function coverage(track: Track, a: number, b: number, v: number): number {
  let on = 0;
  let known = 0;
  for (let k = firstEndAfter(track, a); k < track.n && startOf(track, k) < b; k++) {
    const d = Math.min(b, endOf(track, k)) - Math.max(a, startOf(track, k));
    if (d <= 0) continue;
    known += d;
    if (valueOf(track, k) === v) on += d;
  }
  return v === V_UNKNOWN ? b - a - known : on;
}

describe('pyramid', () => {
  it('answers exactly like the exact pass for pixels aligned to its buckets (random models)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const m = randomModel(seed, 1500, 3, 6, seed % 3 === 0 ? 4 : 40);
      const idx = indexOfModel(m);
      for (const cpu of m.cpus) {
        const track = idx.cpuTrack(cpu);
        const pyr = new Pyramid(track, idx.t0, idx.t1);
        const shifts = new Set([2, 5, pyr.minShift, pyr.minShift + 1, pyr.maxShift]);
        for (const shift of shifts) {
          const level =
            shift >= pyr.minShift && shift <= pyr.maxShift
              ? pyr.level(shift)
              : buildLevel(track, shift, idx.t0, idx.t1);
          const t0 = level.first * level.size;
          const t1 = t0 + level.n * level.size;
          const exact = computeLod([{ track, pyramid: null }], t0, t1, level.n, { exact: true });
          expect(Array.from(level.dom)).toEqual(Array.from(exact.value));
          for (let i = 0; i < level.n; i++) {
            const a = t0 + i * level.size;
            const share = (255 * coverage(track, a, a + level.size, level.dom[i])) / level.size;
            expect(Math.abs(level.share[i] - share)).toBeLessThanOrEqual(0.5);
          }
          if (shift < pyr.minShift || shift > pyr.maxShift) continue;
          // The frame path through the pyramid (fast and general columns) gives the same answer.
          const viaPyramid = computeLod([{ track, pyramid: pyr }], t0, t1, level.n, { exactPerPixel: 0 });
          expect(viaPyramid.levelOf[0]).toBe(shift);
          expect(Array.from(viaPyramid.value)).toEqual(Array.from(exact.value));
        }
      }
    }
  });

  it('matches the exact pass inside phases on unaligned frames', () => {
    // Phases of 1000 ns, each dominated by one task (17 ns runs, 3 ns idle); pixels of 97 ns.
    const b = builder();
    const tasks = [b.task(100, 'a', 0), b.task(200, 'b', 0), b.task(300, 'c', 0)];
    const phase = 1000;
    for (let p = 0; p < 40; p++)
      for (let t = 0; t < phase; t += 20) {
        b.addSwitch(p * phase + t, 0, -1, U, tasks[p % 3]);
        b.addSwitch(p * phase + t + 17, 0, -1, U, 0);
      }
    b.addSwitch(40 * phase, 0, 0, U, 0);
    const idx = indexOfModel(b.finish());
    const track = idx.cpuTrack(0);
    const lanes = [{ track, pyramid: new Pyramid(track, idx.t0, idx.t1) }];
    const t0 = 1234.5;
    const W = 300;
    const t1 = t0 + 97 * W;
    const viaPyramid = computeLod(lanes, t0, t1, W);
    const exact = computeLod(lanes, t0, t1, W, { exact: true });
    expect(viaPyramid.levelOf[0]).toBeGreaterThanOrEqual(0);
    let compared = 0;
    for (let x = 0; x < W; x++) {
      const a = t0 + 97 * x;
      const nearBoundary = Math.floor((a - 97) / phase) !== Math.floor((a + 2 * 97) / phase);
      if (nearBoundary) continue;
      compared++;
      expect(viaPyramid.value[x]).toBe(exact.value[x]);
    }
    expect(compared).toBeGreaterThan(W / 2);
  });

  it('bounds from below how many intervals a window shows, from its counts (random windows)', () => {
    const m = randomModel(9, 20_000, 2, 6, 30);
    const idx = indexOfModel(m);
    const track = idx.cpuTrack(m.cpus[0]);
    const pyr = new Pyramid(track, idx.t0, idx.t1);
    const visible = (t0: number, t1: number): number => firstStartAtOrAfter(track, t1) - firstEndAfter(track, t0);
    const r = rng(4);
    const span = idx.t1 - idx.t0;
    for (let i = 0; i < 300; i++) {
      const t0 = idx.t0 - 0.1 * span + r() * span;
      const t1 = t0 + r() * r() * span;
      expect(pyr.minVisible(t0, t1)).toBeLessThanOrEqual(Math.max(0, visible(t0, t1)));
    }
    // Windows over many count cells are told at once (the trace's last instant is a count edge).
    expect(pyr.minVisible(idx.t0 - 1, idx.t1 + 1)).toBe(firstStartAtOrAfter(track, idx.t1));
    const half = visible(idx.t0, idx.t0 + span / 2);
    expect(pyr.minVisible(idx.t0, idx.t0 + span / 2)).toBeGreaterThan(0.95 * half);
  });

  it('is chosen for dense lanes only, so a frame costs pixels, not slices', () => {
    const m = randomModel(5, 60_000, 1, 8, 10);
    const idx = indexOfModel(m);
    const track = idx.cpuTrack(m.cpus[0]);
    const lanes = [{ track, pyramid: new Pyramid(track, idx.t0, idx.t1) }];
    const full = computeLod(lanes, idx.t0, idx.t1, 400);
    expect(full.levelOf[0]).toBeGreaterThanOrEqual(0);
    const zoomed = computeLod(lanes, idx.t0 + 1000, idx.t0 + 3000, 400);
    expect(zoomed.levelOf[0]).toBe(-1);
  });
});
