// Readers over the UTF-8 bytes of a line, for the parsers' fast paths
// (LineParser.lineBytes): the counterparts of the charCodeAt scanners used on
// text. A line is buf[start, end); buf[end] is its '\n' or past the buffer, so
// reading it fails every character test the way charCodeAt past the end does,
// but nothing after it may be read: that is the next line.

import type { SecNs } from './timestamp';

const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** parseTimestamp (timestamp.ts) over bytes: `digits.digits` in buf[start, end). */
export function timestampBytes(buf: Uint8Array, start: number, end: number, out: SecNs): boolean {
  let sec = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    sec = sec * 10 + c;
  }
  if (i === start || i >= end || buf[i] !== 46 /* . */) return false;
  i++;
  let frac = 0;
  let fdigits = 0;
  for (; i < end; i++) {
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

/** The bytes of an ASCII string (a constant the fast paths look for). */
export function ascii(s: string): Uint8Array {
  const out = asciiOrNull(s);
  if (out === null) throw new Error(`not ASCII: ${s}`);
  return out;
}

/** The bytes of a string if it is all ASCII, else null (such a string is only ever compared on the text path). */
export function asciiOrNull(s: string): Uint8Array | null {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return null;
    out[i] = c;
  }
  return out;
}

/** Whether buf[pos, end) starts with the bytes `pat`. */
export function bytesAt(buf: Uint8Array, pos: number, end: number, pat: Uint8Array): boolean {
  const n = pat.length;
  if (pos + n > end) return false;
  for (let i = 0; i < n; i++) if (buf[pos + i] !== pat[i]) return false;
  return true;
}

/**
 * The first index of the bytes `pat` in buf[from, end), or -1: text.indexOf for
 * a line's bytes. Candidates are found by the pattern's last byte (the `=` of a
 * `key=`, rarer than its leading blank) and checked backwards.
 */
export function findBytes(buf: Uint8Array, pat: Uint8Array, from: number, end: number): number {
  const n = pat.length - 1;
  const last = pat[n];
  for (let i = from + n; i < end; i++) {
    if (buf[i] !== last) continue;
    let k = n - 1;
    const s = i - n;
    while (k >= 0 && buf[s + k] === pat[k]) k--;
    if (k < 0) return s;
  }
  return -1;
}

/**
 * Index of the first byte `c` in buf[from, end), or -1. A loop, not the native
 * indexOf: that one cannot stop at `end` and would scan the rest of the chunk
 * for a byte the line does not have.
 */
export function byteIndex(buf: Uint8Array, c: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === c) return i;
  return -1;
}

/** buf[k] for k in a line that starts at `start`, else -1: what charCodeAt's NaN is to a text scan going left. */
export function byteBefore(buf: Uint8Array, k: number, start: number): number {
  return k >= start ? buf[k] : -1;
}
