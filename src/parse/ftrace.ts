// Raw ftrace text (`/sys/kernel/tracing/trace`, `trace_pipe`, per-CPU files)
// and `trace-cmd report`:
//
//   <comm %16s>-<pid> [(<tgid>)|(-------)] [<cpu>] [<flags>] <sec.frac>: <event>: <payload>
//
// The line is anchored on ` [cpu]`; the prefix before it is read right to left:
// an optional `(tgid)` column, then the pid digits after the last `-`, then the
// comm (which may contain `-` and spaces). Widths (pid 5 or 7, flags 4 or 5 or
// none) do not matter. `trace-cmd report -l` (`comm-pid  0d..2.  ts:`, cpu
// glued to the latency flags) is read by a regex fallback. Payloads (kernel or
// libtraceevent plugin forms) are read by schedPayload.

import type { TraceBuilder } from '../model/builder';
import type { LineParser, LineParserFactory } from './parser';
import { decodeRange } from './byteLines';
import { byteBefore, byteIndex, timestampBytes } from './byteScan';
import {
  at,
  classifyEvent,
  classifyEventBytes,
  EventKind,
  lastNameStart,
  PrefixTgids,
  SchedEvents,
  skipSpaces,
  skipSpacesBytes,
} from './schedPayload';
import type { PrefixThread } from './schedPayload';
import { parseTimestamp, type SecNs } from './timestamp';

const ENTRIES = /entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)/;
const HEADER_CPUS = /#P:(\d+)/;
const CPUS_LINE = /^\s*cpus=(\d+)\s*$/;
const LOST_CPU = /CPU:?\s*(\d+)/;
const LOST_COUNT = /LOST\s+(\d+)|(\d+)\s+EVENTS\s+DROPPED|(\d+)\s+EVENTS/;
const TRACECMD_NOISE = /^\s*(version\s*=\s*\S+|CPU\s*\d+\s+is empty|cpus=\d+)\s*$/;
/** `trace-cmd report -l`: `    bash-14207   0d..2.  1923.012158: sched_switch: ...` */
const LATENCY_LINE = /^\s*(.*?)-(\d+)\s+(\d+)([^\s\d]\S{3,4})\s+(\d+\.\d+):\s+(\w+):/d;

class FtraceParser implements LineParser, PrefixThread {
  private readonly b: TraceBuilder;
  private readonly events: SchedEvents;
  private readonly tgids = new PrefixTgids();
  private readonly ts: SecNs = { sec: 0, ns: 0 };
  private lastTime: number | null = null;
  private sawHeader = false;

  // The current line's prefix, for prefixTask().
  private text = '';
  private commEnd = 0;
  private pid = -1;

  constructor(builder: TraceBuilder) {
    this.b = builder;
    this.events = new SchedEvents(builder);
    if (builder.formatDetail !== 'trace-cmd report') builder.formatDetail = 'ftrace';
  }

  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    if (!this.lineBytes(buf, start, end)) this.lineText(decodeRange(buf, start, end), lineNo);
  }

  /** A line the byte reader declined, as text. */
  private lineText(text: string, lineNo: number): void {
    const len = text.length;
    if (len === 0) return;
    if (text.charCodeAt(0) === 35 /* # */) {
      this.header(text, lineNo);
      return;
    }

    // ` [cpu]` anchor: a `[` after a blank, digits, `]`.
    let br = text.indexOf('[');
    let i = 0;
    let cpu = -1;
    while (br > 0) {
      if (text.charCodeAt(br - 1) === 32) {
        i = br + 1;
        let v = 0;
        let c = text.charCodeAt(i);
        while (c >= 48 && c <= 57) {
          v = v * 10 + c - 48;
          c = text.charCodeAt(++i);
        }
        if (c === 93 /* ] */ && i > br + 1) {
          cpu = v;
          break;
        }
      }
      br = text.indexOf('[', br + 1);
    }
    if (cpu < 0) {
      this.noAnchor(text, lineNo);
      return;
    }

    // Prefix right to left: optional (tgid), then -pid, then the comm.
    let j = br - 1;
    let c = text.charCodeAt(j);
    while (c === 32) c = text.charCodeAt(--j);
    let tgid = -1;
    let v = 0;
    let mul = 1;
    if (c === 41 /* ) */) {
      c = text.charCodeAt(--j);
      while (c === 32) c = text.charCodeAt(--j);
      while (c >= 48 && c <= 57) {
        v += (c - 48) * mul;
        mul *= 10;
        c = text.charCodeAt(--j);
      }
      if (mul > 1) tgid = v;
      while (c === 45 /* - */ || c === 32) c = text.charCodeAt(--j);
      if (c !== 40 /* ( */) {
        this.b.skip(lineNo, "expected '(tgid)' before [cpu]");
        return;
      }
      c = text.charCodeAt(--j);
      while (c === 32) c = text.charCodeAt(--j);
    }
    v = 0;
    mul = 1;
    while (c >= 48 && c <= 57) {
      v += (c - 48) * mul;
      mul *= 10;
      c = text.charCodeAt(--j);
    }
    if (mul === 1 || c !== 45 /* - */ || j === 0) {
      // Not a `comm-pid [cpu]` prefix: maybe `trace-cmd report -l` with a `[prio]` in its payload.
      this.noAnchor(text, lineNo, 'expected `comm-pid` before [cpu]');
      return;
    }
    const pid = v;

    // Optional flags, then the timestamp.
    let t0 = i + 1;
    while (text.charCodeAt(t0) === 32) t0++;
    let sp = text.indexOf(' ', t0);
    if (sp > t0 && text.charCodeAt(sp - 1) !== 58 /* : */) {
      t0 = skipSpaces(text, sp);
      sp = text.indexOf(' ', t0);
    }
    if (sp < 0 || text.charCodeAt(sp - 1) !== 58) {
      this.b.skip(lineNo, 'expected a `sec.usec:` timestamp after [cpu]');
      return;
    }
    this.take(text, lineNo, j, pid, tgid, cpu, t0, sp - 1);
  }

  /** The rest of an event line once its prefix is known: time, event name, payload. */
  private take(
    text: string,
    lineNo: number,
    commEnd: number,
    pid: number,
    tgid: number,
    cpu: number,
    tsStart: number,
    tsEnd: number,
  ): void {
    if (!parseTimestamp(text, tsStart, tsEnd, this.ts)) {
      this.b.skip(
        lineNo,
        `expected a \`sec.usec\` timestamp, got "${text.slice(tsStart, tsEnd)}" (raw counter trace clocks are not supported)`,
      );
      return;
    }
    const time = this.b.time(this.ts.sec, this.ts.ns);
    this.lastTime = time;
    if (tgid > 0) this.tgids.note(pid, tgid);
    this.text = text;
    this.commEnd = commEnd;
    this.pid = pid;

    const ns = skipSpaces(text, tsEnd + 1);
    const ne = text.indexOf(':', ns);
    const kind = classifyEvent(text, ne);
    if (kind === EventKind.Other || lastNameStart() !== ns) {
      const sp = text.indexOf(' ', ns);
      if (ne <= ns || (sp >= 0 && sp < ne)) {
        // `func <-parent` of the function tracer is understood, not modelled.
        if (sp > ns && at(text, ' <-', sp)) this.b.ignoreEvent('function');
        else this.b.skip(lineNo, 'expected `event:` after the timestamp');
        return;
      }
      this.events.ignore(text, ns, ne);
      return;
    }
    const err = this.events.event(kind, text, skipSpaces(text, ne + 1), time, cpu, this);
    if (err !== null) this.b.skip(lineNo, err);
    else if (kind === EventKind.Switch && this.events.sawPlugin && !this.sawHeader)
      this.b.formatDetail = 'trace-cmd report';
  }

  /**
   * The fast path (see LineParser.lineBytes): an event line with the usual
   * `comm-pid [(tgid)] [cpu] flags time:` prefix and a payload
   * SchedEvents.eventBytes takes. It follows line() and take() step by step; any
   * other line returns false before anything is changed, and is read as text.
   * (this.text, this.commEnd and this.pid serve only kvm events, always read as text.)
   */
  private lineBytes(buf: Uint8Array, start: number, end: number): boolean {
    if (end === start) return true;
    if (buf[start] === 35 /* # */) return false;

    // ` [cpu]` anchor.
    let br = byteIndex(buf, 91 /* [ */, start, end);
    let i = 0;
    let cpu = -1;
    while (br > start) {
      if (buf[br - 1] === 32) {
        i = br + 1;
        let v = 0;
        while (i < end && buf[i] >= 48 && buf[i] <= 57) v = v * 10 + buf[i++] - 48;
        if (i < end && buf[i] === 93 /* ] */ && i > br + 1) {
          cpu = v;
          break;
        }
      }
      br = byteIndex(buf, 91 /* [ */, br + 1, end);
    }
    if (cpu < 0) return false;

    // Prefix right to left: optional (tgid), then -pid.
    let j = br - 1;
    let c = byteBefore(buf, j, start);
    while (c === 32) c = byteBefore(buf, --j, start);
    let tgid = -1;
    let v = 0;
    let mul = 1;
    if (c === 41 /* ) */) {
      c = byteBefore(buf, --j, start);
      while (c === 32) c = byteBefore(buf, --j, start);
      while (c >= 48 && c <= 57) {
        v += (c - 48) * mul;
        mul *= 10;
        c = byteBefore(buf, --j, start);
      }
      if (mul > 1) tgid = v;
      while (c === 45 /* - */ || c === 32) c = byteBefore(buf, --j, start);
      if (c !== 40 /* ( */) return false;
      c = byteBefore(buf, --j, start);
      while (c === 32) c = byteBefore(buf, --j, start);
    }
    v = 0;
    mul = 1;
    while (c >= 48 && c <= 57) {
      v += (c - 48) * mul;
      mul *= 10;
      c = byteBefore(buf, --j, start);
    }
    if (mul === 1 || c !== 45 /* - */ || j === start) return false;
    const pid = v;

    // Optional flags, then the timestamp.
    let t0 = i + 1;
    while (t0 < end && buf[t0] === 32) t0++;
    let sp = byteIndex(buf, 32, t0, end);
    if (sp > t0 && buf[sp - 1] !== 58 /* : */) {
      t0 = skipSpacesBytes(buf, sp, end);
      sp = byteIndex(buf, 32, t0, end);
    }
    if (sp < 0 || buf[sp - 1] !== 58 || !timestampBytes(buf, t0, sp - 1, this.ts)) return false;

    // take(): event name and payload.
    const ns = skipSpacesBytes(buf, sp, end);
    const ne = byteIndex(buf, 58 /* : */, ns, end);
    if (ne < 0) return false;
    const kind = classifyEventBytes(buf, start, ne);
    if (kind === EventKind.Other || lastNameStart() !== ns) return false;
    const time = this.b.time(this.ts.sec, this.ts.ns);
    if (!this.events.eventBytes(kind, buf, skipSpacesBytes(buf, ne + 1, end), end, time, cpu)) return false;

    // Taken: the rest of take()'s changes.
    this.lastTime = time;
    if (tgid > 0) this.tgids.note(pid, tgid);
    if (kind === EventKind.Switch && this.events.sawPlugin && !this.sawHeader) this.b.formatDetail = 'trace-cmd report';
    return true;
  }

  finish(): void {
    this.tgids.apply(this.b);
  }

  prefixTask(time: number): number {
    const pid = this.pid;
    if (pid < 0) return -1;
    if (pid === 0) return 0;
    const b = this.b;
    const idx = b.findTask(pid);
    if (idx !== undefined && b.lastCommOf(idx) !== undefined) return idx;
    const cs = skipSpaces(this.text, 0);
    const ce = this.commEnd;
    // `<...>` (cmdline cache miss) and `<idle>` are not task names.
    const comm = ce <= cs || this.text.charCodeAt(cs) === 60 /* < */ ? null : this.text.slice(cs, ce);
    if (idx !== undefined) {
      if (comm !== null) b.noteComm(idx, comm, time);
      return idx;
    }
    return b.task(pid, comm, time);
  }

  private header(text: string, lineNo: number): void {
    const e = ENTRIES.exec(text);
    if (e) {
      this.sawHeader = true;
      const inBuffer = Number(e[1]);
      const written = Number(e[2]);
      if (inBuffer < written) {
        const n = written - inBuffer;
        this.b.addLost({
          line: lineNo,
          time: null,
          cpu: null,
          count: n,
          message: `the ftrace ring buffer overwrote the oldest ${n} events (entries-in-buffer ${inBuffer} < entries-written ${written}): the trace starts later than the recording`,
        });
      }
    }
    const p = HEADER_CPUS.exec(text);
    if (p) this.b.declaredCpuCount = Number(p[1]);
    if (at(text, '# tracer:', 0)) this.sawHeader = true;
  }

  private noAnchor(
    text: string,
    lineNo: number,
    reason = 'not an ftrace event line (expected `comm-pid [cpu] timestamp: event: payload`)',
  ): void {
    const s = skipSpaces(text, 0);
    if (s === text.length) return;
    const cpus = CPUS_LINE.exec(text);
    if (cpus) {
      this.b.declaredCpuCount = Number(cpus[1]);
      this.b.formatDetail = 'trace-cmd report';
      return;
    }
    if (TRACECMD_NOISE.test(text)) return;
    if (text.indexOf('LOST') >= 0 || text.indexOf('DROPPED') >= 0) {
      const c = LOST_CPU.exec(text);
      const m = LOST_COUNT.exec(text);
      const cpu = c ? Number(c[1]) : null;
      const count = m ? Number(m[1] ?? m[2] ?? m[3]) : null;
      this.b.addLost({
        line: lineNo,
        time: this.lastTime,
        cpu,
        count,
        message: `${count ?? 'some'} events lost${cpu !== null ? ` on CPU ${cpu}` : ''} (ring buffer overrun): that CPU's state is uncertain until its next switch`,
      });
      return;
    }
    const m = LATENCY_LINE.exec(text);
    if (m && m.indices) {
      const ce = m.indices[1][1];
      const [tsStart, tsEnd] = m.indices[5];
      this.take(text, lineNo, ce, Number(m[2]), -1, Number(m[3]), tsStart, tsEnd);
      return;
    }
    this.b.skip(lineNo, reason);
  }
}

export const createFtraceParser: LineParserFactory = (builder) => new FtraceParser(builder);
