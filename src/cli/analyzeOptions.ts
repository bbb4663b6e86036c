// `schedmap analyze`'s options: read and checked before any file is read, and
// checked again against the traces once they are read. Every failure is one
// line for stderr and exit code 2 (OptionError).

import { seconds } from '../model/format';
import { resolveWindow } from '../analysis/window';
import { MAX_SERIES_BINS } from '../analysis/series';
import { CPU_LIMIT } from '../model/builder';
import { cpuListText, parseCpuList } from '../model/cpuList';
import type { Run } from '../model/runs';

/** A bad option: its message is the one line the CLI prints before exiting with 2. */
export class OptionError extends Error {
  override name = 'OptionError';
}

export interface AnalyzeOptions {
  seriesBinNs?: number;
  /** [a, b) in ns from the trace start. */
  range?: [number, number];
  cpus?: number[];
}

/** "0-3,8" → [0, 1, 2, 3, 8]; CPU numbers must be below Linux's largest NR_CPUS. */
export function cpusOption(s: string): number[] {
  for (const m of s.matchAll(/\d+/g))
    if (Number(m[0]) >= CPU_LIMIT)
      throw new OptionError(`--cpus: CPU ${m[0]} is past Linux's range (CPU numbers are 0-${CPU_LIMIT - 1})`);
  const cpus = parseCpuList(s);
  if (!cpus) throw new OptionError(`--cpus: "${s}" is not a list of CPU numbers and ranges (e.g. 0-3,8)`);
  return cpus;
}

/** "A:B" seconds from the trace start → [a, b) ns (analyze and report). */
export function rangeOption(s: string): [number, number] {
  const m = /^(\d+(?:\.\d*)?|\.\d+):(\d+(?:\.\d*)?|\.\d+)$/.exec(s);
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2]) : NaN;
  if (!(a >= 0) || !(b > a) || !Number.isFinite(b))
    throw new OptionError(`--range takes A:B seconds with 0 <= A < B, not "${s}"`);
  return [Math.round(a * 1e9), Math.round(b * 1e9)];
}

function seriesOption(s: string): number {
  const ms = s.trim() === '' ? NaN : Number(s);
  // Timestamps have nanoseconds at most: a bin narrower than that holds nothing.
  if (!(ms * 1e6 >= 1) || !Number.isFinite(ms))
    throw new OptionError(`--series takes a bin width in ms, at least 0.000001 (1 ns), not "${s}"`);
  return ms * 1e6;
}

/** The options as given (flags from parseArgs), checked before any work. */
export function readAnalyzeOptions(flags: ReadonlyMap<string, string | true>): AnalyzeOptions {
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    if (v === true) throw new OptionError(`${name} needs a value`);
    return v;
  };
  const series = value('--series');
  const range = value('--range');
  const cpus = value('--cpus');
  return {
    seriesBinNs: series === undefined ? undefined : seriesOption(series),
    range: range === undefined ? undefined : rangeOption(range),
    cpus: cpus === undefined ? undefined : cpusOption(cpus),
  };
}

/**
 * The options checked against the traces once they are read: a --cpus list
 * that names no CPU of a trace, a --range that starts past a trace's end or
 * ends before its first switch, and
 * --series bins past the limit are errors, said with what the trace has.
 */
export function checkAgainstRuns(runs: readonly Run[], options: AnalyzeOptions): void {
  for (const run of runs) {
    const m = run.model;
    if (options.cpus && !options.cpus.some((c) => m.cpus.includes(c)))
      throw new OptionError(
        `--cpus ${cpuListText(options.cpus)} names no CPU of ${run.name}, which has CPUs ${cpuListText(m.cpus)}`,
      );
    const last = m.switches.length > 0 ? m.switches.time[m.switches.length - 1] : 0;
    if (options.range && options.range[0] >= last)
      throw new OptionError(
        `--range starts at ${seconds(options.range[0])}, past the end of ${run.name} (its last switch is at ${seconds(last)})`,
      );
    const first = m.switches.length > 0 ? m.switches.time[0] : 0;
    if (options.range && options.range[1] <= first)
      throw new OptionError(
        `--range ends at ${seconds(options.range[1])}, before the first switch of ${run.name} (at ${seconds(first)}): nothing is known of its CPUs there`,
      );
    if (options.seriesBinNs !== undefined) {
      const { duration } = resolveWindow(m, options);
      const bins = Math.ceil(duration / options.seriesBinNs);
      if (bins > MAX_SERIES_BINS)
        throw new OptionError(
          `--series: ${bins} bins of ${options.seriesBinNs} ns over the ${seconds(duration)} of ${run.name}, more than ${MAX_SERIES_BINS}; choose wider bins`,
        );
    }
  }
}
