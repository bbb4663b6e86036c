// The kinds of what a reader reports about its input. Every warning, skipped
// line and lost-event note the builder records has one kind, and the model's
// warningSummary holds one entry per kind present (count, first lines), so a
// file with thousands of the same problem says so in one line, while the
// per-line entries (the first 100 warnings) stay as they were.
//
// How a parser adds a kind:
//   1. add it to WARNING_KINDS below, with one sentence on what it means (the
//      README's table "Warning kinds" holds the same sentence, and which metrics
//      it can bias: add a row there);
//   2. say which metrics it can bias in src/analysis/warningBias.ts (its test
//      checks that every kind has an entry and every metric key exists);
//   3. report it: `builder.warn(line, message, 'the-kind')` for a message per
//      occurrence (the first 100 messages are kept), or
//      `builder.tally('the-kind', line, n)` to count occurrences without a
//      message each (then one `warn` in the parser's finish() says what they
//      were), or `builder.warn(line, message, 'the-kind', n)` for one message
//      that stands for n occurrences.
// skip() is kind 'skipped-line', ambiguous() 'ambiguous', addLost() 'lost-events'
// unless told otherwise.

export const WARNING_KINDS = {
  'lost-events':
    'the tracer says it dropped events: `[LOST n EVENTS]`, `INFO: n lost events`, timehist `lost N events`, perf.data LOST / LOST_SAMPLES records, trace.dat missed events',
  'lost-switch-in':
    'a switch whose switched-out task is not the task the trace has running on that CPU: the switch that put it there is missing',
  'double-running':
    'a task switched in on one CPU while the trace still has it running on another: its switch-out there is missing',
  'unordered-time': 'timestamps step backwards in the input (merged or unsorted text): the events were sorted by time',
  'time-outlier': 'a switch whose timestamp lies far from all its neighbours (a damaged stamp): skipped',
  'skipped-line': 'a line (or record) that could not be read: skipped, the rest of the input kept',
  ambiguous: 'a line whose reading rests on a guess (the guess is in its message)',
  'other-tracer':
    'lines of another tracer mixed in (syscall tracer `sys_ioctl(...)`, function tracer `func <-parent`): not read, counted by name in ignoredEvents',
  'near-miss-event': 'an event name one character off one SchedMap reads: a damaged line?',
  'wrapped-line': 'rows broken in two by a mailer or a terminal, rejoined',
  'truncated-input':
    'the input ends inside a line, a record or a compressed stream: the end of the trace may be missing',
  'elided-gap':
    'a mark where the paste leaves events out (`[...]`, `<snip>`, `-- snip --`): the trace has a gap there; no run slice spans it, each CPU starts again after it',
  'inferred-switch':
    "switches the reader inferred, not in the file (timehist: from a run time, after filtered tasks or a gap, or before a CPU's first line)",
  note: 'anything else the reader says about the input (a variant it read, a field it lacks, a placeholder task)',
} as const;

export type WarningKind = keyof typeof WARNING_KINDS;

export const WARNING_KIND_NAMES = Object.keys(WARNING_KINDS) as WarningKind[];

/** Line numbers kept per kind in warningSummary. */
export const FIRST_LINES_KEPT = 5;
