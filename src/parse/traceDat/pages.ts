// One ring-buffer page (a "sub-buffer") of a CPU, as the kernel wrote it: a
// page header (u64 timestamp, then a `local_t commit` whose low 27 bits are
// the bytes of data and whose top bits flag missed events, the count stored
// after the data when bit 30 is set), then events, each with a 32-bit header
// of type_len:5 and time_delta:27 (bit order follows the file's endianness):
//   type_len 1..28  data of type_len*4 bytes
//   type_len 0      data whose length is in the next word
//   29 padding (length in the next word), 30 TIME_EXTEND (a delta too large for 27 bits), 31 TIME_STAMP (absolute, 59 bits)
// Each event's time is the previous one's plus its delta, starting from the page's.

import { Bin } from './binary';

const COMMIT_MASK = (1 << 27) - 1;
const MISSED_EVENTS = 0x80000000;
const MISSED_STORED = 0x40000000;
const TS_SHIFT = 27n;
/** The top 5 bits of a 64-bit time, which a TIME_STAMP record leaves out. */
const TS_MSB = 0xf8n << 56n;

export interface PageLayout {
  littleEndian: boolean;
  /** Size of the header's commit field (the kernel's long: 4 or 8). */
  commitSize: number;
  /** Offset of the first event in a page (8 + commitSize). */
  dataOffset: number;
}

/** Data events of one page: times relative to an epoch (ns), and where each payload is. */
export class PageEvents {
  count = 0;
  time: Float64Array;
  start: Int32Array;
  length: Int32Array;
  /** Events lost before this page (-1: lost, count not known; 0: none). */
  lost = 0;
  /** Why the page could not be read to its end (null when it could). */
  problem: string | null = null;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.start = new Int32Array(capacity);
    this.length = new Int32Array(capacity);
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const s = new Int32Array(n);
    s.set(this.start);
    this.start = s;
    const l = new Int32Array(n);
    l.set(this.length);
    this.length = l;
  }

  push(time: number, start: number, length: number): void {
    if (this.count === this.time.length) this.grow();
    this.time[this.count] = time;
    this.start[this.count] = start;
    this.length[this.count] = length;
    this.count++;
  }
}

/**
 * Decode the page at `buf[base, base + pageSize)` into `out` (cleared first).
 * Times are nanoseconds relative to `epoch.value`, which the first page read
 * sets (-1n until then): exact as long as the trace spans less than ~104 days,
 * however long the machine had been up. Malformed content stops the page with
 * `out.problem` set; what came before it is kept.
 */
export function readPage(
  buf: Bin,
  base: number,
  pageSize: number,
  layout: PageLayout,
  epoch: { value: bigint },
  out: PageEvents,
): void {
  out.count = 0;
  out.lost = 0;
  out.problem = null;
  const le = layout.littleEndian;
  const pageTs = buf.u64big(base);
  // Size and flags are in the low 32 bits of the commit word (the kernel adds the
  // flags as an int, so a 64-bit word has its top half all ones when they are set).
  const flags = buf.u32(base + 8 + (layout.commitSize === 8 && !le ? 4 : 0));
  const size = flags & COMMIT_MASK;
  const data = base + layout.dataOffset;
  const end = data + size;
  if (end > base + pageSize) {
    out.problem = `a page says it holds ${size} bytes of events, more than fit in a ${pageSize}-byte page`;
    return;
  }
  if (flags & MISSED_EVENTS) {
    out.lost = -1;
    if (flags & MISSED_STORED && end + layout.commitSize <= base + pageSize) {
      const n = buf.ulong(end, layout.commitSize);
      if (n > 0) out.lost = n;
    }
  }
  if (epoch.value < 0n) epoch.value = pageTs;
  const zero = epoch.value;
  let ts = Number(pageTs - zero);
  let p = data;
  while (p + 4 <= end) {
    const word = buf.u32(p);
    const typeLen = le ? word & 31 : word >>> 27;
    const delta = le ? word >>> 5 : word & COMMIT_MASK;
    p += 4;
    if (typeLen === 0) {
      if (p + 4 > end) break;
      const len = buf.u32(p) - 4;
      p += 4;
      ts += delta;
      if (len < 0 || p + len > end) {
        out.problem = `an event of ${len} bytes runs past the end of its page`;
        return;
      }
      out.push(ts, p, len);
      p += (len + 3) & ~3;
    } else if (typeLen <= 28) {
      const len = typeLen * 4;
      ts += delta;
      if (p + len > end) {
        out.problem = `an event of ${len} bytes runs past the end of its page`;
        return;
      }
      out.push(ts, p, len);
      p += len;
    } else if (typeLen === 29) {
      // Padding (a discarded event, or the rest of the page): its delta counts, as
      // libtraceevent's kbuffer (what trace-cmd report reads with) counts it.
      if (p + 4 > end) break;
      ts += delta;
      p += buf.u32(p);
    } else if (typeLen === 30) {
      if (p + 4 > end) break;
      ts += buf.u32(p) * 134217728 + delta;
      p += 4;
    } else {
      if (p + 4 > end) break;
      const abs = ((BigInt(buf.u32(p)) << TS_SHIFT) + BigInt(delta)) | (pageTs & TS_MSB);
      ts = Number(abs - zero);
      p += 4;
    }
  }
}
