// What two readers of one recording must agree on, as plain data that
// toEqual compares and prints: switches, wakeups and migrations at absolute
// times, tasks by tid with their comms, lost events, CPUs, states, skips.

import { PrevState, type TraceModel } from '../model/types';

/** Absolute ns of a model time, rounded to `unit` ns as report rounds (it prints µs unless -t). */
export const abs = (m: TraceModel, t: number, unit: number): string =>
  String((BigInt(m.origin.sec) * 1000000000n + BigInt(m.origin.ns) + BigInt(t) + BigInt(unit >> 1)) / BigInt(unit));

/**
 * What both readers must agree on, with tasks named by tid and comms. report
 * prints sched_switch through libtraceevent's plugin, whose state table
 * predates the kernel's preempt bit: a preempted task shows as `R`, where the
 * format's own print fmt (what the binary is read by, as perf script and raw
 * ftrace print it) says `R+`. `runnable` folds R+ into R for that comparison.
 */
export function modelView(m: TraceModel, unit = 1, runnable = false) {
  const tid = (i: number): number => m.tasks.tid[i];
  const sw = m.switches;
  const wk = m.wakeups;
  const mg = m.migrations;
  const tasks = new Map<number, string[]>();
  for (let i = 0; i < m.tasks.length; i++) tasks.set(m.tasks.tid[i], m.tasks.comms[i]);
  return {
    switches: Array.from({ length: sw.length }, (_, i) =>
      [abs(m, sw.time[i], unit), sw.cpu[i], tid(sw.prev[i]), state(sw.prevState[i], runnable), tid(sw.next[i])].join(
        ' ',
      ),
    ),
    wakeups: Array.from({ length: wk.length }, (_, i) =>
      [abs(m, wk.time[i], unit), tid(wk.task[i]), wk.cpu[i], wk.kind[i]].join(' '),
    ),
    migrations: Array.from({ length: mg.length }, (_, i) =>
      [abs(m, mg.time[i], unit), tid(mg.task[i]), mg.fromCpu[i], mg.toCpu[i]].join(' '),
    ),
    tasks: [...tasks].sort((a, b) => a[0] - b[0]),
    lost: m.lost.map((l) => `${l.cpu}:${l.count}`),
    cpus: m.cpus,
    hasStates: m.hasStates,
    skipped: m.skippedLines,
  };
}

const state = (s: number, runnable: boolean): number =>
  runnable && s === PrevState.Preempted ? PrevState.Runnable : s;
