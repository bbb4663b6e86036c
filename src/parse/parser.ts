// The contract between the streaming driver and each format's line parser.

import type { TraceBuilder } from '../model/builder';

/** One format's parser: fed every line in order, then finish() once. */
export interface LineParser {
  /** `text` is already normalised (no CR, no ANSI escapes, no BOM); `lineNo` is 1-based. */
  line(text: string, lineNo: number): void;
  /** End of input: flush state, add end-of-trace warnings. */
  finish(): void;
}

export type LineParserFactory = (builder: TraceBuilder) => LineParser;
