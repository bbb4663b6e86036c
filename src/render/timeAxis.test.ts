import { describe, expect, it } from 'vitest';
import { duration } from '../model/format';
import { absoluteTime, tickLabelAnchor, timeScale, timeTickFormat, windowTimeText } from './timeAxis';

describe('time axis', () => {
  it('maps ns to pixels with a d3 scale', () => {
    const s = timeScale({ start: 1000, end: 3000 }, 800);
    expect(s(2000)).toBe(400);
    expect(s.invert(200)).toBe(1500);
  });

  it('formats durations in a fitting unit', () => {
    expect(duration(450)).toBe('450 ns');
    expect(duration(1250)).toBe('1.25 µs');
    expect(duration(12_345_678)).toBe('12.3 ms');
    expect(duration(2.5e9)).toBe('2.50 s');
    expect(duration(NaN)).toBe('—');
  });

  it('labels ticks in the unit of the window with just enough decimals', () => {
    const s = timeScale({ start: 0, end: 10e6 }, 1000);
    const f = timeTickFormat(s, 10);
    expect(s.ticks(10).map(f).slice(0, 3)).toEqual(['0 ms', '1 ms', '2 ms']);
    const fine = timeScale({ start: 1e9, end: 1e9 + 25_000 }, 1000);
    const g = timeTickFormat(fine, 10);
    expect(fine.ticks(10).slice(0, 2).map(g)).toEqual(['1.000000 s', '1.000002 s']);
    const mid = timeScale({ start: 0, end: 25e6 }, 1000);
    expect(mid.ticks(5).slice(0, 2).map(timeTickFormat(mid, 5))).toEqual(['0 ms', '5 ms']);
    const quarter = timeScale({ start: 0, end: 1e6 }, 1000);
    expect(quarter.ticks(4).slice(0, 2).map(timeTickFormat(quarter, 4))).toEqual(['0.0 ms', '0.2 ms']);
  });

  it('gives the absolute timestamp as the input printed it', () => {
    expect(absoluteTime({ sec: 52013, ns: 999_999_000 }, 2000)).toBe('52014.000001000');
    expect(absoluteTime({ sec: 10, ns: 5 }, 0)).toBe('10.000000005');
  });
});

describe('tick labels of a wide axis', () => {
  it('tell every tick apart when the count is the one the ticks were made with', () => {
    // 0.61-1.42 s over 1560 px: 14 ticks are 0.05 s apart, so labels need two decimals.
    const scale = timeScale({ start: 0.613076e9, end: 1.4192e9 }, 1560);
    const labels = scale.ticks(14).map(timeTickFormat(scale, 14));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toBe('0.65 s');
  });
});

describe('times to the precision of the window', () => {
  it('uses the axis unit with the decimals that resolve one pixel', () => {
    // 0-50 ms over 1500 px: a pixel is 33 µs, so two decimals of ms (the axis, 5 ms apart, has none).
    const w = windowTimeText({ start: 0, end: 50e6 }, 1500);
    expect(w.time(12_345_678)).toBe('12.35 ms');
    expect(w.duration(4_123_456)).toBe('4.12 ms');
    expect(w.duration(2_000)).toBe('2.00 µs');
    expect(w.absolute({ sec: 52013, ns: 999_990_000 }, 12_345_678)).toBe('52014.01234');
    // Zoomed to 0.1 ms around 1 s: the axis says s; a pixel of 67 ns needs 8 decimals of s.
    const z = windowTimeText({ start: 1e9, end: 1e9 + 100_000 }, 1500);
    expect(z.time(1e9 + 12_345)).toBe('1.00001235 s');
    expect(z.duration(4_123_456)).toBe('4.12346 ms');
    expect(z.absolute({ sec: 10, ns: 5 }, 1e9 + 12_345)).toBe('11.00001235');
    // The whole of a 10 s trace: ticks 1 s apart, a pixel 6.7 ms: ms resolution; short slices keep 3 digits.
    const whole = windowTimeText({ start: 0, end: 10e9 }, 1500);
    expect(whole.time(1_234_567_890)).toBe('1.235 s');
    expect(whole.absolute({ sec: 10, ns: 5 }, 1_234_567_890)).toBe('11.235');
    expect(whole.duration(200_000)).toBe('200 µs');
  });

  it('keeps a tick label inside the axis: centred, or flush with the edge it would pass', () => {
    // A 1200 px axis with 60 px of labels' room on the left; labels 40 px wide.
    expect(tickLabelAnchor(600, 40, -60, 1200)).toBe('middle');
    expect(tickLabelAnchor(1190, 40, -60, 1200)).toBe('end');
    expect(tickLabelAnchor(1180, 40, -60, 1200)).toBe('middle');
    expect(tickLabelAnchor(-50, 40, -60, 1200)).toBe('start');
    // The ticks of a real window: the last of 0 .. 50 ms over 1200 px (50 ms at the edge) ends there.
    const s = timeScale({ start: 0, end: 50e6 }, 1200);
    const last = s.ticks(10).at(-1)!;
    expect(tickLabelAnchor(s(last), 34, -60, 1200)).toBe('end');
  });
});
