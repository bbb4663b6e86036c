// trace.dat into the trace model: the metadata (meta.ts), the event formats
// through the shared tracefs module, every CPU's pages merged by time
// (merge.ts), and each record written by the same SchedModelWriter that
// perf.data's reader uses, so the model equals what the ftrace text parser
// builds from `trace-cmd report` of the same file. Comms come from the
// sched_switch / wakeup payloads and, for a thread no payload names (kvm
// events), from the saved cmdlines.

import { TraceBuilder } from '../../model/builder';
import type { TraceModel } from '../../model/types';
import { EventTable } from '../tracefs/eventTable';
import { parseCmdlines } from '../tracefs/tracingData';
import { parseFieldLine } from '../tracefs/format';
import { SchedModelWriter, type ModelTracepoint } from '../tracefs/schedModel';
import type { RecordRef } from '../tracefs/fields';
import { Bin, TraceDatError } from './binary';
import { CpuPages } from './cpuPages';
import { mergeCpus } from './merge';
import { readMeta, type BufferInfo, type TraceDatMeta } from './meta';
import type { PageLayout } from './pages';
import type { RandomAccessSource } from '../source';
import { thousands } from '../../model/format';

export interface TraceDatOptions {
  onProgress?: (p: { bytesRead: number; lines: number }) => void;
  signal?: AbortSignal;
}

/** Clocks whose timestamps are nanoseconds (`counter` and `x86-tsc` count cycles or events). */
const NS_CLOCKS = new Set(['local', 'global', 'mono', 'mono_raw', 'boot', 'perf', 'tai', 'uptime']);

/** Reads the file into a model; when `signal` aborts it stops early (the caller reports the cancel). */
export async function readTraceDat(src: RandomAccessSource, options: TraceDatOptions = {}): Promise<TraceModel> {
  const meta = await readMeta(src);
  if (meta.latency)
    throw new TraceDatError(
      'this trace.dat holds latency-tracer text, not ring-buffer events: record with `trace-cmd record -e sched_switch ...` (no -p tracer)',
    );
  const buffer = pickBuffer(meta);
  if (!NS_CLOCKS.has(buffer.clock))
    throw new TraceDatError(
      `the trace was recorded with the "${buffer.clock}" clock, whose timestamps are not nanoseconds: record with \`trace-cmd record -C local\` (the default) or \`-C mono\``,
    );
  const layout = pageLayout(meta);
  const builder = new TraceBuilder(
    'ftrace',
    `trace.dat v${meta.version}${meta.compression ? ` (${meta.compression})` : ''}${meta.littleEndian ? '' : ', big-endian'}`,
  );
  const table = new EventTable(meta.formats, meta.littleEndian, meta.longSize);
  const cmdlines = parseCmdlines(meta.cmdlines);
  const writer = new SchedModelWriter(builder, {
    qualifiedNames: false,
    threadComm: (tid) => cmdlines.get(tid) ?? null,
  });
  builder.declaredCpuCount = meta.cpuCount;
  builder.recordedOn = meta.host;
  for (const note of meta.notes) builder.warn(0, note);

  const epoch = { value: -1n };
  const cpus = buffer.cpus
    .filter((c) => c.size > 0)
    .map((c) => new CpuPages(src, c.cpu, c.offset, c.size, buffer.pageSize, layout, epoch, meta.compression));
  const compiled: (ModelTracepoint | null | undefined)[] = [];
  const rec: RecordRef = { bytes: new Uint8Array(0), view: new DataView(new ArrayBuffer(0)), start: 0, length: 0 };
  let events = 0;
  let first = NaN;
  const offsetNs = meta.timeOffset;

  const relative = (time: number): number => {
    if (first !== first) {
      first = time;
      const abs = epoch.value + BigInt(time) + offsetNs;
      builder.time(Number(abs / 1000000000n), Number(abs % 1000000000n));
    }
    return time - first;
  };

  await mergeCpus(
    cpus,
    {
      event(cpu: number, time: number, bin: Bin, start: number, length: number): void {
        events++;
        const t = relative(time);
        if (length < 8) {
          builder.skip(events, `CPU ${cpu}: a ${length}-byte record is too short for an event header`);
          return;
        }
        const id = bin.u16(start);
        let tp = compiled[id];
        if (tp === undefined) {
          const reader = table.byId(id);
          tp = compiled[id] = reader ? writer.compile(reader) : null;
        }
        if (tp === null) {
          builder.skip(events, `CPU ${cpu}: event id ${id} has no format in the file`);
          return;
        }
        rec.bytes = bin.bytes;
        rec.view = bin.view;
        rec.start = start;
        rec.length = length;
        builder.line = events;
        try {
          const err = writer.write(tp, rec, t, cpu, bin.i32(start + 4));
          if (err !== null) builder.skip(events, err);
        } catch (e) {
          builder.rejectLine(events, e);
        }
      },
      lost(cpu: number, time: number, count: number | null): void {
        const t = relative(time);
        builder.addLost({
          line: events + 1,
          time: t,
          cpu,
          count,
          message: `${count === null ? 'some' : thousands(count)} events lost on CPU ${cpu} (ring buffer overrun, the page's missed-events flag): that CPU's state is uncertain until its next switch`,
        });
      },
    },
    options.signal,
    () => options.onProgress?.({ bytesRead: cpus.reduce((n, c) => n + c.bytesRead, 0), lines: events }),
  );
  for (const c of cpus) if (c.problem) builder.warn(events, c.problem);
  builder.lineCount = events;
  builder.byteCount = src.size;
  options.onProgress?.({ bytesRead: src.size, lines: events });
  return builder.finish();
}

/** The top instance's buffer, or (when it holds nothing) the first that has data; others are named in a note. */
function pickBuffer(meta: TraceDatMeta): BufferInfo {
  const withData = meta.buffers.filter((b) => b.cpus.some((c) => c.size > 0));
  const top = withData.find((b) => b.name === '') ?? withData[0];
  if (!top) throw new TraceDatError("the trace.dat holds no event data (every CPU's data is empty)");
  for (const b of withData)
    if (b !== top)
      meta.notes.push(`the events of instance buffer "${b.name}" are not read (only "${top.name || 'top'}" is)`);
  return top;
}

/** Where a page's events start and how wide its commit field is, from the header_page format. */
function pageLayout(meta: TraceDatMeta): PageLayout {
  let commitSize = 0;
  let dataOffset = 0;
  for (const line of meta.headerPage.split('\n')) {
    const f = parseFieldLine(line);
    if (f?.name === 'commit') commitSize = f.size;
    else if (f?.name === 'data') dataOffset = f.offset;
  }
  if ((commitSize !== 4 && commitSize !== 8) || dataOffset !== 8 + commitSize)
    throw new TraceDatError(
      `the header_page format gives commit ${commitSize} bytes and data at ${dataOffset}: not a ring-buffer page layout SchedMap knows`,
    );
  return { littleEndian: meta.littleEndian, commitSize, dataOffset };
}
