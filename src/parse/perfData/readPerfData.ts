// perf.data into the trace model. File mode: the header, attrs and feature
// sections (the event formats among them) are read first, by offset, then
// the data section is streamed in slices. Pipe mode (`perf record -o -`): the
// same things come inline as records, read strictly forward. Records are
// ordered by time round by round (order.ts) and every sched/kvm tracepoint
// sample is written by the SchedModelWriter that trace.dat's reader uses,
// from the formats inside the file, so the model equals what the perf script
// parser builds from `perf script` of the same file. COMM and FORK records
// give every thread its comm and tgid (exact VM grouping by process).

import { Decompress } from 'fzstd';
import { TraceBuilder } from '../../model/builder';
import type { TraceModel } from '../../model/types';
import type { ByteSource } from '../bytes';
import type { RandomAccessSource } from '../source';
import { EventTable } from '../tracefs/eventTable';
import { readTracingData, TracingDataError } from '../tracefs/tracingData';
import { recordOf, type RecordRef } from '../tracefs/fields';
import { SchedModelWriter, type ModelTracepoint } from '../tracefs/schedModel';
import { idPosition, readAttr, readSample, readTrailer, type PerfAttr, type SampleFields } from './attr';
import { Feature, PERF_TYPE_TRACEPOINT, PerfBin, PerfDataError, RecordType } from './binary';
import { emptyInfo, isReadFeature, readFeature, recordingHostOf, type PerfDataInfo } from './features';
import { PIPE_HEADER_SIZE, readFileHeader } from './header';
import { RoundQueue } from './order';
import { RecordWalker, type RecordSink } from './records';
import { thousands } from '../../model/format';

export interface PerfDataOptions {
  onProgress?: (p: { bytesRead: number; lines: number }) => void;
  signal?: AbortSignal;
}

/** Linux's PID_MAX_LIMIT: thread ids are below it. */
const TID_LIMIT = 1 << 22;

/** How much of the data section is read at a time. */
const SLICE = 4 << 20;

const enum Kind {
  Sample,
  Comm,
  Fork,
  Lost,
}

/** A queued record's row (order.ts): its time, then these fields, its fields already read. */
const enum Col {
  Kind = 1,
  /** Index in the reader's attrs, -1 for none. */
  Attr,
  /** The chunk it is in (the reader's bins). */
  Bin,
  Pos,
  Length,
  Pid,
  Tid,
  Cpu,
  RawStart,
  /** The raw payload's length; a LOST / LOST_SAMPLES record's type. */
  RawLength,
  /** Where it is in the file, for messages. */
  Offset,
  Width,
}

export interface PerfDataModel {
  model: TraceModel;
  info: PerfDataInfo;
}

/** A perf.data in file mode, read by ranges. */
export async function readPerfDataFile(src: RandomAccessSource, options: PerfDataOptions = {}): Promise<PerfDataModel> {
  const header = await readFileHeader(src);
  const r = new PerfDataReader('perf.data', options);
  for (const p of header.problems) r.note(p);
  r.setAttrs(header.attrs);
  for (const [bit, sec] of header.features) {
    if (bit !== Feature.TracingData && !isReadFeature(bit)) continue;
    const bytes = await src.read(sec.offset, sec.size);
    r.feature(bit, bytes, sec.offset);
  }
  const { offset, size } = header.data;
  const walker = new RecordWalker(r, (o) => `byte ${o}`, offset);
  for (let at = offset; at < offset + size; at += SLICE) {
    if (options.signal?.aborted) break;
    const chunk = await src.read(at, Math.min(SLICE, offset + size - at));
    walker.push(chunk);
    r.progress(at + chunk.length);
    if (walker.broken !== null) break;
  }
  return r.finish(walker, src.size);
}

/** A pipe-mode perf.data (`perf record -o -`), read forward; `stream` starts at the file's first byte. */
export async function readPerfDataPipe(stream: ByteSource, options: PerfDataOptions = {}): Promise<PerfDataModel> {
  const r = new PerfDataReader('perf.data (pipe mode)', options);
  const walker = new RecordWalker(r, (o) => `byte ${o}`, PIPE_HEADER_SIZE);
  let skip = PIPE_HEADER_SIZE;
  let read = 0;
  for await (const c of stream) {
    if (options.signal?.aborted) break;
    read += c.length;
    let chunk = c;
    if (skip > 0) {
      const n = Math.min(skip, chunk.length);
      chunk = chunk.subarray(n);
      skip -= n;
    }
    walker.push(chunk);
    r.progress(read);
    if (walker.broken !== null) break;
  }
  return r.finish(walker, read);
}

class PerfDataReader implements RecordSink {
  private readonly builder: TraceBuilder;
  readonly info = emptyInfo();
  private attrs: PerfAttr[] = [];
  /** Sample id to its attr's index in attrs. */
  private readonly byId = new Map<number, number>();
  private idPos = { sample: -1, trailer: -1 };
  private table: EventTable | null = null;
  private writer: SchedModelWriter | null = null;
  private readonly compiled: (ModelTracepoint | null | undefined)[] = [];
  private readonly queue = new RoundQueue(Col.Width, (rows, at) => this.deliver(rows, at));
  /** A row delivered at once (a record without a timestamp). */
  private readonly now = new Float64Array(Col.Width);
  /** The chunks queued rows point into: bins[id - binBase]. */
  private bins: PerfBin[] = [];
  private binBase = 0;
  private lastBin: PerfBin | null = null;
  private readonly fields: SampleFields = {
    pid: -1,
    tid: -1,
    timeHi: -1,
    timeLo: -1,
    cpu: -1,
    rawStart: -1,
    rawLength: 0,
  };
  private readonly rec: RecordRef = recordOf(new Uint8Array(0), 0, 0);
  /** Thread facts from COMM / FORK records and samples. */
  private readonly comm = new Map<number, string>();
  private readonly tgid = new Map<number, number>();
  /** tgid's values by tid below TID_LIMIT (0: none yet), so a sample whose tgid is known writes nothing. */
  private tgidOf = new Int32Array(1024);
  private baseHi = -1;
  private first = NaN;
  /** The newest delivered time: what an event without a timestamp is placed at. */
  private lastT = 0;
  private records = 0;
  private samples = 0;
  private compressed = 0;
  private zstd: Decompress | null = null;
  private zstdBroken = false;
  private readonly decompressed: RecordWalker;
  private noTimeSamples = 0;
  private noRaw = new Map<string, number>();
  private lostSamples = 0;
  private readonly options: PerfDataOptions;

  constructor(detail: string, options: PerfDataOptions) {
    this.builder = new TraceBuilder('perf-script', detail);
    this.options = options;
    const sink: RecordSink = { record: (bin, pos, len, type, off) => this.record(bin, pos, len, type, off) };
    this.decompressed = new RecordWalker(sink, (o) => `byte ${o} of the decompressed data`);
  }

  note(message: string): void {
    this.builder.warn(0, message);
  }

  progress(bytesRead: number): void {
    this.options.onProgress?.({ bytesRead, lines: this.samples });
  }

  setAttrs(attrs: PerfAttr[]): void {
    this.attrs = attrs;
    this.byId.clear();
    attrs.forEach((a, i) => {
      for (const id of a.ids) this.byId.set(id, i);
    });
    if (attrs.length === 0) return;
    const pos = idPosition(attrs[0]);
    if (
      attrs.length > 1 &&
      attrs.some((a) => {
        const q = idPosition(a);
        return q.sample !== pos.sample || q.trailer !== pos.trailer;
      })
    )
      throw new PerfDataError(
        'its events lay out their sample ids differently, so samples cannot be told apart (perf refuses such files too)',
      );
    if (attrs.length > 1 && pos.sample < 0)
      throw new PerfDataError('it has several events but its samples carry no id, so they cannot be told apart');
    this.idPos = pos;
  }

  /** A feature section (file mode) or HEADER_FEATURE record's payload (pipe mode). */
  feature(bit: number, bytes: Uint8Array, offset: number): void {
    if (bit === Feature.TracingData) this.tracingData(bytes, offset);
    else readFeature(this.info, bit, bytes);
  }

  private tracingData(bytes: Uint8Array, offset: number): void {
    let td;
    try {
      td = readTracingData(bytes, 0);
    } catch (e) {
      if (!(e instanceof TracingDataError)) throw e;
      this.note(`the tracing data at byte ${offset} cannot be read (${e.message}): its events' formats are unknown`);
      return;
    }
    for (const p of td.problems) this.note(`tracing data: ${p}`);
    this.table = new EventTable([...td.ftraceFormats, ...td.events], !td.bigEndian, td.longSize);
    this.writer = new SchedModelWriter(this.builder, {
      qualifiedNames: true,
      threadComm: (tid) => this.comm.get(tid) ?? null,
    });
    this.compiled.length = 0;
  }

  // ---- records ---------------------------------------------------------------

  record(bin: PerfBin, pos: number, length: number, type: number, offset: number): void {
    this.records++;
    switch (type) {
      case RecordType.Sample:
        return this.sample(bin, pos, length, offset);
      case RecordType.Comm:
      case RecordType.Fork:
      case RecordType.Lost:
      case RecordType.LostSamples:
        return this.taskRecord(bin, pos, length, type, offset);
      case RecordType.FinishedRound:
        this.queue.round();
        return this.releaseBins();
      case RecordType.Compressed:
        return this.decompress(bin, pos, length, offset);
      case RecordType.HeaderAttr:
        return this.headerAttr(bin, pos, length);
      case RecordType.HeaderTracingData:
        return this.tracingData(bin.bytes.subarray(pos + bin.u16(pos + 6), pos + length), offset);
      case RecordType.HeaderFeature: {
        const bit = bin.u64(pos + 8);
        if (bit === Feature.TracingData || isReadFeature(bit))
          this.feature(bit, bin.bytes.subarray(pos + 16, pos + length), offset);
        return;
      }
      default:
        return; // MMAP, EXIT, ID_INDEX, THREAD_MAP ...: skipped by their size
    }
  }

  /** The index in attrs of the record's attr, -1 when its id is unknown. */
  private attrOf(bin: PerfBin, idAt: number): number {
    if (this.attrs.length === 1) return 0;
    return idAt < 0 ? -1 : (this.byId.get(bin.u64(idAt)) ?? -1);
  }

  /** Nanoseconds relative to the base, exact while the recording spans less than 2^53 ns. */
  private timeOf(hi: number, lo: number): number {
    if (this.baseHi < 0) this.baseHi = hi;
    return (hi - this.baseHi) * 4294967296 + lo;
  }

  private sample(bin: PerfBin, pos: number, length: number, offset: number): void {
    const index = this.attrOf(bin, this.idPos.sample < 0 ? -1 : pos + 8 + this.idPos.sample);
    if (index < 0) {
      this.builder.skip(this.samples + 1, `the sample at byte ${offset} has an id no event of the file has`);
      return;
    }
    const attr = this.attrs[index];
    const f = this.fields;
    const err = readSample(attr, bin, pos + 8, pos + length, f);
    if (err !== null) {
      this.builder.skip(this.samples + 1, `the sample at byte ${offset}: ${err}`);
      return;
    }
    const hasTime = f.timeHi >= 0;
    const at = hasTime ? this.queue.push(this.timeOf(f.timeHi, f.timeLo)) : 0;
    const rows = hasTime ? this.queue.rows : this.now; // after the push: it may grow them
    rows[at + Col.Kind] = Kind.Sample;
    rows[at + Col.Attr] = index;
    rows[at + Col.Bin] = this.binId(bin);
    rows[at + Col.Pos] = pos;
    rows[at + Col.Length] = length;
    rows[at + Col.Pid] = f.pid;
    rows[at + Col.Tid] = f.tid;
    rows[at + Col.Cpu] = f.cpu;
    rows[at + Col.RawStart] = f.rawStart;
    rows[at + Col.RawLength] = f.rawLength;
    rows[at + Col.Offset] = offset;
    if (hasTime) return;
    this.noTimeSamples++;
    rows[0] = this.lastT;
    this.deliver(rows, 0);
  }

  private taskRecord(bin: PerfBin, pos: number, length: number, type: number, offset: number): void {
    const index = this.attrOf(bin, this.idPos.trailer < 0 ? -1 : pos + length - this.idPos.trailer);
    const attr = index < 0 ? undefined : this.attrs[index];
    const kind = type === RecordType.Comm ? Kind.Comm : type === RecordType.Fork ? Kind.Fork : Kind.Lost;
    const f = this.fields;
    if (attr !== undefined) readTrailer(attr, bin, pos + 8, pos + length, f);
    const hasTime = attr !== undefined && f.timeHi >= 0;
    const at = hasTime ? this.queue.push(this.timeOf(f.timeHi, f.timeLo)) : 0;
    const rows = hasTime ? this.queue.rows : this.now; // after the push: it may grow them
    rows[at + Col.Kind] = kind;
    rows[at + Col.Attr] = index;
    rows[at + Col.Bin] = this.binId(bin);
    rows[at + Col.Pos] = pos;
    rows[at + Col.Length] = length;
    rows[at + Col.Pid] = -1;
    rows[at + Col.Tid] = -1;
    rows[at + Col.Cpu] = attr === undefined ? -1 : f.cpu;
    rows[at + Col.RawStart] = -1;
    rows[at + Col.RawLength] = type;
    rows[at + Col.Offset] = offset;
    if (hasTime) return;
    rows[0] = this.lastT;
    this.deliver(rows, 0);
  }

  /** The id of the chunk `bin` (a new one is kept until no queued row points into it). */
  private binId(bin: PerfBin): number {
    if (bin !== this.lastBin) {
      this.bins.push(bin);
      this.lastBin = bin;
    }
    return this.binBase + this.bins.length - 1;
  }

  /** A round was delivered: let go of the chunks no queued row points into. */
  private releaseBins(): void {
    const q = this.queue;
    const rows = q.rows;
    let min = this.binBase + this.bins.length;
    for (let i = 0, at = Col.Bin; i < q.pending; i++, at += Col.Width) if (rows[at] < min) min = rows[at];
    if (min === this.binBase + this.bins.length) {
      this.bins.length = 0;
      this.lastBin = null;
    } else this.bins.splice(0, min - this.binBase);
    this.binBase = min;
  }

  private headerAttr(bin: PerfBin, pos: number, length: number): void {
    const size = bin.u32(pos + 8 + 4);
    const attr = readAttr(bin, pos + 8, size);
    for (let p = pos + 8 + size; p + 8 <= pos + length; p += 8) attr.ids.push(bin.u64(p));
    this.setAttrs([...this.attrs, attr]);
  }

  /**
   * perf -z compresses its buffers as one zstd stream cut into records (a frame
   * may span several, a record of the stream may straddle frames): one streaming
   * decoder for the whole file, its output walked as records.
   */
  private decompress(bin: PerfBin, pos: number, length: number, offset: number): void {
    if (this.zstdBroken) return;
    this.zstd ??= new Decompress((chunk) => this.decompressed.push(chunk));
    try {
      this.zstd.push(bin.bytes.slice(pos + 8, pos + length));
    } catch (e) {
      this.zstdBroken = true;
      this.builder.warn(
        this.samples,
        `the compressed data is corrupt at the record at byte ${offset} (${e instanceof Error ? e.message : String(e)}): the compressed records from there on are lost`,
      );
      return;
    }
    this.compressed++;
  }

  // ---- delivery, in time order -------------------------------------------------

  private deliver(rows: Float64Array, at: number): void {
    const b = this.builder;
    const bin = this.bins[rows[at + Col.Bin] - this.binBase];
    const t = rows[at];
    const pos = rows[at + Col.Pos];
    const length = rows[at + Col.Length];
    const cpu = rows[at + Col.Cpu];
    const offset = rows[at + Col.Offset];
    switch (rows[at + Col.Kind]) {
      case Kind.Sample: {
        this.samples++;
        const tid = rows[at + Col.Tid];
        const pid = rows[at + Col.Pid];
        if (tid > 0 && pid > 0) this.noteTgid(tid, pid);
        const time = this.relative(t);
        const attr = this.attrs[rows[at + Col.Attr]];
        const rawStart = rows[at + Col.RawStart];
        const rawLength = rows[at + Col.RawLength];
        if (rawStart < 0 || attr.type !== PERF_TYPE_TRACEPOINT || this.writer === null || this.table === null) {
          const name = this.nameOf(attr);
          this.noRaw.set(name, (this.noRaw.get(name) ?? 0) + 1);
          b.ignoreEvent(name);
          return;
        }
        if (rawLength < 8) {
          b.skip(this.samples, `the sample at byte ${offset}: its raw data is ${rawLength} bytes`);
          return;
        }
        const id = bin.view.getUint16(rawStart, bin.le);
        let tp = this.compiled[id];
        if (tp === undefined) {
          const reader = this.table.byId(id);
          tp = this.compiled[id] = reader ? this.writer.compile(reader) : null;
        }
        if (tp === null) {
          b.skip(
            this.samples,
            `the sample at byte ${offset}: event id ${id} has no format in the file's tracing data`,
          );
          return;
        }
        const rec = this.rec;
        rec.bytes = bin.bytes;
        rec.view = bin.view;
        rec.start = rawStart;
        rec.length = rawLength;
        b.line = this.samples;
        try {
          const err = this.writer.write(tp, rec, time, cpu, tid);
          if (err !== null) b.skip(this.samples, err);
        } catch (err) {
          // A CPU or thread id outside Linux's range costs this sample only.
          b.rejectLine(this.samples, err);
        }
        return;
      }
      case Kind.Comm: {
        const pid = bin.i32(pos + 8);
        const tid = bin.i32(pos + 12);
        let end = pos + 16;
        while (end < pos + length && bin.bytes[end] !== 0) end++;
        const comm = new TextDecoder().decode(bin.bytes.subarray(pos + 16, end));
        this.comm.set(tid, comm);
        if (tid > 0 && pid > 0) this.noteTgid(tid, pid);
        return;
      }
      case Kind.Fork: {
        const pid = bin.i32(pos + 8);
        const tid = bin.i32(pos + 16);
        const ptid = bin.i32(pos + 20);
        if (tid > 0 && pid > 0) this.noteTgid(tid, pid);
        const parent = this.comm.get(ptid);
        if (parent !== undefined && !this.comm.has(tid)) this.comm.set(tid, parent);
        return;
      }
      case Kind.Lost: {
        const lostSamples = rows[at + Col.RawLength] === RecordType.LostSamples;
        const count = bin.u64(pos + (lostSamples ? 8 : 16));
        if (lostSamples) this.lostSamples += count;
        const time = this.first !== this.first ? null : this.relative(t);
        b.addLost({
          line: this.samples + 1,
          time,
          cpu: cpu < 0 ? null : cpu,
          count,
          message: lostSamples
            ? `${thousands(count)} samples lost${cpu >= 0 ? ` on CPU ${cpu}` : ''} (PERF_RECORD_LOST_SAMPLES at byte ${offset}): that CPU's state is uncertain until its next switch`
            : `${thousands(count)} events lost${cpu >= 0 ? ` on CPU ${cpu}` : ''} (perf's buffer overran: PERF_RECORD_LOST at byte ${offset}; record with a bigger -m): that CPU's state is uncertain until its next switch`,
        });
        return;
      }
    }
  }

  /** A thread's tgid: tgid.set only when it changes (a Map write per sample was a cost of its own). */
  private noteTgid(tid: number, pid: number): void {
    let seen = this.tgidOf;
    if (tid < seen.length && seen[tid] === pid) return;
    this.tgid.set(tid, pid);
    if (tid >= seen.length) {
      if (tid >= TID_LIMIT) return;
      const grown = new Int32Array(Math.min(TID_LIMIT, 2 ** Math.ceil(Math.log2(tid + 1))));
      grown.set(seen);
      this.tgidOf = seen = grown;
    }
    seen[tid] = pid;
  }

  /** Model time of an event; the first sample fixes the trace's origin. */
  private relative(t: number): number {
    if (this.first !== this.first) {
      this.first = t;
      const abs = BigInt(this.baseHi < 0 ? 0 : this.baseHi) * 4294967296n + BigInt(t);
      this.builder.time(Number(abs / 1000000000n), Number(abs % 1000000000n));
    }
    this.lastT = t;
    return t - this.first;
  }

  private nameOf(a: PerfAttr): string {
    return (a.ids.length > 0 ? this.info.eventNames.get(a.ids[0]) : undefined) ?? a.name;
  }

  finish(walker: RecordWalker, bytes: number): PerfDataModel {
    const b = this.builder;
    this.queue.finish();
    this.releaseBins();
    if (walker.broken !== null) b.warn(this.samples, walker.broken);
    else if (walker.leftover > 0)
      b.warn(
        this.samples,
        `the file is cut short: the record at byte ${walker.leftoverOffset} is incomplete (${walker.leftover} bytes of it are in the file); everything before it is kept`,
      );
    if (this.decompressed.leftover > 0 || this.decompressed.broken !== null)
      b.warn(
        this.samples,
        this.decompressed.broken ??
          `the compressed data ends inside a record (${this.decompressed.leftover} bytes of it): that record is lost`,
      );
    if (this.queue.late > 0)
      b.warn(
        this.samples,
        `${thousands(this.queue.late)} events came after a later round had been delivered (perf: "Timestamp below last timeslice flush"); they were kept in file order`,
      );
    if (this.noTimeSamples > 0)
      b.warn(
        0,
        `${thousands(this.noTimeSamples)} samples have no timestamp (recorded without -T / sample_type TIME): they are read in file order`,
      );
    for (const p of this.info.problems) b.warn(0, p);
    if (this.compressed > 0) b.formatDetail += ' (zstd)';
    for (const [tid, pid] of this.tgid) {
      const idx = b.findTask(tid);
      if (idx === undefined) continue;
      try {
        b.setTgid(idx, pid);
      } catch (err) {
        b.rejectLine(0, err);
      }
    }
    b.declaredCpuCount = this.info.nrCpusAvailable;
    b.recordedOn = recordingHostOf(this.info);
    b.lineCount = this.samples;
    b.byteCount = bytes;
    this.options.onProgress?.({ bytesRead: bytes, lines: this.samples });
    return { model: b.finish(), info: this.info };
  }
}
