// One event format bound to the byte order and `long` size of the file that
// carries it: its field readers and its compiled print format, ready to read
// and print records.

import type { RecordRef } from './fields';
import { FieldReader } from './fields';
import { fieldOf, printFormatOf, type EventFormat } from './format';
import { evaluate, fieldsRead, formatConversion, type EvalContext, type PrintFormat } from './printFormat';

export class EventReader {
  readonly format: EventFormat;
  readonly littleEndian: boolean;
  readonly longSize: number;
  private readonly readers = new Map<string, FieldReader | null>();
  private readonly ctx: EvalContext;
  private compiledPrint: PrintFormat | undefined;

  constructor(format: EventFormat, littleEndian: boolean, longSize = 8) {
    this.format = format;
    this.littleEndian = littleEndian;
    this.longSize = longSize;
    this.ctx = {
      rec: { bytes: new Uint8Array(0), view: new DataView(new ArrayBuffer(0)), start: 0, length: 0 },
      reader: (name) => this.field(name),
      longSize,
    };
  }

  /**
   * The compiled print format, compiled when first asked for: a file carries
   * formats of many events it has no records of (trace.dat: all of ftrace's).
   */
  get print(): PrintFormat {
    return (this.compiledPrint ??= printFormatOf(this.format));
  }

  /** `system:name`, or the name alone when the system is unknown. */
  get fullName(): string {
    return this.format.system ? `${this.format.system}:${this.format.name}` : this.format.name;
  }

  /** The reader of a field, or undefined when the format has no such field. */
  field(name: string): FieldReader | undefined {
    let r = this.readers.get(name);
    if (r === undefined) {
      const f = fieldOf(this.format, name);
      r = f ? new FieldReader(f, this.littleEndian) : null;
      this.readers.set(name, r);
    }
    return r ?? undefined;
  }

  /** The event's payload text, as `perf script` and `trace-cmd report` print it from the same format. */
  render(rec: RecordRef): string {
    return this.renderRange(rec, 0, this.print.segments.length);
  }

  /** Segments [from, to) of the print format (literal text and conversions) for one record. */
  renderRange(rec: RecordRef, from: number, to: number): string {
    this.ctx.rec = rec;
    let out = '';
    const segs = this.print.segments;
    for (let i = from; i < to && i < segs.length; i++) {
      const s = segs[i];
      if ('text' in s) out += s.text;
      else
        out += formatConversion(s.conversion, s.conversion.arg && evaluate(s.conversion.arg, this.ctx), this.longSize);
    }
    return out;
  }

  /** Indices of the segments whose conversion reads `field`. */
  conversionsReading(field: string): number[] {
    const out: number[] = [];
    this.print.segments.forEach((s, i) => {
      if ('conversion' in s && fieldsRead(s.conversion.arg).has(field)) out.push(i);
    });
    return out;
  }

  /** The fields segments [from, to) read. */
  fieldsReadBy(from: number, to: number): string[] {
    const set = new Set<string>();
    const segs = this.print.segments;
    for (let i = from; i < to && i < segs.length; i++) {
      const s = segs[i];
      if ('conversion' in s) fieldsRead(s.conversion.arg, set);
    }
    return [...set];
  }

  /**
   * Index just past the literal segment where `word` first appears, with the
   * text of that literal up to and including the word; null when no literal has it.
   */
  literalThrough(word: string): { index: number; text: string } | null {
    const segs = this.print.segments;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      if ('text' in s) {
        const at = s.text.indexOf(word);
        if (at >= 0) return { index: i, text: s.text.slice(0, at + word.length) };
      }
    }
    return null;
  }
}
