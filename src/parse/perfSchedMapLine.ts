// Low-level readers for one `perf sched map` line (see perfSchedMap.ts for the
// grammar and the stateful parts): the timestamp, the cell grid, the text after
// `secs`. A line is its bytes (a view: positions are relative to its start;
// reading past its end gives undefined, which fails every test). They write into
// reusable objects: no regex and no allocation on the common line.

import { DOT, GT, MINUS, SPACE, STAR, TAB } from './charCodes';
import { ascii, LineCursor, type SecNs } from './cursor';

/** A map line's bytes, without its line end. */
export type MapLine = Uint8Array;

const SECS = ascii(' secs');
const CPU_NOTE = ascii('(CPU ');

/** Characters a 2-character map name cell may hold: `A`-`Z`, `0`-`9`, `.` (idle), `-` (filtered). */
export const NAME_CHAR = new Uint8Array(128);
for (let c = 65; c <= 90; c++) NAME_CHAR[c] = 1;
for (let c = 48; c <= 57; c++) NAME_CHAR[c] = 1;
NAME_CHAR[DOT] = 1;
NAME_CHAR[MINUS] = 1;

export function isNameChar(c: number): boolean {
  return c < 128 && NAME_CHAR[c] === 1;
}

/** Where the parts of a map line are; filled by findMapTimestamp and scanCellBounds. */
export class MapLineScan {
  /** Index of ` secs` (the space before `secs`). */
  secsPos = 0;
  /** First digit of the timestamp. */
  tsStart = 0;
  /** End of the quote / tab prefix (`> `, `>>`, tabs): the index after its last `>` or tab. */
  prefixEnd = 0;
  /** First non-blank character of the cell region, or -1 when the region is blank. */
  firstNb = -1;
  /** Last non-blank character of the cell region, or -1. */
  lastNb = -1;
  /** The cursor the readers of the line use. */
  readonly c = new LineCursor();
}

/**
 * Find `<digits>.<digits> secs` followed by end of line or a space, with a blank
 * (or nothing, or a quote `>`) before the timestamp, and parse the timestamp
 * into `ts`. The common line ends with `secs` or `secs `, so that is tried first,
 * from the right; otherwise the first match from the left wins (the cell region
 * cannot contain ` secs`, a comm in the announcement after it can).
 */
export function findMapTimestamp(line: MapLine, out: MapLineScan, ts: SecNs): boolean {
  const len = line.length;
  let e = len;
  if (e > 0 && line[e - 1] === SPACE) e--;
  if (
    e >= 7 &&
    line[e - 1] === 115 /* s */ &&
    line[e - 2] === 99 /* c */ &&
    line[e - 3] === 101 /* e */ &&
    line[e - 4] === 115 /* s */ &&
    line[e - 5] === SPACE &&
    timestampBefore(line, e - 5, out, ts)
  ) {
    return true;
  }
  let from = 0;
  for (;;) {
    const k = out.c.set(line, 0, len).find(SECS, from);
    if (k < 0) return false;
    from = k + 1;
    const after = k + 5;
    if (after < len && line[after] !== SPACE) continue;
    if (timestampBefore(line, k, out, ts)) return true;
  }
}

/** The timestamp ending at `k` (the blank before `secs`), with a blank, `>` or nothing before it. */
function timestampBefore(line: MapLine, k: number, out: MapLineScan, ts: SecNs): boolean {
  if (k > 7 && line[k - 7] === DOT) {
    // The map's own form, `<sec>.<usec: 6 digits>`, read in one pass from the right (exact integers).
    let usec = 0;
    let j = k - 6;
    for (; j < k; j++) {
      const d = line[j] - 48;
      if (d < 0 || d > 9) break;
      usec = usec * 10 + d;
    }
    if (j === k) {
      let sec = 0;
      let mul = 1;
      let i = k - 8;
      for (; i >= 0; i--) {
        const d = line[i] - 48;
        if (d < 0 || d > 9) break;
        sec += d * mul;
        mul *= 10;
      }
      if (i === k - 8 || !blankBefore(line, i)) return false;
      ts.sec = sec;
      ts.ns = usec * 1000;
      out.secsPos = k;
      out.tsStart = i + 1;
      return true;
    }
  }
  // Any other `<digits>.<digits>` (hand-edited samples): the general exact parser.
  let i = k - 1;
  for (; i >= 0; i--) {
    const c = line[i];
    if ((c < 48 || c > 57) && c !== DOT) break;
  }
  if (!blankBefore(line, i) || !out.c.set(line, 0, line.length).timestamp(i + 1, k, ts)) return false;
  out.secsPos = k;
  out.tsStart = i + 1;
  return true;
}

/** Whether the character at `i` (just before a timestamp) is a blank, a quote `>`, or the line start. */
function blankBefore(line: MapLine, i: number): boolean {
  if (i < 0) return true;
  const c = line[i];
  return c === SPACE || c === TAB || c === GT;
}

/** Fill prefixEnd, firstNb and lastNb for the region before `end` (the timestamp start, or the line end). */
export function scanCellBounds(line: MapLine, end: number, out: MapLineScan): void {
  let i = 0;
  let prefixEnd = 0;
  while (i < end) {
    const c = line[i];
    if (c === SPACE) i++;
    else if (c === GT || c === TAB) prefixEnd = ++i;
    else break;
  }
  out.prefixEnd = prefixEnd;
  if (i >= end) {
    out.firstNb = -1;
    out.lastNb = -1;
    return;
  }
  out.firstNb = i;
  let j = end - 1;
  for (;;) {
    const c = line[j];
    if (c !== SPACE && c !== TAB) break;
    j--;
  }
  out.lastNb = j;
}

/**
 * The grid check of mapLine on its common case: the position of the only `*`
 * when cells from `firstNb` to `lastNb` line up on the grid at
 * `o`; -1 when they do not, when there is no `*` or more than one, or when the
 * last cell reaches past `lastNb` into anything but blanks (then the caller
 * checks character by character: this check is never laxer than that one).
 *
 * It goes cell by cell (marker, two name characters, separator) rather than
 * character by character: no position arithmetic per character, and a blank
 * needs no branch of its own. Before `firstNb` a line has only blanks, which
 * pass, so starting at the cell that holds `firstNb` checks nothing mapLine
 * would not accept.
 */
export function onlyStar(line: MapLine, o: number, firstNb: number, lastNb: number): number {
  let star = -1;
  const first = o + ((firstNb - o) & ~3);
  if (first < 0) return -1;
  for (let cell = first; cell <= lastNb; cell += 4) {
    const m = line[cell];
    if (m === STAR) {
      if (star >= 0) return -1;
      star = cell;
    } else if (m !== SPACE) return -1;
    if (CELL_NAME[line[cell + 1]] !== 1 || CELL_NAME[line[cell + 2]] !== 1 || line[cell + 3] !== SPACE) return -1;
  }
  return star;
}

/**
 * Whether a line whose first cell does not look like column 0's (an odd cell
 * there: ` ** `, `+F0 `) still fits the grid at `o`: every separator blank,
 * only printable ASCII, and exactly one `*` marker. A line shifted off the grid
 * (another pasted block) fails on its separators.
 */
export function fitsGrid(line: MapLine, o: number, firstNb: number, lastNb: number): boolean {
  if (firstNb < o) return false;
  let stars = 0;
  for (let pos = firstNb; pos <= lastNb; pos++) {
    const c = line[pos];
    if (c === SPACE) continue;
    const r = (pos - o) & 3;
    if (r === 3 || c < SPACE || c >= 127) return false;
    if (r === 0 && c === STAR) stars++;
  }
  return stars === 1;
}

/** NAME_CHAR plus the blank, over all byte values: what a cell's two name positions may hold. */
const CELL_NAME = new Uint8Array(256);
for (let c = 0; c < 128; c++) CELL_NAME[c] = NAME_CHAR[c];
CELL_NAME[SPACE] = 1;

/** Whether line[from..to] holds only cell characters (blank, `*`, name characters). */
export function onlyCellChars(line: MapLine, from: number, to: number): boolean {
  for (let i = from; i <= to; i++) {
    const c = line[i];
    if (c !== SPACE && c !== STAR && !isNameChar(c)) return false;
  }
  return true;
}

/**
 * Position of the first cell's marker relative to prefixEnd, judged from the
 * first non-blank character alone: a `*` is a marker, anything else the first
 * character of a name whose marker is the blank before it. -1 means the line
 * was trimmed of leading blanks and lost column 0's blank marker.
 */
export function firstCellRel(line: MapLine, scan: MapLineScan): number {
  const p = scan.firstNb;
  const cellStart = line[p] === STAR ? p : p - 1;
  return cellStart - scan.prefixEnd;
}

/** The part of a line after `secs`: an optional `XX => comm:tid` and an optional ` (CPU n)`. */
export class MapSuffix {
  /** CPU of a `--compact` ` (CPU n)` note, or -1. */
  note = -1;
  /** Whether an `XX => comm:tid` announcement is present. */
  ann = false;
  /** Short-name key (nameKey) of the announcement. */
  key = 0;
  tid = 0;
  commStart = 0;
  commEnd = 0;
  /** The cursor the reader of the suffix uses. */
  readonly c = new LineCursor();
}

/** Key of a 2-character name cell: both char codes (the second may be a blank). */
export function nameKey(c0: number, c1: number): number {
  return (c0 << 7) | (c1 & 127);
}

export const NAME_KEYS = 1 << 14;

export function keyName(key: number): string {
  return String.fromCharCode(key >> 7, key & 127).trimEnd();
}

/** MapSuffix.note when the line ends in ` (...)` that is not a readable `(CPU n)`: a damaged --compact note. */
export const BAD_NOTE = -2;

/** Longest tail read as a damaged note: ` (CPU 8191)` is 11 characters. */
const NOTE_TAIL_MAX = 16;

/**
 * Read the text after ` secs` (from `from`). Returns false when it is neither
 * empty nor a well-formed announcement and/or note (a cut or mangled line). A
 * short ` (...)` tail that is not a note, after text that reads, is a damaged
 * note (`note` = BAD_NOTE): the announcement before it is kept.
 */
export function parseSuffix(line: MapLine, from: number, out: MapSuffix): boolean {
  let end = line.length;
  while (end > from && line[end - 1] === SPACE) end--;
  if (readSuffix(line, from, end, out)) return true;
  const k = line.lastIndexOf(40 /* ( */, end - 1);
  if (k <= from || end - k > NOTE_TAIL_MAX || line[k - 1] !== SPACE) return false;
  if (!readSuffix(line, from, k - 1, out) || out.note !== -1) return false;
  out.note = BAD_NOTE;
  return true;
}

function readSuffix(line: MapLine, from: number, end: number, out: MapSuffix): boolean {
  out.note = -1;
  out.ann = false;
  while (end > from && line[end - 1] === SPACE) end--;
  let i = from;
  while (i < end && line[i] === SPACE) i++;
  if (i >= end) return true;

  if (line[end - 1] === 41 /* ) */) {
    const k = out.c.set(line, 0, end).findLast(CPU_NOTE, end, 0);
    if (k < i) return false;
    let n = 0;
    let j = k + 5;
    for (; j < end - 1; j++) {
      const c = line[j] - 48;
      if (c < 0 || c > 9) return false;
      n = n * 10 + c;
    }
    if (j === k + 5) return false;
    out.note = n;
    end = k;
    while (end > i && line[end - 1] === SPACE) end--;
    if (i >= end) return true;
  }

  // XX => comm:tid   (idle: `.  => swapper:0`)
  const c0 = line[i];
  if (!isNameChar(c0)) return false;
  let j = i + 1;
  const c1 = line[j];
  let key: number;
  if (isNameChar(c1)) {
    key = nameKey(c0, c1);
    j++;
  } else key = nameKey(c0, SPACE);
  while (j < end && line[j] === SPACE) j++;
  if (line[j] !== 61 /* = */ || line[j + 1] !== GT) return false;
  j += 2;
  if (j < end && line[j] === SPACE) j++;
  const colon = line.lastIndexOf(58 /* : */, end - 1);
  if (colon < j) return false;
  const c = out.c.set(line, 0, end);
  const tid = c.int(colon + 1);
  if (tid !== tid || c.pos !== end) return false;
  out.ann = true;
  out.key = key;
  out.tid = tid;
  out.commStart = j;
  out.commEnd = colon;
  return true;
}

/** Index after the leading quote / blank prefix (`>`, blanks, tabs). */
export function skipQuote(line: MapLine): number {
  let i = 0;
  const len = line.length;
  while (i < len) {
    const c = line[i];
    if (c === SPACE || c === TAB || c === GT) i++;
    else break;
  }
  return i;
}

const LOST = /lost events \((\d+) out of/;

/** Count from perf's `INFO: x% lost events (N out of M, in K chunks)` trailer, or null. */
export function lostEventsCount(body: string): number | null {
  const m = LOST.exec(body);
  return m ? Number(m[1]) : null;
}

const UNORDERED = /unordered timestamps \((\d+) out of/;
const SWITCH_BUGS = /context switch bugs \((\d+) out of/;

/**
 * perf's other `INFO:` counts: timestamps it saw out of order, and switches whose prev task was not the one it
 * had running on that CPU ("context switch bugs", which perf blames on lost events): their warning kind and count.
 */
export function badEventsOf(body: string): { kind: 'unordered-time' | 'lost-switch-in'; count: number } | null {
  const u = UNORDERED.exec(body);
  if (u) return { kind: 'unordered-time', count: Number(u[1]) };
  const s = SWITCH_BUGS.exec(body);
  return s ? { kind: 'lost-switch-in', count: Number(s[1]) } : null;
}

const CUT_MAP_LINE = /^[ *A-Z0-9.-]*\s\d+(?:\.\d*)?(?: s?e?c?)?$/;

/**
 * A line of cells without a timestamp (`perf sched map --cpus` before v6.11):
 * only blanks, `*` and name characters, lined up in 4-character cells.
 */
export function looksLikeCellsOnly(body: string): boolean {
  let first = -1;
  for (let i = 0; i < body.length; i++) {
    if (body.charCodeAt(i) !== SPACE) {
      first = i;
      break;
    }
  }
  if (first < 0) return false;
  const o = body.charCodeAt(first) === STAR ? first : first - 1;
  let names = 0;
  for (let i = first; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === SPACE) continue;
    const r = (i - o) & 3;
    if (r === 0) {
      if (c !== STAR) return false;
    } else if (r === 3 || !isNameChar(c)) return false;
    else names++;
  }
  return names > 0;
}

/** A map line cut inside the timestamp or ` secs`. */
export function looksLikeCutMapLine(body: string): boolean {
  return CUT_MAP_LINE.test(body);
}

function excerpt(s: string): string {
  const t = s.trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** Why a line that is not a map line was skipped. `body` is the line after its quote prefix. */
export function junkReason(body: string): string {
  const t = body.trim();
  if (/^#/.test(t) || /^[$%]\s/.test(t) || /^[\w.@~:/-]*[$#%]\s+\S/.test(t) || /^\S*@\S*[:~]/.test(t))
    return `shell prompt or comment, not a map line: "${excerpt(t)}"`;
  if (/^\[ perf (record|report|sched)/.test(t)) return `perf status line, not a map line: "${excerpt(t)}"`;
  if (/^Script (started|done)/.test(t)) return `script(1) banner, not a map line: "${excerpt(t)}"`;
  return `not a perf sched map line (no "<sec>.<usec> secs" timestamp): "${excerpt(t)}"`;
}
