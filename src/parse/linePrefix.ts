// The line-prefix stage between the line splitter and the parsers of perf
// script, ftrace / trace-cmd and timehist text: what a paste puts in front of a
// trace line is stepped over, on bytes, before the line's own shape is read.
//   - mail quotes: `> `, `>> `, `> > ` (any depth, mixed within one file);
//   - a dmesg / console prefix: `[ 1234.567890] ` (ftrace_dump_on_oops and
//     trace_printk dumps), behind the quotes or alone.
// The map reader keeps its own quote handling (its columns are judged per
// pasted block), so this stage is not applied to maps.

import { DOT, GT, LBRACKET, RBRACKET, SPACE, TAB } from './charCodes';
import { isDigit } from './cursor';

const isBlank = (c: number): boolean => c === SPACE || c === TAB;

/** Where the trace line inside buf[start, end) begins: after its quote marks and dmesg stamp. */
export function contentStart(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  // Quotes: `>` marks with blanks between them; then the one blank the mailer put after the last.
  if (i < end && buf[i] === GT) {
    let k = i;
    while (k < end && (buf[k] === GT || isBlank(buf[k]))) {
      if (buf[k] === GT) i = k + 1;
      k++;
    }
    if (i < end && isBlank(buf[i])) i++;
  }
  if (i < end && buf[i] === LBRACKET) return dmesgEnd(buf, i, end);
  return i;
}

/** After a `[ sec.usec] ` stamp at i (and one blank), or i itself when there is none. */
function dmesgEnd(buf: Uint8Array, i: number, end: number): number {
  let k = i + 1;
  while (k < end && buf[k] === SPACE) k++;
  const intStart = k;
  while (k < end && isDigit(buf[k])) k++;
  if (k === intStart || buf[k] !== DOT) return i;
  const fracStart = ++k;
  while (k < end && isDigit(buf[k])) k++;
  if (k === fracStart || buf[k] !== RBRACKET) return i;
  k++;
  return k < end && isBlank(buf[k]) ? k + 1 : k;
}
