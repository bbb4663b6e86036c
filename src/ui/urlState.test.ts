import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, sameRuns, URL_STATE_VERSION, type UrlState } from './urlState';

const STATE: UrlState = {
  runs: [
    { name: 'ple-on.txt', size: 123456 },
    { name: 'ple off <b>.txt', size: 99 },
  ],
  panes: [
    { view: [1000, 2_000_000_123], lane: 'vcpu', vm: 'vm7422', sel: [5000, 7000] },
    { view: null, lane: 'cpu', vm: null, sel: null },
  ],
};

describe('URL fragment state', () => {
  it('round-trips exactly, with the version in the fragment', () => {
    const hash = encodeUrlState(STATE);
    expect(hash.startsWith(`#v=${URL_STATE_VERSION}&s=`)).toBe(true);
    expect(decodeUrlState(hash)).toEqual({ state: STATE, note: null });
  });

  it('a fragment without state is no state', () => {
    expect(decodeUrlState('')).toBeNull();
    expect(decodeUrlState('#nosample')).toBeNull();
  });

  it('drops what does not fit and says so', () => {
    const hostile = {
      runs: [{ name: 'a', size: 1 }, { name: 42, size: 'x' }, null, { name: 'x'.repeat(10_000), size: 1 }],
      panes: [{ view: [5, 1], lane: '<script>', vm: { x: 1 }, sel: ['a', 2], extra: 1 }, 'junk'],
      more: true,
    };
    const r = decodeUrlState(`#v=1&s=${encodeURIComponent(JSON.stringify(hostile))}`);
    expect(r?.state).toEqual({
      runs: [{ name: 'a', size: 1 }],
      panes: [
        { view: null, lane: 'cpu', vm: null, sel: null },
        { view: null, lane: 'cpu', vm: null, sel: null },
      ],
    });
    expect(r?.note).toMatch(/did not fit/);
  });

  it('refuses sizes no file has and times no trace has', () => {
    const huge = {
      runs: [
        { name: 'a', size: 1e308 },
        { name: 'b', size: 1.5 },
        { name: 'c', size: -1 },
        { name: 'd', size: 2 ** 53 },
        { name: 'ok', size: 2 ** 53 - 1 },
      ],
      panes: [
        { view: [0, 1e308], lane: 'cpu', vm: null, sel: [-1e300, 5] },
        { view: [0, 2 ** 53 - 1], lane: 'cpu', vm: null, sel: null },
      ],
    };
    const r = decodeUrlState(`#v=1&s=${encodeURIComponent(JSON.stringify(huge))}`);
    expect(r?.state.runs).toEqual([{ name: 'ok', size: 2 ** 53 - 1 }]);
    expect(r?.state.panes.map((p) => [p.view, p.sel])).toEqual([
      [null, null],
      [[0, 2 ** 53 - 1], null],
    ]);
    expect(r?.note).toMatch(/did not fit/);
  });

  it('ignores unreadable JSON, a bad version and a newer version', () => {
    expect(decodeUrlState('#v=1&s=%7Bnot-json')?.note).toMatch(/not readable/);
    expect(decodeUrlState('#v=zero&s=%7B%7D')?.note).toMatch(/not valid/);
    const newer = decodeUrlState(`#v=${URL_STATE_VERSION + 1}&s=%7B%7D`);
    expect(newer?.state).toEqual({ runs: [], panes: [] });
    expect(newer?.note).toMatch(/newer SchedMap/);
  });

  it('matches runs by name and size in order', () => {
    expect(sameRuns(STATE.runs, [...STATE.runs])).toBe(true);
    expect(sameRuns(STATE.runs, [STATE.runs[0], { name: 'ple off <b>.txt', size: 100 }])).toBe(false);
    expect(sameRuns(STATE.runs, [STATE.runs[1], STATE.runs[0]])).toBe(false);
  });
});
