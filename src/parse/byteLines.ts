// Line splitting on the raw bytes of a UTF-8 input, with the normalisation
// every format needs done here, once, on bytes: a BOM at the start is dropped,
// CRLF and lone CR end lines like LF, ANSI colour escapes are removed. Every
// parser then reads lines as byte ranges and decodes only the strings the model
// keeps (decoding alone costs about as much as reading the file). Other
// encodings (UTF-16) are converted to UTF-8 once, before this splitter.

import { CR, ESC, LF } from './charCodes';

/** A line as bytes: buf[start, end), without its line end. */
export type ByteLineSink = (buf: Uint8Array, start: number, end: number, lineNo: number) => void;
/** A line longer than the limit: never joined into one buffer, only its length is known. */
export type LongLineSink = (lineNo: number, bytes: number) => void;

/** Real trace lines are under 4 KB; a longer line than this is damage, skipped without being held whole. */
export const MAX_LINE_BYTES = 1 << 20;

const BOM = [0xef, 0xbb, 0xbf];

/**
 * An empty list for the carried pieces, of the elements kind it has once it holds one (objects): an empty `[]`
 * starts as small integers and changes kind at its first piece, and that change in the splitter's field
 * deoptimised the line loop (`wrong map`) at the first line carried across chunks.
 */
function partList(): Uint8Array[] {
  const list = [EMPTY_PART];
  list.pop();
  return list;
}

const EMPTY_PART = new Uint8Array(0);

export class ByteLineSplitter {
  /** The partial line at the end of the chunks so far, in pieces (joined once, at its line end). */
  private carry = partList();
  private carryLength = 0;
  private lineNo = 0;
  /** No byte was taken yet: a BOM may still come (possibly cut across chunks). */
  private first = true;
  /** The last line ended at a CR that ended its chunk: a LF starting the next one belongs to it. */
  private crPending = false;
  private unterminated = false;
  /** The partial line grew past maxLine: its bytes are dropped as they come, only counted. */
  private overlong = false;

  constructor(
    private readonly sink: ByteLineSink,
    private readonly onLong: LongLineSink = () => {},
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  get lines(): number {
    return this.lineNo;
  }

  /** Set when the last line had no terminating newline (a cut-short file). */
  get unterminatedLast(): boolean {
    return this.unterminated;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let start = 0;
    if (this.first) {
      const held = this.carryLength;
      const n = Math.min(3 - held, chunk.length);
      let bomSoFar = true;
      for (let k = 0; k < n; k++) if (chunk[k] !== BOM[held + k]) bomSoFar = false;
      if (bomSoFar && held + n < 3) {
        this.hold(chunk, 0); // too short to tell yet
        return;
      }
      this.first = false;
      if (bomSoFar) {
        this.carry = partList();
        this.carryLength = 0;
        start = n;
      }
    }
    if (this.crPending) {
      this.crPending = false;
      if (chunk[start] === LF) start++;
    }
    // The lines go out in a plain Uint8Array: a Node Buffer (a subclass, another hidden class) is viewed as one,
    // like the lines joined from carried pieces. Mixed, the first line of the other class deoptimised every
    // scanner (cursor.ts) and the parsers, which then stayed polymorphic. The searches below stay on the chunk
    // (a Buffer's indexOf is memchr).
    const view =
      chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    // CR and ESC are looked for once per chunk, not once per line.
    const hasEsc = chunk.indexOf(ESC, start) >= 0;
    start = this.split(chunk, view, start, hasEsc);
    if (start < chunk.length) this.hold(view, start);
  }

  /**
   * The lines that end in chunk[start..] to the sink; returns where the partial line after them starts. A
   * function of its own so that its loop, compiled while it runs (on-stack replacement) on the first chunk,
   * has no code after it that had not yet run: that code's first run deoptimised the loop.
   */
  private split(chunk: Uint8Array, view: Uint8Array, start: number, hasEsc: boolean): number {
    let cr = chunk.indexOf(CR, start);
    let lf = chunk.indexOf(LF, start);
    // cr first: it is -1 on nearly every line, so both compares have run (and given the optimiser their
    // types) before the chunk's last line, where lf is -1; else that first `cr >= 0` deoptimised this loop.
    while (cr >= 0 || lf >= 0) {
      const eol = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      let next = eol + 1;
      if (eol === cr) {
        if (next === chunk.length) this.crPending = true;
        else if (chunk[next] === LF) next++;
        cr = chunk.indexOf(CR, next);
      }
      if (lf >= 0 && lf < next) lf = chunk.indexOf(LF, next);
      if (this.overlong || this.carryLength + eol - start > this.maxLine) {
        this.onLong(++this.lineNo, this.carryLength + eol - start);
        this.dropCarry();
      } else if (this.carryLength > 0 || this.carry.length > 0) {
        // The line split across chunks gets a buffer of its own.
        const line = this.takeCarry(view, start, eol);
        this.emit(line, 0, line.length, true);
      } else this.emit(view, start, eol, hasEsc);
      start = next;
    }
    return start;
  }

  end(): void {
    if (this.overlong) {
      this.unterminated = true;
      this.onLong(++this.lineNo, this.carryLength);
      this.dropCarry();
    } else if (this.carry.length > 0) {
      const line = this.takeCarry(null, 0, 0);
      this.unterminated = true;
      this.emit(line, 0, line.length, true);
    }
  }

  /** Keep chunk[from..] as (part of) the partial line: a copy, never a view (a Node Buffer's slice() is one). */
  private hold(chunk: Uint8Array, from: number): void {
    if (this.overlong || this.carryLength + chunk.length - from > this.maxLine) {
      // Past the limit: the bytes held so far go too; from here on the line is only counted.
      this.overlong = true;
      this.carry = partList();
      this.carryLength += chunk.length - from;
      return;
    }
    const part = chunk.slice(from);
    this.carry.push(part);
    this.carryLength += part.length;
  }

  private dropCarry(): void {
    this.carry = partList();
    this.carryLength = 0;
    this.overlong = false;
  }

  /** The held partial line followed by chunk[from, to), as one buffer; the carry is emptied. */
  private takeCarry(chunk: Uint8Array | null, from: number, to: number): Uint8Array {
    const out = new Uint8Array(this.carryLength + to - from);
    let o = 0;
    for (const part of this.carry) {
      out.set(part, o);
      o += part.length;
    }
    if (chunk !== null) out.set(chunk.subarray(from, to), o);
    this.carry = partList();
    this.carryLength = 0;
    return out;
  }

  private emit(buf: Uint8Array, start: number, end: number, mayHaveEsc: boolean): void {
    this.lineNo++;
    if (mayHaveEsc) {
      const esc = buf.subarray(start, end).indexOf(ESC);
      if (esc >= 0) {
        const clean = stripAnsi(buf, start + esc, start, end);
        this.sink(clean, 0, clean.length, this.lineNo);
        return;
      }
    }
    this.sink(buf, start, end, this.lineNo);
  }
}

/** buf[start, end) without its ANSI CSI sequences (`ESC [ params letter`); `esc` is the first ESC. */
function stripAnsi(buf: Uint8Array, esc: number, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(buf.subarray(start, esc));
  let o = esc - start;
  let i = esc;
  while (i < end) {
    const c = buf[i];
    if (c === ESC && buf[i + 1] === 91 /* [ */ && i + 1 < end) {
      let k = i + 2;
      while (k < end && ((buf[k] >= 48 && buf[k] <= 57) || buf[k] === 59 /* ; */ || buf[k] === 63) /* ? */) k++;
      const f = k < end ? buf[k] | 0x20 : 0;
      if (f >= 97 && f <= 122) {
        i = k + 1;
        continue;
      }
    }
    out[o++] = c;
    i++;
  }
  return out.subarray(0, o);
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The text of buf[start, end) (a comm, a name, a rare line read by regex).
 * Lines are cut at line-end bytes, which never occur inside a multi-byte
 * character, so decoding a line alone gives the characters of the whole input.
 */
export function decodeRange(buf: Uint8Array, start: number, end: number): string {
  // Short ASCII ranges (nearly every comm) skip the decoder's call overhead.
  if (end - start <= 32) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 128) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}

/**
 * The line buf[start, end) with one character per byte (bytes >= 0x80 become
 * U+0080..U+00FF): for the regexes of rare lines, whose match offsets are then
 * byte offsets into the line. Strings the model keeps come from decodeRange.
 */
export function byteString(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 4096)));
  return s;
}
