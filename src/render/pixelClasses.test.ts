// The whole-trace rule of CPU lanes (pixelClasses.ts): a pixel shows the thread covering half of it, else
// the VM (class) covering half of it, else the mixed mark. Checked by hand on small lanes, against a
// brute-force reading of the raw slices on random models (exact pass, pyramid levels and the frame path
// through the pyramid). The talk-scale frame and its hit test: wholeTraceColors.test.ts.

import { describe, expect, it } from 'vitest';
import { PrevState, type TraceModel } from '../model/types';
import { computeLod, type LodLane } from './lod';
import { classOfDrawn, mixedValue, type ValueClasses } from './pixelClasses';
import { buildLevel, Pyramid } from './pyramid';
import { SliceIndex } from './sliceIndex';
import { builder, pixelSpan, randomFrames, randomModel, rng, sliceCoverage } from '../testing/models';
import { V_UNKNOWN } from './values';
import { indexOfModel } from '../testing/scenes';

const U = PrevState.Unknown;

function classesOf(taskCount: number, groups: Record<number, number>, count: number): ValueClasses {
  const ofValue = new Int32Array(taskCount).fill(-1);
  for (const [t, g] of Object.entries(groups)) ofValue[Number(t)] = g;
  return { ofValue, first: taskCount, count };
}

function lanesOf(idx: SliceIndex, classes: ValueClasses | null): LodLane[] {
  return idx.model.cpus.map((c) => ({ track: idx.cpuTrack(c), pyramid: null, classes }));
}

/** The rule by brute force over the raw slices of a CPU in [a, b). */
function bruteRule(m: TraceModel, cpu: number, a: number, b: number, c: ValueClasses): number {
  const { cov, known } = sliceCoverage(m, cpu, a, b);
  // Classes in the order their first value appears (ties go to the first, as the rule's do).
  const classCov = new Map<number, number>();
  for (const [v, d] of cov) {
    const g = c.ofValue[v];
    if (g >= 0) classCov.set(g, (classCov.get(g) ?? 0) + d);
  }
  const top = (map: Map<number, number>): [number, number] => {
    let best = -1;
    let bestCov = 0;
    for (const [k, v] of map)
      if (v > bestCov) {
        best = k;
        bestCov = v;
      }
    return [best, bestCov];
  };
  const [v, vc] = top(cov);
  const unknown = b - a - known;
  const half = (b - a) / 2;
  if (vc >= half || unknown >= half) return unknown > vc || v < 0 ? V_UNKNOWN : v;
  const [g, gc] = top(classCov);
  return g >= 0 && gc >= half ? c.first + g : mixedValue(c);
}

describe('a CPU-lane pixel no thread covers half of', () => {
  // Tasks: a, b of VM 0; c of VM 1; d of VM 2; h a host task; idle (0) a class of its own.
  const bld = builder();
  const a = bld.task(100, 'a', 0);
  const b = bld.task(101, 'b', 0);
  const c = bld.task(200, 'c', 0);
  const d = bld.task(300, 'd', 0);
  const h = bld.task(400, 'h', 0);
  // Pixel [0, 100): a 30, b 30, c 40. Pixel [100, 200): a 20, c 20, d 20, h 20, idle 20. Pixel [200, 300): c 55, a 45.
  const slices: [number, number][] = [
    [0, a],
    [30, b],
    [60, c],
    [100, a],
    [120, c],
    [140, d],
    [160, h],
    [180, 0],
    [200, c],
    [255, a],
  ];
  let prev = -1;
  for (const [t, task] of slices) {
    bld.addSwitch(t, 0, prev, U, task);
    prev = task;
  }
  bld.addSwitch(300, 0, prev, U, 0);
  const m = bld.finish();
  const idx = indexOfModel(m);
  const classes = classesOf(m.tasks.length, { [a]: 0, [b]: 0, [c]: 1, [d]: 2, [h]: 3 }, 4);

  it('shows the VM whose threads cover half of it, else the mixed mark; a thread covering half shows itself', () => {
    const lod = computeLod(lanesOf(idx, classes), 0, 300, 3);
    expect(Array.from(lod.value)).toEqual([classes.first + 0, mixedValue(classes), c]);
    expect(classOfDrawn(classes, lod.value[0])).toEqual({ kind: 'class', g: 0 });
    expect(classOfDrawn(classes, lod.value[1])).toEqual({ kind: 'mixed' });
    expect(classOfDrawn(classes, lod.value[2])).toEqual({ kind: 'value' });
    // Without classes (vCPU lanes): the largest value, as before.
    expect(Array.from(computeLod(lanesOf(idx, null), 0, 300, 3).value)).toEqual([c, a, c]);
  });

  it('gives the pyramid bucket the same answer, with the winning class’s share', () => {
    // Buckets of 64 ns from 0: [0, 64) is a 30, b 30, c 4 -> VM 0 with 60/64.
    const level = buildLevel(idx.cpuTrack(0), 6, 0, 300, classes);
    expect(level.dom[0]).toBe(classes.first + 0);
    expect(level.share[0]).toBe(Math.round((255 * 60) / 64));
  });
});

describe('the class rule on random models', () => {
  /** Random models with their tasks in 3 classes (idle alone). */
  function setup(seed: number): { m: TraceModel; idx: SliceIndex; classes: ValueClasses } {
    const m = randomModel(seed, 1500, 3, 7, seed % 3 === 0 ? 4 : 40);
    const r = rng(seed + 100);
    const groups: Record<number, number> = {};
    for (let t = 1; t < m.tasks.length; t++) groups[t] = Math.floor(r() * 3);
    return { m, idx: indexOfModel(m), classes: classesOf(m.tasks.length, groups, 3) };
  }

  it('the exact pass agrees with a brute-force reading for every pixel, at many zooms', () => {
    let drawnAsClass = 0;
    let drawnMixed = 0;
    for (let seed = 30; seed < 36; seed++) {
      const { m, idx, classes } = setup(seed);
      const lanes = lanesOf(idx, classes);
      for (const f of randomFrames(idx.t0, idx.t1, seed)) {
        const W = f.W;
        const lod = computeLod(lanes, f.t0, f.t1, W, { exact: true });
        m.cpus.forEach((cpu, l) => {
          for (let x = 0; x < W; x++) {
            const [a, b] = pixelSpan(f, x);
            const v = lod.value[l * W + x];
            expect(v).toBe(bruteRule(m, cpu, a, b, classes));
            const k = classOfDrawn(classes, v).kind;
            if (k === 'class') drawnAsClass++;
            if (k === 'mixed') drawnMixed++;
          }
        });
      }
    }
    // Both outcomes occur (the check is not vacuous).
    expect(drawnAsClass).toBeGreaterThan(100);
    expect(drawnMixed).toBeGreaterThan(100);
  });

  it('pyramid levels hold the rule per bucket, and the frame path through them answers as the exact pass', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const { m, idx, classes } = setup(seed);
      for (const cpu of m.cpus) {
        const track = idx.cpuTrack(cpu);
        const pyr = new Pyramid(track, idx.t0, idx.t1, classes);
        for (const shift of new Set([pyr.minShift, pyr.minShift + 1, pyr.maxShift])) {
          const level = pyr.level(shift);
          const t0 = level.first * level.size;
          const t1 = t0 + level.n * level.size;
          const exact = computeLod([{ track, pyramid: null, classes }], t0, t1, level.n, { exact: true });
          expect(Array.from(level.dom)).toEqual(Array.from(exact.value));
          const via = computeLod([{ track, pyramid: pyr, classes }], t0, t1, level.n, { exactPerPixel: 0 });
          expect(via.levelOf[0]).toBe(shift);
          expect(Array.from(via.value)).toEqual(Array.from(exact.value));
        }
      }
    }
  });

  it('leaves a pyramid without classes as it was (the dominant value)', () => {
    const { idx } = setup(3);
    const track = idx.cpuTrack(0);
    const plain = buildLevel(track, 5, idx.t0, idx.t1);
    const exact = computeLod([{ track, pyramid: null }], plain.first * 32, (plain.first + plain.n) * 32, plain.n, {
      exact: true,
    });
    expect(Array.from(plain.dom)).toEqual(Array.from(exact.value));
    expect(Math.max(...plain.dom)).toBeLessThan(idx.model.tasks.length);
  });
});
