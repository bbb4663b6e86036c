// Exact timestamps: "1420.590990" / "3967.217382500" split into integer
// seconds and nanoseconds without going through a float of seconds.

export interface SecNs {
  sec: number;
  ns: number;
}

const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/**
 * Parse `digits.digits` in text[start, end). Returns false when the range is not
 * a timestamp; otherwise fills `out`. Fractions longer than 9 digits are cut to ns.
 */
export function parseTimestamp(text: string, start: number, end: number, out: SecNs): boolean {
  let sec = 0;
  let i = start;
  let digits = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    sec = sec * 10 + c;
    digits++;
  }
  if (digits === 0 || i >= end || text.charCodeAt(i) !== 46 /* . */) return false;
  i++;
  let frac = 0;
  let fdigits = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    if (fdigits < 9) {
      frac = frac * 10 + c;
      fdigits++;
    }
  }
  if (fdigits === 0) return false;
  out.sec = sec;
  out.ns = frac * POW10[fdigits];
  return true;
}

/** Convenience for whole strings such as "1420.590990". */
export function parseTimestampString(s: string): SecNs | null {
  const out = { sec: 0, ns: 0 };
  return parseTimestamp(s, 0, s.length, out) ? out : null;
}
