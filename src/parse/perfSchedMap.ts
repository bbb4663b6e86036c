// `perf sched map` (and `--compact`) text: one line per sched_switch.
//
//   INDENT cell{N} GAP <sec>.<usec> secs [XX => comm:tid] [ (CPU n)]
//
// A cell is 4 characters: marker (`*` on the CPU that had the event, else a
// blank), a 2-character name (`A0`..`Z9`, `. ` idle, `- ` filtered by
// --task-name, blank when nothing ran there yet) and a blank. The timestamp is
// found by pattern (first ` secs` with `<digits>.<digits>` before it) and the
// cells are read left of it on a 4-character grid whose offset is found per
// block (mail and blog copies are quoted, re-indented, trimmed), never fixed.
//
// Per column the parser keeps the task it assigned when that column last had
// the `*`: that is the switch's prev. Names are resolved only for the starred
// cell, at that line, from the most recent `XX => comm:tid` announcement.
// Names wrap after Z9; a starred name announced for more than one thread is
// resolved to the most plausible one and reported as ambiguous.
//
// Lines that cannot be placed (no timestamp, no `*`) are skipped with the
// reason. A --compact column whose ` (CPU n)` note is damaged or missing keeps
// its switches on a CPU number guessed at the end, with a warning. A line that does not parse is
// held back one line, so that a cut-off last line is reported as such.

import { CPU_LIMIT, type TraceBuilder } from '../model/builder';
import { PrevState, TaskKind } from '../model/types';
import type { LineParser, LineParserFactory } from './parser';
import { elisionText, isElisionMark } from './elision';
import { decodeRange } from './byteLines';
import { DOT, MINUS, SPACE, STAR } from './charCodes';
import { ascii, LineCursor, type SecNs } from './cursor';
import {
  firstCellRel,
  findMapTimestamp,
  fitsGrid,
  isNameChar,
  junkReason,
  keyName,
  lostEventsCount,
  badEventsOf,
  looksLikeCellsOnly,
  looksLikeCutMapLine,
  type MapLine,
  MapLineScan,
  BAD_NOTE,
  MapSuffix,
  NAME_CHAR,
  NAME_KEYS,
  nameKey,
  onlyCellChars,
  onlyStar,
  parseSuffix,
  scanCellBounds,
  skipQuote,
} from './perfSchedMapLine';
import { thousands } from '../model/format';
import { EVIDENCE_KINDS, EVIDENCE_TEXT, ShortNameResolver } from './mapShortNames';

/** The starred cells of one reused name resolved without an announcement: by evidence, and per task picked. */
interface NameGuesses {
  firstLine: number;
  byEvidence: number[];
  picks: Map<number, number>;
}

/** Lines buffered at most while a block's column offset is undecided. */
const OFFSET_LOOKAHEAD = 4096;

const enum Held {
  None = 0,
  /** No map timestamp on the line. */
  NoTimestamp = 1,
  /** A map line whose text after `secs` does not read. */
  BadSuffix = 2,
  /** A map line whose starred name was never announced and that announces nothing: its announcement may be on the next line. */
  Unannounced = 3,
}

class PerfSchedMapParser implements LineParser {
  private readonly b: TraceBuilder;
  private readonly scan = new MapLineScan();
  private readonly sfx = new MapSuffix();
  private readonly c = new LineCursor();
  private readonly ts: SecNs = { sec: 0, ns: 0 };

  // Column grid of the current block: column 0's marker is at prefixEnd + rel.
  private relKnown = false;
  private rel = 0;
  private blockPrefixEnd = 0;
  // Lines waiting for the offset to be decided.
  private pending: MapLine[] | null = null;
  private pendingNos: number[] = [];
  private pendingMin = 0;
  private pendingPrefixEnd = 0;

  // A line that did not parse, decided when the next line (or the end) comes.
  private held: Held = Held.None;
  private heldLine: MapLine = NO_LINE;
  private heldNo = 0;
  private ignoreSuffix = false;
  /** Set while a held Unannounced line is read as it is (it is not held again). */
  private noHold = false;
  private joinedAnnouncements = 0;
  /** Where the block's map lines have ` secs`, from their prefix's end (-1: not known): perf's columns are fixed. */
  private secsRel = -1;
  /** Map lines broken inside their cells (the rest, with the timestamp, on the next line), rejoined; the first's line. */
  private joinedCells = 0;
  private firstJoinedCells = 0;
  /** Line of the last cells-only line skipped (a row broken twice leaves two in a row). */
  private lastCellsOnlyNo = -1;
  private readonly headScan = new MapLineScan();
  /** The starred name of the last map line when it announced nothing (-1 otherwise), its time and line. */
  private lastRowKey = -1;
  /** lastRowKey as it was before the line being handled. */
  private prevRowKey = -1;
  private lastRowTime = 0;
  private lastRowNo = 0;
  /** The column of the last map line's `*`. */
  private lastRowCol = -1;
  private firstJoinedAnnouncement = 0;

  // Per column: task assigned at its last `*` (-1 none), and its CPU (--compact).
  private readonly colTask: number[] = [];
  private readonly colCpu: number[] = [];
  private maxCols = 0;
  private compact = false;
  private placed = 0;

  // Short names: current task, every task announced under the name (when more than one).
  private readonly shortTask = new Int32Array(NAME_KEYS).fill(-1);
  private readonly shortTid = new Int32Array(NAME_KEYS);
  private readonly shortComm: Uint8Array[] = [];
  private readonly shortCands: (number[] | undefined)[] = [];
  private readonly unknownTask = new Int32Array(NAME_KEYS).fill(-1);
  private readonly names = new ShortNameResolver();
  /** Per reused name, what resolved its starred cells (said once per name in finish()). */
  private readonly guesses = new Map<number, NameGuesses>();
  private wrapped = false;
  private filteredTask = -1;
  private warnedLateCompact = false;
  // --compact columns whose CPU no note gave: provisional CPU -> column, line; the line of a damaged note per column.
  private readonly provisional = new Map<number, { col: number; line: number; damaged: boolean }>();
  private readonly badNoteLine: Record<number, number> = {};

  constructor(builder: TraceBuilder) {
    this.b = builder;
    builder.formatDetail = 'perf sched map';
  }

  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    const line = buf.subarray(start, end);
    if (this.pending !== null) this.bufferLine(line, lineNo);
    else this.handle(line, lineNo);
  }

  finish(): void {
    while (this.pending !== null) this.decidePending(this.pendingMin, true, null, 0);
    if (this.held !== Held.None) this.releaseHeld(true);
    if (this.joinedAnnouncements > 0)
      this.b.warn(
        this.firstJoinedAnnouncement,
        `${thousands(this.joinedAnnouncements)} map lines broken in two (by a mailer or a terminal: the "XX => comm:tid" announcement on the next line) were rejoined, the first at line ${this.firstJoinedAnnouncement}`,
        'wrapped-line',
        this.joinedAnnouncements,
      );
    if (this.joinedCells > 0)
      this.b.warn(
        this.firstJoinedCells,
        `${thousands(this.joinedCells)} map lines broken inside their cells (by a mailer or a terminal: the rest of the cells and the timestamp on the next line) were rejoined, the first at line ${this.firstJoinedCells}`,
        'wrapped-line',
        this.joinedCells,
      );
    if (!this.compact && this.maxCols > 0) this.b.declaredCpuCount = this.maxCols;
    this.placeProvisional();
    this.reportGuesses();
  }

  // ---- line dispatch --------------------------------------------------------

  private handle(line: MapLine, lineNo: number): void {
    if (this.held === Held.Unannounced && this.joinAnnouncement(line)) return;
    if (this.held === Held.NoTimestamp && this.joinCells(line, lineNo)) return;
    if (this.held !== Held.None) this.releaseHeld(false);
    this.prevRowKey = this.lastRowKey;
    this.lastRowKey = -1;
    const s = this.scan;
    if (!findMapTimestamp(line, s, this.ts)) {
      this.nonMapLine(line, lineNo);
      return;
    }
    scanCellBounds(line, s.tsStart, s);
    if (s.firstNb < 0) {
      // A timestamp with no cells at all: nothing shows which CPU had the event.
      this.mapLine(line, lineNo, s.prefixEnd);
      return;
    }
    let o: number;
    if (this.relKnown && s.prefixEnd === this.blockPrefixEnd) {
      const d = firstCellRel(line, s) - this.rel;
      if (d >= 0 && (d & 3) === 0) o = s.prefixEnd + this.rel;
      else if (d === -1 && this.rel === 0) o = s.prefixEnd - 1;
      else if (fitsGrid(line, s.prefixEnd + this.rel, s.firstNb, s.lastNb)) o = s.prefixEnd + this.rel;
      else o = this.newBlock(line, lineNo);
    } else o = this.newBlock(line, lineNo);
    if (o !== NO_OFFSET) this.mapLine(line, lineNo, o);
  }

  /**
   * A map line that does not fit the current grid (or the first one): start a
   * new block. Returns the line's offset, or NO_OFFSET when the line was handled
   * (junk) or buffered until the offset can be decided.
   */
  private newBlock(line: MapLine, lineNo: number): number {
    const s = this.scan;
    if (!onlyCellChars(line, s.firstNb, s.lastNb)) {
      this.b.skip(lineNo, `text before the timestamp is not map cells: "${excerpt(line)}"`);
      return NO_OFFSET;
    }
    const rel = firstCellRel(line, s);
    if (rel <= 3) {
      // Nothing but the indent fits before the first cell: that cell is column 0.
      this.relKnown = true;
      this.rel = rel < 0 ? 0 : rel;
      this.blockPrefixEnd = s.prefixEnd;
      return s.prefixEnd + rel;
    }
    // Blank leading cells or extra indent: wait for a line that shows column 0.
    this.relKnown = false;
    this.pending = [line.slice()];
    this.pendingNos = [lineNo];
    this.pendingMin = rel;
    this.pendingPrefixEnd = s.prefixEnd;
    return NO_OFFSET;
  }

  private bufferLine(line: MapLine, lineNo: number): void {
    const pending = this.pending!;
    const s = this.scan;
    if (findMapTimestamp(line, s, this.ts)) {
      scanCellBounds(line, s.tsStart, s);
      if (s.firstNb >= 0 && onlyCellChars(line, s.firstNb, s.lastNb)) {
        let rel = firstCellRel(line, s);
        if (rel === -1) rel = 0;
        if (s.prefixEnd !== this.pendingPrefixEnd || ((rel - this.pendingMin) & 3) !== 0) {
          // Another block: decide the buffered one from what it showed, then start over.
          this.decidePending(this.pendingMin, true, line, lineNo);
          return;
        }
        if (rel <= 3) {
          pending.push(line.slice());
          this.pendingNos.push(lineNo);
          this.decidePending(rel, false, null, 0);
          return;
        }
        if (rel < this.pendingMin) this.pendingMin = rel;
      }
    }
    pending.push(line.slice());
    this.pendingNos.push(lineNo);
    // This long a block is perf's own output, whose indent is under 4: its leading columns are
    // blank (CPUs with no switch yet), not extra indentation.
    if (pending.length >= OFFSET_LOOKAHEAD) this.decidePending(this.pendingMin & 3, true, null, 0);
  }

  /** Fix the buffered block's offset, replay its lines, then the line that ended it (if any). */
  private decidePending(rel: number, guessed: boolean, nextLine: MapLine | null, nextNo: number): void {
    const lines = this.pending!;
    const nos = this.pendingNos;
    this.pending = null;
    this.pendingNos = [];
    this.relKnown = true;
    this.rel = rel;
    this.blockPrefixEnd = this.pendingPrefixEnd;
    if (guessed) {
      const lines = `lines ${nos[0]}-${nos[nos.length - 1]}`;
      this.b.warn(
        nos[0],
        rel === this.pendingMin
          ? `column offset guessed for ${lines}: every line starts with ${rel} or more blanks, so the leftmost column seen is taken as CPU 0 (extra indentation); if the leading columns are blank CPUs instead, CPU numbers are too low`
          : `column offset guessed for ${lines}: no line shows a task in the first ${(this.pendingMin - rel) >> 2} column(s); they are taken as CPUs with no switch yet (perf's own indent), not extra indentation`,
      );
    }
    for (let i = 0; i < lines.length; i++) this.line(lines[i], 0, lines[i].length, nos[i]);
    if (nextLine !== null) this.line(nextLine, 0, nextLine.length, nextNo);
  }

  private nonMapLine(line: MapLine, lineNo: number): void {
    const start = skipQuote(line);
    if (start >= line.length) return; // blank (or bare quote) line
    if (isElisionMark(line, start, line.length)) {
      // A paste's `[...]`: a gap in the trace; no column's task is known across it.
      this.b.addGap(lineNo, elisionText(line, start, line.length));
      this.colTask.fill(-1);
      return;
    }
    if (this.prevRowKey >= 0 && this.lateAnnouncement(line, start, lineNo)) return;
    const c = line[start];
    if (c === 73 /* I */ && this.atLine(line, start, INFO)) {
      const body = decodeRange(line, start, line.length);
      const count = lostEventsCount(body);
      if (count !== null) this.b.addLost({ line: lineNo, time: null, cpu: null, count, message: body });
      else {
        // perf's own counts of what it found out of order or inconsistent (print_bad_events()).
        const bad = badEventsOf(body);
        if (bad !== null) this.b.warn(lineNo, body, bad.kind, bad.count);
        else this.b.warn(lineNo, body);
      }
      return;
    }
    if (
      (c === 87 /* W */ && this.atLine(line, start, WARNING)) ||
      (c === 67 /* C */ && this.atLine(line, start, OVERLOAD))
    ) {
      this.b.warn(lineNo, decodeRange(line, start, line.length));
      return;
    }
    this.hold(Held.NoTimestamp, line, lineNo);
  }

  private hold(kind: Held, line: MapLine, lineNo: number): void {
    this.held = kind;
    this.heldLine = line.slice();
    this.heldNo = lineNo;
  }

  /** Decide a held line: `last` when no line followed it. */
  private releaseHeld(last: boolean): void {
    const kind = this.held;
    const line = this.heldLine;
    const no = this.heldNo;
    this.held = Held.None;
    this.heldLine = NO_LINE;
    const body = decodeRange(line, skipQuote(line), line.length);
    if (kind === Held.Unannounced) {
      this.noHold = true;
      this.handle(line, no);
      this.noHold = false;
      return;
    }
    if (kind === Held.BadSuffix) {
      if (last) {
        this.b.skip(
          no,
          'truncated last line: the text after "secs" is cut off (announcement incomplete); earlier lines are kept',
        );
        return;
      }
      this.b.warn(no, `unreadable text after "secs" (expected "XX => comm:tid" or " (CPU n)"): "${body.slice(0, 80)}"`);
      this.ignoreSuffix = true;
      this.handle(line, no);
      this.ignoreSuffix = false;
      return;
    }
    if (looksLikeCellsOnly(body)) {
      this.lastCellsOnlyNo = no;
      this.b.skip(
        no,
        last
          ? 'map cells without a timestamp on the last line (cut off, or a `perf sched map --cpus` line for a CPU outside the list): the switch cannot be placed in time'
          : 'map cells without a timestamp (`perf sched map --cpus` before v6.11 prints these for events on CPUs outside the list): the switch cannot be placed in time',
      );
      return;
    }
    if (last && looksLikeCutMapLine(body)) {
      this.b.skip(no, 'truncated last line: cut inside the timestamp or before "secs"; earlier lines are kept');
      return;
    }
    this.b.skip(no, junkReason(body));
  }

  // ---- one map line -------------------------------------------------------

  /** A line with a timestamp whose cell grid starts at `o` (column 0's marker). */
  private mapLine(line: MapLine, lineNo: number, o: number): void {
    const s = this.scan;
    const b = this.b;

    // Cells: validate the grid, find the `*`: cell by cell for the common line
    // (one `*`, every cell plain), else character by character, for the message.
    let star = s.firstNb < 0 ? -1 : onlyStar(line, o, s.firstNb, s.lastNb);
    let stars = 1;
    const lastNb = s.lastNb;
    // A cell on the grid with a printable character perf sched map does not print there (`**`, a
    // lower-case name, another tool's marker): the row keeps its switch unless that cell is the starred one.
    let oddCells = 0;
    let firstOdd = -1;
    let lastOdd = -1;
    let oddStar = false;
    if (star < 0) {
      stars = 0;
      for (let pos = s.firstNb < 0 ? 0 : s.firstNb; pos <= lastNb; pos++) {
        const c = line[pos];
        if (c === SPACE) continue;
        const r = (pos - o) & 3;
        if (r === 3 || c <= SPACE || c >= 127) return this.badGrid(lineNo, line);
        if (r === 0 && c === STAR) {
          if (stars++ === 0) star = pos;
          continue;
        }
        if (r !== 0 && NAME_CHAR[c] === 1) continue;
        const cell = pos - r;
        if (cell === lastOdd) continue;
        if (oddCells++ === 0) firstOdd = cell;
        lastOdd = cell;
        if (line[cell] === STAR) oddStar = true;
      }
    }

    // After `secs`: announcement and/or compact note.
    const sfx = this.sfx;
    const from = s.secsPos + 5;
    let hasSuffix = false;
    if (line.length > from + 1 || (line.length === from + 1 && line[from] !== SPACE)) {
      if (parseSuffix(line, from, sfx)) hasSuffix = sfx.ann || sfx.note !== -1;
      else if (!this.ignoreSuffix) {
        this.hold(Held.BadSuffix, line, lineNo);
        return;
      }
    }

    // this.ts was filled by findMapTimestamp for this very line.
    const time = b.time(this.ts.sec, this.ts.ns);
    this.noteColumns(o);
    this.secsRel = s.secsPos - s.prefixEnd;

    let annKey = -1;
    if (hasSuffix && sfx.ann) annKey = this.announce(line, time);

    if (stars !== 1) {
      if (hasSuffix && sfx.note !== -1)
        b.warn(lineNo, `${noteText(sfx.note)} note on a line without a single * cell: ignored`);
      b.skip(
        lineNo,
        stars === 0
          ? 'no * cell: the event was on a CPU whose column is not printed (the trace has more CPUs than the machine that ran perf sched map, or the columns were cut); the switch cannot be placed'
          : `${stars} * cells on one line: cannot tell which CPU had the event`,
      );
      return;
    }

    if (oddCells > 0) {
      if (oddStar) {
        b.skip(
          lineNo,
          `the * cell "${cellText(line, star)}" is no task name perf sched map prints: the switch cannot be placed`,
        );
        return;
      }
      b.warn(
        lineNo,
        `${oddCells === 1 ? 'a map cell' : `${oddCells} map cells`} perf sched map does not print (${oddCells === 1 ? '' : 'first: '}"${cellText(line, firstOdd)}" in column ${((firstOdd - o) >> 2) + 1}): ignored, the row's switch is kept`,
      );
    }

    const note = hasSuffix ? sfx.note : -1;
    const c1 = line[star + 1];
    if (!hasSuffix && !this.noHold && c1 !== DOT && c1 !== MINUS && isNameChar(c1)) {
      const c2 = line[star + 2];
      if (this.shortTask[nameKey(c1, c2 === c2 && isNameChar(c2) ? c2 : SPACE)] < 0) {
        this.hold(Held.Unannounced, line, lineNo);
        return;
      }
    }
    this.switchIn(lineNo, o, star, c1, line[star + 2], annKey, note, time);
    // A known name that announced nothing: its announcement may follow alone (lateAnnouncement).
    const c2 = line[star + 2];
    this.lastRowKey = hasSuffix || !isNameChar(c1) ? -1 : nameKey(c1, c2 === c2 && isNameChar(c2) ? c2 : SPACE);
    this.lastRowTime = time;
    this.lastRowNo = lineNo;
    this.lastRowCol = (star - o) >> 2;
  }

  /**
   * The line after a held Unannounced one: when it is only an announcement (`XX => comm:tid`, quoted or
   * indented, no timestamp), it is the held line's own, broken off by a mailer or a terminal: read the two
   * as one line. Returns whether it did.
   */
  private joinAnnouncement(line: MapLine): boolean {
    const start = skipQuote(line);
    if (start >= line.length || findMapTimestamp(line, this.scan, this.ts)) return false;
    if (!parseSuffix(line, start, this.sfx) || !this.sfx.ann || this.sfx.note !== -1) return false;
    const head = this.heldLine;
    const no = this.heldNo;
    this.held = Held.None;
    this.heldLine = NO_LINE;
    const joined = new Uint8Array(head.length + 1 + line.length - start);
    joined.set(head);
    joined[head.length] = SPACE;
    joined.set(line.subarray(start), head.length + 1);
    if (this.joinedAnnouncements++ === 0) this.firstJoinedAnnouncement = no;
    this.handle(joined, no);
    return true;
  }

  /**
   * The line after a held line without a timestamp: when the held one is the head of a map row broken inside
   * its cells (by a mailer at a blank, or a terminal anywhere) and this line its rest (cells, then the
   * timestamp, its ` secs` left of where the block's lines have it), the two are one row. The blanks lost at
   * the break are what puts ` secs` where every line of the block has it (perf prints every CPU's column);
   * the row must then lie on the block's grid. Returns whether the line was taken (joined, or skipped as
   * the rest of a row that could not be joined).
   */
  private joinCells(line: MapLine, lineNo: number): boolean {
    const s = this.scan;
    if (this.compact || this.secsRel < 0 || !this.relKnown || !findMapTimestamp(line, s, this.ts)) return false;
    scanCellBounds(line, s.tsStart, s);
    let t0 = s.prefixEnd;
    while (t0 < line.length && line[t0] === SPACE) t0++;
    const tailRel = s.secsPos - t0;
    if (s.prefixEnd !== this.blockPrefixEnd || s.secsPos - s.prefixEnd >= this.secsRel) return false;
    const head = this.heldLine;
    const no = this.heldNo;
    const h = this.headScan;
    scanCellBounds(head, head.length, h);
    if (h.firstNb < 0 || h.prefixEnd !== this.blockPrefixEnd || !onlyCellChars(head, h.firstNb, h.lastNb)) return false;
    this.held = Held.None;
    this.heldLine = NO_LINE;
    const pad = this.secsRel - (h.lastNb + 1 - h.prefixEnd) - tailRel;
    let joined: MapLine | null = null;
    if (pad >= 0 && this.lastCellsOnlyNo !== no - 1) {
      joined = new Uint8Array(h.lastNb + 1 + pad + line.length - t0);
      joined.set(head.subarray(0, h.lastNb + 1));
      joined.fill(SPACE, h.lastNb + 1, h.lastNb + 1 + pad);
      joined.set(line.subarray(t0), h.lastNb + 1 + pad);
      if (!findMapTimestamp(joined, s, this.ts)) joined = null;
      else {
        scanCellBounds(joined, s.tsStart, s);
        if (s.firstNb < 0 || !fitsGrid(joined, s.prefixEnd + this.rel, s.firstNb, s.lastNb)) joined = null;
      }
    }
    if (joined === null) {
      const why =
        this.lastCellsOnlyNo === no - 1
          ? 'a map row broken more than once'
          : "a map row broken in two whose parts do not line up on the block's columns";
      this.b.skip(no, `${why} (the cells on this line, the rest and the timestamp on line ${lineNo}): not guessed`);
      this.b.skip(lineNo, `the rest of line ${no} (${why}): its cells would stand in the wrong columns`);
      return true;
    }
    if (this.joinedCells++ === 0) this.firstJoinedCells = no;
    this.handle(joined, no);
    return true;
  }

  /**
   * An announcement alone on the line after a map line of a known name that announced nothing: that line's
   * own announcement broken off (a comm change, or the name's reuse for another thread). Its switch was
   * read already; the announcement is taken at its time, and a reuse is said (that switch kept the old task).
   */
  private lateAnnouncement(line: MapLine, start: number, lineNo: number): boolean {
    const sfx = this.sfx;
    if (!parseSuffix(line, start, sfx) || !sfx.ann || sfx.note !== -1 || sfx.key !== this.prevRowKey) return false;
    const before = this.shortTask[sfx.key];
    this.announce(line, this.lastRowTime);
    const now = this.shortTask[sfx.key];
    if (now !== before) {
      // The column shows this thread from that line on: its next switch switches it out.
      const col = this.lastRowCol;
      if (col >= 0 && col < this.colTask.length) {
        this.colTask[col] = now;
        this.names.seen(now, col, this.lastRowTime);
      }
      this.b.warn(
        lineNo,
        `"${keyName(sfx.key)} => ..." alone on its line names another thread than the line before it had (a map line broken in two?): that line's switch stays with the earlier thread, the later ones go to this one`,
        'ambiguous',
      );
    }
    if (this.joinedAnnouncements++ === 0) this.firstJoinedAnnouncement = this.lastRowNo;
    return true;
  }

  /** The grid's column count so far, from a map line's geometry (this.scan). */
  private noteColumns(o: number): void {
    const s = this.scan;
    if (s.lastNb >= 0) {
      const tsLen = s.secsPos - s.tsStart;
      const pad = tsLen < 12 ? 12 - tsLen : 0;
      let cols = (s.tsStart - o - pad + 1) >> 2;
      const lastCol = ((s.lastNb - o) >> 2) + 1;
      if (lastCol > cols) cols = lastCol;
      if (cols > this.maxCols) this.maxCols = cols;
    }
  }

  /**
   * The switch of a line whose only `*` is at `star`, with name characters
   * c1 c2 after it (NaN past the line's end); `annKey` is the name the line
   * announces (-1 none), `note` its --compact CPU note (-1 none).
   */
  private switchIn(
    lineNo: number,
    o: number,
    star: number,
    c1: number,
    c2: number,
    annKey: number,
    note: number,
    time: number,
  ): void {
    const b = this.b;
    const col = (star - o) >> 2;
    const colTask = this.colTask;
    while (colTask.length <= col) {
      colTask.push(-1);
      this.colCpu.push(this.compact ? -1 : colTask.length - 1);
    }

    const badNote = note !== -1 ? this.compactNote(lineNo, col, note) : null;

    // The task switched in.
    let next: number;
    if (c1 === DOT) next = 0;
    else if (c1 === MINUS) {
      if (this.filteredTask < 0) this.filteredTask = b.placeholderTask(TaskKind.Filtered, '- (other task)');
      next = this.filteredTask;
    } else if (!isNameChar(c1)) {
      b.skip(lineNo, 'the * cell shows no task');
      return;
    } else {
      const key = nameKey(c1, c2 === c2 ? c2 : SPACE);
      next = this.resolve(key, key === annKey, col, lineNo);
    }

    if (badNote !== null) {
      // The line is lost, not its task: the column's next switch switches it out.
      colTask[col] = next;
      if (next >= 0) this.names.seen(next, col, time);
      b.skip(lineNo, badNote);
      return;
    }
    let cpu = this.compact ? this.colCpu[col] : col;
    if (cpu < 0) cpu = this.unknownCpu(col, lineNo);
    const prev = colTask[col];
    colTask[col] = next;
    if (prev >= 0) this.names.seen(prev, col, time);
    this.names.seen(next, col, time);
    b.addSwitch(time, cpu, prev, PrevState.Unknown, next);
    this.placed++;
  }

  private badGrid(lineNo: number, line: MapLine): void {
    this.b.skip(lineNo, `map cells do not line up in 4-character columns: "${excerpt(line)}"`);
  }

  /**
   * `(CPU n)` on the line where a --compact column first appears (`cpu` may be
   * BAD_NOTE). A note that cannot be right (unreadable, past Linux's CPUs, or a
   * CPU another column has) costs its line (the reason is returned) and leaves
   * the column's CPU unknown: see unknownCpu. Null for a note that is used.
   */
  private compactNote(lineNo: number, col: number, cpu: number): string | null {
    if (!this.compact) {
      this.compact = true;
      this.b.formatDetail = 'perf sched map --compact';
      // Columns were given CPU = column while no note had been seen; with no switch placed yet, forget that.
      if (this.placed === 0) this.colCpu.fill(-1);
      else if (!this.warnedLateCompact) {
        this.warnedLateCompact = true;
        this.b.warn(
          lineNo,
          `" (CPU n)" notes (perf sched map --compact) start only after ${this.placed} switches were placed as column = CPU; those columns keep that assumption`,
        );
      }
    }
    const known = this.colCpu[col];
    const other = cpu >= 0 ? this.colCpu.indexOf(cpu) : -1;
    const bad =
      cpu === BAD_NOTE
        ? 'is unreadable'
        : cpu >= CPU_LIMIT
          ? `names a CPU outside Linux's range (0-${CPU_LIMIT - 1})`
          : other >= 0 && other !== col
            ? `names the CPU of column ${other + 1}`
            : null;
    if (bad !== null) {
      if (known < 0) this.badNoteLine[col] = lineNo;
      return `${noteText(cpu)} note for column ${col + 1} ${bad}: ${known >= 0 && !this.provisional.has(known) ? `the column stays CPU ${known}` : "the column's CPU is unknown"}; the column's other switches are kept`;
    }
    if (known >= 0 && known !== cpu && !this.provisional.has(known)) {
      this.b.warn(lineNo, `(CPU ${cpu}) note for column ${col + 1}, which was CPU ${known}: the new note is used`);
    }
    this.colCpu[col] = cpu;
    return null;
  }

  /**
   * A --compact column whose CPU no note gave (damaged or cut off): its
   * switches go on a provisional CPU number, from the top of Linux's range,
   * renumbered by finish() to the lowest CPU no other column names. Only the
   * note's line is at fault, so the column's switches are kept.
   */
  private unknownCpu(col: number, lineNo: number): number {
    const cpu = CPU_LIMIT - 1 - this.provisional.size;
    this.provisional.set(cpu, { col, line: this.badNoteLine[col] ?? lineNo, damaged: col in this.badNoteLine });
    this.colCpu[col] = cpu;
    return cpu;
  }

  /** Give the provisional CPUs their final numbers: the lowest ones no column's note names. */
  private placeProvisional(): void {
    if (this.provisional.size === 0) return;
    const noted = new Set(this.colCpu.filter((c) => !this.provisional.has(c)));
    const to = new Map<number, number>();
    let free = 0;
    for (const [cpu, { col, line, damaged }] of this.provisional) {
      while (noted.has(free)) free++;
      to.set(cpu, free);
      this.b.warn(
        line,
        `column ${col + 1} of this --compact map ${damaged ? 'has a damaged' : 'has no'} " (CPU n)" note, so its CPU is not known: its switches are placed on CPU ${free}, the lowest CPU no other column names (a guess; per-CPU figures of CPU ${free} may belong to another CPU)`,
      );
      free++;
    }
    this.b.renumberSwitchCpus(to);
  }

  // ---- short names ---------------------------------------------------------

  /** Register `XX => comm:tid`; returns the name key. */
  private announce(line: MapLine, time: number): number {
    const sfx = this.sfx;
    const key = sfx.key;
    const commLen = sfx.commEnd - sfx.commStart;
    const current = this.shortTask[key];
    // Fast path (perf -v repeats the suffix on every line): same tid, same comm.
    if (current >= 0 && this.shortTid[key] === sfx.tid) {
      const last = this.shortComm[key];
      if (last.length === commLen && this.atLine(line, sfx.commStart, last)) return key;
    }
    const comm = decodeRange(line, sfx.commStart, sfx.commEnd);
    const task = this.b.task(sfx.tid, comm, time);
    this.shortTid[key] = sfx.tid;
    this.shortComm[key] = line.slice(sfx.commStart, sfx.commEnd);
    if (current !== task) {
      this.shortTask[key] = task;
      if (current >= 0) {
        // Reuse after wrap-around (Z9 -> A0): the name now stands for several threads.
        let cands = this.shortCands[key];
        if (cands === undefined) cands = this.shortCands[key] = [current];
        const at = cands.indexOf(task);
        if (at >= 0) cands.splice(at, 1);
        cands.push(task);
        if (!this.wrapped) this.announceWrap(key, current, task);
      }
    }
    return key;
  }

  /** The task a starred name cell stands for. */
  private resolve(key: number, announced: boolean, col: number, lineNo: number): number {
    const task = this.shortTask[key];
    if (task < 0) {
      let u = this.unknownTask[key];
      if (u < 0) {
        const name = keyName(key);
        u = this.unknownTask[key] = this.b.placeholderTask(TaskKind.UnknownShortName, `${name}?`);
        this.b.warn(
          lineNo,
          `short name ${name} is used before any "${name} => comm:tid" line (the input starts mid-trace?): its switches go to a placeholder task "${name}?"`,
        );
      }
      return u;
    }
    if (announced) return task;
    const cands = this.shortCands[key];
    if (cands === undefined || cands.length < 2) return task;
    return this.ambiguous(key, cands, col, lineNo);
  }

  /** A starred name that several announced threads share: the resolver's pick, counted by its evidence. */
  private ambiguous(key: number, cands: number[], col: number, lineNo: number): number {
    const pick = this.names.pick(cands, col, this.colTask);
    let g = this.guesses.get(key);
    if (g === undefined) {
      g = { firstLine: lineNo, byEvidence: new Array<number>(EVIDENCE_KINDS).fill(0), picks: new Map() };
      this.guesses.set(key, g);
    }
    g.byEvidence[this.names.evidence]++;
    g.picks.set(pick, (g.picks.get(pick) ?? 0) + 1);
    return pick;
  }

  /** The first reuse of a name: what the map cannot tell from here on, and what to record instead. */
  private announceWrap(key: number, before: number, now: number): void {
    this.wrapped = true;
    const name = keyName(key);
    this.b.warn(
      this.b.line,
      `short names wrap around: ${name} was ${this.describe(before)} and now also names ${this.describe(now)} (perf sched map reuses A0..Z9 after 260 threads). A starred name that its line does not announce is resolved from what the map shows (which thread is on which CPU, where and when each last ran), not known: switches may go to the wrong thread of a reused name. For exact per-thread figures give the perf.data itself, or perf script -F comm,pid,tid,cpu,time,event,trace`,
    );
  }

  /** One message per reused name: how many of its switches were resolved by which evidence, and to whom. */
  private reportGuesses(): void {
    let total = 0;
    const byEvidence = new Array<number>(EVIDENCE_KINDS).fill(0);
    for (const g of this.guesses.values()) {
      for (let e = 0; e < EVIDENCE_KINDS; e++) byEvidence[e] += g.byEvidence[e];
    }
    for (const n of byEvidence) total += n;
    if (total === 0) return;
    this.b.ambiguous(
      0,
      `${thousands(total)} switches of ${thousands(this.guesses.size)} reused short name${this.guesses.size === 1 ? '' : 's'} resolved with no announcement on their line: ${evidenceList(byEvidence)}`,
      0,
    );
    for (const [key, g] of this.guesses) {
      let n = 0;
      for (const c of g.byEvidence) n += c;
      const cands = this.shortCands[key] ?? [];
      const picks = [...g.picks].map(([t, c]) => `${this.describe(t)} ${thousands(c)}`).join(', ');
      this.b.ambiguous(
        g.firstLine,
        `short name ${keyName(key)} stands for ${cands.length} threads after short-name wrap-around (${cands.map((t) => this.describe(t)).join(', ')}); ${thousands(n)} switch${n === 1 ? '' : 'es'} with no announcement on their line resolved: ${evidenceList(g.byEvidence)}; read as ${picks}`,
        n,
      );
    }
  }

  private describe(task: number): string {
    return `${this.b.lastCommOf(task) ?? '?'}:${this.b.tidOf(task)}`;
  }

  /** Whether `line` holds the bytes `pat` at i. */
  private atLine(line: MapLine, i: number, pat: Uint8Array): boolean {
    return this.c.set(line, 0, line.length).at(i, pat);
  }
}

const NO_OFFSET = -0x7fffffff;
const NO_LINE = new Uint8Array(0);
const INFO = ascii('INFO:');
const WARNING = ascii('Warning:');
const OVERLOAD = ascii('Check IO/CPU overload');
/** A line's text for a message: trimmed, at most 60 characters. */
function excerpt(line: MapLine): string {
  return decodeRange(line, 0, line.length).trim().slice(0, 60);
}

export const createPerfSchedMapParser: LineParserFactory = (builder) => new PerfSchedMapParser(builder);

/** Counts by evidence as words: "12 by exclusion (...), 3 as ..." (zero counts left out). */
function evidenceList(byEvidence: readonly number[]): string {
  const parts: string[] = [];
  for (let e = 0; e < byEvidence.length; e++)
    if (byEvidence[e] > 0) parts.push(`${thousands(byEvidence[e])} ${EVIDENCE_TEXT[e]}`);
  return parts.join(', ');
}

/** A note as the map printed it, for a message. */
function noteText(note: number): string {
  return note === BAD_NOTE ? 'the " (CPU n)"' : `(CPU ${note})`;
}

/** A cell's 4 characters (marker, name, separator) as text, without its blanks. */
function cellText(line: MapLine, cell: number): string {
  return decodeRange(line, cell, Math.min(cell + 4, line.length)).trim();
}
