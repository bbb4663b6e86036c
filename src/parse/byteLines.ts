// Line splitting on the raw bytes of a UTF-8 input, so that lines a parser can
// read from bytes are never decoded to strings (decoding alone costs about as
// much as reading the file; a line as a string costs an allocation, and
// charCodeAt on it is several times slower than indexing a Uint8Array).
//
// Every line goes to `sink` as a byte range of a chunk. A line the parser does
// not read from bytes is turned into the very string the text pipeline
// (decodeText + LineSplitter) would have given, by `textOf`. Inputs that need
// that pipeline's normalisation (a BOM, CR line ends, ANSI escapes) switch to it
// for the rest of the input at the chunk where that first shows, with line
// numbers continuing, so the result is always the text pipeline's.

import { LineSplitter, type LineSink } from './lines';

/** A line as bytes: buf[start, end), without its '\n'. */
export type ByteLineSink = (buf: Uint8Array, start: number, end: number, lineNo: number) => void;

const LF = 10;
const CR = 13;
const ESC = 27;

export class ByteLineSplitter {
  /** The partial line at the end of the chunks so far, in pieces (joined once, at its '\n'). */
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  private lineNo = 0;
  private first = true;
  /** Set once the input needs the text pipeline; from then on every chunk goes there. */
  private text: { decoder: TextDecoder; splitter: LineSplitter } | null = null;
  /** The current chunk's complete lines, decoded at most once, when a line needs its text. */
  private decoded: string | null = null;
  private decodedFrom = 0;
  private decodedBuf: Uint8Array | null = null;
  private decodedAligned = false;
  // A BOM inside the input is a character like any other (the input's first
  // bytes are never a BOM here: that input goes to the text pipeline).
  private readonly lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private unterminated = false;

  constructor(
    private readonly sink: ByteLineSink,
    private readonly textSink: LineSink,
  ) {}

  get lines(): number {
    return this.text ? this.text.splitter.lines : this.lineNo;
  }

  /** Set when the last line had no terminating newline (a cut-short file). */
  get unterminatedLast(): boolean {
    return this.text ? this.text.splitter.unterminatedLast : this.unterminated;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.text === null && this.needsText(chunk)) this.switchToText();
    if (this.text !== null) {
      const s = this.text.decoder.decode(chunk, { stream: true });
      if (s.length > 0) this.text.splitter.push(s);
      return;
    }
    this.first = false;
    this.decodedBuf = null;
    let nl = chunk.indexOf(LF);
    if (nl < 0) {
      this.hold(chunk, 0);
      return;
    }
    if (this.carry.length > 0) {
      // The line split across chunks gets a buffer of its own.
      const line = this.takeCarry(chunk, nl);
      this.emit(line, 0, line.length);
    } else this.emit(chunk, 0, nl);
    let start = nl + 1;
    for (;;) {
      nl = chunk.indexOf(LF, start);
      if (nl < 0) break;
      this.emit(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.hold(chunk, start);
  }

  /** Keep chunk[from..] as (part of) the partial line: a copy, never a view (a Node Buffer's slice() is one). */
  private hold(chunk: Uint8Array, from: number): void {
    const part = new Uint8Array(chunk.length - from);
    part.set(chunk.subarray(from));
    this.carry.push(part);
    this.carryLength += part.length;
  }

  /** The held partial line followed by chunk[0, n), as one buffer; the carry is emptied. */
  private takeCarry(chunk: Uint8Array | null, n: number): Uint8Array {
    const out = new Uint8Array(this.carryLength + n);
    let o = 0;
    for (const part of this.carry) {
      out.set(part, o);
      o += part.length;
    }
    if (chunk !== null) out.set(chunk.subarray(0, n), o);
    this.carry = [];
    this.carryLength = 0;
    return out;
  }

  end(): void {
    if (this.text !== null) {
      const tail = this.text.decoder.decode();
      if (tail.length > 0) this.text.splitter.push(tail);
      this.text.splitter.end();
      return;
    }
    if (this.carry.length > 0) {
      const line = this.takeCarry(null, 0);
      this.unterminated = true;
      this.emit(line, 0, line.length);
    }
  }

  /**
   * The text of a line given to the sink (only during that call): what the text
   * pipeline would give for it. Lines are cut at '\n' bytes, which never occur
   * inside a multi-byte character, so decoding a line alone gives the same
   * characters as decoding the whole input.
   */
  textOf(buf: Uint8Array, start: number, end: number): string {
    if (buf !== this.decodedBuf) {
      // Decode the chunk's lines once: lines that need text tend to come in numbers.
      this.decodedBuf = buf;
      const from = start;
      const to = buf.lastIndexOf(LF) + 1;
      this.decoded = to > from ? this.lineDecoder.decode(buf.subarray(from, to)) : null;
      this.decodedFrom = from;
      // Same length as the bytes means one character per byte (ASCII, or lone
      // invalid bytes that each become one U+FFFD): offsets then match.
      this.decodedAligned = this.decoded !== null && this.decoded.length === to - from;
    }
    if (this.decodedAligned && start >= this.decodedFrom && end - this.decodedFrom <= this.decoded!.length)
      return this.decoded!.slice(start - this.decodedFrom, end - this.decodedFrom);
    return this.lineDecoder.decode(buf.subarray(start, end));
  }

  private emit(buf: Uint8Array, start: number, end: number): void {
    this.sink(buf, start, end, ++this.lineNo);
  }

  /**
   * A BOM at the start, a CR or an ESC anywhere: the text pipeline's
   * normalisation is needed. (Any input starting with the BOM's first byte goes
   * there, however short its first chunk.)
   */
  private needsText(chunk: Uint8Array): boolean {
    if (this.first && chunk[0] === 0xef) return true;
    // (The held partial line came from a chunk that was checked already.)
    return chunk.indexOf(CR) >= 0 || chunk.indexOf(ESC) >= 0;
  }

  /** Hand the rest of the input (the held partial line first) to the text pipeline. */
  private switchToText(): void {
    // Like decodeText's decoder, which drops a BOM at the start of the input only.
    const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: !this.first });
    const splitter = new LineSplitter(this.textSink, this.lineNo, this.first);
    this.text = { decoder, splitter };
    for (const part of this.carry) {
      const s = decoder.decode(part, { stream: true });
      if (s.length > 0) splitter.push(s);
    }
    this.carry = [];
    this.carryLength = 0;
  }
}
