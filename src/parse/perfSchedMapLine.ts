// Low-level readers for one `perf sched map` line (see perfSchedMap.ts for the
// grammar and the stateful parts). Everything here works on char codes with
// indexOf / charCodeAt and writes into reusable objects: no regex and no
// allocation on the common line.

import { parseTimestamp, type SecNs } from './timestamp';

export const SPACE = 32;
export const TAB = 9;
export const STAR = 42;
export const DOT = 46;
export const DASH = 45;
export const GT = 62;

/** Characters a 2-character map name cell may hold: `A`-`Z`, `0`-`9`, `.` (idle), `-` (filtered). */
export const NAME_CHAR = new Uint8Array(128);
for (let c = 65; c <= 90; c++) NAME_CHAR[c] = 1;
for (let c = 48; c <= 57; c++) NAME_CHAR[c] = 1;
NAME_CHAR[DOT] = 1;
NAME_CHAR[DASH] = 1;

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
}

/**
 * Find `<digits>.<digits> secs` followed by end of line or a space, with a blank
 * (or nothing, or a quote `>`) before the timestamp, and parse the timestamp
 * into `ts`. The common line ends with `secs` or `secs `, so that is tried first,
 * from the right; otherwise the first match from the left wins (the cell region
 * cannot contain ` secs`, a comm in the announcement after it can).
 */
export function findMapTimestamp(text: string, out: MapLineScan, ts: SecNs): boolean {
  const len = text.length;
  let e = len;
  if (e > 0 && text.charCodeAt(e - 1) === SPACE) e--;
  if (
    e >= 7 &&
    text.charCodeAt(e - 1) === 115 /* s */ &&
    text.charCodeAt(e - 2) === 99 /* c */ &&
    text.charCodeAt(e - 3) === 101 /* e */ &&
    text.charCodeAt(e - 4) === 115 /* s */ &&
    text.charCodeAt(e - 5) === SPACE &&
    timestampBefore(text, e - 5, out, ts)
  ) {
    return true;
  }
  let from = 0;
  for (;;) {
    const k = text.indexOf(' secs', from);
    if (k < 0) return false;
    from = k + 1;
    const after = k + 5;
    if (after < len && text.charCodeAt(after) !== SPACE) continue;
    if (timestampBefore(text, k, out, ts)) return true;
  }
}

/** The timestamp ending at `k` (the blank before `secs`), with a blank, `>` or nothing before it. */
function timestampBefore(text: string, k: number, out: MapLineScan, ts: SecNs): boolean {
  if (k > 7 && text.charCodeAt(k - 7) === DOT) {
    // The map's own form, `<sec>.<usec: 6 digits>`, read in one pass from the right (exact integers).
    let usec = 0;
    let j = k - 6;
    for (; j < k; j++) {
      const d = text.charCodeAt(j) - 48;
      if (d < 0 || d > 9) break;
      usec = usec * 10 + d;
    }
    if (j === k) {
      let sec = 0;
      let mul = 1;
      let i = k - 8;
      for (; i >= 0; i--) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        sec += d * mul;
        mul *= 10;
      }
      if (i === k - 8 || !blankBefore(text, i)) return false;
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
    const c = text.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== DOT) break;
  }
  if (!blankBefore(text, i) || !parseTimestamp(text, i + 1, k, ts)) return false;
  out.secsPos = k;
  out.tsStart = i + 1;
  return true;
}

/**
 * findMapTimestamp over the bytes buf[start, end), for its common case only: the
 * line ends in `<sec>.<usec: 6 digits> secs`, maybe with one blank after. False
 * when it does not (the caller then reads the line as text). Positions in `out`
 * are relative to `start`, like those of the text path.
 */
export function mapTimestampBytes(buf: Uint8Array, start: number, end: number, out: MapLineScan, ts: SecNs): boolean {
  let e = end;
  if (e > start && buf[e - 1] === SPACE) e--;
  const k = e - 5; // the blank before `secs`
  if (
    k - start <= 7 ||
    buf[e - 1] !== 115 /* s */ ||
    buf[e - 2] !== 99 /* c */ ||
    buf[e - 3] !== 101 /* e */ ||
    buf[e - 4] !== 115 /* s */ ||
    buf[k] !== SPACE ||
    buf[k - 7] !== DOT
  )
    return false;
  let usec = 0;
  for (let j = k - 6; j < k; j++) {
    const d = buf[j] - 48;
    if (d < 0 || d > 9) return false;
    usec = usec * 10 + d;
  }
  let sec = 0;
  let mul = 1;
  let i = k - 8;
  for (; i >= start; i--) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    sec += d * mul;
    mul *= 10;
  }
  if (i === k - 8) return false;
  if (i >= start) {
    const c = buf[i];
    if (c !== SPACE && c !== TAB && c !== GT) return false;
  }
  ts.sec = sec;
  ts.ns = usec * 1000;
  out.secsPos = k - start;
  out.tsStart = i + 1 - start;
  return true;
}

/** Whether the character at `i` (just before a timestamp) is a blank, a quote `>`, or the line start. */
function blankBefore(text: string, i: number): boolean {
  if (i < 0) return true;
  const c = text.charCodeAt(i);
  return c === SPACE || c === TAB || c === GT;
}

/** Fill prefixEnd, firstNb and lastNb for the region before `end` (the timestamp start, or the line end). */
export function scanCellBounds(text: string, end: number, out: MapLineScan): void {
  let i = 0;
  let prefixEnd = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
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
    const c = text.charCodeAt(j);
    if (c !== SPACE && c !== TAB) break;
    j--;
  }
  out.lastNb = j;
}

/**
 * The last map line whose cell grid was valid with exactly one `*`, to check the
 * next line against. perf prints one line per switch, and from one line to the
 * next only two cells change: the one that loses the `*` and the one that gets
 * it (with the task switched in). So when the cell region outside those two
 * cells is equal to the template's (two or three native string compares), that
 * part is known valid and `*`-free, and only the two cells are read. Anything
 * else (another geometry, more changed cells, an odd character in a changed
 * cell) returns -1 and the caller validates the whole region char by char, so
 * the result is always the one of that full check.
 */
export class GridTemplate {
  private text = '';
  private o = -1;
  private prefixEnd = -1;
  private tsStart = -1;
  private star = -1;

  /** Position of the line's only `*` when the template proves the grid valid, else -1. */
  match(text: string, o: number, scan: MapLineScan): number {
    const prefixEnd = scan.prefixEnd;
    const tsStart = scan.tsStart;
    if (o !== this.o || prefixEnd !== this.prefixEnd || tsStart !== this.tsStart || scan.firstNb < 0) return -1;
    const q = text.indexOf('*', scan.firstNb);
    if (q < 0 || q > scan.lastNb || ((q - o) & 3) !== 0) return -1;
    const p = this.star;
    const a = p < q ? p : q;
    const b = p < q ? q : p;
    const tpl = this.text;
    if (!sameRange(text, tpl, prefixEnd, a) || !sameRange(text, tpl, b + 4, tsStart)) return -1;
    if (a !== b && !sameRange(text, tpl, a + 4, b)) return -1;
    // The `*` cell, and the cell that had it (now with a blank marker).
    if (!plainCell(text, q, STAR) || (p !== q && !plainCell(text, p, SPACE))) return -1;
    return q;
  }

  /**
   * Take a line whose grid is valid with its only `*` at `star`. A line checked
   * char by char (`checked`) must also have only blanks between its last cell
   * and the timestamp: a tab there would be allowed on this line but not on a
   * next line with a cell after it, which the compare could not tell.
   */
  remember(text: string, o: number, scan: MapLineScan, star: number, checked: boolean): void {
    if (checked) {
      for (let i = scan.lastNb + 1; i < scan.tsStart; i++) {
        if (text.charCodeAt(i) !== SPACE) {
          this.o = -1;
          return;
        }
      }
    }
    this.text = text;
    this.o = o;
    this.prefixEnd = scan.prefixEnd;
    this.tsStart = scan.tsStart;
    this.star = star;
  }
}

/** text[from, to) === other[from, to) (true when the range is empty): native compares, no char loop. */
function sameRange(text: string, other: string, from: number, to: number): boolean {
  return from >= to || text.substring(from, to) === other.substring(from, to);
}

/** A cell at `s` with marker `marker`, a name (or blank) and a blank separator. */
function plainCell(text: string, s: number, marker: number): boolean {
  if (text.charCodeAt(s) !== marker || text.charCodeAt(s + 3) !== SPACE) return false;
  const c1 = text.charCodeAt(s + 1);
  const c2 = text.charCodeAt(s + 2);
  return (c1 === SPACE || isNameChar(c1)) && (c2 === SPACE || isNameChar(c2));
}

/** scanCellBounds over the bytes of a line starting at `start` (positions relative to it). */
export function scanCellBoundsBytes(buf: Uint8Array, start: number, end: number, out: MapLineScan): void {
  let i = 0;
  let prefixEnd = 0;
  while (i < end) {
    const c = buf[start + i];
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
    const c = buf[start + j];
    if (c !== SPACE && c !== TAB) break;
    j--;
  }
  out.lastNb = j;
}

/**
 * The grid check of mapLine over bytes: the position (relative to `start`) of
 * the only `*` when cells from `firstNb` to `lastNb` line up on the grid at
 * `o`; -1 when they do not, when there is no `*` or more than one, or when the
 * last cell reaches past `lastNb` into anything but blanks (then the caller
 * reads the line as text: this check is never laxer than mapLine's).
 *
 * It goes cell by cell (marker, two name characters, separator) rather than
 * character by character: no position arithmetic per character, and a blank
 * needs no branch of its own. Before `firstNb` a line has only blanks, which
 * pass, so starting at the cell that holds `firstNb` checks nothing mapLine
 * would not accept.
 */
export function onlyStarBytes(buf: Uint8Array, start: number, o: number, firstNb: number, lastNb: number): number {
  let star = -1;
  const first = o + ((firstNb - o) & ~3);
  for (let cell = start + first, last = start + lastNb; cell <= last; cell += 4) {
    const m = buf[cell];
    if (m === STAR) {
      if (star >= 0) return -1;
      star = cell - start;
    } else if (m !== SPACE) return -1;
    if (CELL_NAME[buf[cell + 1]] === 0 || CELL_NAME[buf[cell + 2]] === 0 || buf[cell + 3] !== SPACE) return -1;
  }
  return star;
}

/** NAME_CHAR plus the blank, over all byte values: what a cell's two name positions may hold. */
const CELL_NAME = new Uint8Array(256);
for (let c = 0; c < 128; c++) CELL_NAME[c] = NAME_CHAR[c];
CELL_NAME[SPACE] = 1;

/** Whether text[from..to] holds only cell characters (blank, `*`, name characters). */
export function onlyCellChars(text: string, from: number, to: number): boolean {
  for (let i = from; i <= to; i++) {
    const c = text.charCodeAt(i);
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
export function firstCellRel(text: string, scan: MapLineScan): number {
  const p = scan.firstNb;
  const cellStart = text.charCodeAt(p) === STAR ? p : p - 1;
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
}

/** Key of a 2-character name cell: both char codes (the second may be a blank). */
export function nameKey(c0: number, c1: number): number {
  return (c0 << 7) | (c1 & 127);
}

export const NAME_KEYS = 1 << 14;

export function keyName(key: number): string {
  return String.fromCharCode(key >> 7, key & 127).trimEnd();
}

/**
 * Read the text after ` secs` (from `from`). Returns false when it is neither
 * empty nor a well-formed announcement and/or note (a cut or mangled line).
 */
export function parseSuffix(text: string, from: number, out: MapSuffix): boolean {
  out.note = -1;
  out.ann = false;
  let end = text.length;
  while (end > from && text.charCodeAt(end - 1) === SPACE) end--;
  let i = from;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (i >= end) return true;

  if (text.charCodeAt(end - 1) === 41 /* ) */) {
    const k = text.lastIndexOf('(CPU ', end - 1);
    if (k < i) return false;
    let n = 0;
    let j = k + 5;
    for (; j < end - 1; j++) {
      const c = text.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return false;
      n = n * 10 + c;
    }
    if (j === k + 5) return false;
    out.note = n;
    end = k;
    while (end > i && text.charCodeAt(end - 1) === SPACE) end--;
    if (i >= end) return true;
  }

  // XX => comm:tid   (idle: `.  => swapper:0`)
  const c0 = text.charCodeAt(i);
  if (!isNameChar(c0)) return false;
  let j = i + 1;
  const c1 = text.charCodeAt(j);
  let key: number;
  if (isNameChar(c1)) {
    key = nameKey(c0, c1);
    j++;
  } else key = nameKey(c0, SPACE);
  while (j < end && text.charCodeAt(j) === SPACE) j++;
  if (text.charCodeAt(j) !== 61 /* = */ || text.charCodeAt(j + 1) !== GT) return false;
  j += 2;
  if (j < end && text.charCodeAt(j) === SPACE) j++;
  const colon = text.lastIndexOf(':', end - 1);
  if (colon < j) return false;
  let t = colon + 1;
  let neg = false;
  if (text.charCodeAt(t) === DASH) {
    neg = true;
    t++;
  }
  let tid = 0;
  const digitsFrom = t;
  for (; t < end; t++) {
    const c = text.charCodeAt(t) - 48;
    if (c < 0 || c > 9) return false;
    tid = tid * 10 + c;
  }
  if (t === digitsFrom) return false;
  out.ann = true;
  out.key = key;
  out.tid = neg ? -tid : tid;
  out.commStart = j;
  out.commEnd = colon;
  return true;
}

/** Index after the leading quote / blank prefix (`>`, blanks, tabs). */
export function skipQuote(text: string): number {
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
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
  if (/^<\s*snip\s*>$/i.test(t) || /^\[?\s*(\.\.\.|…)\s*\]?$/.test(t) || /^\[\s*snip/i.test(t))
    return `elision marker, not a map line: "${excerpt(t)}"`;
  if (/^#/.test(t) || /^[$%]\s/.test(t) || /^[\w.@~:/-]*[$#%]\s+\S/.test(t) || /^\S*@\S*[:~]/.test(t))
    return `shell prompt or comment, not a map line: "${excerpt(t)}"`;
  if (/^\[ perf (record|report|sched)/.test(t)) return `perf status line, not a map line: "${excerpt(t)}"`;
  if (/^Script (started|done)/.test(t)) return `script(1) banner, not a map line: "${excerpt(t)}"`;
  return `not a perf sched map line (no "<sec>.<usec> secs" timestamp): "${excerpt(t)}"`;
}
