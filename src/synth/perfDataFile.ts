// A perf.data in file mode, written front to back (the inverse of
// src/parse/perfData; tools/perf/Documentation/perf.data-file-format.txt):
//
//   perf_file_header (104 bytes: magic PERFILE2, sections, adds_features bits)
//   the attrs' ids (u64 each), the attrs section (perf_event_attr + ids section per event)
//   the data section: records (perf_event_header + body), streamed
//   the feature table (one perf_file_section per bit set, in bit order), then the features
//
// The header is written last, at offset 0, once the data's size is known.

import { Feature, MAGIC_LE, PERF_TYPE_TRACEPOINT, RecordType, Sample } from '../parse/perfData/binary';
import { ATTR_SAMPLE_ID_ALL } from '../parse/perfData/attr';
import { FILE_HEADER_SIZE } from '../parse/perfData/header';

/** Where the file goes: appended in order, and the header patched in place at the end. */
export interface PerfDataOutput {
  write(bytes: Uint8Array): void;
  writeAt(offset: number, bytes: Uint8Array): void;
}

/** What every sample of the file carries, as `perf sched record` writes it (perf 6.1). */
export const SAMPLE_TYPE =
  Sample.Identifier | Sample.Ip | Sample.Tid | Sample.Time | Sample.Cpu | Sample.Period | Sample.Raw;

/** sizeof(struct perf_event_attr) in perf 6.1 (PERF_ATTR_SIZE_VER7). */
export const ATTR_SIZE = 128;

/** perf_event_attr flag bits (the u64 at offset 40); sample_id_all is the reader's (perfData/attr.ts). */
const ATTR_DISABLED = 1 << 0;
const ATTR_INHERIT = 1 << 1;
const ATTR_COMM = 1 << 9;
const ATTR_TASK = 1 << 13;
const ATTR_EXCLUDE_GUEST = 1 << 20;

/** One tracepoint event of the file: its format id (attr.config), name, and sample ids. */
export interface PerfEventSpec {
  config: number;
  /** `system:name`, as EVENT_DESC and perf script name it. */
  name: string;
  ids: number[];
}

/** A tracepoint's perf_event_attr; the first event also asks for COMM and FORK records, as perf's do. */
export function encodeAttr(config: number, first: boolean): Uint8Array {
  const b = new Uint8Array(ATTR_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, PERF_TYPE_TRACEPOINT, true);
  v.setUint32(4, ATTR_SIZE, true);
  v.setBigUint64(8, BigInt(config), true);
  v.setBigUint64(16, 1n, true); // sample_period: every event
  v.setBigUint64(24, BigInt(SAMPLE_TYPE), true);
  const flags =
    ATTR_DISABLED | ATTR_INHERIT | ATTR_SAMPLE_ID_ALL | ATTR_EXCLUDE_GUEST | (first ? ATTR_COMM | ATTR_TASK : 0);
  v.setUint32(40, flags, true);
  return b;
}

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u32(...values: number[]): Uint8Array {
  const b = new Uint8Array(4 * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setUint32(4 * i, x, true));
  return b;
}

function u64(...values: number[]): Uint8Array {
  const b = new Uint8Array(8 * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setBigUint64(8 * i, BigInt(x), true));
  return b;
}

/** A feature string as perf's do_write_string lays it out: u32 length, then the text NUL-padded to 64 bytes. */
export function featureString(s: string): Uint8Array {
  const text = enc.encode(s);
  const len = Math.ceil((text.length + 1) / 64) * 64;
  const b = new Uint8Array(4 + len);
  new DataView(b.buffer).setUint32(0, len, true);
  b.set(text, 4);
  return b;
}

/** HEADER_NRCPUS: CPUs available (present), then online. */
export function nrCpusFeature(available: number, online: number): Uint8Array {
  return u32(available, online);
}

/** HEADER_CMDLINE: the argument count, then each argument. */
export function cmdlineFeature(args: readonly string[]): Uint8Array {
  return concat([u32(args.length), ...args.map(featureString)]);
}

/** HEADER_EVENT_DESC: per event its attr, its name and its ids. */
export function eventDescFeature(events: readonly PerfEventSpec[]): Uint8Array {
  const parts = [u32(events.length, ATTR_SIZE)];
  events.forEach((e, i) =>
    parts.push(encodeAttr(e.config, i === 0), u32(e.ids.length), featureString(e.name), u64(...e.ids)),
  );
  return concat(parts);
}

/** The FINISHED_ROUND record: everything before it may be sorted and delivered. */
export const FINISHED_ROUND = new Uint8Array([RecordType.FinishedRound, 0, 0, 0, 0, 0, 8, 0]);

export class PerfDataFileWriter {
  private readonly dataOffset: number;
  private dataSize = 0;
  private readonly attrsSection: { offset: number; size: number };

  constructor(
    private readonly out: PerfDataOutput,
    events: readonly PerfEventSpec[],
  ) {
    out.write(new Uint8Array(FILE_HEADER_SIZE)); // the header, written for real by finish()
    let at = FILE_HEADER_SIZE;
    const idSections: { offset: number; size: number }[] = [];
    for (const e of events) {
      out.write(u64(...e.ids));
      idSections.push({ offset: at, size: 8 * e.ids.length });
      at += 8 * e.ids.length;
    }
    this.attrsSection = { offset: at, size: events.length * (ATTR_SIZE + 16) };
    events.forEach((e, i) =>
      out.write(concat([encodeAttr(e.config, i === 0), u64(idSections[i].offset, idSections[i].size)])),
    );
    this.dataOffset = at + this.attrsSection.size;
  }

  /** Records appended to the data section. */
  data(bytes: Uint8Array): void {
    this.out.write(bytes);
    this.dataSize += bytes.length;
  }

  /** The feature sections after the data, then the header that points at all of it. */
  finish(features: ReadonlyMap<Feature, Uint8Array>): void {
    const bits = [...features.keys()].sort((a, b) => a - b);
    const tableAt = this.dataOffset + this.dataSize;
    let at = tableAt + 16 * bits.length;
    const table: number[] = [];
    for (const bit of bits) {
      table.push(at, features.get(bit)!.length);
      at += features.get(bit)!.length;
    }
    this.out.write(u64(...table));
    for (const bit of bits) this.out.write(features.get(bit)!);

    const h = new Uint8Array(FILE_HEADER_SIZE);
    const v = new DataView(h.buffer);
    h.set(enc.encode(MAGIC_LE), 0);
    v.setBigUint64(8, BigInt(FILE_HEADER_SIZE), true);
    v.setBigUint64(16, BigInt(ATTR_SIZE + 16), true);
    v.setBigUint64(24, BigInt(this.attrsSection.offset), true);
    v.setBigUint64(32, BigInt(this.attrsSection.size), true);
    v.setBigUint64(40, BigInt(this.dataOffset), true);
    v.setBigUint64(48, BigInt(this.dataSize), true);
    // event_types (56, 16 bytes): unused since perf 2.6.38, zero.
    for (const bit of bits)
      v.setUint32(72 + 4 * (bit >> 5), v.getUint32(72 + 4 * (bit >> 5), true) | (1 << (bit & 31)), true);
    this.out.writeAt(0, h);
  }
}
