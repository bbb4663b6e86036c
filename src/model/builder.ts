// TraceBuilder: the sink every parser writes into. It owns the growable
// columns, the task table (keyed by tid), exact relative time, and the
// bookkeeping of warnings, skipped lines and lost events. finish() freezes it
// into a TraceModel with run slices computed.

import { BLOCK_ROWS, F64Column, I32Column, joinBlocks, U16Column, U8Column } from './growable';
import { sliceSwitches } from './slices';
import { gapEnds, gapTableOf, type GapMark, type TimedRows } from './gapTable';
import { nearMissOf } from './eventNames';
import { OutlierWatch, type Outlier } from './timeOutliers';
import { SwitchChecks } from './switchChecks';
import { FIRST_LINES_KEPT, WARNING_KIND_NAMES, type WarningKind } from './warningKinds';
import {
  PrevState,
  TaskKind,
  type CommChange,
  type LostEvents,
  type NumaEventKind,
  type RecordingHost,
  type TraceFormat,
  type TraceModel,
  type TraceWarning,
  type WarningSummaryEntry,
  type WakeupKind,
  WAKER_CPU_UNKNOWN,
} from './types';
import { thousands } from './format';

export const MAX_KEPT_WARNINGS = 100;
export const IDLE_TASK = 0;

/** Linux's bounds: thread ids stay below PID_MAX_LIMIT (2^22), CPU numbers below the largest NR_CPUS (8192). */
export const TID_LIMIT = 1 << 22;
export const CPU_LIMIT = 8192;
/** Most switch rows reserveSwitches takes at once (a Float64 column of 2 GiB of address space). */
const MAX_RESERVED_SWITCHES = 1 << 28;
/** A switch line's step from the previous one that does not fit its byte: the line is in lineJumps. */
const LINE_JUMP = 255;

/**
 * A value outside Linux's range reached the builder: the line (or record) that
 * holds it is skipped. Thrown by the builder, caught by the driver that feeds
 * lines or records (see skipLineOnRange), so no parser needs checks of its own
 * and no value is ever folded into a column too narrow for it.
 */
export class ValueRangeError extends Error {
  override name = 'ValueRangeError';
}

/** Throws ValueRangeError for a CPU number outside Linux's range (for parsers that hold events back). */
export function checkCpu(cpu: number): void {
  if (!(cpu >= 0 && cpu < CPU_LIMIT && cpu === Math.floor(cpu)))
    throw new ValueRangeError(`CPU number ${cpu} is outside Linux's range (0-${CPU_LIMIT - 1})`);
}

/** Throws ValueRangeError for a thread (or process) id outside Linux's range, naming it `what`. */
export function checkTid(tid: number, what: string): void {
  if (!(tid >= 0 && tid < TID_LIMIT && tid === Math.floor(tid)))
    throw new ValueRangeError(`${what} ${tid} is outside Linux's range (0-${TID_LIMIT - 1})`);
}

function checkVcpu(vcpu: number): void {
  if (!(vcpu >= -1 && vcpu < 0x80000000 && vcpu === Math.floor(vcpu)))
    throw new ValueRangeError(`vCPU id ${vcpu} is out of range`);
}

export class TraceBuilder {
  format: TraceFormat;
  formatDetail: string;
  declaredCpuCount: number | null = null;
  recordedOn: RecordingHost | null = null;
  hasStates = false;
  lineCount = 0;
  byteCount = 0;

  private originSec = NaN;
  private originNs = 0;
  private lastTime = -Infinity;
  /** Latest time of any switch, inferred ones too: an inferred switch before it needs the sort, not a warning. */
  private lastAnyTime = -Infinity;
  private outOfOrder = false;
  /** Rows of the switches the reader inferred (addSwitch's `inferred`), in insertion order. */
  private readonly inferredRows: number[] = [];
  private unordered = 0;
  /** Lines of the first switches whose time steps back (the unordered-time summary's firstLines). */
  private readonly unorderedLines: number[] = [];
  private readonly outliers = new OutlierWatch();
  /** The line of each other timed table's latest row (otherTimed's order), for the marks' lines below. */
  private readonly eventLine = new Int32Array(5);
  /** Each other table's row read first after the latest mark (-1: read): its line goes to markLines. */
  private readonly wantRow = new Int32Array(5).fill(-1);
  /**
   * For each mark (gapMarks' order), the line of each other table's last row before it and first after it
   * (0: none): the rows whose damaged stamp would be the gap's edge (eventOutliersAtMarks).
   */
  private readonly markLines: { before: Int32Array; after: Int32Array }[] = [];
  /** Start times of the input's gaps (addGap): no run slice spans one. */
  private gapStarts: number[] = [];
  /** Start times of gaps after which the switch checks forget what runs where (all gaps, those of gapStarts too). */
  private checkGaps: number[] = [];
  private gapCount = 0;
  private firstGapLine = 0;
  /** Every mark, for the gap table (gapTable.ts). */
  private readonly gapMarks: GapMark[] = [];
  /** Lost switch-ins and tasks on two CPUs, found as switches come (switchChecks.ts). */
  private checks = new SwitchChecks((t) => this.taskKind.get(t));
  /**
   * The line (or record) being parsed, set by the driver before each one: the
   * line that checks made at the end (timestamp outliers) name.
   */
  line = 0;

  // Switches, the one table with a row per line of most inputs: blocks like
  // the columns of growable.ts, but the five columns share one row count, so
  // addSwitch checks for room once, not per column.
  private readonly swBlocks: SwitchBlocks = { time: [], cpu: [], prev: [], prevState: [], next: [], line: [] };
  private swLen = 0;
  /** Row of the current block's first slot, and its size (BLOCK_ROWS, or a reservation's). */
  private swBlockStart = 0;
  private swBlockRows = 0;
  private swTime = new Float64Array(0);
  private swCpu = new Uint16Array(0);
  private swPrev = new Int32Array(0);
  private swPrevState = new Uint8Array(0);
  private swNext = new Int32Array(0);
  /**
   * Each switch's line, as the step from the previous switch's (LINE_JUMP: in lineJumps): one byte a
   * switch, so that checks made again after a sort (switchChecks) still name lines. Not in the model.
   */
  private swLine = new Uint8Array(0);
  private lastSwitchLine = 0;
  private readonly lineJumps = new Map<number, number>();

  private readonly wkTime = new F64Column();
  private readonly wkTask = new I32Column();
  private readonly wkCpu = new U16Column();
  private readonly wkKind = new U8Column();
  private readonly wkWaker = new I32Column();
  private readonly wkWakerCpu = new U16Column();

  private readonly mgTime = new F64Column();
  private readonly mgTask = new I32Column();
  private readonly mgFrom = new U16Column();
  private readonly mgTo = new U16Column();

  private readonly exTime = new F64Column();
  private readonly exTask = new I32Column();
  private readonly exCpu = new U16Column();
  private readonly exReason = new U16Column();
  private readonly exVcpu = new I32Column();
  private readonly exitReasons: string[] = [];
  private readonly exitReasonIndex = new Map<string, number>();

  private readonly enTime = new F64Column();
  private readonly enTask = new I32Column();
  private readonly enCpu = new U16Column();
  private readonly enVcpu = new I32Column();

  private readonly nuTime = new F64Column();
  private readonly nuTask = new I32Column();
  private readonly nuCpu = new U16Column();
  private readonly nuKind = new U8Column();
  private readonly nuSrc = new I32Column();
  private readonly nuDst = new I32Column();
  private readonly nuPages = new I32Column();

  private readonly taskTid = new I32Column();
  private readonly taskTgid = new I32Column();
  private readonly taskKind = new U8Column();
  private readonly taskComms: string[][] = [];
  private readonly taskByTid = new Map<number, number>();
  private readonly commChanges: CommChange[] = [];

  private readonly warnings: TraceWarning[] = [];
  private warningCount = 0;
  /** Per kind: occurrences, first lines, lost events (warningSummary). */
  private readonly kinds = new Map<WarningKind, WarningSummaryEntry>();
  private skipped = 0;
  private ambiguousLines = 0;
  private readonly lost: LostEvents[] = [];
  private readonly ignored: Record<string, number> = Object.create(null);
  /** Per ignored event name: the modelled event it is one character off, or null. */
  private readonly nearMisses = new Map<string, string | null>();

  constructor(format: TraceFormat, formatDetail: string = format) {
    this.format = format;
    this.formatDetail = formatDetail;
    // Task 0 is the idle loop of every CPU.
    this.pushTask(0, 0, TaskKind.Idle, 'swapper');
    this.taskByTid.set(0, IDLE_TASK);
  }

  // ---- time -------------------------------------------------------------

  /**
   * Relative nanoseconds of an absolute timestamp given as integer seconds and
   * nanoseconds. The first call fixes the origin. Integer arithmetic on parts
   * keeps times exact where a float of seconds since boot would not be.
   */
  time(sec: number, ns: number): number {
    if (this.originSec !== this.originSec) {
      this.originSec = sec;
      this.originNs = ns;
    }
    return (sec - this.originSec) * 1e9 + (ns - this.originNs);
  }

  get hasOrigin(): boolean {
    return this.originSec === this.originSec;
  }

  // ---- tasks ------------------------------------------------------------

  private pushTask(tid: number, tgid: number, kind: TaskKind, comm: string | null): number {
    const index = this.taskTid.length;
    this.taskTid.push(tid);
    this.taskTgid.push(tgid);
    this.taskKind.push(kind);
    this.taskComms.push(comm === null ? [] : [comm]);
    return index;
  }

  /**
   * The task for a tid, created on first sight. A comm not seen before for this
   * tid is recorded as a comm change at `time`.
   */
  task(tid: number, comm: string | null, time: number): number {
    checkTid(tid, 'thread id');
    let index = this.taskByTid.get(tid);
    if (index === undefined) {
      index = this.pushTask(tid, -1, TaskKind.Normal, comm);
      this.taskByTid.set(tid, index);
      if (comm !== null) this.commChanges.push({ task: index, time, comm });
      return index;
    }
    if (comm !== null && index !== IDLE_TASK) this.noteComm(index, comm, time);
    return index;
  }

  /** Record a comm for a task; a comm it had before is not a change. */
  noteComm(index: number, comm: string, time: number): void {
    const comms = this.taskComms[index];
    const last = comms[comms.length - 1];
    if (last === comm) return;
    // A rename back to an older name is a change, but the list keeps first appearances.
    if (!comms.includes(comm)) comms.push(comm);
    this.commChanges.push({ task: index, time, comm });
  }

  /** A task that is not a known thread (map placeholders, unknown next task). */
  placeholderTask(kind: TaskKind, label: string): number {
    return this.pushTask(-1, -1, kind, label);
  }

  setTgid(index: number, tgid: number): void {
    if (tgid >= 0) checkTid(tgid, 'process id');
    if (index !== IDLE_TASK && tgid >= 0) this.taskTgid.set(index, tgid);
  }

  tidOf(index: number): number {
    return this.taskTid.get(index);
  }

  tgidOf(index: number): number {
    return this.taskTgid.get(index);
  }

  lastCommOf(index: number): string | undefined {
    const comms = this.taskComms[index];
    return comms[comms.length - 1];
  }

  findTask(tid: number): number | undefined {
    return this.taskByTid.get(tid);
  }

  // ---- events -----------------------------------------------------------

  /**
   * A switch; `inferred`: one the input does not show but the reader infers
   * (timehist: a task's run time says when it was switched in), kept apart
   * (TraceModel.inferredSwitchRows) and not counted as the input's switches.
   */
  addSwitch(time: number, cpu: number, prev: number, prevState: PrevState, next: number, inferred = false): void {
    checkCpu(cpu);
    if (inferred) this.inferredRows.push(this.swLen);
    else if (time < this.lastTime) {
      if (this.unordered++ < FIRST_LINES_KEPT && this.line > 0) this.unorderedLines.push(this.line);
    } else this.lastTime = time;
    if (time < this.lastAnyTime) this.outOfOrder = true;
    else this.lastAnyTime = time;
    this.outliers.add(time, cpu, this.swLen, this.line);
    this.checks.add(time, cpu, prev, next, this.line);
    let slot = this.swLen - this.swBlockStart;
    if (slot === this.swBlockRows) {
      this.newSwitchBlock(BLOCK_ROWS);
      slot = 0;
    }
    this.swTime[slot] = time;
    this.swCpu[slot] = cpu;
    this.swPrev[slot] = prev;
    this.swPrevState[slot] = prevState;
    this.swNext[slot] = next;
    const step = this.line - this.lastSwitchLine;
    if (step >= 0 && step < LINE_JUMP) this.swLine[slot] = step;
    else {
      this.swLine[slot] = LINE_JUMP;
      this.lineJumps.set(this.swLen, this.line);
    }
    this.lastSwitchLine = this.line;
    this.swLen++;
  }

  /**
   * Move the switches placed on CPU `from` to CPU `to`, which has none, for
   * each pair of `moves`: a parser that learns a CPU's number only at the end
   * (a --compact map column whose note was damaged) places them provisionally.
   */
  renumberSwitchCpus(moves: ReadonlyMap<number, number>): void {
    for (const [from, to] of moves) {
      checkCpu(to);
      this.outliers.renumber(from, to);
    }
    let row = 0;
    for (const block of this.swBlocks.cpu)
      for (let i = 0; i < block.length && row < this.swLen; i++, row++) {
        const to = moves.get(block[i]);
        if (to !== undefined) block[i] = to;
      }
  }

  /**
   * Room for up to `rows` switches in one allocation, before the first one
   * (the CLI, from the input's size). The OS maps a big zeroed allocation's
   * pages only as they are written, so rows never used cost address space, not
   * memory; and finish() hands the rows out without copying blocks into one
   * array, which held the switch table twice at the peak. Rows past it go
   * into blocks as without it.
   */
  reserveSwitches(rows: number): void {
    if (this.swLen > 0 || this.swBlockRows > 0 || !(rows > BLOCK_ROWS)) return;
    this.newSwitchBlock(Math.min(Math.ceil(rows), MAX_RESERVED_SWITCHES));
  }

  get switchCount(): number {
    return this.swLen;
  }

  private newSwitchBlock(rows: number): void {
    const b = this.swBlocks;
    this.swBlockStart = this.swLen;
    this.swBlockRows = rows;
    b.time.push((this.swTime = new Float64Array(rows)));
    b.cpu.push((this.swCpu = new Uint16Array(rows)));
    b.prev.push((this.swPrev = new Int32Array(rows)));
    b.prevState.push((this.swPrevState = new Uint8Array(rows)));
    b.next.push((this.swNext = new Int32Array(rows)));
    b.line.push((this.swLine = new Uint8Array(rows)));
  }

  /** `waker`: the task that ran the event (-1 unknown); `wakerCpu`: the CPU it was recorded on (-1 unknown). */
  addWakeup(time: number, task: number, cpu: number, kind: WakeupKind, waker = -1, wakerCpu = -1): void {
    checkCpu(cpu);
    if (wakerCpu >= 0) checkCpu(wakerCpu);
    this.noteRow(0, this.wkTime.length);
    this.wkTime.push(time);
    this.wkTask.push(task);
    this.wkCpu.push(cpu);
    this.wkKind.push(kind);
    this.wkWaker.push(waker);
    this.wkWakerCpu.push(wakerCpu >= 0 ? wakerCpu : WAKER_CPU_UNKNOWN);
  }

  addMigration(time: number, task: number, fromCpu: number, toCpu: number): void {
    checkCpu(fromCpu);
    checkCpu(toCpu);
    this.noteRow(1, this.mgTime.length);
    this.mgTime.push(time);
    this.mgTask.push(task);
    this.mgFrom.push(fromCpu);
    this.mgTo.push(toCpu);
  }

  addKvmExit(time: number, task: number, cpu: number, reason: string, vcpu: number): void {
    checkCpu(cpu);
    checkVcpu(vcpu);
    let r = this.exitReasonIndex.get(reason);
    if (r === undefined) {
      r = this.exitReasons.length;
      this.exitReasons.push(reason);
      this.exitReasonIndex.set(reason, r);
    }
    this.noteRow(2, this.exTime.length);
    this.exTime.push(time);
    this.exTask.push(task);
    this.exCpu.push(cpu);
    this.exReason.push(r);
    this.exVcpu.push(vcpu);
  }

  addKvmEntry(time: number, task: number, cpu: number, vcpu: number): void {
    checkCpu(cpu);
    checkVcpu(vcpu);
    this.noteRow(3, this.enTime.length);
    this.enTime.push(time);
    this.enTask.push(task);
    this.enCpu.push(cpu);
    this.enVcpu.push(vcpu);
  }

  addNumaEvent(
    time: number,
    task: number,
    cpu: number,
    kind: NumaEventKind,
    srcNid: number,
    dstNid: number,
    pages: number,
  ): void {
    checkCpu(cpu);
    this.noteRow(4, this.nuTime.length);
    this.nuTime.push(time);
    this.nuTask.push(task);
    this.nuCpu.push(cpu);
    this.nuKind.push(kind);
    this.nuSrc.push(srcNid);
    this.nuDst.push(dstNid);
    this.nuPages.push(pages);
  }

  // ---- diagnostics ------------------------------------------------------

  /**
   * A message about line `line` (0: the whole input) of kind `kind`
   * (warningKinds.ts), standing for `count` occurrences of the kind (a parser
   * that counts a kind itself says so once, in its finish()).
   */
  warn(line: number, message: string, kind: WarningKind = 'note', count = 1): void {
    this.warningCount++;
    if (this.warnings.length < MAX_KEPT_WARNINGS) this.warnings.push({ line, message, kind });
    this.tally(kind, line, count);
  }

  /** `n` occurrences of `kind` at line `line`, counted in warningSummary without a message. */
  tally(kind: WarningKind, line: number, n = 1): WarningSummaryEntry {
    let e = this.kinds.get(kind);
    if (e === undefined) this.kinds.set(kind, (e = { kind, count: 0, firstLines: [] }));
    e.count += n;
    const lines = e.firstLines;
    if (line > 0 && lines.length < FIRST_LINES_KEPT && !lines.includes(line)) lines.push(line);
    return e;
  }

  /** A line that could not be parsed: counted, and reported with its reason. */
  skip(line: number, reason: string, kind: WarningKind = 'skipped-line'): void {
    this.skipped++;
    this.warn(line, `skipped: ${reason}`, kind);
  }

  /**
   * A line whose reading rests on a guess (e.g. a map short name that names
   * several tasks after wrap-around): counted, and reported with the guess made.
   * `count` lines share the message (a parser that sums its guesses says so once).
   */
  ambiguous(line: number, message: string, count = 1): void {
    this.ambiguousLines += count;
    this.warn(line, `ambiguous: ${message}`, 'ambiguous', count);
  }

  /**
   * What a driver does with an error thrown while one line (or record) was
   * parsed: a value outside Linux's range skips that line with the reason;
   * anything else is rethrown. Every driver that feeds lines or records wraps
   * its parser call in a try whose catch calls this.
   */
  rejectLine(lineNo: number, e: unknown): void {
    if (!(e instanceof ValueRangeError)) throw e;
    this.skip(lineNo, e.message);
  }

  addLost(entry: LostEvents): void {
    this.lost.push(entry);
    this.warn(entry.line, entry.message, 'lost-events');
    const e = this.tally('lost-events', entry.line, 0);
    e.events = (e.events ?? 0) + (entry.count ?? 0);
  }

  /**
   * An event that is understood but not modelled, counted by name in
   * ignoredEvents; `kind` also counts it in warningSummary (lines of another
   * tracer are worth saying, a sched_stat_runtime is not).
   */
  ignoreEvent(name: string, kind?: WarningKind): void {
    const n = this.ignored[name];
    this.ignored[name] = (n ?? 0) + 1;
    if (kind !== undefined) this.tally(kind, this.line);
    let miss = this.nearMisses.get(name);
    if (miss === undefined) this.nearMisses.set(name, (miss = nearMissOf(name)));
    if (miss !== null)
      this.warn(
        this.line,
        `event "${name}" is not one SchedMap reads, but one character off ${miss}: a damaged line?`,
        'near-miss-event',
      );
  }

  /**
   * A gap in the input at line `line`: a paste's elision mark (`[...]`, `<snip>`; its text `mark`, for the
   * gap table). Slices open there end at
   * `from` (the latest time before it; default: the latest switch's), unless `cut` is false (a reader whose
   * rows say when each slice began, timehist, has ended them itself), and the switch checks start again.
   */
  addGap(line: number, mark: string, from: number | null = null, cut = true): void {
    if (this.gapCount++ === 0) this.firstGapLine = line;
    this.tally('elided-gap', line);
    const at = from ?? this.lastAnyTime;
    const rows = [this.swLen, ...this.otherTimed().map((c) => c.length)];
    this.gapMarks.push({ line, mark, from: at, to: Infinity, rows });
    this.markLines.push({ before: this.eventLine.map((l, k) => (rows[k + 1] > 0 ? l : 0)), after: new Int32Array(5) });
    for (let k = 0; k < 5; k++) this.wantRow[k] = rows[k + 1];
    if (!(at > -Infinity)) return; // before the first event: nothing to cut
    if (cut) this.gapStarts.push(at);
    this.checkGaps.push(at);
    this.checks.gap();
  }

  /**
   * A mark whose start is the damaged stamp of the row just before it in some table (an outlier, skipped)
   * starts at the last time kept before it instead: the latest of each table's last kept row since the
   * previous mark (its cut and check points with it; none: the mark is before every event kept). `tables`:
   * the switches, then otherTimed's, in GapMark.rows' order.
   */
  private startsPastOutliers(tables: readonly TimedRows[], gone: (table: number, row: number) => boolean): void {
    this.gapMarks.forEach((m, g) => {
      const since = g > 0 ? this.gapMarks[g - 1].rows : m.rows.map(() => 0);
      const damaged = tables.some((t, k) => {
        const r = m.rows[k] - 1;
        return r >= 0 && gone(k, r) && t.get(r) === m.from;
      });
      if (!damaged) return;
      let from = -Infinity;
      tables.forEach((t, k) => {
        for (let r = m.rows[k] - 1; r >= since[k]; r--)
          if (!gone(k, r)) {
            from = Math.max(from, t.get(r));
            break;
          }
      });
      const old = m.from;
      m.from = from;
      const moved = (list: number[]) => list.flatMap((x) => (x !== old ? [x] : from > -Infinity ? [from] : []));
      this.gapStarts = moved(this.gapStarts);
      this.checkGaps = moved(this.checkGaps);
    });
  }

  /**
   * Other table `k` (otherTimed's order) gets its row `row` now, from this.line: its latest line, and, when
   * it is the table's first row after the latest marks, their `after` line.
   */
  private noteRow(k: number, row: number): void {
    this.eventLine[k] = this.line;
    if (row !== this.wantRow[k]) return;
    this.wantRow[k] = -1;
    for (let g = this.gapMarks.length - 1; g >= 0 && this.gapMarks[g].rows[k + 1] === row; g--)
      this.markLines[g].after[k] = this.line;
  }

  /**
   * Each other timed table's timestamp outliers (the switches' rule, among its own rows on each CPU) that are
   * its last row before a mark or its first after one: those rows would be the gap's start or end. Outliers
   * elsewhere are kept, as before.
   */
  private eventOutliersAtMarks(): Outlier[][] {
    const cpus = [this.wkCpu, this.mgTo, this.exCpu, this.enCpu, this.nuCpu];
    return this.otherTimed().map((col, k) => {
      const time = Float64Array.from({ length: col.length }, (_, i) => col.get(i));
      const cpu = Uint16Array.from({ length: col.length }, (_, i) => cpus[k].get(i));
      // Its line where a mark noted it (the watch, fed here at the end, knows none).
      const lineAt = (r: number) => {
        for (const [g, m] of this.gapMarks.entries()) {
          const at = this.markLines[g];
          if (r === m.rows[k + 1] - 1 && at.before[k] > 0) return at.before[k];
          if (r === m.rows[k + 1] && at.after[k] > 0) return at.after[k];
        }
        return 0;
      };
      const watch = new OutlierWatch();
      for (let r = 0; r < time.length; r++) watch.add(time[r], cpu[r], r, 0);
      return watch.finish(time, cpu).flatMap((o) => {
        const line = lineAt(o.rows[0]);
        return line > 0 ? [{ ...o, line }] : [];
      });
    });
  }

  /** One message per kind of switchChecks.ts, with the first occurrence; every occurrence counted. */
  private reportChecks(c: SwitchChecks): void {
    const tid = (t: number): string => {
      const id = this.taskTid.get(t);
      return id === 0 ? 'the idle task' : `${this.lastCommOf(t) ?? '?'}:${id}`;
    };
    const at = (line: number): string => (line > 0 ? `, the first at line ${line}` : '');
    if (c.firstLost !== null) {
      const f = c.firstLost;
      this.warn(
        f.line,
        `${thousands(c.lostSwitchIns)} switches switch out a task that the trace does not have running on that CPU (a switch-in was lost)${at(f.line)}: CPU ${f.cpu} switches out ${tid(f.prev)} while ${tid(f.running)} runs there`,
        'lost-switch-in',
        0,
      );
      this.tally('lost-switch-in', 0, c.lostSwitchIns);
      for (const l of c.lostLines) this.tally('lost-switch-in', l, 0);
    }
    if (c.firstDouble !== null) {
      const f = c.firstDouble;
      this.warn(
        f.line,
        `${thousands(c.doubleRunning)} switch-ins of a task that the trace still has running on another CPU (its switch-out there was lost; that slice ends at the switch-in)${at(f.line)}: ${tid(f.task)} switched in on CPU ${f.cpu} while running on CPU ${f.otherCpu}`,
        'double-running',
        0,
      );
      this.tally('double-running', 0, c.doubleRunning);
      for (const l of c.doubleLines) this.tally('double-running', l, 0);
    }
  }

  /** One entry per kind present, in WARNING_KINDS' order, first lines ascending. */
  private summary(): WarningSummaryEntry[] {
    const out: WarningSummaryEntry[] = [];
    for (const kind of WARNING_KIND_NAMES) {
      const e = this.kinds.get(kind);
      if (e === undefined || e.count === 0) continue;
      out.push({ ...e, firstLines: [...e.firstLines].sort((a, b) => a - b) });
    }
    return out;
  }

  get skippedLines(): number {
    return this.skipped;
  }

  // ---- finish -----------------------------------------------------------

  /**
   * With timestamp outliers dropped, the first event may have been one of
   * them (its time set the origin): times are then made relative to the first
   * event kept, so windows and `--range` count from it. `time`: the switches'.
   */
  private rebase(time: Float64Array, eventDrops: readonly Set<number>[]): void {
    const timed = this.otherTimed();
    let lo = time.length > 0 ? time[0] : Infinity;
    timed.forEach((col, k) => {
      const skip = eventDrops[k];
      if (skip === undefined || skip.size === 0) lo = Math.min(lo, col.min());
      else for (let i = 0; i < col.length; i++) if (!skip.has(i)) lo = Math.min(lo, col.get(i));
    });
    for (const l of this.lost) if (l.time !== null) lo = Math.min(lo, l.time);
    if (!(lo > 0 && lo < Infinity)) return;
    for (let i = 0; i < time.length; i++) time[i] -= lo;
    for (const col of timed) col.subtract(lo);
    // A comm first seen on a dropped line has no time of its own: the start.
    for (const c of this.commChanges) c.time = Math.max(0, c.time - lo);
    for (const l of this.lost) if (l.time !== null) l.time -= lo;
    this.gapStarts = this.gapStarts.map((g) => g - lo);
    this.checkGaps = this.checkGaps.map((g) => g - lo);
    for (const m of this.gapMarks) {
      m.from -= lo;
      m.to -= lo;
    }
    const ns = this.originNs + lo;
    this.originSec += Math.floor(ns / 1e9);
    this.originNs = ns % 1e9;
  }

  /**
   * Whether a skipped event row's stamp is the origin's (time 0: the first stamp read set it), so that the
   * times must count from the first event kept (rebase). Otherwise they stay as they were: the same as
   * those of the text without that line.
   */
  private droppedOrigin(eventDrops: readonly Set<number>[]): boolean {
    const timed = this.otherTimed();
    return eventDrops.some((d, k) => [...d].some((r) => timed[k].get(r) === 0));
  }

  /** The timed event tables besides the switches (rebase, the gap marks' rows). */
  private otherTimed(): F64Column[] {
    return [this.wkTime, this.mgTime, this.exTime, this.enTime, this.nuTime];
  }

  /**
   * The event tables besides the switches, each in time order: a merged or
   * concatenated input (per-CPU reports one after another) holds them out of
   * order like its switches. Checked here, once, not per event: a table whose
   * times step back is sorted (stable: equal times keep their input order),
   * and the steps are counted as unordered-time.
   */
  private sortedEvents(
    drops: readonly Set<number>[],
  ): Pick<TraceModel, 'wakeups' | 'migrations' | 'kvmExits' | 'kvmExitReasons' | 'kvmEntries' | 'numaEvents'> {
    const out = {
      wakeups: {
        length: this.wkTime.length,
        time: this.wkTime.finish(),
        task: this.wkTask.finish(),
        cpu: this.wkCpu.finish(),
        kind: this.wkKind.finish(),
        waker: this.wkWaker.finish(),
        wakerCpu: this.wkWakerCpu.finish(),
      },
      migrations: {
        length: this.mgTime.length,
        time: this.mgTime.finish(),
        task: this.mgTask.finish(),
        fromCpu: this.mgFrom.finish(),
        toCpu: this.mgTo.finish(),
      },
      kvmExits: {
        length: this.exTime.length,
        time: this.exTime.finish(),
        task: this.exTask.finish(),
        cpu: this.exCpu.finish(),
        reason: this.exReason.finish(),
        vcpu: this.exVcpu.finish(),
      },
      kvmExitReasons: this.exitReasons.slice(),
      kvmEntries: {
        length: this.enTime.length,
        time: this.enTime.finish(),
        task: this.enTask.finish(),
        cpu: this.enCpu.finish(),
        vcpu: this.enVcpu.finish(),
      },
      numaEvents: {
        length: this.nuTime.length,
        time: this.nuTime.finish(),
        task: this.nuTask.finish(),
        cpu: this.nuCpu.finish(),
        kind: this.nuKind.finish(),
        srcNid: this.nuSrc.finish(),
        dstNid: this.nuDst.finish(),
        pages: this.nuPages.finish(),
      },
    };
    // Rows skipped as timestamp outliers (eventOutliersAtMarks), in otherTimed's order.
    (['wakeups', 'migrations', 'kvmExits', 'kvmEntries', 'numaEvents'] as const).forEach((key, k) => {
      const drop = drops[k];
      if (drop !== undefined && drop.size > 0) dropRows(out[key], drop);
    });
    const steps: string[] = [];
    let total = 0;
    const names = {
      wakeups: 'wakeups',
      migrations: 'migrations',
      kvmExits: 'kvm exits',
      kvmEntries: 'kvm entries',
      numaEvents: 'NUMA events',
    } as const;
    for (const key of ['wakeups', 'migrations', 'kvmExits', 'kvmEntries', 'numaEvents'] as const) {
      const table = out[key];
      const back = stepsBack(table.time, null);
      if (back === 0) continue;
      sortTable(table, stableTimeOrder(table.time));
      steps.push(`${thousands(back)} ${names[key]}`);
      total += back;
    }
    if (total > 0)
      this.warn(
        0,
        `${thousands(total)} event timestamps step backwards (${steps.join(', ')}; merged or concatenated input): those events were sorted by time`,
        'unordered-time',
        total,
      );
    return out;
  }

  /** The line of each of the n switches, in input order (from swLine's steps). */
  private switchLines(n: number): Int32Array {
    const out = new Int32Array(n);
    let row = 0;
    let line = 0;
    for (const block of this.swBlocks.line)
      for (let i = 0; i < block.length && row < n; i++, row++) {
        const step = block[i];
        line = step === LINE_JUMP ? this.lineJumps.get(row)! : line + step;
        out[row] = line;
      }
    return out;
  }

  finish(): TraceModel {
    const n = this.swLen;
    const blocks = this.swBlocks;
    let time = joinedOrFirst(blocks.time, n, Float64Array);
    let cpu = joinedOrFirst(blocks.cpu, n, Uint16Array);
    let prev = joinedOrFirst(blocks.prev, n, Int32Array);
    let prevState = joinedOrFirst(blocks.prevState, n, Uint8Array);
    let next = joinedOrFirst(blocks.next, n, Int32Array);
    let inferred = this.inferredRows.length > 0 ? markRows(n, this.inferredRows) : null;
    // The switches' lines, only when the checks run again on a table in another order (below).
    let lines: Int32Array | null = null;
    const outliers = this.outliers.finish(time, cpu, inferred);
    const drop = new Set(outliers.flatMap((o) => o.rows));
    // The other tables' outliers next to a mark, skipped as the switches' are (none without marks).
    const eventOutliers = this.gapMarks.length > 0 ? this.eventOutliersAtMarks() : [];
    const eventDrops = eventOutliers.map((list) => new Set(list.flatMap((o) => o.rows)));
    const dropsEvents = eventDrops.some((d) => d.size > 0);
    if (this.gapMarks.length > 0) {
      // In input order, before outliers go: a mark's rows count the rows read before it. Inferred switches
      // are no event of the input (a timehist row's switch-in, earlier than the row), and an outlier's
      // damaged stamp, skipped, is none the model keeps.
      const mark = inferred;
      const gone = (k: number, r: number) =>
        k === 0 ? (mark !== null && mark[r] === 1) || (drop.size > 0 && drop.has(r)) : eventDrops[k - 1].has(r);
      const raw: TimedRows[] = [{ length: n, get: (r) => time[r] }, ...this.otherTimed()];
      const kept = raw.map((t, k) => ({ length: t.length, get: (r: number) => (gone(k, r) ? Infinity : t.get(r)) }));
      gapEnds(this.gapMarks, kept);
      if (drop.size > 0 || dropsEvents) this.startsPastOutliers(raw, gone);
    }
    const names = ['wakeup', 'migration', 'kvm exit', 'kvm entry', 'NUMA event'];
    eventOutliers.forEach((list, k) => {
      for (const o of list) this.skip(o.line, `${names[k]} ${o.message}`, 'time-outlier');
    });
    if (outliers.length > 0) {
      for (const o of outliers) this.skip(o.line, o.message, 'time-outlier');
      time = without(time, drop);
      cpu = without(cpu, drop);
      prev = without(prev, drop);
      prevState = without(prevState, drop);
      next = without(next, drop);
      lines = without(this.switchLines(n), drop);
      if (inferred) inferred = without(inferred, drop);
      this.unordered = stepsBack(time, inferred);
      this.outOfOrder = this.unordered > 0 || (inferred !== null && stepsBack(time, null) > 0);
    }
    if (this.unordered > 0) {
      const lines = this.unorderedLines;
      this.warn(
        lines[0] ?? 0,
        `${thousands(this.unordered)} switch timestamps step backwards (old perf, or merged input); switches were sorted by time`,
        'unordered-time',
        this.unordered,
      );
      const entry = this.tally('unordered-time', 0, 0);
      for (const l of lines) if (!entry.firstLines.includes(l)) entry.firstLines.push(l);
      entry.firstLines.sort((a, b) => a - b);
    }
    // unordered > 0 implies outOfOrder (lastAnyTime is never behind lastTime).
    if (this.outOfOrder) {
      const order = stableTimeOrder(time);
      time = permute(time, order);
      cpu = permute(cpu, order);
      prev = permute(prev, order);
      prevState = permute(prevState, order);
      next = permute(next, order);
      lines = permute(lines ?? this.switchLines(n), order);
      if (inferred) inferred = permute(inferred, order);
    }
    if (outliers.length > 0 || (dropsEvents && this.droppedOrigin(eventDrops))) this.rebase(time, eventDrops);
    const gaps = [...this.gapStarts].sort((a, b) => a - b);
    const checkGaps = [...this.checkGaps].sort((a, b) => a - b);
    if (this.gapCount > 0)
      this.warn(
        this.firstGapLine,
        `${thousands(this.gapCount)} ${this.gapCount === 1 ? 'line leaves' : 'lines leave'} events out (\`[...]\`, \`<snip>\`: a paste's elision), the first at line ${this.firstGapLine}: the trace has a gap there; run slices open at it end at the last time before it, and each CPU's task is known again from its next switch`,
        'elided-gap',
        0,
      );
    this.checks.finish();
    // Found in input order; sorted or with outliers dropped, the table says otherwise: checked again.
    if (lines !== null) {
      this.checks = new SwitchChecks((t) => this.taskKind.get(t));
      let g = 0;
      for (let i = 0; i < time.length; i++) {
        if (g < checkGaps.length && time[i] > checkGaps[g]) {
          this.checks.gap();
          while (g < checkGaps.length && time[i] > checkGaps[g]) g++;
        }
        this.checks.add(time[i], cpu[i], prev[i], next[i], lines[i]);
      }
      this.checks.finish();
    }
    this.reportChecks(this.checks);
    const taskKind = this.taskKind.finish();
    const switches = { length: time.length, time, cpu, prev, prevState, next };
    const { slices, cpus } = sliceSwitches(switches, taskKind, gaps);
    const events = this.sortedEvents(eventDrops);
    return {
      format: this.format,
      formatDetail: this.formatDetail,
      origin: this.hasOrigin ? { sec: this.originSec, ns: this.originNs } : { sec: 0, ns: 0 },
      switches,
      slices,
      inferredSwitchRows: inferred ? rowsMarked(inferred) : new Uint32Array(0),
      ...events,
      gaps: gapTableOf(this.gapMarks),
      tasks: {
        length: this.taskTid.length,
        tid: this.taskTid.finish(),
        tgid: this.taskTgid.finish(),
        kind: taskKind,
        comms: this.taskComms,
      },
      commChanges: this.commChanges,
      cpus,
      declaredCpuCount: this.declaredCpuCount,
      recordedOn: this.recordedOn,
      hasStates: this.hasStates,
      lost: this.lost,
      warnings: this.warnings,
      warningCount: this.warningCount,
      warningSummary: this.summary(),
      skippedLines: this.skipped,
      ambiguousLines: this.ambiguousLines,
      ignoredEvents: { ...this.ignored },
      lineCount: this.lineCount,
      byteCount: this.byteCount,
    };
  }
}

/** The switch table's blocks while it is built, per column. */
interface SwitchBlocks {
  time: Float64Array[];
  cpu: Uint16Array[];
  prev: Int32Array[];
  prevState: Uint8Array[];
  next: Int32Array[];
  line: Uint8Array[];
}

/** The n rows of a column: a view of its only block (a reservation that held them all), else its blocks joined. */
function joinedOrFirst<T extends Float64Array | Uint16Array | Int32Array | Uint8Array>(
  blocks: T[],
  n: number,
  Type: new (n: number) => T,
): T {
  if (blocks.length === 1) return blocks[0].subarray(0, n) as T;
  return joinBlocks(blocks, new Type(n));
}

/** A column without the rows in `drop`. */
function without<T extends Float64Array | Uint16Array | Int32Array | Uint8Array>(col: T, drop: Set<number>): T {
  const out = new (col.constructor as new (n: number) => T)(col.length - drop.size);
  let o = 0;
  for (let i = 0; i < col.length; i++) if (!drop.has(i)) out[o++] = col[i];
  return out;
}

/** An event table without the rows of `drop`: each of its columns, and its length. */
function dropRows(table: { length: number }, drop: Set<number>): void {
  const t = table as unknown as Record<string, unknown>;
  for (const [key, col] of Object.entries(t)) if (ArrayBuffer.isView(col)) t[key] = without(col as Float64Array, drop);
  table.length -= drop.size;
}

/** Times that step back from the latest before them; rows marked in `skip` (inferred switches) are left out. */
function stepsBack(time: Float64Array, skip: Uint8Array | null): number {
  let n = 0;
  let last = -Infinity;
  for (let i = 0; i < time.length; i++) {
    if (skip !== null && skip[i] === 1) continue;
    const t = time[i];
    if (t < last) n++;
    else last = t;
  }
  return n;
}

/** A column of n rows, 1 at `rows`. */
function markRows(n: number, rows: readonly number[]): Uint8Array {
  const mark = new Uint8Array(n);
  for (const r of rows) mark[r] = 1;
  return mark;
}

/** The rows marked 1, ascending. */
function rowsMarked(mark: Uint8Array): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < mark.length; i++) if (mark[i] === 1) out.push(i);
  return Uint32Array.from(out);
}

function stableTimeOrder(time: Float64Array): Uint32Array {
  const order = new Uint32Array(time.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => time[a] - time[b] || a - b);
}

function permute<T extends Float64Array | Uint16Array | Int32Array | Uint8Array>(col: T, order: Uint32Array): T {
  const out = new (col.constructor as new (n: number) => T)(col.length);
  for (let i = 0; i < order.length; i++) out[i] = col[order[i]];
  return out;
}

/** Every column of a table (its `length` aside) put in `order`. */
function sortTable(
  table: { length: number; [column: string]: number | Float64Array | Uint16Array | Int32Array | Uint8Array },
  order: Uint32Array,
): void {
  for (const key of Object.keys(table)) {
    const col = table[key];
    if (typeof col !== 'number') table[key] = permute(col, order);
  }
}
