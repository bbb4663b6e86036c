// Why a slice began when it did: the wakeup before it (its waker, the waker's
// CPU, the wakeup time and the latency to the switch-in), or, for a task that
// was preempted, how long it waited runnable. The wakeup is the run-delay
// metric's (switchPass Waits): the first of the kind used after the task left
// its previous slice (sched_wakeup_new too, for a task's first run).

import { bisectLeft } from 'd3';
import { bisectThrough } from '../model/bisectThrough';
import { isRunnableState, PrevState, SliceEnd, WAKER_CPU_UNKNOWN, WakeupKind, type TraceModel } from '../model/types';
import { wakeupKindUsed } from './switchPass';

export interface SliceWakeup {
  task: number;
  /** The slice's start (its switch-in), relative ns. */
  start: number;
  /** The CPU it was switched in on. */
  cpu: number;
  /** The task's slice before this one: when it ended and how the task left it; null for its first slice. */
  previous: { end: number; left: 'runnable' | 'blocked' | 'unknown' | 'migrated' } | null;
  /** The wakeup that ended the wait, or null (preempted, or none recorded). */
  wakeup: {
    time: number;
    kind: 'waking' | 'wakeup' | 'wakeup_new';
    /** The task that ran the wakeup, -1 where the input does not say. */
    waker: number;
    /** The CPU the wakeup ran on, null where the input does not say. */
    wakerCpu: number | null;
    /** The CPU the wakeup chose (target_cpu). */
    targetCpu: number;
  } | null;
  /** Switch-in minus wakeup, ns. */
  latency: number | null;
  /** Preempted (left runnable): switch-in minus the end of the previous slice, ns. */
  runnableWait: number | null;
}

const KIND_NAMES = ['waking', 'wakeup', 'wakeup_new'] as const;

/** Each task's rows of a table, in row order: rows[offset[t]..offset[t + 1]). */
interface ByTask {
  offset: Int32Array;
  rows: Int32Array;
}

function byTask(task: Int32Array, n: number, nTasks: number): ByTask {
  const offset = new Int32Array(nTasks + 1);
  for (let i = 0; i < n; i++) if (task[i] >= 0 && task[i] < nTasks) offset[task[i] + 1]++;
  for (let t = 0; t < nTasks; t++) offset[t + 1] += offset[t];
  const fill = offset.slice(0, nTasks);
  const rows = new Int32Array(offset[nTasks]);
  for (let i = 0; i < n; i++) if (task[i] >= 0 && task[i] < nTasks) rows[fill[task[i]]++] = i;
  return { offset, rows };
}

interface Index {
  switches: ByTask;
  /** Within each task in time order. */
  wakeups: ByTask;
  kindUsed: WakeupKind;
}

const indexes = new WeakMap<TraceModel, Index>();

function indexOf(m: TraceModel): Index {
  let ix = indexes.get(m);
  if (!ix) {
    const nTasks = m.tasks.length;
    const wakeups = byTask(m.wakeups.task, m.wakeups.length, nTasks);
    // Within a task, by time (a merged input may hold wakeups out of order).
    const wt = m.wakeups.time;
    for (let t = 0; t < nTasks; t++) {
      const part = wakeups.rows.subarray(wakeups.offset[t], wakeups.offset[t + 1]);
      for (let i = 1; i < part.length; i++)
        if (wt[part[i]] < wt[part[i - 1]]) {
          part.sort((a, b) => wt[a] - wt[b] || a - b);
          break;
        }
    }
    ix = { switches: byTask(m.switches.next, m.switches.length, nTasks), wakeups, kindUsed: wakeupKindUsed(m) };
    indexes.set(m, ix);
  }
  return ix;
}

/** How the task left slice j: the prev_state of the switch that ended it on its CPU. */
function leftState(m: TraceModel, j: number): 'runnable' | 'blocked' | 'unknown' | 'migrated' {
  const sw = m.switches;
  if (m.slices.endReason[j] === SliceEnd.Migration) return 'migrated';
  if (m.slices.endReason[j] !== SliceEnd.Switch || !m.hasStates) return 'unknown';
  const end = m.slices.end[j];
  for (let i = bisectLeft(sw.time, end); i < sw.length && sw.time[i] === end; i++) {
    if (sw.cpu[i] !== sw.cpu[j]) continue;
    if (sw.prev[i] !== sw.next[j]) return 'unknown';
    const s = sw.prevState[i];
    return s === PrevState.Unknown ? 'unknown' : isRunnableState(s) ? 'runnable' : 'blocked';
  }
  return 'unknown';
}

/** The wakeup (or runnable wait) behind the slice of `task` starting at `start`; null when it has none there. */
export function sliceWakeup(m: TraceModel, task: number, start: number): SliceWakeup | null {
  if (!(task >= 0 && task < m.tasks.length)) return null;
  const ix = indexOf(m);
  const sw = m.switches;
  const own = ix.switches.rows.subarray(ix.switches.offset[task], ix.switches.offset[task + 1]);
  // The task's switch-in at `start` (its switches are in time order).
  const lo = bisectThrough(sw.time, own, start, false);
  if (lo >= own.length || sw.time[own[lo]] !== start) return null;
  const j = own[lo];
  const prevRow = lo > 0 ? own[lo - 1] : -1;
  const previous = prevRow >= 0 ? { end: m.slices.end[prevRow], left: leftState(m, prevRow) } : null;
  const out: SliceWakeup = { task, start, cpu: sw.cpu[j], previous, wakeup: null, latency: null, runnableWait: null };
  if (previous?.left === 'runnable') {
    out.runnableWait = start - previous.end;
    return out;
  }
  if (previous?.left === 'migrated') return out;
  // The first wakeup of the kind used after it left (the last one before a first slice), at or before the switch-in.
  const wk = m.wakeups;
  const rows = ix.wakeups.rows.subarray(ix.wakeups.offset[task], ix.wakeups.offset[task + 1]);
  const after = previous ? previous.end : -Infinity;
  let pick = -1;
  for (let k = 0; k < rows.length; k++) {
    const e = rows[k];
    const t = wk.time[e];
    if (t > start) break;
    if (!(t > after) || (wk.kind[e] !== ix.kindUsed && wk.kind[e] !== WakeupKind.WakeupNew)) continue;
    pick = e;
    if (previous) break;
  }
  if (pick >= 0) {
    const wc = wk.wakerCpu[pick];
    out.wakeup = {
      time: wk.time[pick],
      kind: KIND_NAMES[wk.kind[pick]] ?? 'wakeup',
      waker: wk.waker[pick],
      wakerCpu: wc === WAKER_CPU_UNKNOWN ? null : wc,
      targetCpu: wk.cpu[pick],
    };
    out.latency = start - wk.time[pick];
  }
  return out;
}
