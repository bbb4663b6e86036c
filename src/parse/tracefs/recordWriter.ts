// The inverse of fields.ts: one raw event record laid out by its format, in
// either byte order. Used by synth's perf.data writer and by tests that build
// records of formats from other kernels.

import type { EventFormat, FieldFormat } from './format';

export type FieldValue = number | bigint | string;

/**
 * A record of `format` with the given field values (common_type is the
 * format's id unless given). Missing fields are zero; strings are
 * NUL-padded to the field (or, for __data_loc fields, appended after the
 * fixed part). The length is padded to `align` bytes.
 */
export function encodeRecord(
  format: EventFormat,
  values: Record<string, FieldValue>,
  littleEndian: boolean,
  align = 4,
): Uint8Array {
  const all = [...format.commonFields, ...format.fields];
  let fixed = 0;
  for (const f of all) fixed = Math.max(fixed, f.offset + f.size);
  const enc = new TextEncoder();
  const dynamic: { f: FieldFormat; bytes: Uint8Array }[] = [];
  let dynSize = 0;
  for (const f of all) {
    if (f.location === 'inline') continue;
    const v = values[f.name];
    const bytes = typeof v === 'string' ? withNul(enc.encode(v)) : new Uint8Array(0);
    dynamic.push({ f, bytes });
    dynSize += bytes.length;
  }
  const length = Math.ceil((fixed + dynSize) / align) * align;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let dynAt = fixed;
  for (const f of all) {
    let v: FieldValue | undefined = values[f.name];
    if (v === undefined && f.name === 'common_type') v = format.id;
    if (f.location !== 'inline') {
      const d = dynamic.find((x) => x.f === f)!;
      out.set(d.bytes, dynAt);
      const rel = f.location === 'rel_loc' ? dynAt - (f.offset + f.size) : dynAt;
      view.setUint32(f.offset, (rel & 0xffff) | (d.bytes.length << 16), littleEndian);
      dynAt += d.bytes.length;
      continue;
    }
    if (v === undefined) continue;
    if (typeof v === 'string') {
      out.set(enc.encode(v).subarray(0, Math.max(0, f.size - 1)), f.offset);
      continue;
    }
    writeInt(view, f.offset, f.size, BigInt(v), littleEndian);
  }
  return out;
}

function withNul(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** An integer into 1, 2, 4 or 8 bytes (two's complement), in either byte order. */
export function writeInt(view: DataView, at: number, size: number, v: bigint, little: boolean): void {
  const u = BigInt.asUintN(size * 8, v);
  switch (size) {
    case 1:
      view.setUint8(at, Number(u));
      break;
    case 2:
      view.setUint16(at, Number(u), little);
      break;
    case 4:
      view.setUint32(at, Number(u), little);
      break;
    case 8:
      view.setBigUint64(at, u, little);
      break;
    default:
      throw new Error(`cannot write a ${size}-byte integer`);
  }
}

export interface TracingDataInput {
  bigEndian: boolean;
  longSize: number;
  pageSize: number;
  headerPage: string;
  headerEvent: string;
  /** Event format texts (each with its `name:` and `ID:` lines) by system, in order. */
  systems: { name: string; formats: string[] }[];
  kallsyms?: string;
  printk?: string;
  cmdlines?: string;
  /** "0.6" (perf) by default. */
  version?: string;
}

/** A tracing-data block as perf record writes it (see tracingData.ts for the layout). */
export function encodeTracingData(input: TracingDataInput): Uint8Array {
  const enc = new TextEncoder();
  const little = !input.bigEndian;
  const parts: Uint8Array[] = [];
  const u32 = (v: number): void => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, little);
    parts.push(b);
  };
  const u64 = (v: number): void => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), little);
    parts.push(b);
  };
  const cstr = (s: string): void => {
    parts.push(enc.encode(s), new Uint8Array(1));
  };
  const sized64 = (s: string): void => {
    const b = enc.encode(s);
    u64(b.length);
    parts.push(b);
  };
  const sized32 = (s: string): void => {
    const b = enc.encode(s);
    u32(b.length);
    parts.push(b);
  };
  parts.push(new Uint8Array([0x17, 0x08, 0x44]), enc.encode('tracing'));
  cstr(input.version ?? '0.6');
  parts.push(new Uint8Array([input.bigEndian ? 1 : 0, input.longSize]));
  u32(input.pageSize);
  cstr('header_page');
  sized64(input.headerPage);
  cstr('header_event');
  sized64(input.headerEvent);
  u32(0); // no ftrace formats
  u32(input.systems.length);
  for (const s of input.systems) {
    cstr(s.name);
    u32(s.formats.length);
    for (const f of s.formats) sized64(f);
  }
  sized32(input.kallsyms ?? '');
  sized32(input.printk ?? '');
  if (input.cmdlines !== undefined) sized64(input.cmdlines);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
