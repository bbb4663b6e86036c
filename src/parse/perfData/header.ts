// perf.data's file header (perf_file_header) and what it points to: the attrs
// section with each attr's ids, the data section, and the feature sections'
// table after the data. A pipe-mode file (`perf record -o -`) has a 16-byte
// header and carries all of this inline as records instead (records.ts).

import type { RandomAccessSource } from '../source';
import { readAttr, type PerfAttr } from './attr';
import { MAGIC_BE, MAGIC_LE, PerfBin, PerfDataError } from './binary';

export const FILE_HEADER_SIZE = 104;
export const PIPE_HEADER_SIZE = 16;

export interface Section {
  offset: number;
  size: number;
}

export interface FileHeader {
  attrs: PerfAttr[];
  data: Section;
  /** The header's data size was 0 (perf did not finish the file): the data is read to the end of the file. */
  unfinished: boolean;
  /** Feature sections by feature bit. */
  features: Map<number, Section>;
  /** What could not be read in the header's tables (kept going without it). */
  problems: string[];
}

const ascii = (b: Uint8Array, n: number): string => String.fromCharCode(...b.subarray(0, n));

/** Whether bytes start a perf.data (either byte order: the message for a big-endian one is the reader's). */
export function isPerfData(head: Uint8Array): boolean {
  const m = ascii(head, 8);
  return m === MAGIC_LE || m === MAGIC_BE || m === 'PERFFILE';
}

/** 'file' or 'pipe' from the header's size field; throws a clear error for what is not read. */
export function perfDataMode(head: Uint8Array): 'file' | 'pipe' {
  const m = ascii(head, 8);
  if (m === MAGIC_BE)
    throw new PerfDataError(
      'it was recorded on a big-endian machine (s390, ppc64), whose byte order SchedMap does not read: run `perf script --ns -F comm,pid,tid,cpu,time,event,trace -i perf.data` on that machine and drop its text',
    );
  if (m !== MAGIC_LE)
    throw new PerfDataError('it is a version 1 perf.data (perf before 2.6.37): SchedMap reads version 2 (PERFILE2)');
  if (head.length < 16) throw new PerfDataError('the file is cut short inside its header');
  const bin = new PerfBin(head, true);
  const size = bin.u64(8);
  if (size === PIPE_HEADER_SIZE) return 'pipe';
  if (size !== FILE_HEADER_SIZE)
    throw new PerfDataError(`its header says it is ${size} bytes, where perf writes ${FILE_HEADER_SIZE} (or 16 in pipe mode)`);
  return 'file';
}

export async function readFileHeader(src: RandomAccessSource): Promise<FileHeader> {
  const head = await src.read(0, FILE_HEADER_SIZE);
  if (head.length < FILE_HEADER_SIZE) throw new PerfDataError('the file is cut short inside its header');
  const h = new PerfBin(head, true);
  const attrSize = h.u64(16);
  const attrsSec = { offset: h.u64(24), size: h.u64(32) };
  let data = { offset: h.u64(40), size: h.u64(48) };
  const problems: string[] = [];
  const unfinished = data.size === 0 && src.size > data.offset;
  if (unfinished) data = { offset: data.offset, size: src.size - data.offset };
  if (data.offset + data.size > src.size) {
    problems.push(
      `the file is cut short: its data section should end at byte ${data.offset + data.size} but the file has ${src.size} bytes (the events up to there are read)`,
    );
    data = { offset: data.offset, size: Math.max(0, src.size - data.offset) };
  }

  if (attrSize < 16 + 64 || attrsSec.size % attrSize !== 0)
    throw new PerfDataError(`its attrs section (${attrsSec.size} bytes of ${attrSize}-byte entries) is damaged`);
  const attrBytes = await src.read(attrsSec.offset, attrsSec.size);
  if (attrBytes.length < attrsSec.size) throw new PerfDataError('the file is cut short inside its attrs section');
  const ab = new PerfBin(attrBytes, true);
  const attrs: PerfAttr[] = [];
  for (let p = 0; p < attrsSec.size; p += attrSize) {
    const a = readAttr(ab, p, attrSize - 16);
    const ids = { offset: ab.u64(p + attrSize - 16), size: ab.u64(p + attrSize - 8) };
    const idBytes = new PerfBin(await src.read(ids.offset, ids.size), true);
    for (let q = 0; q + 8 <= idBytes.length; q += 8) a.ids.push(idBytes.u64(q));
    attrs.push(a);
  }

  // The feature table: one section per bit set in adds_features, in bit order, right after the data.
  const features = new Map<number, Section>();
  const bits: number[] = [];
  for (let w = 0; w < 8; w++) {
    const word = h.u32(72 + 4 * w);
    for (let b = 0; b < 32; b++) if ((word >>> b) & 1) bits.push(w * 32 + b);
  }
  if (!unfinished && bits.length > 0) {
    const tableAt = data.offset + data.size;
    const table = new PerfBin(await src.read(tableAt, 16 * bits.length), true);
    if (table.length < 16 * bits.length)
      problems.push(`the feature table at byte ${tableAt} is cut short: host facts and event formats may be missing`);
    for (let i = 0; i < bits.length && 16 * i + 16 <= table.length; i++) {
      const sec = { offset: table.u64(16 * i), size: table.u64(16 * i + 8) };
      if (sec.offset + sec.size > src.size)
        problems.push(`feature ${bits[i]}'s section (byte ${sec.offset}, ${sec.size} bytes) lies past the end of the file`);
      else features.set(bits[i], sec);
    }
  } else if (unfinished)
    problems.push(
      'perf did not finish writing this file (its header says the data is 0 bytes: the recording was killed): the data is read to the end of the file, and it has no feature sections',
    );
  return { attrs, data, unfinished, features, problems };
}
