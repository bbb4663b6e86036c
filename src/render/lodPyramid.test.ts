import { describe, expect, it } from 'vitest';
import { computeLod, pixelTime, type LodLane } from './lod';
import { columnSpans, pyramidLanes } from './lodPyramid';
import { Pyramid, type PyramidLevel } from './pyramid';
import { randomModel, rng } from '../testing/models';
import { V_UNKNOWN } from './values';
import { indexOfModel } from '../testing/scenes';

/** A level of random buckets: few distinct values (so neighbours often agree), any share. */
function randomLevel(r: () => number, shift: number, first: number, n: number): PyramidLevel {
  const dom = new Int32Array(n);
  const share = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    dom[i] = Math.floor(r() * 4) - 1; // V_UNKNOWN or 0..2
    share[i] = Math.floor(r() * 256);
  }
  return { shift, size: 2 ** shift, first, n, dom, share };
}

/**
 * The documented rule by brute force over [a, b): each bucket weighs its dominant value's share times its
 * overlap (time outside the level: unknown, share 1), equal values add. The heaviest value and the gap to
 * the next heaviest other value (near-ties are left out of the comparison: weights are rounded).
 */
function heaviest(level: PyramidLevel, a: number, b: number): { value: number; margin: number } {
  const weight = new Map<number, number>();
  for (let bk = Math.floor(a / level.size); bk * level.size < b; bk++) {
    const d = Math.min(b, (bk + 1) * level.size) - Math.max(a, bk * level.size);
    if (d <= 0) continue;
    const i = bk - level.first;
    const inside = i >= 0 && i < level.n;
    const v = inside ? level.dom[i] : V_UNKNOWN;
    weight.set(v, (weight.get(v) ?? 0) + (d * (inside ? level.share[i] : 255)) / 255);
  }
  const sorted = [...weight].sort((x, y) => y[1] - x[1]);
  return { value: sorted[0][0], margin: sorted[0][1] - (sorted[1]?.[1] ?? 0) };
}

describe('pyramid level of detail', () => {
  it('picks the heaviest value of the buckets under each column, two lanes at a time (random levels)', () => {
    const r = rng(11);
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const shift = 4 + Math.floor(r() * 6);
      const size = 2 ** shift;
      const first = Math.floor(r() * 50);
      const n = 100 + Math.floor(r() * 200);
      const a = randomLevel(r, shift, first, n);
      const b = randomLevel(r, shift, first, n);
      const width = 5 + Math.floor(r() * 150);
      // Mostly 1–2 buckets per pixel (the 1–3 bucket columns); some wider, reaching past the level.
      const pixel = size * (trial % 5 === 0 ? 0.5 + r() * 6 : 1 + r());
      const t0 = (first - 3 + r() * n * 0.3) * size;
      const t1 = t0 + pixel * width;
      const ed = new Float64Array(width + 1);
      for (let x = 0; x <= width; x++) ed[x] = pixelTime(t0, t1, width, x);
      const out = new Int32Array(2 * width).fill(-99);
      pyramidLanes(a, b, columnSpans(a, ed, width), ed, out, 0, width);
      [a, b].forEach((level, l) => {
        for (let x = 0; x < width; x++) {
          const want = heaviest(level, ed[x], ed[x + 1]);
          if (want.margin <= 1e-3 * (ed[x + 1] - ed[x])) continue;
          compared++;
          expect(out[l * width + x]).toBe(want.value);
        }
      });
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('reads every lane as it would alone: pairs, an odd one out, exact lanes and other geometries between', () => {
    const m = randomModel(3, 40_000, 6, 8, 30);
    const idx = indexOfModel(m);
    const lanes: LodLane[] = m.cpus.map((cpu, i) => {
      const track = idx.cpuTrack(cpu);
      // Lane 2 reads exactly; lane 4's pyramid starts elsewhere, so its buckets sit differently.
      if (i === 2) return { track, pyramid: null };
      return { track, pyramid: new Pyramid(track, i === 4 ? idx.t0 - 777 : idx.t0, idx.t1) };
    });
    const width = 211;
    for (const [t0, t1] of [
      [idx.t0, idx.t1],
      [idx.t0 + 1000, idx.t0 + (idx.t1 - idx.t0) * 0.7],
    ]) {
      const all = computeLod(lanes, t0, t1, width);
      expect(Array.from(all.levelOf).filter((s) => s >= 0)).toHaveLength(5);
      lanes.forEach((lane, l) => {
        const alone = computeLod([lane], t0, t1, width);
        expect(Array.from(all.value.subarray(l * width, (l + 1) * width))).toEqual(Array.from(alone.value));
      });
    }
  });
});
