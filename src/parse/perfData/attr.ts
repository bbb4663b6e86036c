// perf_event_attr and the layout of the records it governs. An attr's
// sample_type says which fields a PERF_RECORD_SAMPLE holds, in a fixed order;
// the variable ones (READ, CALLCHAIN, RAW, BRANCH_STACK, REGS_*, STACK_USER,
// AUX) carry their own sizes or take them from the attr (read_format,
// branch_sample_type, the register masks). Every field is walked by those
// sizes, so a sample recorded with -g or with registers reads like one without.
// With sample_id_all, every other record ends in a trailer of the TID, TIME,
// ID, STREAM_ID, CPU and IDENTIFIER fields.

import { KNOWN_SAMPLE_BITS, PerfBin, PerfDataError, ReadFormat, Sample } from './binary';

export interface PerfAttr {
  type: number;
  config: number;
  sampleType: number;
  readFormat: number;
  sampleIdAll: boolean;
  branchSampleType: number;
  /** Number of registers a REGS_USER / REGS_INTR block holds (bits set in the mask). */
  regsUser: number;
  regsIntr: number;
  /** The event's name (EVENT_DESC feature, or `type:config`). */
  name: string;
  ids: number[];
}

/** perf_event_attr flag bit (the u64 at offset 40): every non-sample record ends in a sample_id trailer. */
export const ATTR_SAMPLE_ID_ALL = 1 << 18;

/** branch_sample_type bit: each BRANCH_STACK starts with a hw_idx. */
const BRANCH_HW_INDEX = 1 << 17;

/** Read a perf_event_attr of `size` bytes at pos (fields past `size` are zero, as the kernel reads them). */
export function readAttr(bin: PerfBin, pos: number, size: number): PerfAttr {
  bin.need(pos, Math.min(size, 64), 'an event attribute');
  const at = (off: number, n: number): boolean => off + n <= size;
  const u64 = (off: number): number => (at(off, 8) ? bin.u64(pos + off) : 0);
  const lo32 = (off: number): number => (at(off, 8) ? bin.u32(pos + off + (bin.le ? 0 : 4)) : 0);
  const flagsLo = lo32(40);
  const sampleType = u64(24);
  const attr: PerfAttr = {
    type: bin.u32(pos),
    config: u64(8),
    sampleType,
    readFormat: u64(32),
    sampleIdAll: (flagsLo & ATTR_SAMPLE_ID_ALL) !== 0,
    branchSampleType: u64(72),
    regsUser: popcount64(bin, pos, 80, size),
    regsIntr: popcount64(bin, pos, 96, size),
    name: '',
    ids: [],
  };
  if (sampleType > KNOWN_SAMPLE_BITS)
    throw new PerfDataError(
      `an event's sample_type 0x${sampleType.toString(16)} has fields SchedMap does not know how to walk (bits above 24); convert with \`perf script\``,
    );
  attr.name = `${attr.type}:${attr.config}`;
  return attr;
}

function popcount64(bin: PerfBin, pos: number, off: number, size: number): number {
  if (off + 8 > size) return 0;
  let n = 0;
  for (const w of [bin.u32(pos + off), bin.u32(pos + off + 4)]) {
    let v = w;
    while (v !== 0) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}

/** What a sample gives the model; one object reused for every sample. */
export interface SampleFields {
  pid: number;
  tid: number;
  /** Nanoseconds, exact: the high and low 32-bit halves of the u64. */
  timeHi: number;
  timeLo: number;
  cpu: number;
  /** The RAW payload (a tracepoint record), -1 when none. */
  rawStart: number;
  rawLength: number;
}

/** Where a record's sample id is, so the attr of a record can be found before it is read. */
export interface IdPosition {
  /** Byte offset of the id in a sample's body (after the 8-byte header), -1 when samples carry none. */
  sample: number;
  /** Bytes from the end of a non-sample record back to its trailer's id, -1 when none. */
  trailer: number;
}

export function idPosition(a: PerfAttr): IdPosition {
  const t = a.sampleType;
  if (t & Sample.Identifier) return { sample: 0, trailer: 8 };
  if (!(t & Sample.Id)) return { sample: -1, trailer: -1 };
  let s = 0;
  for (const b of [Sample.Ip, Sample.Tid, Sample.Time, Sample.Addr]) if (t & b) s += 8;
  let e = 8;
  for (const b of [Sample.StreamId, Sample.Cpu]) if (t & b) e += 8;
  return { sample: s, trailer: e };
}

/**
 * The sample's fields from the body at [pos, end) (after the record header).
 * Returns null, or why the sample does not fit its record.
 */
export function readSample(a: PerfAttr, bin: PerfBin, pos: number, end: number, out: SampleFields): string | null {
  const t = a.sampleType;
  const v = bin.view;
  const le = bin.le;
  let p = pos;
  if (t & Sample.Identifier) p += 8;
  if (t & Sample.Ip) p += 8;
  if (t & Sample.Tid) {
    if (p + 8 > end) return 'cut short before its pid/tid';
    out.pid = v.getInt32(p, le);
    out.tid = v.getInt32(p + 4, le);
    p += 8;
  } else out.pid = out.tid = -1;
  if (t & Sample.Time) {
    if (p + 8 > end) return 'cut short before its time';
    out.timeLo = v.getUint32(p + (le ? 0 : 4), le);
    out.timeHi = v.getUint32(p + (le ? 4 : 0), le);
    p += 8;
  } else out.timeHi = out.timeLo = -1;
  if (t & Sample.Addr) p += 8;
  if (t & Sample.Id) p += 8;
  if (t & Sample.StreamId) p += 8;
  if (t & Sample.Cpu) {
    if (p + 8 > end) return 'cut short before its cpu';
    out.cpu = v.getUint32(p, le);
    p += 8;
  } else out.cpu = -1;
  if (t & Sample.Period) p += 8;
  if (t & Sample.Read) {
    if (p + 8 > end) return 'cut short in its read values';
    p += readValuesSize(a.readFormat, bin.u64(p));
  }
  if (t & Sample.Callchain) {
    if (p + 8 > end) return 'cut short in its callchain';
    p += 8 + 8 * bin.u64(p);
  }
  out.rawStart = -1;
  out.rawLength = 0;
  if (t & Sample.Raw) {
    if (p + 4 > end) return 'cut short before its raw data';
    const n = v.getUint32(p, le);
    out.rawStart = p + 4;
    out.rawLength = n;
    p += 4 + n;
  }
  if (t > Sample.Raw * 2 - 1) p = walkTail(a, bin, p, end);
  if (p > end) return `its fields run ${p - end} bytes past the record's end (sample_type 0x${t.toString(16)})`;
  return null;
}

/** Bytes of a READ block whose first u64 is `first` (the group's nr, or the value). */
function readValuesSize(format: number, first: number): number {
  const times = (format & ReadFormat.TotalTimeEnabled ? 8 : 0) + (format & ReadFormat.TotalTimeRunning ? 8 : 0);
  const perValue = 8 + (format & ReadFormat.Id ? 8 : 0) + (format & ReadFormat.Lost ? 8 : 0);
  return format & ReadFormat.Group ? 8 + times + first * perValue : times + perValue;
}

/** The fields after RAW, walked by their sizes; returns the position after them (past `end` when they do not fit). */
function walkTail(a: PerfAttr, bin: PerfBin, pos: number, end: number): number {
  const t = a.sampleType;
  let p = pos;
  const u64 = (at: number): number => (at + 8 <= end ? bin.u64(at) : Infinity);
  if (t & Sample.BranchStack) {
    const nr = u64(p);
    p += 8 + (a.branchSampleType & BRANCH_HW_INDEX ? 8 : 0) + 24 * nr;
  }
  if (t & Sample.RegsUser) {
    const abi = u64(p);
    p += 8 + (abi !== 0 ? 8 * a.regsUser : 0);
  }
  if (t & Sample.StackUser) {
    const size = u64(p);
    p += 8 + size + (size !== 0 ? 8 : 0);
  }
  if (t & (Sample.Weight | Sample.WeightStruct)) p += 8;
  if (t & Sample.DataSrc) p += 8;
  if (t & Sample.Transaction) p += 8;
  if (t & Sample.RegsIntr) {
    const abi = u64(p);
    p += 8 + (abi !== 0 ? 8 * a.regsIntr : 0);
  }
  if (t & Sample.PhysAddr) p += 8;
  if (t & Sample.Cgroup) p += 8;
  if (t & Sample.DataPageSize) p += 8;
  if (t & Sample.CodePageSize) p += 8;
  if (t & Sample.Aux) {
    const size = u64(p);
    p += 8 + size;
  }
  return p;
}

/** A non-sample record's sample_id_all trailer ending at `end`: its tid, pid and time (-1 where absent). */
export function readTrailer(a: PerfAttr, bin: PerfBin, start: number, end: number, out: SampleFields): void {
  out.pid = out.tid = out.cpu = -1;
  out.timeHi = out.timeLo = -1;
  if (!a.sampleIdAll) return;
  const t = a.sampleType;
  let p = end;
  if (t & Sample.Identifier) p -= 8;
  if (t & Sample.Cpu) {
    p -= 8;
    if (p >= start) out.cpu = bin.u32(p);
  }
  if (t & Sample.StreamId) p -= 8;
  if (t & Sample.Id) p -= 8;
  if (t & Sample.Time) {
    p -= 8;
    if (p >= start) {
      out.timeLo = bin.u32(p + (bin.le ? 0 : 4));
      out.timeHi = bin.u32(p + (bin.le ? 4 : 0));
    }
  }
  if (t & Sample.Tid) {
    p -= 8;
    if (p >= start) {
      out.pid = bin.i32(p);
      out.tid = bin.i32(p + 4);
    }
  }
}
