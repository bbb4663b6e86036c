// The "tracing data" block: perf.data's HEADER_TRACING_DATA (feature section
// or pipe record) and the head of a trace.dat version 6 file share it
// (trace-cmd.dat.v6 man page; perf's util/trace-event-info.c writes it):
//
//   "\x17\x08\x44tracing"  version ("0.6" perf, "6" trace-cmd) NUL
//   u8 big-endian?  u8 sizeof(long)  u32 page size
//   "header_page\0" u64 size, text      "header_event\0" u64 size, text
//   u32 count, count × (u64 size, text)                 ftrace event formats
//   u32 systems, systems × (name NUL, u32 count, count × (u64 size, text))
//   u32 size, kallsyms text              u32 size, printk formats text
//   (version ≥ 6 / 0.6) u64 size, saved cmdlines text ("pid comm" lines)
//
// Numbers are in the byte order the block says. A format that cannot be read
// is reported and skipped; the others are kept.

import { FormatError, parseEventFormat, type EventFormat } from './format';

export const TRACING_MAGIC = [0x17, 0x08, 0x44, 0x74, 0x72, 0x61, 0x63, 0x69, 0x6e, 0x67];

export interface TracingData {
  /** "0.6", "0.5", "6" ... */
  version: string;
  bigEndian: boolean;
  longSize: number;
  pageSize: number;
  headerPage: string;
  headerEvent: string;
  /** The ftrace system's own formats (function, print ...), system "ftrace". */
  ftraceFormats: EventFormat[];
  /** Every other event format, with its system. */
  events: EventFormat[];
  kallsyms: string;
  printk: string;
  /** Saved cmdlines text (`pid comm` per line), null before version 0.6. */
  cmdlines: string | null;
  /** Offset just past the block (where trace.dat goes on with cpus and options). */
  end: number;
  /** Formats that could not be read, and a block cut short: what was lost. */
  problems: string[];
}

export class TracingDataError extends Error {
  override name = 'TracingDataError';
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Read a tracing-data block starting at bytes[offset]. Throws TracingDataError only when its head is unreadable. */
export function readTracingData(bytes: Uint8Array, offset = 0): TracingData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = offset;
  const need = (n: number, what: string): void => {
    if (p + n > bytes.length) throw new TracingDataError(`tracing data cut short in ${what} (offset ${p})`);
  };
  need(TRACING_MAGIC.length, 'the magic');
  for (let i = 0; i < TRACING_MAGIC.length; i++)
    if (bytes[p + i] !== TRACING_MAGIC[i]) throw new TracingDataError('no tracing data here (bad magic)');
  p += TRACING_MAGIC.length;
  const version = cstring(bytes, p, 16);
  if (version === null) throw new TracingDataError('tracing data: unterminated version string');
  p += version.length + 1;
  need(6, 'the header');
  const bigEndian = bytes[p] !== 0;
  const little = !bigEndian;
  const longSize = bytes[p + 1];
  const pageSize = view.getUint32(p + 2, little);
  p += 6;
  const data: TracingData = {
    version,
    bigEndian,
    longSize,
    pageSize,
    headerPage: '',
    headerEvent: '',
    ftraceFormats: [],
    events: [],
    kallsyms: '',
    printk: '',
    cmdlines: null,
    end: p,
    problems: [],
  };
  const u32 = (what: string): number => {
    need(4, what);
    const v = view.getUint32(p, little);
    p += 4;
    return v;
  };
  const u64 = (what: string): number => {
    need(8, what);
    const lo = view.getUint32(little ? p : p + 4, little);
    const hi = view.getUint32(little ? p + 4 : p, little);
    p += 8;
    return hi * 4294967296 + lo;
  };
  const blob = (size: number, what: string): Uint8Array => {
    need(size, what);
    const b = bytes.subarray(p, p + size);
    p += size;
    return b;
  };
  const named = (name: string): string => {
    const got = cstring(bytes, p, 64);
    if (got !== name) throw new TracingDataError(`tracing data: expected "${name}", found "${got ?? '?'}"`);
    p += name.length + 1;
    return utf8.decode(blob(u64(name), name));
  };
  try {
    data.headerPage = named('header_page');
    data.headerEvent = named('header_event');
    const nftrace = u32('the ftrace format count');
    for (let i = 0; i < nftrace; i++)
      addFormat(data, data.ftraceFormats, blob(u64('an ftrace format'), 'an ftrace format'), 'ftrace');
    const systems = u32('the system count');
    for (let s = 0; s < systems; s++) {
      const sys = cstring(bytes, p, 256);
      if (sys === null) throw new TracingDataError(`tracing data: unterminated system name (offset ${p})`);
      p += sys.length + 1;
      const count = u32(`the ${sys} format count`);
      for (let i = 0; i < count; i++)
        addFormat(data, data.events, blob(u64(`a ${sys} format`), `a ${sys} format`), sys);
    }
    data.kallsyms = latin1.decode(blob(u32('kallsyms'), 'kallsyms'));
    data.printk = latin1.decode(blob(u32('printk formats'), 'printk formats'));
    if (hasCmdlines(version) && p < bytes.length)
      data.cmdlines = utf8.decode(blob(u64('saved cmdlines'), 'saved cmdlines'));
  } catch (e) {
    if (!(e instanceof TracingDataError)) throw e;
    // Keep the formats read so far: a damaged tail costs only what follows it.
    data.problems.push(e.message);
  }
  data.end = p;
  return data;
}

function addFormat(data: TracingData, into: EventFormat[], text: Uint8Array, system: string): void {
  try {
    into.push(parseEventFormat(utf8.decode(text), system));
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    data.problems.push(`${system} event format skipped: ${e.message}`);
  }
}

function hasCmdlines(version: string): boolean {
  const v = Number(version);
  return (v >= 0.6 && v < 1) || v >= 6;
}

/** A NUL-terminated ASCII string at bytes[p] of at most `max` characters, or null. */
function cstring(bytes: Uint8Array, p: number, max: number): string | null {
  const end = Math.min(bytes.length, p + max + 1);
  for (let i = p; i < end; i++) if (bytes[i] === 0) return latin1.decode(bytes.subarray(p, i));
  return null;
}

/** Saved cmdlines text (`pid comm` lines) as a map. */
export function parseCmdlines(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (m) out.set(Number(m[1]), m[2]);
  }
  return out;
}
