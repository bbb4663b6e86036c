import { describe, expect, it } from 'vitest';
import { decadeTicks } from './histogramAxes';

describe('decadeTicks', () => {
  it('gives the powers of ten inside the domain, ends included', () => {
    // 1 µs .. 10 ms in ns.
    expect(decadeTicks(1e3, 1e7)).toEqual([1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(decadeTicks(2.5e3, 4e5)).toEqual([1e4, 1e5]);
  });

  it('gives the two ends when fewer than two powers of ten fall inside', () => {
    expect(decadeTicks(2e3, 5e4)).toEqual([2e3, 5e4]);
    expect(decadeTicks(2e3, 8e3)).toEqual([2e3, 8e3]);
  });
});
