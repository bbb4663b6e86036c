// The pages of one CPU, read a batch at a time: uncompressed data straight
// from the file (64 pages per read), compressed v7 data chunk by chunk (a
// count of chunks, then per chunk its compressed and uncompressed sizes and a
// frame). Only the current batch is held. A file cut short ends the CPU where
// its data ends, with a note saying how much was there.

import { Bin } from './binary';
import { inflate, type Algorithm } from './compression';
import { PageEvents, readPage, type PageLayout } from './pages';
import type { RandomAccessSource } from '../source';

const BATCH_PAGES = 64;

export class CpuPages {
  readonly cpu: number;
  readonly events: PageEvents;
  /** The batch the current page's events point into. */
  bin: Bin = new Bin(new Uint8Array(0), true);
  /** Index of the next event of the current page. */
  next = 0;
  /** Bytes of the file consumed so far (progress). */
  bytesRead = 0;
  /** Events lost before the next event taken (-1: some, count not known), null when none. */
  lostBefore: number | null = null;
  /** Why this CPU's data ended early, if it did. */
  problem: string | null = null;

  private readonly src: RandomAccessSource;
  private readonly layout: PageLayout;
  private readonly pageSize: number;
  private readonly epoch: { value: bigint };
  private readonly compression: Algorithm | null;
  private readonly offset: number;
  private readonly size: number;
  /** Next file position to read (uncompressed: of a page; compressed: of a chunk header). */
  private pos: number;
  private chunksLeft = -1;
  private pageAt = 0;

  constructor(
    src: RandomAccessSource,
    cpu: number,
    offset: number,
    size: number,
    pageSize: number,
    layout: PageLayout,
    epoch: { value: bigint },
    compression: Algorithm | null,
  ) {
    this.src = src;
    this.cpu = cpu;
    this.offset = offset;
    this.size = size;
    this.pos = offset;
    this.pageSize = pageSize;
    this.layout = layout;
    this.epoch = epoch;
    this.compression = compression;
    this.events = new PageEvents(pageSize >> 3);
  }

  /**
   * Move to the next page of the current batch that has events or a lost
   * count; false when the batch is used up (call refill()).
   */
  nextPage(): boolean {
    const bin = this.bin;
    while (this.pageAt + this.pageSize <= bin.length) {
      const base = this.pageAt;
      this.pageAt += this.pageSize;
      readPage(bin, base, this.pageSize, this.layout, this.epoch, this.events);
      if (this.events.problem)
        this.problem ??= `CPU ${this.cpu}: ${this.events.problem}; the rest of that page is skipped`;
      this.next = 0;
      if (this.events.count > 0 || this.events.lost !== 0) return true;
    }
    return false;
  }

  /** Read the next batch; false at the end of this CPU's data. */
  async refill(): Promise<boolean> {
    const end = this.offset + this.size;
    this.pageAt = 0;
    if (this.compression) return this.refillChunk(end);
    if (this.pos >= end) return false;
    const fileEnd = Math.min(end, this.src.size);
    const want = Math.min(BATCH_PAGES * this.pageSize, fileEnd - this.pos);
    const whole = want - (want % this.pageSize);
    if (whole <= 0) {
      this.cutShort(end);
      return false;
    }
    const bytes = await this.src.read(this.pos, whole);
    this.bin = new Bin(bytes, this.layout.littleEndian);
    this.pos += whole;
    this.bytesRead += whole;
    return bytes.length > 0;
  }

  private async refillChunk(end: number): Promise<boolean> {
    const algorithm = this.compression as Algorithm;
    if (this.chunksLeft < 0) {
      if (this.pos + 4 > this.src.size) return this.cutShort(end);
      this.chunksLeft = new Bin(await this.src.read(this.pos, 4), this.layout.littleEndian).u32(0);
      this.pos += 4;
      this.bytesRead += 4;
    }
    if (this.chunksLeft === 0 || this.pos >= end) return false;
    if (this.pos + 8 > this.src.size) return this.cutShort(end);
    const h = new Bin(await this.src.read(this.pos, 8), this.layout.littleEndian);
    const csize = h.u32(0);
    const usize = h.u32(4);
    if (this.pos + 8 + csize > this.src.size) return this.cutShort(end);
    const data = await this.src.read(this.pos + 8, csize);
    this.pos += 8 + csize;
    this.bytesRead += 8 + csize;
    this.chunksLeft--;
    try {
      this.bin = new Bin(await inflate(algorithm, data, usize, `CPU ${this.cpu}'s data`), this.layout.littleEndian);
    } catch (e) {
      this.problem ??= `${e instanceof Error ? e.message : String(e)}; the rest of CPU ${this.cpu}'s data is skipped`;
      return false;
    }
    return true;
  }

  private cutShort(end: number): false {
    this.problem ??= `the file is cut short: CPU ${this.cpu}'s data should end at byte ${end} but the file has ${this.src.size} bytes; kept what was there`;
    return false;
  }
}
