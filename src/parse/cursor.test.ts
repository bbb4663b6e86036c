import { describe, expect, it } from 'vitest';
import { cursorOf, type SecNs } from './cursor';

describe('LineCursor.timestampFrom', () => {
  const read = (text: string, s = 0): { end: number; t: SecNs } => {
    const t = { sec: -1, ns: -1 };
    return { end: cursorOf(text).timestampFrom(s, t), t };
  };

  it('reads a stamp forward and says where it ends', () => {
    expect(read('52013.000001 [0019]')).toEqual({ end: 12, t: { sec: 52013, ns: 1000 } });
    expect(read('   7.5', 3)).toEqual({ end: 6, t: { sec: 7, ns: 500_000_000 } });
    // Past nine fraction digits the rest is read over and cut, as timestamp() does.
    expect(read('1.1234567891 x')).toEqual({ end: 12, t: { sec: 1, ns: 123_456_789 } });
    // It stops at the first byte that is not a digit: the caller checks what follows.
    expect(read('1.5:').end).toBe(3);
  });

  it('agrees with timestamp() on the token it ends', () => {
    for (const text of ['0.000001', '123456.123456789', '9.9', '42.000000000000']) {
      const a = { sec: 0, ns: 0 };
      const b = { sec: 0, ns: 0 };
      const c = cursorOf(text);
      expect(c.timestamp(0, text.length, a)).toBe(true);
      expect(c.timestampFrom(0, b)).toBe(text.length);
      expect(b).toEqual(a);
    }
  });

  it('gives -1 without digits on both sides of the dot, and leaves out untouched', () => {
    for (const text of ['', '.5', '12', '12.', '12. 5', 'x1.5', '-1.5'])
      expect(read(text)).toEqual({ end: -1, t: { sec: -1, ns: -1 } });
  });
});

describe('LineCursor.fractionFrom', () => {
  it('finishes a stamp whose seconds were read up to the dot as timestampFrom reads it whole', () => {
    for (const text of ['  52013.000001 [0019]', '0.5', '1.1234567891 x', '1.5:', '12.', '12 5', '12']) {
      const c = cursorOf(text);
      const s = c.blanks(0);
      const whole = { sec: -1, ns: -1 };
      const end = c.timestampFrom(s, whole);
      let dot = s;
      let sec = 0;
      while (dot < text.length && text[dot] >= '0' && text[dot] <= '9') sec = sec * 10 + Number(text[dot++]);
      const rest = { sec: -1, ns: -1 };
      expect(c.fractionFrom(sec, s, dot, rest)).toBe(end);
      expect(rest).toEqual(whole);
    }
  });

  it('gives -1 when no digit precedes the dot', () => {
    const t = { sec: -1, ns: -1 };
    expect(cursorOf('.5').fractionFrom(0, 0, 0, t)).toBe(-1);
    expect(t).toEqual({ sec: -1, ns: -1 });
  });
});
