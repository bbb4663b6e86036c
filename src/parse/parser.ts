// The contract between the streaming driver and each format's line parser.

import type { TraceBuilder } from '../model/builder';

/** One format's parser: fed every line in order, then finish() once. */
export interface LineParser {
  /**
   * One line as UTF-8 bytes buf[start, end) (no line end), already normalised
   * by the line splitter (no BOM, CR or ANSI escapes); `lineNo` is 1-based.
   * The bytes are valid only during the call.
   */
  line(buf: Uint8Array, start: number, end: number, lineNo: number): void;
  /** End of input: flush state, add end-of-trace warnings. */
  finish(): void;
}

export type LineParserFactory = (builder: TraceBuilder) => LineParser;
