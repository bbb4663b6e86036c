// Elision marks: a line a person put into a pasted trace where they left
// events out (`[...]`, `<snip>`, `-- snip --`, `...`). The trace goes on after
// it, but what ran in between is not there: the readers tell the builder it is
// a gap (TraceBuilder.addGap), so that no run slice spans it, instead of
// skipping the line as unreadable.

import { byteString, decodeRange } from './byteLines';

/** Longest line tested: a mark stands alone on its line. */
const MAX_MARK = 48;

const MARK =
  /^\s*(?:\[\s*(?:\.{3,}|\xe2\x80\xa6|(?:snip|cut)(?:ped)?|(?:\.\.\.\s*)?(?:snip|cut)(?:ped)?(?:\s*\.\.\.)?)\s*\]|<\s*(?:\.{3,}|\xe2\x80\xa6|(?:snip|cut)(?:ped)?)\s*>|\(\s*(?:\.{3,}|\xe2\x80\xa6|(?:snip|cut)(?:ped)?)\s*\)|\.{3,}|\xe2\x80\xa6|-+\s*(?:8<\s*-+\s*)?(?:snip|cut)(?:ped)?\s*-+|-*\s*8<\s*-+)\s*$/i;

/** Whether buf[start, end) (after the line prefix: quotes, dmesg stamps) is an elision mark alone on its line. */
export function isElisionMark(buf: Uint8Array, start: number, end: number): boolean {
  return end - start <= MAX_MARK && MARK.test(byteString(buf, start, end));
}

/** The text of an elision mark's line (isElisionMark's), trimmed: what the gap table keeps to show. */
export function elisionText(buf: Uint8Array, start: number, end: number): string {
  return decodeRange(buf, start, end).trim();
}
