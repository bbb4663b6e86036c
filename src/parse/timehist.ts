// `perf sched timehist` text (shared/docs/trace-formats.md §4).
//
// One data line per sched_switch, printed at the switch: the time, `[cpu]`, and
// the task switched OUT (`comm[tid]` when tid == pid, `comm[tid/pid]` otherwise,
// `<idle>` for the idle task), then wait time, scheduling delay and run time in
// msec. So the task switched IN by line i on CPU c is the task of the next data
// line on CPU c (or the `next: comm[tid]` column with -n). Switches are queued in
// file order and handed to the builder from the head of the queue as each one's
// next task becomes known.
//
// The run-time column checks that link: a task's run time is the time since the
// previous switch on its CPU, which is the previous line on that CPU unless some
// switches are not printed (`-p`/`-t`/`--prio` filters, samples perf could not
// resolve). Then the previous switch on the CPU went to a task not in the output
// (one placeholder task), and the line's task was switched in `run time` before
// its line: a switch at that time is inferred.
//
// This file reads the columns and finds the task names in them; the names become
// the model's tasks in timehistTasks.ts, and the switches wait for their next
// task in timehistQueue.ts.
//
// Variants, from tools/perf/builtin-sched.c (timehist_header/print_sample):
//   --state      ` %5c ` after the msec columns; header ends in `state`
//   -n           `next: comm[tid]`, cut to 29 characters
//   -w           `awakened: comm[tid/pid]` lines (and a blank spacer on data lines)
//   -M           `migrated: comm[tid/pid] cpu A => B` lines
//   -V           a per-CPU column `s`/`i`/`m` block after `[cpu]`, width from the header
//   --show-prio  a prio column (`120` or `120->100`) after the task
//   -P           a fourth msec column (pre-migration wait)
//   -g           callchains at the end of data lines
//   -s/-S        summary tables after the events (ignored)
//   lost events  `<time> lost N events on cpu C`

import { checkCpu, checkTid, IDLE_TASK, type TraceBuilder } from '../model/builder';
import { PrevState, TaskKind, WakeupKind } from '../model/types';
import type { LineParser, LineParserFactory } from './parser';
import { byteString } from './byteLines';
import { COLON, DOT, LBRACKET, MINUS, NINE, RBRACKET, SLASH, SPACE, ZERO } from './charCodes';
import { ascii, isDigit, LineCursor, type SecNs } from './cursor';
import { letterState, PERF_LETTERS, PERF_OLD_LETTERS } from './prevState';
import { SwitchQueue } from './timehistQueue';
import { COMMSTR_MAX, CUT_PID, EXITING, TimehistTasks } from './timehistTasks';
import { elisionText, isElisionMark } from './elision';
import { thousands } from '../model/format';

/** An unsigned decimal at i, or -1 when there is none; c.pos follows it. */
function uintAt(c: LineCursor, i: number): number {
  const v = c.int(i);
  return v >= 0 ? v : -1;
}

/** `next: comm[tid]` goes into a 30-byte buffer: after `next: `, at most 23 characters. */
const NEXT_MAX = 29 - 6;

/** What a task name must be followed by to be accepted. */
const enum After {
  /** A data, wakeup or migration line: the msec columns (or prio), `awakened: `, `migrated: `. */
  Event,
  /** `awakened: X`: end of line. */
  LineEnd,
  /** `migrated: X cpu A => B`. */
  Cpu,
  /** `next: X`: a space or end of line, within the 23-character field. */
  Next,
}

/** The state letter perf prints for prev_state (see PERF_LETTERS). */
function stateOf(c: number, oldLetters: boolean): PrevState {
  return letterState(oldLetters ? PERF_OLD_LETTERS : PERF_LETTERS, c);
}

/** Letters perf's timehist prints in the state column (current and older TASK_STATE_TO_CHAR_STR, `?`). */
function isStateChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 63;
}

const IDLE_NAME = ascii('<idle>');
const NEXT_COLUMN = ascii('next: ');
const TIME = ascii('time');
const TASK_NAME = ascii('task name');
const UNITS = ascii('[tid/pid]');
const DASHES = ascii('---');
const RUNTIME_SUMMARY = ascii('Runtime summary');
const WAIT_SUMMARY = ascii('Wait-time summary');
const IDLE_SUMMARY = ascii('Idle-time summary');
const LOST = ascii(' lost ');
const AWAKENED = ascii('awakened: ');
const MIGRATED = ascii('migrated: ');
const CPU_COLUMN = ascii(' cpu ');
const CPU_ARROW = ascii(' => ');
const EVENTS_ON_CPU = ascii(' events on cpu ');

const MISSING_COLUMNS = 'missing or malformed wait time / sch delay / run time columns';
const NO_TASK = 'no task name comm[tid] after [cpu]';
/** The rest of a broken row: msec columns only (and --state's letter). */
const MSEC_TAIL = /^\s*\d+\.\d{3}(?:\s+\d+\.\d{3})*(?:\s+[A-Za-z?])?\s*$/;

/** Whether [i, n) holds nothing but msec numbers and blanks (possibly nothing): columns cut at the end. */
function onlyMsecs(c: LineCursor, i: number, n: number): boolean {
  for (; i < n; i++) {
    const ch = c.byte(i);
    if (ch !== SPACE && ch !== DOT && !isDigit(ch)) return false;
  }
  return true;
}

/** A held row's head and the rest of it at buf[s, end), with a blank between them or not. */
function joined(head: Uint8Array, blank: boolean, buf: Uint8Array, s: number, end: number): Uint8Array {
  const gap = blank ? 1 : 0;
  const row = new Uint8Array(head.length + gap + end - s);
  row.set(head);
  if (blank) row[head.length] = SPACE;
  row.set(buf.subarray(s, end), head.length + gap);
  return row;
}

/** What a line is to a paste of several timehists (TimehistParser.blockSignal). */
export const enum BlockSignal {
  /** Neither a header nor a data line (or nothing read yet). */
  Other = 0,
  /** A header after data lines: another timehist starts here. */
  Header = 1,
  /** A data line in time with the ones read. */
  Data = 2,
  /** A data line more than BLOCK_STEP_BACK_SEC before the latest read. */
  Back = 3,
}

/**
 * How far back a data line's time must be to start another timehist of the same
 * paste: perf prints one in time order, but old perf let a few events step back
 * by far less than this.
 */
const BLOCK_STEP_BACK_SEC = 1;

export class TimehistParser implements LineParser {
  // Column layout, from the header; without one, optional columns are guessed per line.
  private headerSeen = false;
  private visual = 0;
  private prioCol = false;
  private preMigCol = false;
  private stateCol = false;
  private inSummary = false;
  /** The state column uses perf's pre-4.14 letters (see stateOf). */
  private oldLetters = false;

  private readonly ts: SecNs = { sec: 0, ns: 0 };
  private readonly blockTs: SecNs = { sec: 0, ns: 0 };
  /** The line blockSignal read as a data line ([readStart, readEnd) of readBuf; null: none), its whole seconds and their dot. */
  private readBuf: Uint8Array | null = null;
  private readStart = 0;
  private readEnd = 0;
  private readSec = 0;
  private readDot = 0;
  /** A data row whose columns stop short at its end, or whose task name does, held for joinHeld (null: none). */
  private heldRow: Uint8Array | null = null;
  private heldNo = 0;
  /** The held row stops inside (or right after) its task name, which starts at this offset; -1: in its msec columns. */
  private heldName = -1;
  /** Where the last data row's wait-time column ends, from the row's start: perf's columns are fixed. */
  private waitEnd = -1;
  private rejoined = 0;
  private firstRejoined = 0;
  /** The latest data line's time (sec < 0 before the first): what startsBlock compares with. */
  private latestSec = -1;
  private latestNs = 0;
  /** The latest time before it (sec < 0 before the second rise). */
  private priorSec = -1;
  private priorNs = 0;
  /** The task names seen, as the model's tasks (timehistTasks.ts). */
  private readonly tasks: TimehistTasks;

  // Result of findTask().
  private fTid = 0;
  private fPid = -1;
  private fCommEnd = 0;
  private fAfter = 0;
  /** End of the name namedTask() found. */
  private fEnd = 0;
  /** Set by accepts() when the wait-time column follows the name: its dot. */
  private fDot = -1;

  /** Switches waiting for their next task (timehistQueue.ts). */
  private readonly queue: SwitchQueue;

  private unknownNext = -1;
  /** The placeholder switched in by each CPU's last row before an elision mark (elide). */
  private elidedTask = -1;
  private hiddenTask = -1;
  private gaps = 0;
  /** Switch-ins inferred at a CPU's first line (see addSwitchLine), and the first such line. */
  private firstLineInferred = 0;
  private firstFirstLine = 0;
  private firstGapLine = 0;

  private readonly c = new LineCursor();

  constructor(private readonly b: TraceBuilder) {
    b.formatDetail = 'perf sched timehist';
    this.queue = new SwitchQueue(b, () => this.hiddenTask);
    this.tasks = new TimehistTasks(b);
  }

  /**
   * What the line is to the paste's blocks (see BlockSignal): reads nothing
   * into the model. The driver starts a fresh parser of its own run at a
   * header after data lines, or at a data line more than BLOCK_STEP_BACK_SEC
   * before the latest one read when the next data line is too (perf prints a
   * timehist in time order; one damaged stamp is not a new timehist).
   */
  blockSignal(buf: Uint8Array, start: number, end: number): BlockSignal {
    this.readBuf = null;
    if (this.latestSec < 0) return BlockSignal.Other;
    const c = this.c.set(buf, start, end);
    const p = c.blanks(start);
    if (p === end) return BlockSignal.Other;
    if (!isDigit(buf[p])) return !this.inSummary && this.isHeader(c, p) ? BlockSignal.Header : BlockSignal.Other;
    // The common line: its whole seconds at or after the reference's, read without the fraction.
    const refWhole = this.priorSec >= 0 ? this.priorSec : this.latestSec;
    let sec = 0;
    let k = p;
    while (k < end && isDigit(buf[k])) sec = sec * 10 + buf[k++] - ZERO;
    if (sec >= refWhole && buf[k] === DOT) {
      this.readBuf = buf;
      this.readStart = start;
      this.readEnd = end;
      this.readSec = sec;
      this.readDot = k;
      return BlockSignal.Data;
    }
    let q = c.indexOf(SPACE, p);
    if (q < 0) q = end;
    const t = this.blockTs;
    if (!c.timestamp(p, q, t) || c.byte(q + 1) !== LBRACKET) return BlockSignal.Other;
    // Against the latest time but one (when there is one): a single stamp damaged far forward is no reference.
    const refSec = this.priorSec >= 0 ? this.priorSec : this.latestSec;
    const refNs = this.priorSec >= 0 ? this.priorNs : this.latestNs;
    const back = refSec - t.sec + (refNs - t.ns) / 1e9 > BLOCK_STEP_BACK_SEC;
    return back ? BlockSignal.Back : BlockSignal.Data;
  }

  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    // The line blockSignal just read: its seconds and their dot are known (taken once: later lines are others).
    const read = this.readBuf === buf && this.readStart === start && this.readEnd === end;
    this.readBuf = null;
    if (this.heldRow !== null && this.joinHeld(buf, start, end, lineNo)) return;
    const c = this.c.set(buf, start, end);
    const p = c.blanks(start);
    if (p === end) return;
    if (this.inSummary) {
      if (this.isHeader(c, p)) this.header(c, p);
      return;
    }
    if (isDigit(buf[p])) this.event(c, p, end, lineNo, read);
    else this.other(c, p, lineNo);
  }

  /**
   * A data row held because its msec columns stop short at its end (a mailer or terminal broke it), and
   * the line after it: when that line holds only msec columns (and the state letter), the two are one row,
   * read now; else the held row is skipped for its missing columns and the line is read as itself.
   */
  private joinHeld(buf: Uint8Array, start: number, end: number, lineNo: number): boolean {
    const head = this.heldRow!;
    const no = this.heldNo;
    this.heldRow = null;
    let s = start;
    while (s < end && buf[s] === SPACE) s++;
    let row: Uint8Array | null;
    if (this.heldName >= 0) {
      const r = this.nameJoin(head, buf, start, s, end, lineNo);
      if (typeof r === 'boolean') return r;
      row = r;
    } else if (!MSEC_TAIL.test(byteString(buf, start, end))) {
      this.b.skip(no, MISSING_COLUMNS);
      return false;
    } else row = joined(head, true, buf, s, end);
    if (this.rejoined++ === 0) this.firstRejoined = no;
    const c = this.c.set(row, 0, row.length);
    this.event(c, c.blanks(0), row.length, no);
    return true;
  }

  /**
   * A row held because no task name ends on it (cut inside the name or right after it), and the line after it
   * (buf[start, end), its first non-blank at s): the row they make when that line is its rest; else false with
   * the held row skipped, or true when the two readings are both rows (both lines skipped, not guessed). The break may have lost a
   * blank (a mailer breaks at one) or not (a terminal, anywhere): where both readings name a thread, the one
   * whose columns stand where the rows before had theirs is taken, else the one whose comm this timehist
   * already gave that thread; neither or both, the row is not guessed.
   */
  private nameJoin(
    head: Uint8Array,
    buf: Uint8Array,
    start: number,
    s: number,
    end: number,
    lineNo: number,
  ): Uint8Array | boolean {
    const no = this.heldNo;
    const c = this.c;
    // A data row of its own is no row's rest.
    let q = c.set(buf, s, end).indexOf(SPACE, s);
    if (q < 0) q = end;
    const dataRow = s < end && isDigit(buf[s]) && c.timestamp(s, q, this.blockTs) && c.byte(q + 1) === LBRACKET;
    const softBreak = head.length > 0 && head[head.length - 1] === SPACE;
    const readings = dataRow
      ? []
      : softBreak || s > start
        ? [joined(head, !softBreak, buf, s, end), ...(softBreak ? [] : [joined(head, false, buf, s, end)])]
        : [joined(head, false, buf, s, end), joined(head, true, buf, s, end)];
    const named: Uint8Array[] = [];
    const inLayout: Uint8Array[] = [];
    const known: Uint8Array[] = [];
    let tid = -1;
    for (const row of readings) {
      const rc = c.set(row, 0, row.length);
      if (this.findTask(rc, this.heldName, row.length, After.Event) < 0) continue;
      named.push(row);
      // Its wait-time column where the rows before had theirs (a terminal keeps every blank, a mailer drops one).
      let dot = this.fDot;
      if (dot < 0) for (dot = this.fAfter; dot < row.length && isDigit(row[dot]);) dot++;
      if (dot + 4 === this.waitEnd) inLayout.push(row);
      tid = this.fTid;
      if (this.tasks.knows(tid, rc, this.heldName, this.fCommEnd)) known.push(row);
    }
    if (named.length === 1) return named[0];
    if (inLayout.length === 1) return inLayout[0];
    if (known.length === 1) return known[0];
    if (named.length === 0) {
      this.b.skip(no, NO_TASK);
      return false;
    }
    this.b.skip(
      no,
      `a row broken inside its task name, read with or without a blank at the break, names thread ${tid} by two comms, neither seen before: not guessed`,
    );
    this.b.skip(lineNo, `the rest of line ${no}, not guessed`);
    return true;
  }

  finish(): void {
    const b = this.b;
    if (this.heldRow !== null) b.skip(this.heldNo, this.heldName >= 0 ? NO_TASK : MISSING_COLUMNS);
    this.heldRow = null;
    if (this.rejoined > 0)
      b.warn(
        this.firstRejoined,
        `${thousands(this.rejoined)} timehist rows broken in two (by a mailer or a terminal: the msec columns, or the last of them, or the rest of the task name on the next line) were rejoined, the first at line ${this.firstRejoined}`,
        'wrapped-line',
        this.rejoined,
      );
    const unresolved = this.queue.resolveLast(() => {
      if (this.unknownNext < 0) this.unknownNext = b.placeholderTask(TaskKind.Unknown, 'unknown next task');
      return this.unknownNext;
    });
    this.queue.flush();
    if (unresolved > 0) {
      b.warn(
        0,
        `the task switched in by the last switch on ${unresolved === 1 ? '1 CPU' : `${thousands(unresolved)} CPUs`} is not in a timehist (\`perf sched timehist -n\` shows it); it is shown as an unknown task`,
      );
    }
    if (this.gaps > 0) {
      b.warn(
        this.firstGapLine,
        `${thousands(this.gaps)} switch-ins inferred from run times: tasks not in this output ran in between (timehist filtered with -p/-t/--prio, or unresolved samples); they are shown as one placeholder task`,
        'inferred-switch',
        0, // tallied per switch, at its line
      );
    }
    if (this.firstLineInferred > 0) {
      b.warn(
        this.firstFirstLine,
        `${thousands(this.firstLineInferred)} switch-ins inferred at the first line of a CPU (or its first after a \`[...]\` gap): its task had run for its run time (the output starts after they happened, as an excerpt does); they are kept apart from the file's switches (inferredSwitches)`,
        'inferred-switch',
        0, // tallied per switch, at its line
      );
    }
    this.tasks.finish();
  }

  // ---- non-event lines -----------------------------------------------------

  private isHeader(c: LineCursor, p: number): boolean {
    return c.at(p, TIME) && c.find(TASK_NAME, p) > 0;
  }

  private other(c: LineCursor, p: number, lineNo: number): void {
    if (this.isHeader(c, p)) {
      this.header(c, p);
      return;
    }
    const ch = c.byte(p);
    // Units row (`[tid/pid]  (msec) ...`, after the blank -V block) and the dotted separator.
    if (ch === LBRACKET && c.at(p, UNITS)) return;
    if (ch === MINUS && c.at(p, DASHES)) return;
    if (c.at(p, RUNTIME_SUMMARY) || c.at(p, WAIT_SUMMARY) || c.at(p, IDLE_SUMMARY)) {
      this.inSummary = true;
      return;
    }
    if (isElisionMark(c.buf, c.start, c.end)) this.elide(lineNo, elisionText(c.buf, c.start, c.end));
    else this.b.skip(lineNo, 'not a perf sched timehist line');
  }

  /**
   * A paste's elision mark (`[...]`): the rows after it do not follow the ones before. The task each CPU's
   * last row switched in is not the next row's there (a placeholder, unless -n named it), and each CPU's
   * first row after it is read as a first row (its switch-in inferred from its run time).
   */
  private elide(lineNo: number, mark: string): void {
    const b = this.b;
    this.queue.resolveLast(() => {
      if (this.elidedTask < 0) this.elidedTask = b.placeholderTask(TaskKind.Elided, 'events the paste leaves out');
      return this.elidedTask;
    });
    this.queue.flush();
    // No slice cut at the gap: each row's run time says when its slice began (one may have begun before the
    // gap, and the row proves it ran on through); what ran between is the placeholder's.
    b.addGap(lineNo, mark, this.latestSec < 0 ? null : b.time(this.latestSec, this.latestNs), false);
  }

  private header(c: LineCursor, p: number): void {
    const text = byteString(c.buf, c.start, c.end);
    p -= c.start;
    this.headerSeen = true;
    this.inSummary = false;
    // `           time    cpu  0123  task name ...`: the -V block is the hex-digit row after `cpu`.
    this.visual = 0;
    const cpuAt = text.indexOf('cpu', p + 4);
    if (cpuAt > 0) {
      let i = cpuAt + 3;
      while (i < text.length && text.charCodeAt(i) === SPACE) i++;
      let j = i;
      while (j < text.length && /[0-9a-f]/.test(text[j])) j++;
      if (j > i && (j === text.length || text.charCodeAt(j) === SPACE)) {
        this.visual = j - i;
        // perf sizes the block nr_cpus_online + 1.
        if (this.visual > 1) this.b.declaredCpuCount = this.visual - 1;
      }
    }
    // perf right-aligns each column under its label: a data row's wait time ends where `wait time` does.
    const wait = text.indexOf('wait time');
    if (wait > 0) this.waitEnd = wait + 9;
    this.prioCol = / prio(\s|$)/.test(text);
    this.preMigCol = text.includes('pre-mig time');
    this.stateCol = / state\s*$/.test(text);
    if (this.stateCol) this.b.hasStates = true;
  }

  // ---- event lines ---------------------------------------------------------

  private event(c: LineCursor, p: number, n: number, lineNo: number, read = false): void {
    const b = this.b;
    // The stamp fills the line's first token: it ends at a space or at the line's end.
    const q = read ? c.fractionFrom(this.readSec, p, this.readDot, this.ts) : c.timestampFrom(p, this.ts);
    if (q < 0 || (q < n && c.byte(q) !== SPACE)) {
      b.skip(lineNo, 'not a perf sched timehist line');
      return;
    }
    // ` [cpu] `, or ` lost N events on cpu C`.
    if (q + 1 >= n || c.byte(q + 1) !== LBRACKET) {
      if (c.at(q, LOST)) this.lost(c, q + 6, lineNo);
      else b.skip(lineNo, 'no [cpu] after the timestamp');
      return;
    }
    // Inside the line (at or after p, before n) c.byte(k) is buf[k]: the loops below read buf.
    const buf = c.buf;
    let i = q + 2;
    let cpu = 0;
    const cpuStart = i;
    while (i < n) {
      const ch = buf[i];
      if (ch < ZERO || ch > NINE) break;
      cpu = cpu * 10 + (ch - ZERO);
      i++;
    }
    if (i === cpuStart || i >= n || c.byte(i) !== RBRACKET) {
      b.skip(lineNo, 'no [cpu] after the timestamp');
      return;
    }
    i++;
    const ts = this.ts;
    if (ts.sec > this.latestSec || (ts.sec === this.latestSec && ts.ns > this.latestNs)) {
      this.priorSec = this.latestSec;
      this.priorNs = this.latestNs;
      this.latestSec = ts.sec;
      this.latestNs = ts.ns;
    }
    // The -V block: ` ` + one column per CPU + ` ` (wakeups: blank; migrations: 2 spaces each side).
    if (this.visual > 0) i += this.visual + 3;
    while (i < n && buf[i] === SPACE) i++;
    const taskStart = i;
    const e = this.findTask(c, taskStart, n, After.Event);
    if (e < 0) {
      // No name ends here: maybe a row broken inside its name or right after it; the next line says (joinHeld).
      if (this.heldRow === null) this.hold(c, n, lineNo, taskStart - c.start);
      else b.skip(lineNo, NO_TASK);
      return;
    }
    this.checkFoundIds();
    const time = b.time(this.ts.sec, this.ts.ns);
    const task = this.taskOf(c, taskStart, time, lineNo);

    // accepts() left fAfter at the first character after the name's padding.
    let j = this.fAfter;
    const c0 = c.byte(j);
    if (c0 === 97 /* a */ && c.at(j, AWAKENED)) {
      this.wakeup(c, j + 10, time, cpu, lineNo);
      return;
    }
    if (c0 === 109 /* m */ && c.at(j, MIGRATED)) {
      this.migration(c, j + 10, time, lineNo);
      return;
    }
    // wait time, sch delay, run time: `%6lu.%03lu ` (msec.usec), 11 characters each below 1000 s.
    let dot = this.fDot;
    if (dot < 0) {
      // --show-prio: one token before the msec columns.
      if (this.prioCol) {
        while (j < n && c.byte(j) !== SPACE) j++;
        while (j < n && c.byte(j) === SPACE) j++;
      }
      dot = j;
      while (dot < n && isDigit(c.byte(dot))) dot++;
      if (dot === j || !this.isMsec(c, dot, n)) dot = -1;
    }
    let d2 = dot + 11;
    let d3 = dot + 22;
    if (dot >= 0 && !(d3 < n && buf[d2] === DOT && buf[d3] === DOT && isDigit(buf[d2 - 1]))) {
      d2 = this.nextMsec(c, dot, n);
      d3 = this.nextMsec(c, d2, n);
    }
    if (dot < 0 || d3 < 0 || !this.isMsec(c, d3, n)) {
      // Columns that stop short at the line's end: maybe a row broken in two; the next line says (joinHeld).
      if (this.heldRow === null && onlyMsecs(c, this.fAfter, n)) this.hold(c, n, lineNo, -1);
      else b.skip(lineNo, MISSING_COLUMNS);
      return;
    }
    this.waitEnd = dot + 4 - c.start;
    // The run time in usec (isMsec checked its digits, d3 + 3 < n).
    let k = d3 - 1;
    while (k > d2 + 4 && isDigit(buf[k - 1])) k--;
    let ms = 0;
    for (; k < d3; k++) ms = ms * 10 + buf[k] - ZERO;
    const runUs = ms * 1000 + (buf[d3 + 1] - ZERO) * 100 + (buf[d3 + 2] - ZERO) * 10 + (buf[d3 + 3] - ZERO);
    j = d3 + 4;
    while (j < n && buf[j] === SPACE) j++;
    // -P: a fourth msec column.
    if (j < n && (this.preMigCol || !this.headerSeen) && isDigit(c.byte(j))) {
      while (j < n && c.byte(j) !== SPACE) j++;
      while (j < n && c.byte(j) === SPACE) j++;
    }
    // --state: one letter.
    let state = PrevState.Unknown;
    if (j < n && (this.stateCol || !this.headerSeen)) {
      const ch = c.byte(j);
      if (isStateChar(ch) && (j + 1 === n || c.byte(j + 1) === SPACE)) {
        // perf prints `I` for the idle task whatever the kernel said; the idle loop is always TASK_RUNNING.
        if (ch === 75 /* K */ || ch === 87 /* W */ || ch === 120 /* x */) this.oldLetters = true;
        state = task === IDLE_TASK ? PrevState.Runnable : stateOf(ch, this.oldLetters);
        if (!this.stateCol) {
          this.stateCol = true;
          b.hasStates = true;
        }
        j += 1;
        while (j < n && c.byte(j) === SPACE) j++;
      }
    }
    // -n: `next: comm[tid]`.
    let hint = -1;
    if (j < n && c.byte(j) === 110 /* n */ && c.at(j, NEXT_COLUMN)) {
      const ns = j + 6;
      const ne = this.findTask(c, ns, n, After.Next);
      if (ne >= 0 && this.fTid >= 0) hint = this.nextTaskOf(c, ns, time);
    }
    this.addSwitchLine(time, cpu, task, state, runUs, hint, lineNo);
  }

  /** Hold the row [c.start, n) for joinHeld; `name`: where its task name starts, -1 when it stops in its msec columns. */
  private hold(c: LineCursor, n: number, lineNo: number, name: number): void {
    this.heldRow = c.buf.slice(c.start, n);
    this.heldNo = lineNo;
    this.heldName = name;
  }

  /** `.ddd` then a space or the end, after at least one digit: the dot of a msec column. */
  private isMsec(c: LineCursor, dot: number, n: number): boolean {
    const buf = c.buf; // every index read is inside the line (dot - 1 >= c.start, dot + 4 < n)
    return (
      dot > c.start &&
      dot + 3 < n &&
      buf[dot] === DOT &&
      isDigit(buf[dot - 1]) &&
      isDigit(buf[dot + 1]) &&
      isDigit(buf[dot + 2]) &&
      isDigit(buf[dot + 3]) &&
      (dot + 4 === n || buf[dot + 4] === SPACE)
    );
  }

  /** The dot of the msec column after the one whose dot is at `dot`, or -1. */
  private nextMsec(c: LineCursor, dot: number, n: number): number {
    if (dot < 0) return -1;
    let j = dot + 4;
    while (j < n && c.byte(j) === SPACE) j++;
    const s = j;
    while (j < n && isDigit(c.byte(j))) j++;
    return j > s && this.isMsec(c, j, n) ? j : -1;
  }

  /** The task named at `s` of an `awakened:` / `migrated:` line (`what`), or -1 with the line skipped; sets the name's end in fEnd. */
  private namedTask(c: LineCursor, s: number, after: After, time: number, lineNo: number, what: string): number {
    this.fEnd = this.findTask(c, s, c.end, after);
    if (this.fEnd < 0) {
      this.b.skip(lineNo, `no task name comm[tid] after "${what}"`);
      return -1;
    }
    this.checkFoundIds();
    const task = this.taskOf(c, s, time, lineNo);
    return task === EXITING ? this.tasks.exitingTask() : task;
  }

  private wakeup(c: LineCursor, s: number, time: number, cpu: number, lineNo: number): void {
    const task = this.namedTask(c, s, After.LineEnd, time, lineNo, 'awakened:');
    // timehist prints the waker's CPU, not target_cpu; `perf sched record` records sched_waking,
    // which timehist prefers when present.
    if (task >= 0) this.b.addWakeup(time, task, cpu, WakeupKind.Waking, -1, cpu);
  }

  private migration(c: LineCursor, s: number, time: number, lineNo: number): void {
    const task = this.namedTask(c, s, After.Cpu, time, lineNo, 'migrated:');
    if (task < 0) return;
    // ` cpu A => B`
    const from = uintAt(c, this.fEnd + 5);
    const arrow = c.pos;
    const to = c.at(arrow, CPU_ARROW) ? uintAt(c, arrow + 4) : -1;
    if (from < 0 || to < 0) {
      this.b.skip(lineNo, 'malformed "migrated: ... cpu A => B"');
      return;
    }
    this.b.addMigration(time, task, from, to);
  }

  private lost(c: LineCursor, i: number, lineNo: number): void {
    // `<time> lost N events on cpu C`
    const count = uintAt(c, i);
    if (count < 0 || !c.at(c.pos, EVENTS_ON_CPU)) {
      this.b.skip(lineNo, 'malformed "lost N events on cpu C" line');
      return;
    }
    const k = uintAt(c, c.pos + 15);
    const cpu = k < 0 ? null : k;
    const time = this.b.time(this.ts.sec, this.ts.ns);
    this.b.addLost({
      line: lineNo,
      time,
      cpu,
      count,
      message: `lost ${thousands(count)} events${cpu !== null ? ` on CPU ${cpu}` : ''}`,
    });
  }

  // ---- task names ------------------------------------------------------------

  /**
   * Find the end of a task name starting at `s`: `comm[tid]`, `comm[tid/pid]`
   * (comm may hold spaces and brackets: the first bracket group that is followed
   * by what `after` expects), `<idle>`, or a bare comm perf prints for pid 0
   * (`:tid` for a thread never named). Sets fTid/fPid/fCommEnd; returns the index
   * after the name, or -1.
   */
  private findTask(c: LineCursor, s: number, n: number, after: After): number {
    if (c.byte(s) === 60 /* < */ && c.at(s, IDLE_NAME) && this.accepts(c, s, s + 6, n, after)) {
      this.fTid = 0;
      this.fPid = 0;
      this.fCommEnd = s + 6;
      return s + 6;
    }
    let best = -1;
    let k = c.indexOf(LBRACKET, s);
    while (k >= 0) {
      // `[-1/pid]`: perf's thread for samples whose tid is -1 (a thread switched out as it exits).
      // (n is the cursor's end, where c.int stops too.)
      const tid = c.int(k + 1);
      let i = c.pos;
      if (tid === tid) {
        let pid = tid;
        let slash = false;
        if (i < n && c.buf[i] === SLASH) {
          slash = true;
          pid = c.int(i + 1);
          i = c.pos;
        }
        if (pid === pid) {
          let e = -1;
          let truncated = false;
          if (i < n && c.buf[i] === RBRACKET) e = i + 1;
          else if (
            slash &&
            i - s === COMMSTR_MAX &&
            (after === After.Event || after === After.LineEnd || after === After.Cpu)
          ) {
            // perf cut `comm[tid/pid]` at 31 characters: the tid is whole, the pid may not be.
            e = i;
            truncated = true;
          }
          if (e >= 0 && this.accepts(c, s, e, n, after)) {
            this.fTid = tid;
            // A comm of at most 15 characters (TASK_COMM_LEN) leaves only the `]` cut.
            this.fPid = truncated && k - s > 15 ? CUT_PID : pid;
            this.fCommEnd = k;
            if (after !== After.Next) return e;
            best = e;
          }
        }
      }
      if (after === After.Next && k - s >= NEXT_MAX) break;
      k = c.indexOf(LBRACKET, k + 1);
    }
    if (best >= 0) return best;
    // A bare name: `:tid` (perf's name for a thread it never saw named) when pid is 0.
    if (c.byte(s) === COLON) {
      let i = s + 1;
      let tid = 0;
      while (i < n && isDigit(c.byte(i))) tid = tid * 10 + c.byte(i++) - ZERO;
      if (i > s + 1 && this.accepts(c, s, i, n, after)) {
        this.fTid = tid;
        this.fPid = -1;
        this.fCommEnd = i;
        return i;
      }
    }
    return -1;
  }

  /** Whether a task name ending at `e` is followed by what the column layout expects. */
  private accepts(c: LineCursor, s: number, e: number, n: number, after: After): boolean {
    switch (after) {
      case After.Event: {
        if (e >= n || c.buf[e] !== SPACE) return false;
        this.fDot = -1;
        // Fast path: only blanks, then the wait-time column `12.345 `, read forward in one pass over the
        // padding (a search for the dot and then a check of the blanks before it read the padding twice).
        const buf = c.buf;
        const ds = c.blanks(e);
        let dot = ds;
        while (dot < n && isDigit(buf[dot])) dot++;
        if (
          dot > ds &&
          dot + 3 < n &&
          buf[dot] === DOT &&
          isDigit(buf[dot + 1]) &&
          isDigit(buf[dot + 2]) &&
          isDigit(buf[dot + 3]) &&
          (dot + 4 === n || buf[dot + 4] === SPACE)
        ) {
          this.fAfter = ds;
          this.fDot = dot;
          return true;
        }
        let j = e + 1;
        while (j < n && c.byte(j) === SPACE) j++;
        if (j >= n) return false;
        this.fAfter = j;
        const ch = c.byte(j);
        if (ch >= ZERO && ch <= NINE) {
          if (this.prioCol) return true;
          // `12.345 `: a msec column.
          let k = j + 1;
          while (k < n && isDigit(c.byte(k))) k++;
          return (
            c.byte(k) === DOT &&
            isDigit(c.byte(k + 1)) &&
            isDigit(c.byte(k + 2)) &&
            isDigit(c.byte(k + 3)) &&
            (k + 4 === n || c.byte(k + 4) === SPACE)
          );
        }
        if (ch === MINUS) return this.prioCol;
        if (ch === 97 /* a */) return c.at(j, AWAKENED);
        if (ch === 109 /* m */) return c.at(j, MIGRATED);
        return false;
      }
      case After.LineEnd: {
        let j = e;
        while (j < n && c.byte(j) === SPACE) j++;
        return j === n;
      }
      case After.Cpu:
        return c.at(e, CPU_COLUMN);
      case After.Next:
        return e - s <= NEXT_MAX && (e === n || c.byte(e) === SPACE);
    }
  }

  /**
   * The ids findTask() read are Linux's: a tid of -1 is perf's exiting thread,
   * any other negative tid or pid (`[-5]`, a damaged line) skips the line.
   */
  private checkFoundIds(): void {
    if (this.fTid !== -1) checkTid(this.fTid, 'thread id');
    if (this.fPid < CUT_PID) checkTid(this.fPid, 'process id');
  }

  /** The task of the name findTask() just found at `s` (its comm runs to fCommEnd). */
  private taskOf(c: LineCursor, s: number, time: number, lineNo: number): number {
    return this.tasks.taskOf(this.fTid, this.fPid, c, s, this.fCommEnd, time, lineNo);
  }

  /** The task of a `next: comm[tid]` name at `s` (no pid there). */
  private nextTaskOf(c: LineCursor, s: number, time: number): number {
    return this.tasks.nextTaskOf(this.fTid, c, s, this.fCommEnd, time);
  }

  // ---- into the switch queue -------------------------------------------------

  private addSwitchLine(
    time: number,
    cpu: number,
    task: number,
    state: PrevState,
    runUs: number,
    hint: number,
    lineNo: number,
  ): void {
    checkCpu(cpu); // queued switches reach the builder lines later: the range is checked now, on this line
    const q = this.queue;
    const prevSeq = q.waiting(cpu);
    if (prevSeq >= 0) {
      const h = q.hintOf(prevSeq);
      // This task was switched in `run time` ago; perf truncates both times to usec, so the
      // previous line's time is 0 or 1 usec before that when no switch is missing in between.
      const switchedIn = time - runUs * 1000;
      const gap = switchedIn - q.timeOf(prevSeq) > 1000;
      // An exiting thread (`[-1/pid]`) is the task the previous switch here switched in,
      // which -n names.
      if (task === EXITING) task = !gap && h >= 0 ? h : this.tasks.exitingTask();
      if (gap) {
        if (this.hiddenTask < 0)
          this.hiddenTask = this.b.placeholderTask(TaskKind.Unknown, 'tasks not in this timehist');
        q.resolve(prevSeq, h >= 0 ? h : this.hiddenTask);
        q.infer(switchedIn, cpu, task, lineNo);
        if (this.gaps++ === 0) this.firstGapLine = lineNo;
        this.b.tally('inferred-switch', lineNo);
      } else {
        q.resolve(prevSeq, h >= 0 ? h : task);
      }
    } else {
      if (task === EXITING) task = this.tasks.exitingTask();
      // The CPU's first line: its task ran `run time` before it (perf prints 0 at a recording's start, so a
      // run time here means the output starts later: an excerpt), switched in by a switch it does not show.
      if (runUs > 0) {
        q.infer(time - runUs * 1000, cpu, task, lineNo, -1);
        if (this.firstLineInferred++ === 0) this.firstFirstLine = lineNo;
        this.b.tally('inferred-switch', lineNo);
      }
    }
    q.push(time, cpu, task, state, hint, lineNo);
    if (prevSeq >= 0 && q.mayFlush(prevSeq)) q.flush();
  }
}

export const createTimehistParser: LineParserFactory = (builder) => new TimehistParser(builder);
