// Incremental line splitting over text chunks, with the normalisation every
// format needs first: BOM, CR / lone-CR line ends, ANSI colour escapes.

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const CR_SPLIT = /\r\n|\r/;

export type LineSink = (text: string, lineNo: number) => void;

export class LineSplitter {
  private carry = '';
  /** Set when the last line had no terminating newline (a cut-short file). */
  unterminatedLast = false;

  /**
   * `lineNo` lines were read before this splitter takes over; `first` says
   * whether its first chunk starts the input (and may begin with a BOM).
   */
  constructor(
    private readonly sink: LineSink,
    private lineNo = 0,
    private first = true,
  ) {}

  get lines(): number {
    return this.lineNo;
  }

  push(chunk: string): void {
    if (this.first) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    // CR line ends are rare: normalise them on a joined string (the slow path).
    if (chunk.indexOf('\r') >= 0 || this.carry.charCodeAt(this.carry.length - 1) === 13) {
      this.pushWithCr(chunk);
      return;
    }
    const nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.carry += chunk;
      return;
    }
    // The line split across chunks is joined alone, so the chunk itself stays a
    // flat string: joining carry + chunk would copy the whole chunk on the next indexOf.
    this.emit(this.carry + chunk.slice(0, nl), true);
    // ANSI escapes are looked for once per chunk, not once per line.
    this.emitLines(chunk, nl + 1, chunk.indexOf('\x1b', nl) >= 0);
  }

  /** Emit every complete line of `text` from `start`; the rest becomes the carry. */
  private emitLines(text: string, start: number, mayHaveAnsi: boolean): void {
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.emit(text.slice(start, nl), mayHaveAnsi);
      start = nl + 1;
    }
    this.carry = text.slice(start);
  }

  private pushWithCr(chunk: string): void {
    let text = this.carry + chunk;
    // A trailing CR may be the first half of a CRLF split across chunks.
    let heldCr = false;
    if (text.charCodeAt(text.length - 1) === 13) {
      text = text.slice(0, -1);
      heldCr = true;
    }
    if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
    this.emitLines(text, 0, text.indexOf('\x1b') >= 0);
    if (heldCr) this.carry += '\r';
  }

  end(): void {
    if (this.carry.length > 0) {
      const parts = this.carry.split(CR_SPLIT);
      if (parts[parts.length - 1] === '') parts.pop();
      else this.unterminatedLast = true;
      for (const p of parts) this.emit(p, true);
      this.carry = '';
    }
  }

  private emit(line: string, mayHaveAnsi: boolean): void {
    this.lineNo++;
    if (mayHaveAnsi && line.indexOf('\x1b') >= 0) line = line.replace(ANSI, '');
    this.sink(line, this.lineNo);
  }
}
