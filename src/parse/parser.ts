// The contract between the streaming driver and each format's line parser.

import type { TraceBuilder } from '../model/builder';

/** One format's parser: fed every line in order, then finish() once. */
export interface LineParser {
  /** `text` is already normalised (no CR, no ANSI escapes, no BOM); `lineNo` is 1-based. */
  line(text: string, lineNo: number): void;
  /**
   * Optional fast path for UTF-8 input: read the line from its bytes
   * buf[start, end) (no '\n'). Returns true when the line was taken, exactly as
   * line() would have taken its text; false, having changed nothing, to have
   * the line decoded and given to line(). Only plain lines come here: input
   * with a BOM, CR line ends or ANSI escapes is all read as text.
   */
  lineBytes?(buf: Uint8Array, start: number, end: number, lineNo: number): boolean;
  /** End of input: flush state, add end-of-trace warnings. */
  finish(): void;
}

export type LineParserFactory = (builder: TraceBuilder) => LineParser;
