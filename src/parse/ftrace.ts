// Raw ftrace text (`/sys/kernel/tracing/trace`, `trace_pipe`, per-CPU files)
// and `trace-cmd report`:
//
//   <comm %16s>-<pid> [(<tgid>)|(-------)] [<cpu>] [<flags>] <sec.frac>: <event>: <payload>
//
// The line is anchored on ` [cpu]`; the prefix before it is read right to left:
// an optional `(tgid)` column, then the pid digits after the last `-`, then the
// comm (which may contain `-` and spaces). Widths (pid 5 or 7, flags 4 or 5 or
// none) do not matter. `trace-cmd report -l` (`comm-pid  0d..2.  ts:`, cpu
// glued to the latency flags) is read by a regex fallback, and so is the
// kernel's latency format (options/latency-format, and the console dumps of
// ftrace_dump_on_oops behind their dmesg stamps): `rcu_tort-155  1d..2.
// 10347723897us : event:`, whose µs count from the start of the trace buffer,
// one time base for the whole dump (the model's times are relative anyway).
// Payloads (kernel or libtraceevent plugin forms) are read by schedPayload.

import type { TraceBuilder } from '../model/builder';
import { EventKind } from '../model/eventNames';
import type { LineParserFactory } from './parser';
import { byteString } from './byteLines';
import { ascii, isDigit, type LineCursor } from './cursor';
import { classifyEvent, EventTokenizer } from './schedPayload';
import { thousands } from '../model/format';

const ENTRIES = /entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)/;
const HEADER_CPUS = /#P:(\d+)/;
const CPUS_LINE = /^\s*cpus=(\d+)\s*$/;
const LOST_CPU = /CPU:?\s*(\d+)/;
const LOST_COUNT = /LOST\s+(\d+)|(\d+)\s+EVENTS\s+DROPPED|(\d+)\s+EVENTS/;
const TRACECMD_NOISE = /^\s*(version\s*=\s*\S+|CPU\s*\d+\s+is empty|cpus=\d+)\s*$/;
/**
 * `trace-cmd report -l`: `    bash-14207   0d..2.  1923.012158: sched_switch: ...`, and the latency format:
 * `rcu_tort-155       1d..2. 10347723897us : sched_switch: ...` (µs, then a delay mark or a blank).
 */
const LATENCY_LINE = /^\s*(.*?)-(\d+)\s+(\d+)([^\s\d]\S{3,7})\s+(?:(\d+\.\d+)|(\d+)us[+!#*@$ ]?)(:)\s+\S/d;
/** What a console dump puts around the buffer: `Dumping ftrace buffer:`, a dashed rule, an empty buffer. */
const DUMP_NOISE = /^\s*(Dumping ftrace buffer:|-{5,}|\(ftrace buffer empty\))\s*$/;
/** formatDetail of a trace in the latency format: its times are not the recording's clock. */
export const LATENCY_DETAIL = 'ftrace latency format (times from the start of the trace buffer)';

const FUNCTION_ARROW = ascii(' <-');
const SYS_PREFIX = ascii('sys_');
/** The syscall tracer's lines (kernel/trace/trace_syscalls.c: print_syscall_enter / print_syscall_exit). */
const SYSCALL_LINE = /^sys_(\w+)(?:(\()|( -> ))/;

/**
 * The event a syscall tracer line prints (`sys_NAME(args)` is syscalls:sys_enter_NAME, `sys_NAME -> ret`
 * syscalls:sys_exit_NAME), or null for another line. Keyed by that name, not by the text up to a colon.
 */
function syscallEventName(c: LineCursor, ns: number): string | null {
  const m = SYSCALL_LINE.exec(byteString(c.buf, ns, Math.min(c.end, ns + 64)));
  if (m === null) return null;
  return m[2] !== undefined ? `sys_enter_${m[1]}` : `sys_exit_${m[1]}`;
}
const TRACER_HEADER = ascii('# tracer:');

class FtraceParser extends EventTokenizer {
  private sawHeader = false;
  /** Between a `# tracer:` line and the first line after its header block. */
  private inHeader = false;
  /** The current line's prefix tgid (-1 for none), beside EventTokenizer's prefixTid and commEnd. */
  private prefixTgid = -1;

  constructor(builder: TraceBuilder) {
    super(builder);
    if (builder.formatDetail !== 'trace-cmd report') builder.formatDetail = 'ftrace';
  }

  /** The tokenizer: `comm-pid [(tgid)] [cpu] [flags] time:` found, the rest goes to take(). */
  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    if (end === start) return;
    const c = this.c.set(buf, start, end);
    // A header line; indented (a doc's or a blog's copy: `  # tracer: wakeup_rt`, ` # `) only from an
    // indented `# tracer:` line to the first event line, so that `# notes` between events stay skipped lines.
    const first = buf[start] === 35 /* # */ ? start : c.blanks(start);
    if (buf[first] === 35 && (first === start || this.inHeader || c.at(first, TRACER_HEADER))) {
      this.header(c, first, lineNo);
      return;
    }
    this.inHeader = false;

    // ` [cpu]` anchor: a `[` after a blank, digits, `]` (searched from `first`: the blanks before it are none).
    let br = c.indexOf(91 /* [ */, first);
    let i = 0;
    let cpu = -1;
    while (br > start) {
      if (buf[br - 1] === 32) {
        const v = c.int(br + 1);
        i = c.pos;
        if (v === v && i < end && buf[i] === 93 /* ] */ && buf[br + 1] !== 45 /* - */) {
          cpu = v;
          break;
        }
      }
      br = c.indexOf(91 /* [ */, br + 1);
    }
    if (cpu < 0) {
      this.noAnchor(c, lineNo);
      return;
    }

    // Prefix right to left: optional (tgid), then -pid, then the comm.
    let j = c.blanksBefore(br);
    let tgid = -1;
    if (j >= start && buf[j] === 41 /* ) */) {
      j = c.blanksBefore(j);
      const v = c.intBefore(j + 1);
      if (v === v) tgid = v;
      j = c.pos - 1;
      while (j >= start && (buf[j] === 45 /* - */ || buf[j] === 32)) j--;
      if (j < start || buf[j] !== 40 /* ( */) {
        this.b.skip(lineNo, "expected '(tgid)' before [cpu]");
        return;
      }
      j = c.blanksBefore(j);
    }
    const pid = c.intBefore(j + 1);
    j = c.pos - 1;
    if (pid !== pid || j <= start || buf[j] !== 45 /* - */) {
      // Not a `comm-pid [cpu]` prefix: maybe `trace-cmd report -l` with a `[prio]` in its payload.
      this.noAnchor(c, lineNo, 'expected `comm-pid` before [cpu]');
      return;
    }

    // Optional flags, then the timestamp.
    let t0 = c.blanks(i + 1);
    let sp = c.indexOf(32, t0);
    if (sp > t0 && buf[sp - 1] !== 58 /* : */) {
      t0 = c.blanks(sp);
      // The common line: the stamp after the flags, read in one pass (below, its end is searched for first).
      const q = c.timestampFrom(t0, this.ts);
      if (q >= 0 && c.byte(q) === 58 /* : */ && c.byte(q + 1) === 32) {
        this.prefix(j, pid, tgid);
        this.takeAt(c, lineNo, cpu, this.b.time(this.ts.sec, this.ts.ns), q);
        return;
      }
      sp = c.indexOf(32, t0);
    }
    if (sp < 0 || buf[sp - 1] !== 58) {
      this.b.skip(lineNo, 'expected a `sec.usec:` timestamp after [cpu]');
      return;
    }
    this.prefix(j, pid, tgid);
    this.take(c, lineNo, cpu, t0, sp - 1);
  }

  /** The line's prefix thread: where its comm ends, its pid and tgid (-1 where the line shows none). */
  private prefix(commEnd: number, pid: number, tgid: number): void {
    this.commEnd = commEnd;
    this.prefixTid = pid;
    this.prefixTgid = tgid;
  }

  /** The rest of an event line once its prefix is known (prefix()): time, event name, payload to the dispatcher. */
  private take(c: LineCursor, lineNo: number, cpu: number, tsStart: number, tsEnd: number): void {
    if (!c.timestamp(tsStart, tsEnd, this.ts)) {
      this.b.skip(
        lineNo,
        `expected a \`sec.usec\` timestamp, got "${c.text(tsStart, tsEnd)}" (raw counter trace clocks are not supported)`,
      );
      return;
    }
    this.takeAt(c, lineNo, cpu, this.b.time(this.ts.sec, this.ts.ns), tsEnd);
  }

  /** An event line at `time`; `colon` is the `:` that ends its timestamp. */
  private takeAt(c: LineCursor, lineNo: number, cpu: number, time: number, colon: number): void {
    const tsEnd = colon;
    this.lastTime = time;
    if (this.prefixTgid > 0) this.tgids.note(this.prefixTid, this.prefixTgid);

    const ns = c.blanks(tsEnd + 1);
    const ne = c.indexOf(58 /* : */, ns);
    const kind = ne < 0 ? EventKind.Other : classifyEvent(c, ne);
    // A modelled event's name at ns (the common line) is no context-switch tracer or syscall line: tried first.
    if (kind === EventKind.Other || c.nameStart !== ns) {
      this.other(c, lineNo, time, cpu, this.prefixTid, ns, ne);
      return;
    }
    const err = this.events.event(kind, c, c.blanks(ne + 1), time, cpu, this);
    if (err !== null) this.b.skip(lineNo, err);
    else if (kind === EventKind.Switch && this.events.sawPlugin && !this.sawHeader)
      this.b.formatDetail = 'trace-cmd report';
  }

  /** A line whose text at ns is no modelled event's name; `ne`: the first `:` from ns (-1 for none). */
  private other(c: LineCursor, lineNo: number, time: number, cpu: number, pid: number, ns: number, ne: number): void {
    if (isDigit(c.byte(ns))) {
      // No event name: the context-switch tracer's `pid:prio:S ==> pid:prio:S` (2.6.2x, wakeup tracers).
      const err = this.events.ctxWake(c, ns, time, cpu, this, pid);
      if (err !== null) this.b.skip(lineNo, err);
      return;
    }
    if (c.at(ns, SYS_PREFIX)) {
      // The syscall tracer's `sys_ioctl(fd: 3, …)` / `sys_ioctl -> 0x0`: counted by its event's name only.
      const name = syscallEventName(c, ns);
      if (name !== null) {
        this.b.ignoreEvent(name, 'other-tracer');
        return;
      }
    }
    const sp = c.indexOf(32, ns);
    if (ne <= ns || (sp >= 0 && sp < ne)) {
      // `func <-parent` of the function tracer is understood, not modelled.
      if (sp > ns && c.at(sp, FUNCTION_ARROW)) this.b.ignoreEvent('function', 'other-tracer');
      else this.b.skip(lineNo, 'expected `event:` after the timestamp');
      return;
    }
    this.events.ignore(c, ns, ne);
  }

  private header(c: LineCursor, first: number, lineNo: number): void {
    const text = byteString(c.buf, c.start, c.end);
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
          message: `the ftrace ring buffer overwrote the oldest ${thousands(n)} events (entries-in-buffer ${inBuffer} < entries-written ${written}): the trace starts later than the recording`,
        });
      }
    }
    const p = HEADER_CPUS.exec(text);
    if (p) this.b.declaredCpuCount = Number(p[1]);
    if (c.at(first, TRACER_HEADER)) {
      this.sawHeader = true;
      this.inHeader = true;
    }
  }

  private noAnchor(
    c: LineCursor,
    lineNo: number,
    reason = 'not an ftrace event line (expected `comm-pid [cpu] timestamp: event: payload`)',
  ): void {
    if (c.blanks(c.start) === c.end || this.elided(c, lineNo)) return;
    const text = byteString(c.buf, c.start, c.end);
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
        message: `${count === null ? 'some' : thousands(count)} events lost${cpu !== null ? ` on CPU ${cpu}` : ''} (ring buffer overrun): that CPU's state is uncertain until its next switch`,
      });
      return;
    }
    if (DUMP_NOISE.test(text)) return;
    const m = LATENCY_LINE.exec(text);
    if (m && m.indices) {
      // (Offsets in the one-char-per-byte text are byte offsets in the line.)
      const o = c.start;
      const ce = o + m.indices[1][1];
      const colon = o + m.indices[7][0];
      this.prefix(ce, Number(m[2]), -1);
      if (m[5] !== undefined) {
        this.take(c, lineNo, Number(m[3]), o + m.indices[5][0], colon);
        return;
      }
      const us = Number(m[6]);
      if (!Number.isSafeInteger(us)) {
        this.b.skip(lineNo, `the µs timestamp "${m[6]}" is too large`);
        return;
      }
      this.b.formatDetail = LATENCY_DETAIL;
      const sec = Math.floor(us / 1e6);
      this.takeAt(c, lineNo, Number(m[3]), this.b.time(sec, (us - sec * 1e6) * 1000), colon);
      return;
    }
    this.b.skip(lineNo, reason);
  }
}

export const createFtraceParser: LineParserFactory = (builder) => new FtraceParser(builder);
