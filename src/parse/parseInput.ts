// The streaming driver: bytes in (a File's stream, a Node stream), a trace
// model or a companion file out. Sniffs gzip and binary inputs, converts UTF-16
// to UTF-8 once, splits the bytes into normalised lines chunk by chunk
// (byteLines.ts), detects the format on the first lines, then feeds every line
// to that format's parser as a byte range. The same code runs in the Worker, in
// Node and in tests.

import { TraceBuilder } from '../model/builder';
import type { TraceModel } from '../model/types';
import {
  countBytes,
  gunzip,
  isControlByte,
  peek,
  sniffBytes,
  TEXT_SNIFF_BYTES,
  toUtf8,
  type ByteSource,
} from './bytes';
import { parseCompanion, sniffCompanion, type Companion, type CompanionKind } from './companions';
import { describeUnrecognized, detectFormat, SNIFF_LINES, type Detected } from './detect';
import { createFtraceParser } from './ftrace';
import { ByteLineSplitter, decodeRange, MAX_LINE_BYTES } from './byteLines';
import { contentStart } from './linePrefix';
import { joinWrappedRows } from './lineJoin';
import type { LineParser, LineParserFactory } from './parser';
import { createPerfSchedMapParser } from './perfSchedMap';
import { createPerfScriptParser } from './perfScript';
import { BlockSignal, createTimehistParser, TimehistParser } from './timehist';
import { parseTopology, sniffTopology, TopologyError, unreadableTopology } from './topology';
import { readPerfData } from './perfData';
import { PerfDataError } from './perfData/binary';
import { isPerfData } from './perfData/header';
import { TraceDatError } from './traceDat/binary';
import { isTraceDat } from './traceDat/meta';
import { readTraceDat } from './traceDat/readTraceDat';
import { collect, type RandomAccessSource } from './source';
import { thousands } from '../model/format';

/** The input is not something SchedMap reads; the message says what it looks like and what to do. */
export class UnrecognizedInputError extends Error {
  override name = 'UnrecognizedInputError';
}

export class ParseCancelledError extends Error {
  override name = 'ParseCancelledError';
}

export interface ParseProgress {
  /** Bytes of the raw (possibly compressed) input consumed so far. */
  bytesRead: number;
  lines: number;
}

export interface ParseOptions {
  onProgress?: (p: ParseProgress) => void;
  signal?: AbortSignal;
  /** Companion files are small; past this many characters one is refused. */
  maxCompanionChars?: number;
  /**
   * The same input, readable at any offset (a File, a file handle): binary
   * formats found at the sniff read it by ranges; without it they are collected
   * from the stream whole.
   */
  random?: RandomAccessSource;
  /**
   * Reserve the switch table for the most switches the input's size allows
   * (TraceBuilder.reserveSwitches), when that size is known (`random`, text not
   * gzipped). The CLI does: Node maps the reservation's pages as they are
   * written, and the peak memory drops by the copy of the table finish() saves.
   */
  reserveSwitches?: boolean;
}

export type ParsedInput =
  | {
      kind: 'trace';
      model: TraceModel;
      detected: Detected;
      /** Further timehists pasted one after another in the same text (each its own run): see TimehistBlock. */
      more?: TraceModel[];
    }
  | { kind: 'companion'; companion: Companion };

/** One timehist of a paste that holds several, while it is read: its builder, parser and first line. */
interface TimehistBlock {
  builder: TraceBuilder;
  parser: TimehistParser;
  firstLine: number;
}

const FACTORIES: Record<Detected['format'], LineParserFactory> = {
  'perf-sched-map': createPerfSchedMapParser,
  'perf-script': createPerfScriptParser,
  ftrace: createFtraceParser,
  'perf-sched-timehist': createTimehistParser,
};

const COMPANION_LIMIT = 64 * 1024 * 1024;
/** Lines held at most while a timehist's data line far back in time waits for the next to say it starts another. */
const MAX_HELD_BLOCK_LINES = 16;
/** Fewest bytes a switch line takes (a one-CPU map line, `  *A0    1.000001 secs`): size / this bounds the switches. */
const MIN_SWITCH_LINE_BYTES = 24;

export async function parseInput(source: ByteSource, options: ParseOptions = {}): Promise<ParsedInput> {
  const { onProgress, signal } = options;
  let bytesRead = 0;
  const early: string[] = [];
  const counted = countBytes(source, (n) => {
    bytesRead += n;
  });

  let { head, rest } = await peek(counted, TEXT_SNIFF_BYTES);
  if (isTraceDat(head)) return traceDatInput(options.random ?? (await collect(rest)), options);
  if (isPerfData(head)) return perfDataInput(head, rest, options.random, options);
  let sniffed = sniffBytes(head);
  let bytes: ByteSource = rest;
  // The text's size, when known before it is read: for reserveSwitches.
  const textSize = options.reserveSwitches && options.random && sniffed.kind !== 'gzip' ? options.random.size : null;
  if (sniffed.kind === 'gzip') {
    bytes = gunzip(rest, (message) => early.push(message));
    ({ head, rest } = await peek(bytes, TEXT_SNIFF_BYTES));
    bytes = rest;
    if (isTraceDat(head)) return traceDatInput(await collect(rest), options);
    // A gzipped perf.data is decompressed into memory (file mode reads it by ranges).
    if (isPerfData(head)) return perfDataInput(head, rest, undefined, options);
    sniffed = sniffBytes(head);
    if (sniffed.kind === 'gzip')
      throw new UnrecognizedInputError('The file is gzip inside gzip: decompress it once first.');
  }
  if (sniffed.kind === 'binary') {
    throw new UnrecognizedInputError(`This file is not trace text: it looks like ${sniffed.looksLike}.`);
  }
  if (sniffed.kind === 'utf16le' || sniffed.kind === 'utf16be')
    bytes = toUtf8(bytes, sniffed.kind === 'utf16le' ? 'utf-16le' : 'utf-16be');

  // Lines are held until the format is known, then replayed to its parser.
  const held: { text: string; bytes: Uint8Array; no: number }[] = [];
  let nonEmpty = 0;
  // Decided once, inside a closure: an object keeps TypeScript's narrowing honest.
  const st: {
    parser: LineParser | null;
    builder: TraceBuilder | null;
    detected: Detected | null;
    companionKind: CompanionKind | 'topology' | null;
    /** Quote marks and dmesg stamps are stepped over (linePrefix.ts): every trace format but maps. */
    prefixed: boolean;
    /** A timehist's parser, asked at every line whether another timehist of the paste starts there. */
    timehist: TimehistParser | null;
  } = { parser: null, builder: null, detected: null, companionKind: null, prefixed: false, timehist: null };
  /** The timehists of the paste finished so far, when it holds more than one. */
  const blocks: TimehistBlock[] = [];
  let blockStart = 1;
  const companionText: string[] = [];
  let companionChars = 0;
  const maxCompanion = options.maxCompanionChars ?? COMPANION_LIMIT;

  // Line notes found before the format is known (long lines, control bytes) wait for the builder.
  const notes: { line: number; skip: boolean; message: string }[] = [];
  const note = (line: number, skip: boolean, message: string): void => {
    const b = st.builder;
    if (!b) notes.push({ line, skip, message });
    else if (skip) b.skip(line, message);
    else b.warn(line, message);
  };
  // Control bytes are looked for line by line in the first 64 KB, when the sniff saw some there.
  let controlScan = (sniffed.controls ?? 0) > 0 ? TEXT_SNIFF_BYTES : 0;

  const decide = (): void => {
    const lines = held.map((h) => h.text);
    // Detection sees lines behind their quote marks and dmesg stamps; the map shapes allow quotes anyway.
    const detected = detectFormat(
      held.map((h) => decodeRange(h.bytes, contentStart(h.bytes, 0, h.bytes.length), h.bytes.length)),
    );
    if (detected) {
      const builder = new TraceBuilder(detected.format, detected.detail);
      if (textSize !== null) builder.reserveSwitches(textSize / MIN_SWITCH_LINE_BYTES);
      const own = FACTORIES[detected.format](builder);
      const wraps = detected.format === 'ftrace' || detected.format === 'perf-script';
      const parser = wraps ? joinWrappedRows(own, builder) : own;
      const timehist = own instanceof TimehistParser ? own : null;
      Object.assign(st, { detected, builder, parser, prefixed: detected.format !== 'perf-sched-map', timehist });
      for (const h of held) feed(h.bytes, 0, h.bytes.length, h.no);
      for (const n of notes) note(n.line, n.skip, n.message);
    } else {
      // Topology files first: an lscpu data row (`0,0,0,0`) would also pass as CSV.
      st.companionKind = sniffTopology(lines) ? 'topology' : sniffCompanion(lines);
      if (!st.companionKind) throw new UnrecognizedInputError(describeUnrecognized(lines));
      for (const h of held) addCompanionLine(h.text);
    }
    held.length = 0;
  };
  /**
   * Lines that may start another timehist of the paste (a data line far back in time), held until the next
   * data line says: far back too, a new timehist; in time, one damaged stamp, given to the current one.
   */
  const maybeBlock: { bytes: Uint8Array; no: number }[] = [];
  const newBlock = (no: number): void => {
    const builder = st.builder!;
    builder.line = no;
    st.timehist!.finish();
    blocks.push({ builder, parser: st.timehist!, firstLine: blockStart });
    const next = new TraceBuilder('perf-sched-timehist', builder.formatDetail);
    const parser = createTimehistParser(next) as TimehistParser;
    Object.assign(st, { builder: next, parser, timehist: parser });
    blockStart = no;
  };
  const releaseHeld = (): void => {
    for (const h of maybeBlock) feedLine(st.builder!, st.parser!, h.bytes, 0, h.bytes.length, h.no, st.prefixed);
    maybeBlock.length = 0;
  };
  /** A line to the format's parser; first, a timehist asks whether the line starts another one. */
  const feed = (buf: Uint8Array, start: number, end: number, no: number): void => {
    const th = st.timehist;
    if (th !== null) {
      const cs = contentStart(buf, start, end);
      const signal = th.blockSignal(buf, cs, end);
      if (signal === BlockSignal.Data && maybeBlock.length === 0) {
        feedLine(st.builder!, st.parser!, buf, cs, end, no, false);
        return;
      }
      if (maybeBlock.length > 0) {
        if (signal === BlockSignal.Back || signal === BlockSignal.Header) newBlock(maybeBlock[0].no);
        if (signal !== BlockSignal.Other || maybeBlock.length >= MAX_HELD_BLOCK_LINES) releaseHeld();
        else {
          maybeBlock.push({ bytes: buf.slice(start, end), no });
          return;
        }
      } else if (signal === BlockSignal.Header) newBlock(no);
      else if (signal === BlockSignal.Back) {
        maybeBlock.push({ bytes: buf.slice(start, end), no });
        return;
      }
    }
    feedLine(st.builder!, st.parser!, buf, start, end, no, st.prefixed);
  };
  const addCompanionLine = (text: string): void => {
    companionChars += text.length + 1;
    if (companionChars > maxCompanion)
      throw new UnrecognizedInputError(
        st.companionKind === 'topology'
          ? 'This looks like a topology file (lscpu -p or numactl -H output) but is too large to be one.'
          : 'This looks like a companion file (VM map or ps output) but is too large to be one.',
      );
    companionText.push(text);
  };

  const splitter = new ByteLineSplitter(
    (buf, start, end, no) => {
      if (controlScan > 0) {
        controlScan -= end - start + 1;
        const at = firstControlByte(buf, start, end);
        if (at >= 0)
          note(
            no,
            false,
            `holds control byte 0x${buf[at].toString(16).padStart(2, '0')} at byte ${at - start + 1}: the file is damaged there (the line is read as far as it goes)`,
          );
      }
      if (st.parser && st.builder) feed(buf, start, end, no);
      else if (st.companionKind) addCompanionLine(decodeRange(buf, start, end));
      else {
        const text = decodeRange(buf, start, end);
        held.push({ text, bytes: buf.slice(start, end), no });
        if (text.trim() !== '' && ++nonEmpty >= SNIFF_LINES) decide();
      }
    },
    (no, length) =>
      note(
        no,
        true,
        `a line of ${length} bytes (real trace lines are under 4 KB; the limit is ${MAX_LINE_BYTES}): not read`,
      ),
  );
  for await (const chunk of bytes) {
    if (signal?.aborted) throw new ParseCancelledError('Parsing was cancelled.');
    splitter.push(chunk);
    onProgress?.({ bytesRead, lines: splitter.lines });
  }
  splitter.end();
  if (!st.parser && !st.companionKind) decide();
  onProgress?.({ bytesRead, lines: splitter.lines });

  if (st.companionKind) {
    const text = companionText.join('\n');
    if (st.companionKind === 'topology') return { kind: 'companion', companion: readTopology(text) };
    return { kind: 'companion', companion: parseCompanion(st.companionKind, text) };
  }
  releaseHeld();
  const { builder: b, parser: p, detected } = st;
  if (!b || !p || !detected) throw new Error('unreachable: no parser after detection');
  for (const message of early) b.warn(splitter.lines, message, 'truncated-input');
  if (splitter.unterminatedLast)
    b.warn(splitter.lines, 'the last line has no newline: the file may have been cut short', 'truncated-input');
  p.finish();
  b.lineCount = splitter.lines;
  b.byteCount = bytesRead;
  if (blocks.length > 0) return timehistBlocks([...blocks, { builder: b, parser: p as TimehistParser, firstLine: blockStart }], splitter.lines, detected);
  const model = b.finish();
  if (model.switches.length === 0) {
    throw new UnrecognizedInputError(
      `This ${detected.detail} text has no sched_switch events${model.skippedLines > 0 ? ` (${thousands(model.skippedLines)} lines could not be read; first: line ${model.warnings[0]?.line}: ${model.warnings[0]?.message})` : ''}. Record with \`perf sched record\` (or enable the sched:sched_switch event).`,
    );
  }
  return { kind: 'trace', model, detected };
}

/**
 * A paste of several timehists one after another (each with its header, or
 * time stepping back): each is a trace of its own, as if dropped as separate
 * files; one without switches is no run (said in the first one's warnings).
 */
function timehistBlocks(blocks: TimehistBlock[], lines: number, detected: Detected): ParsedInput {
  const n = blocks.length;
  const spans = blocks.map((blk, k) => `lines ${blk.firstLine}-${k + 1 < n ? blocks[k + 1].firstLine - 1 : lines}`);
  const kept = blocks.filter((blk) => blk.builder.switchCount > 0);
  if (kept.length === 0)
    throw new UnrecognizedInputError(
      `This perf sched timehist text has no sched_switch events in any of its ${n} timehists. Record with \`perf sched record\`.`,
    );
  const empty = spans.filter((_, k) => blocks[k].builder.switchCount === 0);
  if (empty.length > 0)
    kept[0].builder.warn(
      0,
      `${empty.length} of the ${n} timehists in this text have no switch (${empty.join(', ')}): no run of their own`,
    );
  const models = blocks.flatMap((blk, k) => {
    if (blk.builder.switchCount === 0) return [];
    blk.builder.lineCount = (k + 1 < n ? blocks[k + 1].firstLine : lines + 1) - blk.firstLine;
    blk.builder.warn(
      blk.firstLine,
      `timehist ${k + 1} of ${n} in this text (${spans[k]}): the text holds ${n} timehists one after another (a new header, or time going back), each read as a run of its own`,
    );
    return [blk.builder.finish()];
  });
  return { kind: 'trace', model: models[0], detected, more: models.slice(1) };
}

function firstControlByte(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (isControlByte(buf[i])) return i;
  return -1;
}

/** One line to its parser; a value outside Linux's range skips just that line (TraceBuilder.rejectLine). */
function feedLine(
  b: TraceBuilder,
  p: LineParser,
  buf: Uint8Array,
  start: number,
  end: number,
  no: number,
  prefixed: boolean,
): void {
  b.line = no;
  try {
    p.line(buf, prefixed ? contentStart(buf, start, end) : start, end, no);
  } catch (e) {
    b.rejectLine(no, e);
  }
}

/** A trace-cmd trace.dat, read by ranges (traceDat/); what cannot be read is a clear file error. */
async function traceDatInput(source: RandomAccessSource, options: ParseOptions): Promise<ParsedInput> {
  let model: TraceModel;
  try {
    model = await readTraceDat(source, options);
  } catch (e) {
    if (e instanceof TraceDatError) throw new UnrecognizedInputError(`This trace.dat cannot be read: ${e.message}.`);
    throw e;
  }
  if (options.signal?.aborted) throw new ParseCancelledError('Parsing was cancelled.');
  if (model.switches.length === 0) {
    const held = [
      ...Object.entries(model.ignoredEvents),
      ['wakeups', model.wakeups.length] as const,
      ['migrations', model.migrations.length] as const,
    ]
      .filter((e) => e[1] > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, n]) => `${thousands(n)} ${name}`);
    throw new UnrecognizedInputError(
      `This trace.dat (${model.formatDetail}) has no sched_switch events (it holds ${thousands(model.lineCount)} events${held.length > 0 ? `: ${held.join(', ')}` : ''}${model.skippedLines > 0 ? `; ${thousands(model.skippedLines)} could not be read, first: ${model.warnings.find((w) => w.message.startsWith('skipped'))?.message}` : ''}${model.warningCount > 0 && model.skippedLines === 0 ? `; ${model.warnings[0]?.message}` : ''}). Record with \`trace-cmd record -e sched_switch -e sched_waking -e sched_migrate_task\`.`,
    );
  }
  return { kind: 'trace', model, detected: { format: 'ftrace', detail: model.formatDetail } };
}

/** A perf.data (perfData/): file mode by ranges, pipe mode forward; what cannot be read is a clear file error. */
async function perfDataInput(
  head: Uint8Array,
  stream: ByteSource,
  random: RandomAccessSource | undefined,
  options: ParseOptions,
): Promise<ParsedInput> {
  let model: TraceModel;
  try {
    ({ model } = await readPerfData(head, stream, random, options));
  } catch (e) {
    if (e instanceof PerfDataError) throw new UnrecognizedInputError(`This perf.data cannot be read: ${e.message}.`);
    throw e;
  }
  if (options.signal?.aborted) throw new ParseCancelledError('Parsing was cancelled.');
  return { kind: 'trace', model, detected: { format: 'perf-script', detail: model.formatDetail } };
}

/** A topology file's text as a companion; a bad line is a clear file error naming it. */
function readTopology(text: string): Companion {
  try {
    return { kind: 'topology', topology: parseTopology(text), warnings: [] };
  } catch (e) {
    if (e instanceof TopologyError)
      throw new UnrecognizedInputError(unreadableTopology(e.message));
    throw e;
  }
}

/** Parse an input that must be a trace (not a companion file). */
export async function parseTrace(source: ByteSource, options: ParseOptions = {}): Promise<TraceModel> {
  const r = await parseInput(source, options);
  if (r.kind !== 'trace')
    throw new UnrecognizedInputError(
      r.companion.kind === 'topology'
        ? 'This is a host topology file (lscpu or numactl output), not a trace: drop it together with a trace.'
        : 'This is a companion file (VM map or ps output), not a trace: drop it together with a trace.',
    );
  return r.model;
}

/** A byte source over an in-memory buffer, cut in chunks (tests, pasted text). */
export async function* bytesSource(data: Uint8Array, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, Math.min(data.length, i + chunkSize));
}

export function textSource(text: string, chunkSize = 1 << 20): ByteSource {
  return bytesSource(new TextEncoder().encode(text), chunkSize);
}
