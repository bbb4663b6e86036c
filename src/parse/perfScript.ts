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
import type { LineParser, LineParserFactory } from './parser';
import { decodeRange } from './byteLines';
import { ascii, byteBefore, byteIndex, findBytes, timestampBytes } from './byteScan';
import {
  classifyEvent,
  classifyEventBytes,
  EventKind,
  intAt,
  lastNumEnd,
  PrefixTgids,
  SchedEvents,
  skipSpaces,
  skipSpacesBytes,
} from './schedPayload';
import type { PrefixThread } from './schedPayload';
import { parseTimestamp, type SecNs } from './timestamp';

const COLON_BLANK = ascii(': ');
const LOST_COUNT = /\blost\s+(\d+)|LOST\s+(\d+)|(\d+)\s+EVENTS/i;

class PerfScriptParser implements LineParser, PrefixThread {
  private readonly b: TraceBuilder;
  private readonly events: SchedEvents;
  private readonly tgids = new PrefixTgids();
  private readonly ts: SecNs = { sec: 0, ns: 0 };
  private sawPidTid = false;
  private sawNs = false;
  private sawPlugin = false;
  private lastTime: number | null = null;

  // The current line's prefix, parsed on demand.
  private text = '';
  private commEnd = 0;
  private tid = -1;

  constructor(builder: TraceBuilder) {
    this.b = builder;
    this.events = new SchedEvents(builder);
    builder.formatDetail = 'perf script';
  }

  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    if (!this.lineBytes(buf, start, end)) this.lineText(decodeRange(buf, start, end), lineNo);
  }

  /** A line the byte reader declined, as text. */
  private lineText(text: string, lineNo: number): void {
    const len = text.length;
    if (len === 0) return;
    if (text.charCodeAt(0) === 35 /* # */) return;

    // ` [cpu]` anchor: a `[` at the start or after a blank, digits, `]`.
    let br = text.indexOf('[');
    let cpu = -1;
    let i = 0;
    while (br >= 0) {
      const before = br === 0 ? 32 : text.charCodeAt(br - 1);
      if (before === 32 || before === 9) {
        i = br + 1;
        let v = 0;
        for (;;) {
          const c = text.charCodeAt(i) - 48;
          if (!(c >= 0 && c <= 9)) break;
          v = v * 10 + c;
          i++;
        }
        if (i > br + 1 && text.charCodeAt(i) === 93 /* ] */) {
          cpu = v;
          break;
        }
      }
      br = text.indexOf('[', br + 1);
    }
    if (cpu < 0) {
      if (!this.other(text, lineNo, null, null))
        this.b.skip(lineNo, 'not a perf script event line (expected `comm tid [cpu] time: system:event: payload`)');
      return;
    }

    // Timestamp: `sec.frac:` after the cpu, possibly after other fields (tod, misc).
    let tsStart = skipSpaces(text, i + 1);
    let colon = text.indexOf(':', tsStart);
    if (colon < 0 || !parseTimestamp(text, tsStart, colon, this.ts)) {
      colon = this.findTimestamp(text, tsStart);
      if (colon < 0) {
        if (!this.other(text, lineNo, null, cpu))
          this.b.skip(lineNo, 'expected a timestamp `sec.frac:` after [cpu] (perf script -F must include time)');
        return;
      }
      tsStart = this.tsStartOf(text, colon);
    }
    if (!this.sawNs && colon - tsStart > 10 && text.charCodeAt(colon - 10) === 46 /* . */) {
      this.sawNs = true;
      this.updateDetail();
    }
    const time = this.b.time(this.ts.sec, this.ts.ns);
    this.lastTime = time;

    // Prefix, right to left from the `[`: the `tid` or `pid/tid` token (either may be -1).
    this.text = text;
    let j = br - 1;
    while (j >= 0 && text.charCodeAt(j) === 32) j--;
    let tid = -1;
    let pid = -1;
    let slash = false;
    let v = 0;
    let mul = 1;
    let c = text.charCodeAt(j);
    while (c >= 48 && c <= 57) {
      v += (c - 48) * mul;
      mul *= 10;
      c = text.charCodeAt(--j);
    }
    if (mul > 1) {
      if (c === 45 /* - */) {
        v = -v;
        c = text.charCodeAt(--j);
      }
      tid = v;
      if (c === 47 /* / */) {
        slash = true;
        v = 0;
        mul = 1;
        c = text.charCodeAt(--j);
        while (c >= 48 && c <= 57) {
          v += (c - 48) * mul;
          mul *= 10;
          c = text.charCodeAt(--j);
        }
        if (c === 45 /* - */) {
          v = -v;
          c = text.charCodeAt(--j);
        }
        pid = mul > 1 ? v : -1;
      }
    }
    if (mul === 1 || (j >= 0 && c !== 32 && c !== 9)) {
      // Not a number token: the comm's last word (`-F comm,cpu,...`).
      tid = -1;
      pid = -1;
      j = br - 1;
    } else if (slash && !this.sawPidTid) {
      this.sawPidTid = true;
      this.updateDetail();
    }
    this.tid = tid;
    this.commEnd = j + 1;
    if (pid > 0 && tid > 0) this.tgids.note(tid, pid);

    // Event name: ends at the first `: ` after the timestamp (or a `:` ending the line).
    let ne = text.indexOf(': ', colon + 1);
    if (ne < 0) {
      if (text.charCodeAt(len - 1) === 58 /* : */ && len - 1 > colon + 1) ne = len - 1;
      else {
        if (!this.other(text, lineNo, time, cpu)) this.b.skip(lineNo, 'expected `system:event:` after the timestamp');
        return;
      }
    }
    const kind = classifyEvent(text, ne);
    if (kind === EventKind.Other) {
      let nameStart = ne;
      while (nameStart > colon + 1 && text.charCodeAt(nameStart - 1) !== 32) nameStart--;
      // Something before the name (a sample period, PERF_RECORD_LOST ...)?
      if (skipSpaces(text, colon + 1) < nameStart && this.other(text, lineNo, time, cpu)) return;
      this.events.ignore(text, nameStart, ne);
      return;
    }
    const p = skipSpaces(text, ne + 1);
    const err = this.events.event(kind, text, p, time, cpu, this);
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

  /**
   * The fast path (see LineParser.lineBytes): an event line with the usual
   * prefix and a payload SchedEvents.eventBytes takes. It follows line() step by
   * step; any other line returns false before anything is changed, and is read
   * as text. (this.text, this.tid and this.commEnd serve only kvm events, which
   * are always read as text.)
   */
  private lineBytes(buf: Uint8Array, start: number, end: number): boolean {
    if (end === start || buf[start] === 35 /* # */) return true;

    // ` [cpu]` anchor.
    let br = byteIndex(buf, 91 /* [ */, start, end);
    let cpu = -1;
    let i = 0;
    while (br >= 0) {
      const before = br === start ? 32 : buf[br - 1];
      if (before === 32 || before === 9) {
        i = br + 1;
        let v = 0;
        for (; i < end; i++) {
          const c = buf[i] - 48;
          if (!(c >= 0 && c <= 9)) break;
          v = v * 10 + c;
        }
        if (i > br + 1 && i < end && buf[i] === 93 /* ] */) {
          cpu = v;
          break;
        }
      }
      br = byteIndex(buf, 91 /* [ */, br + 1, end);
    }
    if (cpu < 0) return false;

    // Timestamp right after the cpu.
    const tsStart = skipSpacesBytes(buf, i + 1, end);
    const colon = byteIndex(buf, 58 /* : */, tsStart, end);
    if (colon < 0 || !timestampBytes(buf, tsStart, colon, this.ts)) return false;

    // Prefix, right to left from the `[`.
    let j = br - 1;
    while (j >= start && buf[j] === 32) j--;
    let tid = -1;
    let pid = -1;
    let slash = false;
    let v = 0;
    let mul = 1;
    let c = byteBefore(buf, j, start);
    while (c >= 48 && c <= 57) {
      v += (c - 48) * mul;
      mul *= 10;
      c = byteBefore(buf, --j, start);
    }
    if (mul > 1) {
      if (c === 45 /* - */) {
        v = -v;
        c = byteBefore(buf, --j, start);
      }
      tid = v;
      if (c === 47 /* / */) {
        slash = true;
        v = 0;
        mul = 1;
        c = byteBefore(buf, --j, start);
        while (c >= 48 && c <= 57) {
          v += (c - 48) * mul;
          mul *= 10;
          c = byteBefore(buf, --j, start);
        }
        if (c === 45 /* - */) {
          v = -v;
          c = byteBefore(buf, --j, start);
        }
        pid = mul > 1 ? v : -1;
      }
    }
    if (mul === 1 || (j >= start && c !== 32 && c !== 9)) {
      tid = -1;
      pid = -1;
      slash = false;
    }

    // Event name and payload.
    const ne = findBytes(buf, COLON_BLANK, colon + 1, end);
    if (ne < 0) return false;
    const kind = classifyEventBytes(buf, start, ne);
    if (kind === EventKind.Other) return false;
    const time = this.b.time(this.ts.sec, this.ts.ns);
    if (!this.events.eventBytes(kind, buf, skipSpacesBytes(buf, ne + 1, end), end, time, cpu)) return false;

    // Taken: the rest of line()'s changes.
    this.lastTime = time;
    if (!this.sawNs && colon - tsStart > 10 && buf[colon - 10] === 46 /* . */) {
      this.sawNs = true;
      this.updateDetail();
    }
    if (slash && !this.sawPidTid) {
      this.sawPidTid = true;
      this.updateDetail();
    }
    if (pid > 0 && tid > 0) this.tgids.note(tid, pid);
    if (kind === EventKind.Switch) {
      if (tid < 0 && pid > 0) this.tgids.noteIfAbsent(this.events.lastPrevTid, pid);
      if (!this.sawPlugin && this.events.sawPlugin) {
        this.sawPlugin = true;
        this.updateDetail();
      }
    }
    return true;
  }

  finish(): void {
    this.tgids.apply(this.b);
  }

  prefixTask(time: number): number {
    const tid = this.tid;
    if (tid < 0) return -1;
    if (tid === 0) return 0;
    const b = this.b;
    const idx = b.findTask(tid);
    if (idx !== undefined && b.lastCommOf(idx) !== undefined) return idx;
    const text = this.text;
    const cs = skipSpaces(text, 0);
    let ce = this.commEnd;
    while (ce > cs && (text.charCodeAt(ce - 1) === 32 || text.charCodeAt(ce - 1) === 9)) ce--;
    // perf prints `:<tid>` when it knows no comm for the thread.
    let placeholder = ce <= cs;
    if (!placeholder && text.charCodeAt(cs) === 58 /* : */) {
      const v = intAt(text, cs + 1);
      placeholder = v === v && lastNumEnd() === ce;
    }
    const comm = placeholder ? null : text.slice(cs, ce);
    if (idx !== undefined) {
      if (comm !== null) b.noteComm(idx, comm, time);
      return idx;
    }
    return b.task(tid, comm, time);
  }

  /** Position of the `:` ending a `sec.frac` token after `from`, or -1 (the token is parsed into this.ts). */
  private findTimestamp(text: string, from: number): number {
    let i = from;
    for (let tokens = 0; tokens < 6 && i < text.length; tokens++) {
      let e = text.indexOf(' ', i);
      if (e < 0) e = text.length;
      if (e > i + 1 && text.charCodeAt(e - 1) === 58 /* : */ && parseTimestamp(text, i, e - 1, this.ts)) return e - 1;
      i = skipSpaces(text, e);
    }
    return -1;
  }

  private tsStartOf(text: string, colon: number): number {
    let i = colon;
    while (i > 0 && text.charCodeAt(i - 1) !== 32) i--;
    return i;
  }

  /**
   * Lines that are not (modelled) events: blank, callchain (indented hex
   * address), lost records. Returns true when the line was taken or silently
   * ignored, false when the caller should report it as skipped.
   */
  private other(text: string, lineNo: number, time: number | null, cpu: number | null): boolean {
    const s = skipSpaces(text, 0);
    if (s === text.length) return true;
    if (text.indexOf('LOST') >= 0) {
      const m = LOST_COUNT.exec(text);
      const count = m ? Number(m[1] ?? m[2] ?? m[3]) : null;
      this.b.addLost({
        line: lineNo,
        time: time ?? this.lastTime,
        cpu,
        count,
        message: `perf lost ${count ?? 'some'} events${cpu !== null ? ` on CPU ${cpu}` : ''} (its ring buffer overflowed)`,
      });
      return true;
    }
    return time === null && s > 0 && isCallchainLine(text, s);
  }

  private updateDetail(): void {
    this.b.formatDetail =
      'perf script' +
      (this.sawPidTid ? ' (-F pid,tid)' : '') +
      (this.sawNs ? ' (--ns)' : '') +
      (this.sawPlugin ? ' (plugin payload)' : '');
  }
}

/** An indented `<hex address> <symbol> (<dso>)` line of a callchain. */
function isCallchainLine(text: string, s: number): boolean {
  let i = s;
  for (;;) {
    const c = text.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    if (!hex) break;
    i++;
  }
  return i > s && (i === text.length || text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9);
}

export const createPerfScriptParser: LineParserFactory = (builder) => new PerfScriptParser(builder);
