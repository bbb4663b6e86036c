import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, sameRuns, URL_STATE_VERSION, type UrlState } from './urlState';

const STATE: UrlState = {
  runs: [
    { name: 'ple-on.txt', size: 123456 },
    { name: 'ple off <b>.txt', size: 99 },
  ],
  panes: [
    { view: [1000, 2_000_000_123], lane: 'vcpu', vm: 'vm7422', sel: [5000, 7000], pins: { cpu: [3], vcpu: [4012, 4003] } },
    { view: null, lane: 'cpu', vm: null, sel: null, pins: { cpu: [], vcpu: [] } },
  ],
};
const NO_PINS = { cpu: [], vcpu: [] };

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
        { view: null, lane: 'cpu', vm: null, sel: null, pins: NO_PINS },
        { view: null, lane: 'cpu', vm: null, sel: null, pins: NO_PINS },
      ],
    });
    expect(r?.note).toMatch(/did not fit/);
  });

  it('upgrades a version 1 link: its panes open with no pinned lanes, and nothing is said to be dropped', () => {
    const v1 = {
      runs: [{ name: 'a.txt', size: 10 }],
      panes: [{ view: [0, 5000], lane: 'vcpu', vm: 'vm1', sel: null }],
    };
    expect(decodeUrlState(`#v=1&s=${encodeURIComponent(JSON.stringify(v1))}`)).toEqual({
      state: { runs: v1.runs, panes: [{ ...v1.panes[0], pins: NO_PINS }] },
      note: null,
    });
  });

  it('keeps pinned lanes that are CPU numbers or thread ids, once each, and drops the rest', () => {
    const state = {
      runs: [],
      panes: [{ view: null, lane: 'cpu', vm: null, sel: null, pins: { cpu: [5, -1, 2.5, '7', 5, 2 ** 22, 0], vcpu: 'x' } }],
    };
    const r = decodeUrlState(`#v=2&s=${encodeURIComponent(JSON.stringify(state))}`);
    expect(r?.state.panes[0].pins).toEqual({ cpu: [5, 0], vcpu: [] });
    expect(r?.note).toMatch(/did not fit/);
    const many = { ...state, panes: [{ ...state.panes[0], pins: { cpu: [], vcpu: Array.from({ length: 300 }, (_, i) => i) } }] };
    expect(decodeUrlState(`#v=2&s=${encodeURIComponent(JSON.stringify(many))}`)?.state.panes[0].pins.vcpu).toHaveLength(256);
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
