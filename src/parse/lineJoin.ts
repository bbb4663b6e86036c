// Rows broken in two by a mailer or a terminal, put back together before the
// parser sees them. Only the unambiguous break is rejoined: a line that ends at
// its timestamp (`qemu-system-x86-5665  [000] d..1   280.971122:`, the whole
// prefix of an ftrace or perf script row and nothing after it) followed by a
// line that starts, indented or not, with an event name (`kvm_entry: vcpu 0`,
// `sched:sched_switch: ...`). A head without such a tail goes to the parser as
// it is (which skips it, by number); the rejoined rows are counted in one
// warning.

import type { TraceBuilder } from '../model/builder';
import { byteString } from './byteLines';
import { COLON } from './charCodes';
import type { LineParser } from './parser';
import { thousands } from '../model/format';

/** A row's prefix up to its timestamp and nothing after: ` [cpu] `, then `sec.frac:` at the end. */
const HEAD = /\s\[\d+\]\s.*\d+\.\d+:\s*$/;
/** The rest of a row: an event name (`kvm_entry:`, `sched:sched_switch:`) first. */
const TAIL = /^\s*[\w-]+:(\s|[\w-]+:|$)/;

/**
 * A row broken at a blank inside its payload (a format=flowed mailer's soft break, RFC 3676: the line ends
 * with the blank): a row with its timestamp and more after it, ending in a blank...
 */
const SOFT_HEAD = /\d(?:us[+!#*@$ ]?|\.\d+):\s+\S.*\s$/;
/**
 * ...followed by what no row starts with: the function tracer's `<-parent`, or the rest of a
 * context-switch tracer's task (`98:R irq_work/0`, `22: 98:R comm`).
 */
const SOFT_TAIL = /^\s*(?:<-\S|\d+:\s*(?:\d+:)?[A-Z?]\+?(?:\s|$))/;

const isBlank = (c: number): boolean => c === 32 || c === 9;

class WrappedLineJoiner implements LineParser {
  private head: Uint8Array | null = null;
  /** The held head ends with a blank (a soft break), not at its timestamp. */
  private soft = false;
  private headNo = 0;
  private joined = 0;
  private firstJoined = 0;
  private softJoined = 0;
  private firstSoftJoined = 0;

  constructor(
    private readonly parser: LineParser,
    private readonly b: TraceBuilder,
  ) {}

  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    const head = this.head;
    if (head !== null) {
      this.head = null;
      if (this.soft) {
        if (end > start && SOFT_TAIL.test(byteString(buf, start, Math.min(end, start + 40)))) {
          // The soft break's blank stays in the head: the parts are put side by side.
          let s = start;
          while (s < end && isBlank(buf[s])) s++;
          const row = new Uint8Array(head.length + end - s);
          row.set(head);
          row.set(buf.subarray(s, end), head.length);
          if (this.softJoined++ === 0) this.firstSoftJoined = this.headNo;
          this.late(row);
          return;
        }
        this.late(head);
      } else if (end > start && TAIL.test(byteString(buf, start, Math.min(end, start + 80)))) {
        let s = start;
        while (s < end && isBlank(buf[s])) s++;
        const row = new Uint8Array(head.length + 1 + end - s);
        row.set(head);
        row[head.length] = 32;
        row.set(buf.subarray(s, end), head.length + 1);
        if (this.joined++ === 0) this.firstJoined = this.headNo;
        this.late(row);
        return;
      } else this.late(head);
    }
    const soft = end > start && isBlank(buf[end - 1]) && SOFT_HEAD.test(byteString(buf, start, end));
    if (soft || endsAtTimestamp(buf, start, end)) {
      this.head = buf.slice(start, end);
      this.soft = soft;
      this.headNo = lineNo;
      return;
    }
    this.parser.line(buf, start, end, lineNo);
  }

  /** A held row, given late: a value out of range skips it under its own line number, not the current one. */
  private late(row: Uint8Array): void {
    try {
      this.parser.line(row, 0, row.length, this.headNo);
    } catch (e) {
      this.b.rejectLine(this.headNo, e);
    }
  }

  finish(): void {
    if (this.head !== null) this.late(this.head);
    this.head = null;
    if (this.softJoined > 0)
      this.b.warn(
        this.firstSoftJoined,
        `${thousands(this.softJoined)} rows broken in two at a blank inside the event (a mailer's soft line break: the line ends with the blank, the rest of the task or the function's \`<-parent\` on the next line) were rejoined, the first at line ${this.firstSoftJoined}`,
        'wrapped-line',
        this.softJoined,
      );
    if (this.joined > 0)
      this.b.warn(
        this.firstJoined,
        `${thousands(this.joined)} rows broken in two (by a mailer or a terminal: the prefix up to the timestamp on one line, the event on the next) were rejoined, the first at line ${this.firstJoined}`,
        'wrapped-line',
        this.joined,
      );
    this.parser.finish();
  }
}

/** Whether buf[start, end) is a row's prefix that stops at its timestamp (a cheap byte test first). */
function endsAtTimestamp(buf: Uint8Array, start: number, end: number): boolean {
  let e = end;
  while (e > start && isBlank(buf[e - 1])) e--;
  if (e - start < 8 || buf[e - 1] !== COLON) return false;
  const d = buf[e - 2];
  if (d < 48 || d > 57) return false;
  return HEAD.test(byteString(buf, start, e));
}

/** The parser behind a joiner of wrapped rows (ftrace / trace-cmd and perf script text). */
export function joinWrappedRows(parser: LineParser, builder: TraceBuilder): LineParser {
  return new WrappedLineJoiner(parser, builder);
}
