// The clip of intervals at a paste's gaps (gapClip.ts) on hand-made gap tables: overlapping and touching
// marks merge, an interval counts only its part outside them, and its pieces tile that part.

import { describe, expect, it } from 'vitest';
import type { GapTable } from '../model/types';
import { GapClip, gapClipOf } from './gapClip';

function table(rows: [number, number][]): GapTable {
  return {
    length: rows.length,
    start: Float64Array.from(rows, (r) => r[0]),
    end: Float64Array.from(rows, (r) => r[1]),
    line: Int32Array.from(rows, (_, i) => i + 1),
    mark: rows.map(() => '[...]'),
  };
}

function pieces(clip: GapClip, a: number, b: number): [number, number][] {
  const out: [number, number][] = [];
  clip.pieces(a, b, (x, y) => out.push([x, y]));
  return out;
}

describe('GapClip', () => {
  it('is null without gaps or with only empty ones (the common case costs no call)', () => {
    expect(gapClipOf(table([]))).toBeNull();
    expect(gapClipOf(table([[5, 5]]))).toBeNull();
  });

  it('merges overlapping marks and leaves their union out of every interval', () => {
    // Two marks over the same stretch, one touching it, one apart: the union is [10, 40) and [60, 70).
    const clip = new GapClip(
      table([
        [10, 30],
        [20, 25],
        [30, 40],
        [60, 70],
      ]),
    );
    expect(clip.gapIn(0, 100)).toBe(40);
    expect(clip.known(0, 100)).toBe(60);
    expect(clip.known(15, 35)).toBe(0);
    expect(clip.known(35, 65)).toBe(20);
    expect(clip.known(70, 80)).toBe(10);
    expect(clip.known(50, 40)).toBe(0);
    expect(pieces(clip, 0, 100)).toEqual([
      [0, 10],
      [40, 60],
      [70, 100],
    ]);
    expect(pieces(clip, 12, 38)).toEqual([]);
    expect(pieces(clip, 35, 65)).toEqual([[40, 60]]);
    expect(pieces(clip, 41, 59)).toEqual([[41, 59]]);
  });

  it('finds the gaps of an interval among many marks', () => {
    const rows: [number, number][] = Array.from({ length: 1000 }, (_, g) => [g * 10, g * 10 + 4]);
    const clip = new GapClip(table(rows));
    expect(clip.known(0, 10_000)).toBe(6000);
    expect(clip.known(5002, 5013)).toBe(6);
    expect(pieces(clip, 5002, 5013)).toEqual([[5004, 5010]]);
    expect(pieces(clip, 5002, 5016)).toEqual([
      [5004, 5010],
      [5014, 5016],
    ]);
  });
});
