// Reading numbers and strings from a binary recording's bytes in the file's
// endianness (trace.dat and perf.data say which in their headers; an ARM or
// PowerPC recording read on x86 is no different). 64-bit values come back as
// numbers: offsets and sizes fit far below 2^53; timestamps are read as BigInt.
// Each format's reader subclasses Bin so that its errors are its own class.

export class Bin {
  /** The error a short or malformed read throws (each format its own class). */
  protected error(message: string): Error {
    return new Error(message);
  }

  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly le: boolean;

  constructor(bytes: Uint8Array, littleEndian: boolean) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.le = littleEndian;
  }

  get length(): number {
    return this.bytes.length;
  }

  need(pos: number, n: number, what: string): void {
    if (pos < 0 || pos + n > this.bytes.length)
      throw this.error(`${what} is cut short (needs ${n} bytes at ${pos}, ${this.bytes.length - pos} left)`);
  }

  u16(pos: number): number {
    return this.view.getUint16(pos, this.le);
  }

  u32(pos: number): number {
    return this.view.getUint32(pos, this.le);
  }

  i32(pos: number): number {
    return this.view.getInt32(pos, this.le);
  }

  /** A 64-bit unsigned value as a number (exact below 2^53, the size of any file or section). */
  u64(pos: number): number {
    const lo = this.view.getUint32(pos + (this.le ? 0 : 4), this.le);
    const hi = this.view.getUint32(pos + (this.le ? 4 : 0), this.le);
    return hi * 4294967296 + lo;
  }

  u64big(pos: number): bigint {
    return this.view.getBigUint64(pos, this.le);
  }

  /** A `long` of the recording's size (4 or 8 bytes). */
  ulong(pos: number, size: number): number {
    return size === 8 ? this.u64(pos) : this.u32(pos);
  }

  /** The NUL-terminated string at pos and the position after its NUL; throws if it has none. */
  cstr(pos: number, what: string): [string, number] {
    const end = this.bytes.indexOf(0, pos);
    if (end < 0) throw this.error(`${what}: a string has no terminating NUL`);
    return [latin1(this.bytes, pos, end), end + 1];
  }
}

const utf8 = new TextDecoder('utf-8');

/** Text of a format file, cmdlines or an option (ASCII in practice; UTF-8 tolerated). */
export function text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return utf8.decode(bytes.subarray(start, end));
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
