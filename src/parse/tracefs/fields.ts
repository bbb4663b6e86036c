// Reading one field of a raw trace event record, by its format's offset, size
// and signedness, in either byte order. A record is `length` bytes at byte
// `start` of a buffer (its common_type at start + 0): a perf.data sample's RAW
// data, a trace.dat ring-buffer event.

import type { FieldFormat } from './format';

/** Where one raw event record lies. `view` and `bytes` see the same memory. */
export interface RecordRef {
  bytes: Uint8Array;
  view: DataView;
  start: number;
  length: number;
}

export function recordOf(bytes: Uint8Array, start = 0, length = bytes.length - start): RecordRef {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), start, length };
}

const utf8 = new TextDecoder('utf-8');

/** An integer of 1, 2, 4 or 8 bytes as a number (exact within ±2^53); NaN for another size. */
export function readInt(view: DataView, at: number, size: number, signed: boolean, little: boolean): number {
  switch (size) {
    case 1:
      return signed ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return signed ? view.getInt16(at, little) : view.getUint16(at, little);
    case 4:
      return signed ? view.getInt32(at, little) : view.getUint32(at, little);
    case 8: {
      const lo = view.getUint32(little ? at : at + 4, little);
      const hiAt = little ? at + 4 : at;
      const hi = signed ? view.getInt32(hiAt, little) : view.getUint32(hiAt, little);
      return hi * 4294967296 + lo;
    }
    default:
      return NaN;
  }
}

/** An integer of up to 8 bytes as a bigint, exact. */
export function readBig(view: DataView, at: number, size: number, signed: boolean, little: boolean): bigint {
  if (size === 8) return signed ? view.getBigInt64(at, little) : view.getBigUint64(at, little);
  return BigInt(readInt(view, at, size, signed, little));
}

/** Index of the first NUL in bytes[start, end), or end. */
export function nulEnd(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (bytes[i] === 0) return i;
  return end;
}

/** bytes[start, end) up to its first NUL, as UTF-8 text (invalid bytes become U+FFFD, as a terminal shows them). */
export function readCString(bytes: Uint8Array, start: number, end: number): string {
  const e = nulEnd(bytes, start, end);
  let ascii = true;
  for (let i = start; i < e; i++) if (bytes[i] >= 0x80) ascii = false;
  if (ascii && e - start <= 32) return String.fromCharCode(...bytes.subarray(start, e));
  return utf8.decode(bytes.subarray(start, e));
}

/**
 * Reads one field of records of one event format. Built once per format and
 * field, then called per record: the hot path of the binary decoders.
 */
export class FieldReader {
  readonly field: FieldFormat;
  /** Offset of the field in the record, and its size. */
  readonly off: number;
  readonly size: number;
  /** The data lies in the field itself (not behind a __data_loc). */
  readonly inline: boolean;
  private readonly little: boolean;

  constructor(field: FieldFormat, littleEndian: boolean) {
    this.field = field;
    this.little = littleEndian;
    this.off = field.offset;
    this.size = field.size;
    this.inline = field.location === 'inline';
  }

  /** Does the record hold the whole field? (A damaged or foreign record may be short.) */
  fits(rec: RecordRef): boolean {
    return this.off + this.size <= rec.length;
  }

  /** The field as a number (signed as its format says). */
  int(rec: RecordRef): number {
    return readInt(rec.view, rec.start + this.off, this.size, this.field.signed, this.little);
  }

  /** The field as an exact bigint. */
  big(rec: RecordRef): bigint {
    return readBig(rec.view, rec.start + this.off, this.size, this.field.signed, this.little);
  }

  /**
   * Byte range [start, end) of the field's data in rec.bytes: the inline bytes,
   * or the dynamic data a __data_loc / __rel_loc field points to (clipped to the record).
   */
  range(rec: RecordRef): [number, number] {
    const base = rec.start;
    if (this.field.location === 'inline') return [base + this.off, base + this.off + this.size];
    const loc = this.size >= 4 ? rec.view.getUint32(base + this.off, this.little) : 0;
    let at = loc & 0xffff;
    if (this.field.location === 'rel_loc') at += this.off + this.size;
    const len = loc >>> 16;
    const s = Math.min(base + at, base + rec.length);
    return [s, Math.min(s + len, base + rec.length)];
  }

  /** A string field (char array, __data_loc char[]) as text, up to its NUL. */
  str(rec: RecordRef): string {
    const [s, e] = this.range(rec);
    return readCString(rec.bytes, s, e);
  }
}
