// The header counts of a run in its analysed window (`--range`, `--cpus`):
// switches, tasks switched in, wakeups, migrations and kvm exits there; null
// where the input's format cannot carry the event (a perf sched map has no
// wakeup, migrate or kvm events; a timehist no kvm events), so "0" is never
// written for what the input could not show.

import type { TraceFormat, TraceModel } from '../model/types';
import type { TraceSummary } from './summary';
import { resolveWindow, type AnalysisOptions } from './window';

export interface WindowEvents {
  switches: number;
  tasks: number;
  wakeups: number | null;
  migrations: number | null;
  kvmExits: number | null;
}

/** The events a format cannot carry at all. */
const ABSENT: Record<TraceFormat, readonly ('wakeups' | 'migrations' | 'kvmExits')[]> = {
  'perf-sched-map': ['wakeups', 'migrations', 'kvmExits'],
  'perf-sched-timehist': ['kvmExits'],
  'perf-script': [],
  ftrace: [],
};

export function formatCannotShow(format: TraceFormat): readonly ('wakeups' | 'migrations' | 'kvmExits')[] {
  return ABSENT[format];
}

export function windowEvents(model: TraceModel, options: AnalysisOptions = {}): WindowEvents {
  const w = resolveWindow(model, options);
  // As the metrics count events (window.ts); without a range or a CPU list, every event of the trace.
  const inWindow = options.range ? (t: number) => t >= w.start && t < w.eventEnd && t <= w.t1 : () => true;
  const onCpu = options.cpus ? (c: number) => w.cpuMask[c] === 1 : () => true;
  const { switches: sw, wakeups: wk, migrations: mg, kvmExits: kx, tasks } = model;
  let switches = 0;
  const seen = new Uint8Array(tasks.length);
  let taskCount = 0;
  // The input's switches: the reader's inferred ones (ascending rows) are not counted, their tasks are.
  const inferred = model.inferredSwitchRows;
  let k = 0;
  for (let i = 0; i < sw.length; i++) {
    if (!inWindow(sw.time[i]) || !onCpu(sw.cpu[i])) continue;
    while (k < inferred.length && inferred[k] < i) k++;
    if (k >= inferred.length || inferred[k] !== i) switches++;
    const t = sw.next[i];
    if (seen[t] === 0 && tasks.tid[t] > 0) {
      seen[t] = 1;
      taskCount++;
    }
  }
  const count = (n: number, time: Float64Array, cpu: ArrayLike<number>) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (inWindow(time[i]) && onCpu(cpu[i])) k++;
    return k;
  };
  const absent = ABSENT[model.format];
  return {
    switches,
    tasks: taskCount,
    wakeups: absent.includes('wakeups') ? null : count(wk.length, wk.time, wk.cpu),
    migrations: absent.includes('migrations') ? null : count(mg.length, mg.time, mg.toCpu),
    kvmExits: absent.includes('kvmExits') ? null : count(kx.length, kx.time, kx.cpu),
  };
}

/**
 * windowEvents without a range or a CPU list, from the run's summary: the window is the whole trace, so its
 * counts are the summary's (the same switches, tasks switched in and event tables), without another pass
 * over the switches.
 */
export function wholeTraceEvents(
  summary: Pick<TraceSummary, 'format' | 'switches' | 'tasks' | 'wakeups' | 'migrations' | 'kvmExits'>,
): WindowEvents {
  const absent = ABSENT[summary.format];
  return {
    switches: summary.switches,
    tasks: summary.tasks,
    wakeups: absent.includes('wakeups') ? null : summary.wakeups,
    migrations: absent.includes('migrations') ? null : summary.migrations,
    kvmExits: absent.includes('kvmExits') ? null : summary.kvmExits,
  };
}
