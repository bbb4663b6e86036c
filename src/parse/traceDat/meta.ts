// The metadata of a trace.dat (trace-cmd.dat.v6(5), trace-cmd.dat.v7(5)): the
// initial format (magic, version, endianness, long size, page size), the
// header_page / header_event formats, the event formats, the saved cmdlines,
// the options, and where each CPU's ring-buffer pages are. Version 6 is one
// flat run of sections; version 7 has sections found through options, any of
// them compressed. kallsyms and printk formats are skipped by their sizes.

import { parseEventFormat, type EventFormat } from '../tracefs/format';
import { readTracingData } from '../tracefs/tracingData';
import { unknownRecordingHost, type RecordingHost } from '../../model/types';
import { text } from '../binary';
import { Bin, TraceDatError } from './binary';
import { compressionOf, inflate, type Algorithm } from './compression';
import { memorySource, type RandomAccessSource } from '../source';
import { Window } from './window';

export const TRACE_DAT_MAGIC = [0x17, 0x08, 0x44];

export interface CpuData {
  cpu: number;
  /** File offset of this CPU's pages (v7 compressed: of its chunk table). */
  offset: number;
  size: number;
}

export interface BufferInfo {
  /** "" for the top instance. */
  name: string;
  clock: string;
  pageSize: number;
  cpus: CpuData[];
}

export interface TraceDatMeta {
  version: number;
  littleEndian: boolean;
  longSize: number;
  pageSize: number;
  /** Compression of the sections and flyrecord data (v7), null when none. */
  compression: Algorithm | null;
  headerPage: string;
  headerEvent: string;
  formats: EventFormat[];
  cmdlines: string;
  /** CPUs of the recording machine (CPUCOUNT option, or the v6 header's count). */
  cpuCount: number | null;
  buffers: BufferInfo[];
  /** The file holds latency-tracer text, not ring-buffer pages. */
  latency: boolean;
  /** The UNAME and VERSION options: the recording machine and trace-cmd's version; null without both. */
  host: RecordingHost | null;
  /** OFFSET option: nanoseconds trace-cmd adds to every timestamp. */
  timeOffset: bigint;
  /** Things read around (unreadable formats, buffers not read), for the model's warnings. */
  notes: string[];
}

const enum Opt {
  Done = 0,
  CpuStat = 2,
  Buffer = 3,
  TraceClock = 4,
  Uname = 5,
  Offset = 7,
  CpuCount = 8,
  Version = 9,
  HeaderInfo = 16,
  FtraceEvents = 17,
  EventFormats = 18,
  Cmdlines = 21,
  BufferText = 22,
}

/** Whether the first bytes are a trace.dat's magic ("\x17\x08Dtracing"). */
export function isTraceDat(head: Uint8Array): boolean {
  if (head.length < 10) return head.length >= 3 && TRACE_DAT_MAGIC.every((v, i) => head[i] === v);
  return TRACE_DAT_MAGIC.every((v, i) => head[i] === v) && text(head, 3, 10) === 'tracing';
}

export async function readMeta(src: RandomAccessSource): Promise<TraceDatMeta> {
  const probe = new Window(src, true);
  const magic = await probe.at(0, 10, 'the trace.dat header');
  if (!isTraceDat(magic)) throw new TraceDatError("not a trace.dat: the file does not start with trace-cmd's magic");
  const [versionText, afterVersion] = await probe.cstr(10, 'the trace.dat version', 16);
  const version = Number(versionText);
  if (!/^\d+$/.test(versionText) || (version !== 6 && version !== 7))
    throw new TraceDatError(
      `trace.dat version "${versionText}" is not one SchedMap reads (it reads versions 6 and 7, trace-cmd 2.x and 3.x); convert it with \`trace-cmd convert --file-version 7\` or run \`trace-cmd report\` and drop the text`,
    );
  const flags = await probe.at(afterVersion, 2, 'the trace.dat header');
  const endian = flags[0];
  const longSize = flags[1];
  if (endian > 1) throw new TraceDatError(`the endianness byte is ${endian} (0 little, 1 big): not a trace.dat`);
  if (longSize !== 4 && longSize !== 8)
    throw new TraceDatError(`the long size is ${longSize} bytes (4 or 8): not a trace.dat`);
  const w = new Window(src, endian === 0);
  const pageSize = await w.u32(afterVersion + 2, 'the page size');
  if (pageSize < 64 || pageSize > 1 << 24 || (pageSize & (pageSize - 1)) !== 0)
    throw new TraceDatError(`the page size is ${pageSize} bytes: not a trace.dat`);
  const meta: TraceDatMeta = {
    version,
    littleEndian: endian === 0,
    longSize,
    pageSize,
    compression: null,
    headerPage: '',
    headerEvent: '',
    formats: [],
    cmdlines: '',
    cpuCount: null,
    buffers: [],
    latency: false,
    host: null,
    timeOffset: 0n,
    notes: [],
  };
  const pos = afterVersion + 6;
  if (version === 6) await readV6(w, meta);
  else await readV7(w, pos, meta);
  return meta;
}

// ---- version 6 --------------------------------------------------------

/** The head of a v6 file is perf's tracing-data block: read by the shared tracefs reader, whole. */
async function readV6(w: Window, meta: TraceDatMeta): Promise<void> {
  let want = Math.min(w.size, 8 << 20);
  let head = readTracingData(await w.at(0, want, 'the trace.dat header'));
  // kallsyms alone can be megabytes: read more until the block fits (or the file ends).
  while (head.problems.some((m) => m.includes('cut short')) && want < w.size) {
    want = Math.min(w.size, want * 4);
    head = readTracingData(await w.at(0, want, 'the trace.dat header'));
  }
  meta.headerPage = head.headerPage;
  meta.headerEvent = head.headerEvent;
  meta.formats = [...head.ftraceFormats, ...head.events];
  meta.cmdlines = head.cmdlines ?? '';
  for (const m of head.problems) meta.notes.push(m);
  if (head.problems.some((m) => m.includes('cut short')))
    throw new TraceDatError(
      `the file is cut short inside its header (${head.problems.join('; ')}): it holds no event data`,
    );
  let pos = head.end;
  const cpus = await w.u32(pos, 'the CPU count');
  meta.cpuCount = cpus;
  pos += 4;
  let label = await label10(w, pos);
  pos += 10;
  let clock = 'local';
  if (label === 'options') {
    for (;;) {
      const id = await w.u16(pos, 'an option');
      pos += 2;
      if (id === Opt.Done) break;
      const size = await w.u32(pos, 'an option size');
      const data = await w.bin(pos + 4, size, 'an option');
      pos += 4 + size;
      if (id === Opt.TraceClock) clock = selectedClock(text(data.bytes));
      else if (id === Opt.Buffer)
        meta.notes.push(
          `instance buffer "${bufferName(data)}" is not read (only the top buffer of a version 6 file is)`,
        );
      else readCommonOption(id, data, meta);
    }
    label = await label10(w, pos);
    pos += 10;
  }
  if (label === 'latency') {
    meta.latency = true;
    return;
  }
  if (label !== 'flyrecord')
    throw new TraceDatError(`expected "flyrecord" or "latency" after the options, found "${label}"`);
  const list: CpuData[] = [];
  const table = await w.bin(pos, 16 * cpus, 'the per-CPU data table');
  for (let c = 0; c < cpus; c++) list.push({ cpu: c, offset: table.u64(16 * c), size: table.u64(16 * c + 8) });
  meta.buffers.push({ name: '', clock, pageSize: meta.pageSize, cpus: list });
}

async function label10(w: Window, pos: number): Promise<string> {
  const b = await w.at(pos, 10, 'a section label');
  const end = b.indexOf(0);
  return text(b, 0, end < 0 ? 10 : end).trim();
}

function bufferName(data: Bin): string {
  const end = data.bytes.indexOf(0, 8);
  return text(data.bytes, 8, end < 0 ? data.length : end);
}

/** `[local] global counter` → local (the selected clock is in brackets). */
function selectedClock(s: string): string {
  const m = /\[([^\]]+)\]/.exec(s);
  return m ? m[1] : s.trim() || 'local';
}

function readCommonOption(id: number, data: Bin, meta: TraceDatMeta): void {
  if (id === Opt.CpuCount && data.length >= 4) meta.cpuCount = data.u32(0);
  else if (id === Opt.Offset) {
    const s = text(data.bytes).replace(/\0.*$/s, '').trim();
    if (/^-?\d+$/.test(s)) meta.timeOffset = BigInt(s);
  } else if (id === Opt.BufferText) meta.latency = true;
  else if (id === Opt.Uname || id === Opt.Version) {
    const s = text(data.bytes).replace(/\0.*$/s, '').trim();
    if (s === '') return;
    meta.host ??= unknownRecordingHost();
    if (id === Opt.Version) meta.host.recorder = `trace-cmd ${s.split(' ')[0]}`;
    else {
      // trace-cmd writes "sysname nodename release machine" (`Linux vm 6.1.0-57-arm64 aarch64`).
      const words = s.split(' ');
      if (words.length === 4) [, meta.host.hostname, meta.host.osRelease, meta.host.arch] = words;
      else meta.host.osRelease = s;
    }
  }
}

async function readHeaders(w: Window, pos: number, meta: TraceDatMeta): Promise<number> {
  const hp = await w.at(pos, 12, 'the header_page label');
  if (text(hp, 0, 11) !== 'header_page') throw new TraceDatError('expected "header_page" after the initial format');
  const hpSize = await w.u64(pos + 12, 'the header_page size');
  meta.headerPage = text(await w.at(pos + 20, hpSize, 'the header_page format'));
  pos += 20 + hpSize;
  const he = await w.at(pos, 13, 'the header_event label');
  if (text(he, 0, 12) !== 'header_event') throw new TraceDatError('expected "header_event" after header_page');
  const heSize = await w.u64(pos + 13, 'the header_event size');
  meta.headerEvent = text(await w.at(pos + 21, heSize, 'the header_event format'));
  return pos + 21 + heSize;
}

function addFormat(meta: TraceDatMeta, formatText: string, system: string): void {
  try {
    meta.formats.push(parseEventFormat(formatText, system));
  } catch (e) {
    meta.notes.push(
      `a ${system} event format could not be read (${e instanceof Error ? e.message : String(e)}); its events are skipped`,
    );
  }
}

// The v7 format sections hold the same lists as the v6 head: counts, sizes, texts.
async function readFtraceFormats(w: Window, pos: number, meta: TraceDatMeta): Promise<number> {
  const n = await w.u32(pos, 'the ftrace format count');
  pos += 4;
  for (let i = 0; i < n; i++) {
    const size = await w.u64(pos, 'an ftrace format size');
    addFormat(meta, text(await w.at(pos + 8, size, 'an ftrace format')), 'ftrace');
    pos += 8 + size;
  }
  return pos;
}

async function readEventFormats(w: Window, pos: number, meta: TraceDatMeta): Promise<number> {
  const systems = await w.u32(pos, 'the event system count');
  pos += 4;
  for (let s = 0; s < systems; s++) {
    const [system, next] = await w.cstr(pos, 'an event system name');
    pos = next;
    const n = await w.u32(pos, `the event count of system ${system}`);
    pos += 4;
    for (let i = 0; i < n; i++) {
      const size = await w.u64(pos, `an event format size of system ${system}`);
      addFormat(meta, text(await w.at(pos + 8, size, `an event format of system ${system}`)), system);
      pos += 8 + size;
    }
  }
  return pos;
}

// ---- version 7 --------------------------------------------------------

/** A section's content, decompressed when its flag says so. */
async function section(w: Window, offset: number, id: number, meta: TraceDatMeta, what: string): Promise<Window> {
  const h = await w.bin(offset, 16, `the ${what} section header`);
  const got = h.u16(0);
  if (got !== id) throw new TraceDatError(`the ${what} section at offset ${offset} has id ${got}, expected ${id}`);
  const flags = h.u16(2);
  const size = h.u64(8);
  const data = await w.at(offset + 16, size, `the ${what} section`);
  let bytes: Uint8Array;
  if (flags & 1) {
    if (!meta.compression)
      throw new TraceDatError(`the ${what} section is compressed but the file names no compression`);
    const c = new Bin(data, meta.littleEndian);
    c.need(0, 8, `the ${what} section's compression header`);
    const csize = c.u32(0);
    const usize = c.u32(4);
    c.need(8, csize, `the ${what} section's compressed data`);
    bytes = await inflate(meta.compression, data.subarray(8, 8 + csize), usize, `the ${what} section`);
  } else bytes = data.slice();
  return new Window(memorySource(bytes), meta.littleEndian);
}

async function readV7(w: Window, pos: number, meta: TraceDatMeta): Promise<void> {
  const [name, afterName] = await w.cstr(pos, 'the compression name', 64);
  const [, afterVersion] = await w.cstr(afterName, 'the compression version', 64);
  meta.compression = compressionOf(name);
  let optionsAt = await w.u64(afterVersion, 'the options offset');
  const seen = new Set<number>();
  const sections: Partial<Record<Opt, number>> = {};
  while (optionsAt !== 0) {
    if (seen.has(optionsAt)) throw new TraceDatError(`the options sections loop (offset ${optionsAt} again)`);
    seen.add(optionsAt);
    const opts = await section(w, optionsAt, 0, meta, 'options');
    let p = 0;
    optionsAt = 0;
    while (p + 6 <= opts.size) {
      const id = await opts.u16(p, 'an option');
      const size = await opts.u32(p + 2, 'an option size');
      const data = await opts.bin(p + 6, size, 'an option');
      p += 6 + size;
      if (id === Opt.Done) {
        optionsAt = size >= 8 ? data.u64(0) : 0;
        break;
      }
      switch (id) {
        case Opt.HeaderInfo:
        case Opt.FtraceEvents:
        case Opt.EventFormats:
        case Opt.Cmdlines:
          sections[id as Opt] = data.u64(0);
          break;
        case Opt.Buffer:
          meta.buffers.push(readBufferOption(data));
          break;
        default:
          readCommonOption(id, data, meta);
      }
    }
  }
  const at = (id: Opt, what: string): number => {
    const o = sections[id];
    if (o === undefined) throw new TraceDatError(`the file has no ${what} section (no option points to one)`);
    return o;
  };
  await readHeaders(await section(w, at(Opt.HeaderInfo, 'header info'), Opt.HeaderInfo, meta, 'header info'), 0, meta);
  if (sections[Opt.FtraceEvents] !== undefined)
    await readFtraceFormats(
      await section(w, sections[Opt.FtraceEvents], Opt.FtraceEvents, meta, 'ftrace formats'),
      0,
      meta,
    );
  await readEventFormats(
    await section(w, at(Opt.EventFormats, 'event formats'), Opt.EventFormats, meta, 'event formats'),
    0,
    meta,
  );
  // A latency (text) buffer is what the file holds only when no flyrecord buffer has pages.
  if (meta.buffers.some((b) => b.cpus.length > 0)) meta.latency = false;
  if (sections[Opt.Cmdlines] !== undefined) {
    const c = await section(w, sections[Opt.Cmdlines], Opt.Cmdlines, meta, 'saved cmdlines');
    const size = await c.u64(0, 'the saved cmdlines size');
    meta.cmdlines = text(await c.at(8, size, 'the saved cmdlines'));
  }
}

/** BUFFER: section offset, instance name, clock, page size, then (cpu, offset, size) per CPU. */
function readBufferOption(data: Bin): BufferInfo {
  data.need(0, 8, 'a BUFFER option');
  const [name, afterName] = data.cstr(8, 'a BUFFER option');
  const [clock, afterClock] = data.cstr(afterName, 'a BUFFER option');
  let p = afterClock;
  data.need(p, 8, 'a BUFFER option');
  const pageSize = data.u32(p);
  const n = data.u32(p + 4);
  p += 8;
  data.need(p, 20 * n, "a BUFFER option's CPU table");
  const cpus: CpuData[] = [];
  for (let i = 0; i < n; i++, p += 20) cpus.push({ cpu: data.u32(p), offset: data.u64(p + 4), size: data.u64(p + 12) });
  return { name, clock: clock || 'local', pageSize, cpus };
}
