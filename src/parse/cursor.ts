// A reader over the bytes of one line, buf[start, end): the scanners every text
// format's parser uses (numbers, blanks, literals, timestamps), with the
// position a read ended at kept as a field, so nothing is module state.
// buf[end] is the line end or past the buffer and is never read.

import { decodeRange } from './byteLines';

/** An exact timestamp: integer seconds and nanoseconds (no float of seconds in between). */
export interface SecNs {
  sec: number;
  ns: number;
}

const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];
const EMPTY = new Uint8Array(0);

/** The bytes of an ASCII string (a constant a parser looks for). */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) throw new Error(`not ASCII: ${s}`);
    out[i] = c;
  }
  return out;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

export class LineCursor {
  buf: Uint8Array = EMPTY;
  start = 0;
  end = 0;
  /** Just past the last number read by int(). */
  pos = 0;
  /** Start of the event name found by the last classifyEvent() that did not return Other. */
  nameStart = 0;

  /** Point the cursor at a new line. */
  set(buf: Uint8Array, start: number, end: number): this {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.pos = start;
    return this;
  }

  /** The byte at k, or -1 outside the line (what a scan stops at, either way). */
  byte(k: number): number {
    return k >= this.start && k < this.end ? this.buf[k] : -1;
  }

  /** A decimal integer (optionally negative) at i; NaN when there is none. Sets `pos`. */
  int(i: number): number {
    const neg = i < this.end && this.buf[i] === 45; /* - */
    if (neg) i++;
    const v = this.digits(i, this.end);
    if (this.pos === i) return NaN;
    return neg ? -v : v;
  }

  /** The value of the digits from i (up to `end`); `pos` is set after them. */
  private digits(i: number, end: number): number {
    const buf = this.buf;
    let v = 0;
    for (; i < end; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    this.pos = i;
    return v;
  }

  /** The digits that end just before k, read right to left; NaN when there are none. Sets `pos` to their start. */
  intBefore(k: number): number {
    const { buf, start, end } = this;
    let v = 0;
    let mul = 1;
    for (k--; k >= start && k < end; k--) {
      const c = buf[k] - 48;
      if (c < 0 || c > 9) break;
      v += c * mul;
      mul *= 10;
    }
    this.pos = k + 1;
    return mul === 1 ? NaN : v;
  }

  /** Index of the first byte at or after i that is not a blank or tab. */
  blanks(i: number): number {
    const buf = this.buf;
    const end = this.end;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    return i;
  }

  /** Index of the last byte before i that is not a blank, or start - 1. */
  blanksBefore(i: number): number {
    const buf = this.buf;
    const start = this.start;
    while (i > start && buf[i - 1] === 32) i--;
    return i - 1;
  }

  /** Whether the line holds the bytes `pat` at i. */
  at(i: number, pat: Uint8Array): boolean {
    const n = pat.length;
    if (i < this.start || i + n > this.end) return false;
    const buf = this.buf;
    for (let k = 0; k < n; k++) if (buf[i + k] !== pat[k]) return false;
    return true;
  }

  /** Index of the first byte c at or after `from`, or -1 (a loop: the native indexOf cannot stop at the line's end). */
  indexOf(c: number, from: number): number {
    const buf = this.buf;
    const end = this.end;
    for (let i = from; i < end; i++) if (buf[i] === c) return i;
    return -1;
  }

  /** Index of the last byte c before `before` and at or after `min`, or -1. */
  lastIndexOf(c: number, before: number, min: number): number {
    const buf = this.buf;
    for (let i = before - 1; i >= min; i--) if (buf[i] === c) return i;
    return -1;
  }

  /**
   * The first index of the bytes `pat` at or after `from`, or -1. Candidates
   * are found by the pattern's last byte (the `=` of a ` key=`, rarer than its
   * leading blank) and checked backwards.
   */
  find(pat: Uint8Array, from: number): number {
    const buf = this.buf;
    const n = pat.length - 1;
    const last = pat[n];
    const end = this.end;
    for (let i = from + n; i < end; i++) {
      if (buf[i] !== last) continue;
      let k = n - 1;
      const s = i - n;
      while (k >= 0 && buf[s + k] === pat[k]) k--;
      if (k < 0) return s;
    }
    return -1;
  }

  /** The last index of the bytes `pat` that starts before `before` and at or after `min`, or -1. */
  findLast(pat: Uint8Array, before: number, min: number): number {
    for (let i = Math.min(before - 1, this.end - pat.length); i >= min; i--) if (this.at(i, pat)) return i;
    return -1;
  }

  /**
   * `digits.digits` filling [s, e) exactly into `out`; false when it is not
   * one. Fractions longer than 9 digits are cut to nanoseconds.
   */
  timestamp(s: number, e: number, out: SecNs): boolean {
    const buf = this.buf;
    const sec = this.digits(s, e);
    let i = this.pos;
    if (i === s || i >= e || buf[i] !== 46 /* . */) return false;
    i++;
    let frac = 0;
    let fdigits = 0;
    for (; i < e; i++) {
      const c = buf[i] - 48;
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

  /**
   * `digits.digits` from s into `out`, read forward as far as it goes: the index just after it, or -1 when
   * there is none. Reads the stamp once where timestamp() needs its end found first (a second pass).
   */
  timestampFrom(s: number, out: SecNs): number {
    const sec = this.digits(s, this.end);
    return this.fractionFrom(sec, s, this.pos, out);
  }

  /**
   * The rest of a timestampFrom() whose whole seconds `sec` were read from s up to `dot` already (timehist's
   * blockSignal reads them first): the same result, without reading those digits again.
   */
  fractionFrom(sec: number, s: number, dot: number, out: SecNs): number {
    const buf = this.buf;
    const end = this.end;
    let i = dot;
    if (i === s || i >= end || buf[i] !== 46 /* . */) return -1;
    i++;
    let frac = 0;
    let fdigits = 0;
    for (; i < end; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      if (fdigits < 9) {
        frac = frac * 10 + c;
        fdigits++;
      }
    }
    if (fdigits === 0) return -1;
    out.sec = sec;
    out.ns = frac * POW10[fdigits];
    return i;
  }

  /** The text of [s, e) (a comm, a name): decoded only for the strings the model keeps. */
  text(s: number, e: number): string {
    return decodeRange(this.buf, s, e);
  }
}

/** A whole string as a line (tests, rendered payloads of the binary readers). */
export function cursorOf(text: string): LineCursor {
  const b = new TextEncoder().encode(text);
  return new LineCursor().set(b, 0, b.length);
}
