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
