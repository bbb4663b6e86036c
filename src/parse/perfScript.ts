// `perf script` / `perf sched script` text of sched:* and kvm:* tracepoints.
//
//   <comm %16s> <tid | pid/tid> [<cpu>] <sec.frac>: <system:event>: <payload>
//
// The line is anchored on ` [cpu]`; the prefix before it is read right to left
// (the last token is `tid` or `pid/tid`, everything before it is the comm,
// which may contain spaces), so missing or extra `-F` fields do not matter.
// Payloads are read by schedPayload. Callchain and blank lines belong to the
// previous event and are ignored; `#` header lines too.

import type { TraceBuilder } from '../model/builder';
import { EventKind } from '../model/eventNames';
import type { LineParserFactory } from './parser';
import { byteString } from './byteLines';
import { ascii, type LineCursor } from './cursor';
import { classifyEvent, EventTokenizer } from './schedPayload';
import { thousands } from '../model/format';

const LOST = ascii('LOST');
const LOST_COUNT = /\blost\s+(\d+)|LOST\s+(\d+)|(\d+)\s+EVENTS/i;

class PerfScriptParser extends EventTokenizer {
  private sawPidTid = false;
  private sawNs = false;
  private sawPlugin = false;

  constructor(builder: TraceBuilder) {
    super(builder);
    builder.formatDetail = 'perf script';
  }

  /** The tokenizer: `comm tid [cpu] time:` found, the event name and payload go to the dispatcher. */
  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    if (end === start || buf[start] === 35 /* # */) return;
    const c = this.c.set(buf, start, end);

    // ` [cpu]` anchor: a `[` at the start or after a blank, digits, `]`.
    let br = c.indexOf(91 /* [ */, start);
    let cpu = -1;
    let i = 0;
    while (br >= 0) {
      const before = br === start ? 32 : buf[br - 1];
      if ((before === 32 || before === 9) && buf[br + 1] !== 45 /* - */) {
        const v = c.int(br + 1);
        i = c.pos;
        if (v === v && i < end && buf[i] === 93 /* ] */) {
          cpu = v;
          break;
        }
      }
      br = c.indexOf(91 /* [ */, br + 1);
    }
    if (cpu < 0) {
      if (!this.other(c, lineNo, null, null) && !this.elided(c, lineNo))
        this.b.skip(lineNo, 'not a perf script event line (expected `comm tid [cpu] time: system:event: payload`)');
      return;
    }

    // Timestamp: `sec.frac:` after the cpu, possibly after other fields (tod, misc).
    // Read forward in one pass: the stamp is the token up to the first `:` when that token is one.
    let tsStart = c.blanks(i + 1);
    let colon = c.timestampFrom(tsStart, this.ts);
    if (colon < 0 || c.byte(colon) !== 58 /* : */) {
      colon = this.findTimestamp(c, tsStart);
      if (colon < 0) {
        if (!this.other(c, lineNo, null, cpu))
          this.b.skip(lineNo, 'expected a timestamp `sec.frac:` after [cpu] (perf script -F must include time)');
        return;
      }
      const sp = c.lastIndexOf(32, colon, start);
      tsStart = sp < 0 ? start : sp + 1;
    }
    if (!this.sawNs && colon - tsStart > 10 && buf[colon - 10] === 46 /* . */) {
      this.sawNs = true;
      this.updateDetail();
    }
    const time = this.b.time(this.ts.sec, this.ts.ns);
    this.lastTime = time;

    // Prefix, right to left from the `[`: the `tid` or `pid/tid` token (either may be -1).
    let tid = -1;
    let pid = -1;
    let slash = false;
    let j = c.blanksBefore(br);
    let v = c.intBefore(j + 1);
    j = c.pos - 1;
    let ok = v === v;
    // j (before the [cpu]) is below end; it may fall to start - 1, outside the line.
    if (ok) {
      if (j >= start && buf[j] === 45 /* - */) {
        v = -v;
        j--;
      }
      tid = v;
      if (j >= start && buf[j] === 47 /* / */) {
        slash = true;
        let w = c.intBefore(j);
        j = c.pos - 1;
        if (j >= start && buf[j] === 45 /* - */) {
          w = -w;
          j--;
        }
        pid = w === w ? w : -1;
        ok = w === w;
      }
    }
    if (!ok || (j >= start && buf[j] !== 32 && buf[j] !== 9)) {
      // Not a number token: the comm's last word (`-F comm,cpu,...`).
      tid = -1;
      pid = -1;
      j = br - 1;
    } else if (slash && !this.sawPidTid) {
      this.sawPidTid = true;
      this.updateDetail();
    }
    this.prefixTid = tid;
    this.commEnd = j + 1;
    if (pid > 0 && tid > 0) this.tgids.note(tid, pid);

    // Event name: ends at the first `: ` after the timestamp (or a `:` ending the line).
    let ne = colonBlank(c, colon + 1);
    if (ne < 0) {
      if (buf[end - 1] === 58 /* : */ && end - 1 > colon + 1) ne = end - 1;
      else {
        if (!this.other(c, lineNo, time, cpu)) this.b.skip(lineNo, 'expected `system:event:` after the timestamp');
        return;
      }
    }
    const kind = classifyEvent(c, ne);
    if (kind === EventKind.Other) {
      const nameStart = Math.max(c.lastIndexOf(32, ne, colon + 1) + 1, colon + 1);
      // Something before the name (a sample period, PERF_RECORD_LOST ...)?
      if (c.blanks(colon + 1) < nameStart && this.other(c, lineNo, time, cpu)) return;
      this.events.ignore(c, nameStart, ne);
      return;
    }
    const err = this.events.event(kind, c, c.blanks(ne + 1), time, cpu, this);
    if (err !== null) {
      this.b.skip(lineNo, err);
      return;
    }
    if (kind === EventKind.Switch) {
      // perf's `pid/-1` prefixes (exited threads): the prefix thread of a switch is its prev task.
      if (tid < 0 && pid > 0) this.tgids.noteIfAbsent(this.events.lastPrevTid, pid);
      if (!this.sawPlugin && this.events.sawPlugin) {
        this.sawPlugin = true;
        this.updateDetail();
      }
    }
  }

  /** Position of the `:` ending a `sec.frac` token after `from`, or -1 (the token is parsed into this.ts). */
  private findTimestamp(c: LineCursor, from: number): number {
    let i = from;
    for (let tokens = 0; tokens < 6 && i < c.end; tokens++) {
      let e = c.indexOf(32, i);
      if (e < 0) e = c.end;
      if (e > i + 1 && c.buf[e - 1] === 58 /* : */ && c.timestamp(i, e - 1, this.ts)) return e - 1;
      i = c.blanks(e);
    }
    return -1;
  }

  /**
   * Lines that are not (modelled) events: blank, callchain (indented hex
   * address), lost records. Returns true when the line was taken or silently
   * ignored, false when the caller should report it as skipped.
   */
  private other(c: LineCursor, lineNo: number, time: number | null, cpu: number | null): boolean {
    const s = c.blanks(c.start);
    if (s === c.end) return true;
    if (c.find(LOST, c.start) >= 0) {
      const m = LOST_COUNT.exec(byteString(c.buf, c.start, c.end));
      const count = m ? Number(m[1] ?? m[2] ?? m[3]) : null;
      this.b.addLost({
        line: lineNo,
        time: time ?? this.lastTime,
        cpu,
        count,
        message: `perf lost ${count === null ? 'some' : thousands(count)} events${cpu !== null ? ` on CPU ${cpu}` : ''} (its ring buffer overflowed)`,
      });
      return true;
    }
    return time === null && s > c.start && isCallchainLine(c, s);
  }

  private updateDetail(): void {
    this.b.formatDetail =
      'perf script' +
      (this.sawPidTid ? ' (-F pid,tid)' : '') +
      (this.sawNs ? ' (--ns)' : '') +
      (this.sawPlugin ? ' (plugin payload)' : '');
  }
}

/**
 * The first `: ` at or after `from`, or -1: found by its `:` (c.find would try every blank of the padding
 * before the event name, its pattern's last byte).
 */
function colonBlank(c: LineCursor, from: number): number {
  for (let i = c.indexOf(58 /* : */, from); i >= 0; i = c.indexOf(58, i + 1)) if (c.byte(i + 1) === 32) return i;
  return -1;
}

/** An indented `<hex address> <symbol> (<dso>)` line of a callchain. */
function isCallchainLine(c: LineCursor, s: number): boolean {
  let i = s;
  for (;;) {
    const ch = c.byte(i);
    const hex = (ch >= 48 && ch <= 57) || (ch >= 97 && ch <= 102) || (ch >= 65 && ch <= 70);
    if (!hex) break;
    i++;
  }
  return i > s && (i === c.end || c.buf[i] === 32 || c.buf[i] === 9);
}

export const createPerfScriptParser: LineParserFactory = (builder) => new PerfScriptParser(builder);
