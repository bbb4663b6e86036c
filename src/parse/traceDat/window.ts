// Reads of a random-access source through a window: the metadata of a
// trace.dat is many small pieces one after another (a size, then the text),
// so they are served from one larger read instead of one read each.

import { Bin, TraceDatError } from './binary';
import type { RandomAccessSource } from '../source';

const WINDOW = 1 << 20;

export class Window {
  private readonly src: RandomAccessSource;
  private readonly le: boolean;
  private start = 0;
  private buf: Uint8Array = new Uint8Array(0);

  constructor(src: RandomAccessSource, littleEndian: boolean) {
    this.src = src;
    this.le = littleEndian;
  }

  get size(): number {
    return this.src.size;
  }

  /** `n` bytes at `pos` (a view, valid until the next call); a file too short for them is a clear error. */
  async at(pos: number, n: number, what: string): Promise<Uint8Array> {
    if (pos < 0 || pos + n > this.src.size)
      throw new TraceDatError(
        `${what} is cut short: it needs ${n} bytes at offset ${pos}, the file has ${Math.max(0, this.src.size - pos)} there`,
      );
    if (pos < this.start || pos + n > this.start + this.buf.length) {
      const len = Math.min(this.src.size - pos, Math.max(n, WINDOW));
      this.buf = await this.src.read(pos, len);
      this.start = pos;
      if (this.buf.length < n) throw new TraceDatError(`${what} could not be read (a short read at offset ${pos})`);
    }
    return this.buf.subarray(pos - this.start, pos - this.start + n);
  }

  async bin(pos: number, n: number, what: string): Promise<Bin> {
    return new Bin(await this.at(pos, n, what), this.le);
  }

  async u16(pos: number, what: string): Promise<number> {
    return (await this.bin(pos, 2, what)).u16(0);
  }

  async u32(pos: number, what: string): Promise<number> {
    return (await this.bin(pos, 4, what)).u32(0);
  }

  async u64(pos: number, what: string): Promise<number> {
    return (await this.bin(pos, 8, what)).u64(0);
  }

  /** A NUL-terminated string at pos (at most `max` bytes) and the position after it. */
  async cstr(pos: number, what: string, max = 4096): Promise<[string, number]> {
    const n = Math.min(max, this.src.size - pos);
    const b = await this.bin(pos, n, what);
    const [s, next] = b.cstr(0, what);
    return [s, pos + next];
  }
}
