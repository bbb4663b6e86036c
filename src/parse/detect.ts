// Format sniffing on the first non-empty lines of an input (shared/docs/
// trace-formats.md §0): each line votes for the format its shape belongs to;
// the format with most votes wins. Unknown lines vote for nothing.

import type { TraceFormat } from '../model/types';
import { lscpuProblem, unreadableTopology } from './topology';

export const SNIFF_LINES = 200;

export interface Detected {
  format: TraceFormat;
  /** ftrace vs trace-cmd report, perf sched map vs --compact ... */
  detail: string;
}

const MAP_LINE = /^[> \t]*[ *A-Z0-9.-]*?\s(\d+\.\d{6}) secs( |$)/;
const MAP_CELLS_ONLY = /^[> \t]*(?:[ *][A-Z0-9.-][A-Z0-9. ] ?)+$/;
const PERF_SCRIPT_LINE = /\s\[\d{3,}\]\s+\d+\.\d{6,9}:\s+(?:\d+\s+)?[\w-]+:[\w-]+:/;
const FTRACE_LINE = /-\d+\s+(?:\(\s*[\d-]+\)\s+)?\[\d{3,}\]\s+(?:\S{4,5}\s+)?\d+\.\d+:\s+\w+:/;
const TIMEHIST_LINE = /^\s*\d+\.\d{6,9}\s+\[\d{4,}\]\s+\S/;
const TIMEHIST_HEADER = /^\s*time\s+cpu\s+task name/;
const FTRACE_HEADER = /^# tracer:/;
const TRACECMD_HEADER = /^cpus=\d+\s*$/;
/** The latency format (options/latency-format, console dumps) and `trace-cmd report -l`: cpu glued to the flags. */
/** The context-switch tracer (2.6.2x sched_switch, wakeup tracers): `pid:prio:S ==> ...` or `+` after the time, no event name. */
const CTX_LINE = /-\d+\s+(?:\[\d{2,}\]|\d+\S{4,7})\s+(?:\d+\.\d+|\d+us[+!#*@$ ]?):\s+\d+:\s*\d+:\S\s+(?:==>|\+)/;
const LATENCY_LINE = /-\d+\s+\d+[^\s\d]\S{3,7}\s+(?:\d+us[+!#*@$ ]?|\d+\.\d+):\s+\w+:/;

export function detectFormat(lines: readonly string[]): Detected | null {
  let map = 0;
  let mapCompact = 0;
  let script = 0;
  let ftrace = 0;
  let timehist = 0;
  let tracecmd = false;
  let ftraceHeader = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (TRACECMD_HEADER.test(line)) tracecmd = true;
    else if (FTRACE_HEADER.test(line)) ftraceHeader = true;
    else if (TIMEHIST_HEADER.test(line)) timehist += 5;
    else if (CTX_LINE.test(line)) ftrace++;
    else if (MAP_LINE.test(line)) {
      map++;
      if (/ \(CPU \d+\)\s*$/.test(line)) mapCompact++;
    } else if (PERF_SCRIPT_LINE.test(line)) script++;
    else if (FTRACE_LINE.test(line) || LATENCY_LINE.test(line)) ftrace++;
    else if (TIMEHIST_LINE.test(line)) timehist++;
    else if (MAP_CELLS_ONLY.test(line) && line.includes('*')) map += 0.5;
  }
  if (tracecmd || ftraceHeader) ftrace += 3;
  const best = Math.max(map, script, ftrace, timehist);
  if (best < 1) return null;
  if (best === map)
    return { format: 'perf-sched-map', detail: mapCompact > 0 ? 'perf sched map --compact' : 'perf sched map' };
  if (best === script) return { format: 'perf-script', detail: 'perf script' };
  if (best === ftrace) return { format: 'ftrace', detail: tracecmd ? 'trace-cmd report' : 'ftrace' };
  return { format: 'perf-sched-timehist', detail: 'perf sched timehist' };
}

/**
 * Explain an input that is text but no trace SchedMap reads: what it looks
 * like, and what to run instead.
 */
export function describeUnrecognized(lines: readonly string[]): string {
  const text = lines.filter((l) => l.trim() !== '');
  if (text.length === 0)
    return 'The file is empty (no text lines). Record a trace with `perf sched record` and drop `perf sched map` or `perf script` output.';
  if (text.some((l) => /^\s*sched_switch: /.test(l)))
    return 'This ftrace output was recorded with options/context-info off: lines carry no CPU or timestamp. Turn it on (`echo 1 > options/context-info`) and record again.';
  if (text.some((l) => /^\s*\d+ \d+ \d+ type: \d+/.test(l)))
    return 'This is ftrace raw output (options/raw=1): turn options/raw off and record again.';
  const first = text[0].trim();
  if (/^<(!doctype|html)/i.test(first))
    return 'This is an HTML page, not a trace. Save the trace text itself (e.g. `perf sched map > map.txt`).';
  if (/^[{[]/.test(first))
    return 'This looks like JSON, not a scheduler trace text. SchedMap reads `perf sched map`, `perf script`, ftrace / trace-cmd report and `perf sched timehist` text.';
  if (/^\s*(CPU|#\s*CPU)\s*[,:]/i.test(first) || /^# The following is the parsable format/.test(first))
    return unreadableTopology(lscpuProblem(lines));
  return `No scheduler trace found in the first ${text.length} lines (first line: "${truncate(first, 80)}"). SchedMap reads \`perf sched map\`, \`perf script\` (sched:sched_switch …), ftrace / \`trace-cmd report\` and \`perf sched timehist\` text, plain or gzipped, and perf.data and trace.dat recordings themselves.`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
