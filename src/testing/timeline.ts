// A run from a timeline drawn as text, so a test's diagram is its input (the
// way Firefox Profiler's tests build profiles from text samples):
//
//   cpu0 |a0-----------------|h|S:a1-----------------------------------|S:a0-----------------|S:
//   cpu1 |b0-----------------------------------------------------------------------------|S:
//
// One row per CPU (`cpuN`), one column per `unit` of time, aligned across rows (column 0 is the leftmost
// `|` of any row). A `|` is a switch at its column's time to the task named right after it (nothing named:
// the idle task); `S:` (or R:, R+:, D:) before the name is the state the task switched out there left in
// (default R). Names: a letter and a number (`a0`) are vCPU `CPU 0/KVM` of VM A, tid 10 + 10 × (letter
// index) + number; any other name is a host task (tid 30, 31, … in order of first appearance; its comm
// the name, or `comms[name]`; `tids[name]` gives any task another tid). So `h2` is a vCPU of VM H, not a
// host task: name host tasks with no digit after one letter (`h`, `kw`, `=cmd`). Two names that would get
// one tid (`c0` is tid 30, as the first host task; `a10` is tid 20, as `b0`) throw instead of becoming one
// task, and so does a one-letter host task drawn beside vCPUs of that letter (`h` and `h2`). `others[letter]` names host tasks
// that belong to that VM as its other threads (QEMU's main thread). With `states: false` the run is what
// `perf sched map` gives: no prev task or state (prev -1, state unknown; S:-style marks are not allowed then).
//
// A row `wakeN` holds wakeups of tasks onto CPU N, each a `^` at its column's time and the task named right
// after it: `^a0` is a sched_waking, `^u:a0` a sched_wakeup, `^n:a0` a sched_wakeup_new (several rows may
// wake onto one CPU, for wakeups closer together than their marks are wide). `tasks` names tasks that are
// made before any switch, drawn or not (a vCPU that never runs is still its VM's).

import { PrevState, WakeupKind, type TraceModel } from '../model/types';
import type { Run } from '../model/runs';
import { builder, makeRun } from './runs';

const STATES: Record<string, PrevState> = {
  R: PrevState.Runnable,
  'R+': PrevState.Preempted,
  S: PrevState.Sleeping,
  D: PrevState.Uninterruptible,
};

const WAKEUPS: Record<string, WakeupKind> = { '': WakeupKind.Waking, 'u:': WakeupKind.Wakeup, 'n:': WakeupKind.WakeupNew };

export interface TimelineRun {
  run: Run;
  model: TraceModel;
  /** Task index by name as drawn. */
  task: Record<string, number>;
}

export function runFromTimeline(
  text: string,
  opts: {
    unit: number;
    comms?: Record<string, string>;
    vmNames?: Record<string, string>;
    tids?: Record<string, number>;
    others?: Record<string, string[]>;
    states?: boolean;
    tasks?: string[];
  },
): TimelineRun {
  const rowsOf = (label: string): { cpu: number; line: string }[] =>
    text
      .split('\n')
      .map((line) => {
        const m = new RegExp(`^\\s*${label}(\\d+)\\s`).exec(line);
        return m && { cpu: Number(m[1]), line };
      })
      .filter((r): r is { cpu: number; line: string } => r !== null);
  const rows = rowsOf('cpu');
  const origin = Math.min(...rows.map((r) => r.line.indexOf('|')).filter((i) => i >= 0));
  const switches: { t: number; cpu: number; order: number; state: PrevState; next: string }[] = [];
  rows.forEach(({ cpu, line }, order) => {
    const re = /\|(?:(R\+|R|S|D):)?([A-Za-z0-9_=/.]*)/g;
    for (let m; (m = re.exec(line)); ) {
      const t = (m.index - origin) * opts.unit;
      switches.push({ t, cpu, order, state: STATES[m[1] ?? 'R'], next: m[2] });
    }
  });
  switches.sort((a, b) => a.t - b.t || a.order - b.order);
  const states = opts.states ?? true;
  if (!states && /\|(R\+|R|S|D):/.test(text)) throw new Error('a state mark in a timeline drawn with states: false');
  const b = states ? builder() : builder('perf-sched-map', false);
  const task: Record<string, number> = {};
  const vcpus = new Map<string, number[]>();
  let hosts = 0;
  const nameOfTid = new Map<number, string>();
  const taskOf = (name: string): number => {
    if (name === '') return 0;
    if (task[name] !== undefined) return task[name];
    const v = /^([a-z])(\d+)$/.exec(name);
    const tid = opts.tids?.[name] ?? (v ? 10 + 10 * (v[1].charCodeAt(0) - 97) + Number(v[2]) : 30 + hosts++);
    const other = nameOfTid.get(tid);
    if (other !== undefined) throw new Error(`${other} and ${name} would both be tid ${tid}: give one another tid (tids)`);
    nameOfTid.set(tid, name);
    const id = v ? b.task(tid, `CPU ${v[2]}/KVM`, 0) : b.task(tid, opts.comms?.[name] ?? name, 0);
    task[name] = id;
    if (v) vcpus.set(v[1], [...(vcpus.get(v[1]) ?? []), id]);
    return id;
  };
  for (const name of opts.tasks ?? []) taskOf(name);
  const running = new Map<number, number>();
  for (const s of switches) {
    const next = taskOf(s.next);
    if (states) b.addSwitch(s.t, s.cpu, running.get(s.cpu) ?? 0, s.state, next);
    else b.addSwitch(s.t, s.cpu, -1, PrevState.Unknown, next);
    running.set(s.cpu, next);
  }
  const wakeups: { t: number; cpu: number; kind: WakeupKind; task: string }[] = [];
  for (const { cpu, line } of rowsOf('wake'))
    for (let m, re = /\^(u:|n:)?([A-Za-z0-9_=/.]+)/g; (m = re.exec(line)); )
      wakeups.push({ t: (m.index - origin) * opts.unit, cpu, kind: WAKEUPS[m[1] ?? ''], task: m[2] });
  wakeups.sort((x, y) => x.t - y.t);
  for (const w of wakeups) b.addWakeup(w.t, taskOf(w.task), w.cpu, w.kind);
  for (const name of Object.keys(task))
    if (/^[a-z]$/.test(name) && vcpus.has(name))
      throw new Error(`host task ${name} beside vCPUs of VM ${name.toUpperCase()}: a letter and a number is a vCPU`);
  const model = b.finish();
  const drawnTask = (name: string): number => {
    if (task[name] === undefined) throw new Error(`${name} is not drawn`);
    return task[name];
  };
  const vms = [...vcpus.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([letter, ids]) => ({
      name: opts.vmNames?.[letter] ?? letter.toUpperCase(),
      vcpus: [...ids].sort((p, q) => model.tasks.tid[p] - model.tasks.tid[q]),
      ...(opts.others?.[letter] ? { others: opts.others[letter].map(drawnTask) } : {}),
    }));
  return { run: makeRun(model, vms), model, task };
}
