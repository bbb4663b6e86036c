// perf.data's data as a stream of records (perf_event_header: u32 type,
// u16 misc, u16 size), cut out of chunks of any size: the file's data section
// read in slices, a pipe read strictly forward, or the decompressed frames of
// PERF_RECORD_COMPRESSED. A record that straddles two chunks is joined from
// both; HEADER_TRACING_DATA is the one record whose payload follows past its
// size (its u32 size, padded to 8 bytes).

import { PerfBin, RecordType } from './binary';

export interface RecordSink {
  /** One whole record at bin[pos, pos + length); `offset` is where it starts in its stream. */
  record(bin: PerfBin, pos: number, length: number, type: number, offset: number): void;
}

export class RecordWalker {
  private carry: Uint8Array | null = null;
  /** Stream offset of the next byte to walk (the carry's first byte while there is one). */
  private offset: number;
  /** Why the walk stopped early (a damaged record), null while it goes on. */
  broken: string | null = null;

  constructor(
    private readonly sink: RecordSink,
    private readonly where: (offset: number) => string,
    startOffset = 0,
  ) {
    this.offset = startOffset;
  }

  /** Walk every whole record of `chunk` (after what the last chunk left over). */
  push(chunk: Uint8Array): void {
    if (this.broken !== null) return;
    let p = 0;
    if (this.carry !== null) {
      // Complete the straddling record from the chunk's head: its header first, then its length.
      const carry = this.carry;
      let need = 8;
      for (;;) {
        const joined = join(carry, chunk, need);
        if (joined.length < need) {
          this.carry = join(carry, chunk, carry.length + chunk.length);
          return;
        }
        const whole = this.lengthOf(new PerfBin(joined, true), 0);
        if (whole < 0) return;
        if (whole === need) {
          this.carry = null;
          this.emit(new PerfBin(joined, true), 0, need);
          p = need - carry.length;
          break;
        }
        need = whole;
      }
    }
    const bin = new PerfBin(chunk, true);
    const n = chunk.length;
    while (p + 8 <= n) {
      let len = bin.view.getUint16(p + 6, true);
      if (bin.view.getUint32(p, true) === RecordType.HeaderTracingData || len < 8) {
        len = this.lengthOf(bin, p);
        if (len < 0) return;
      }
      if (p + len > n) break;
      this.emit(bin, p, len);
      p += len;
    }
    if (p < n) this.carry = chunk.slice(p);
  }

  /** Bytes left over at the end of the stream: a record cut short. */
  get leftover(): number {
    return this.carry?.length ?? 0;
  }

  /** Where the leftover starts. */
  get leftoverOffset(): number {
    return this.offset;
  }

  private emit(bin: PerfBin, pos: number, len: number): void {
    this.sink.record(bin, pos, len, bin.view.getUint32(pos, true), this.offset);
    this.offset += len;
  }

  /** The whole length of the record at pos, or -1 (and the walk stops) when its header is damaged. */
  private lengthOf(bin: PerfBin, pos: number): number {
    const size = bin.view.getUint16(pos + 6, true);
    if (size < 8) {
      this.broken = `the record at ${this.where(this.offset)} says it is ${size} bytes long: the data is damaged from there on (everything before it is kept)`;
      this.carry = null;
      return -1;
    }
    if (bin.view.getUint32(pos, true) !== RecordType.HeaderTracingData) return size;
    if (pos + 12 > bin.length) return 12;
    const data = bin.view.getUint32(pos + 8, true);
    return size + Math.ceil(data / 8) * 8;
  }
}

/** The first `n` bytes of a + b (fewer when they are shorter). */
function join(a: Uint8Array, b: Uint8Array, n: number): Uint8Array {
  const len = Math.min(n, a.length + b.length);
  if (len <= a.length) return a.subarray(0, len);
  const out = new Uint8Array(len);
  out.set(a);
  out.set(b.subarray(0, len - a.length), a.length);
  return out;
}
