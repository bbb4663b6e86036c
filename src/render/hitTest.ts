// What is under a pixel: the interval drawn there (the one of the pixel's
// dominant value that covers most of the pixel), the task and VM behind it,
// and how many other intervals share the pixel. Returns plain data; the UI
// renders it as text (task names are untrusted and never become HTML).

import { LEFT_STATE_NONE } from '../model/cpuSlices';
import type { DrawnRun, ModelHead } from '../model/drawnRun';
import { PREV_STATE_LABELS, SliceEnd, TaskKind } from '../model/types';
import type { Lane } from './lanes';
import { laneTrack } from './lanes';
import { lostIn, type LostRegion } from './lost';
import { gapsIn } from './gapBands';
import {
  countTouching,
  endOf,
  firstEndAfter,
  rowOf,
  sliceOf,
  startOf,
  type SliceIndex,
  type Track,
} from './sliceIndex';
import { classOfDrawn, type ValueClasses } from './pixelClasses';
import type { TaskVms } from './taskVms';
import { stateOfValue, V_UNKNOWN, type LaneState } from './values';

export interface HitTask {
  task: number;
  /** -1 where the input gives no thread id. */
  tid: number;
  /** The task's comm at the time of the hit (threads get renamed). Untrusted text. */
  comm: string;
  isIdle: boolean;
  /** Index of the task's VM in run.vms (for Emphasis.vm), or null for host tasks. */
  vm: number | null;
  vmName: string | null;
  /** vCPU index (`CPU k/KVM`) when the task is a vCPU thread. */
  vcpuIndex: number | null;
}

export interface HitResult {
  lane: number;
  laneKey: string;
  /** The pixel's time range [pixelStart, pixelEnd). */
  pixelStart: number;
  pixelEnd: number;
  state: LaneState;
  /** The slice shown (its row in the drawn slices; on a vCPU lane off-CPU: its last slice); -1 if none. */
  slice: number;
  /** CPU lane: the task that ran. vCPU lane: the vCPU thread. Null on an unknown CPU-lane pixel. */
  task: HitTask | null;
  /** The CPU of the slice (vCPU lane off-CPU: the CPU it last ran on), or the lane's CPU. */
  cpu: number | null;
  /** The interval shown: a slice, a state, or the unknown gap (NaN ends where unbounded). */
  start: number;
  end: number;
  length: number;
  endReason: 'switch' | 'migration' | 'trace-end' | null;
  /** State the task left the CPU in at the end of the slice (R, R+, S, D, …), when the trace says. */
  leftState: string | null;
  /** vCPU lane off-CPU: the task switched in when the vCPU left the CPU. */
  switchedInInstead: HitTask | null;
  /** Intervals touching this pixel, and how many besides the one shown. */
  touching: number;
  others: number;
  /** Why nothing is known here (unknown state). */
  unknownReason: string | null;
  /** Lost-event regions under the pixel. */
  lost: LostRegion[];
  /** Rows of the model's gap table (where the pasted text was cut) under the pixel: every lane's. */
  gaps: number[];
  /**
   * A CPU-lane pixel no thread covers half of is painted for a class (pixelClasses.ts): 'vm' (the
   * VM's colour: its threads together cover half), 'host' (the host's tasks) or 'mixed'; else null.
   */
  drawnAs: 'vm' | 'host' | 'mixed' | null;
}

export interface HitContext {
  index: SliceIndex;
  run: Pick<DrawnRun, 'model' | 'vms'>;
  taskVms: TaskVms;
  lanes: readonly Lane[];
  lost?: readonly LostRegion[];
  /** The classes of CPU lanes' values (pixelClasses.ts), to read a pixel drawn in a VM's colour. */
  classes?: ValueClasses;
}

/** Intervals read at most per hit (a fully zoomed-out pixel of a huge trace). */
const MAX_SCAN = 200_000;

type CommSource = Pick<ModelHead, 'commChanges' | 'tasks'>;

const commIndex = new WeakMap<CommSource, Map<number, { time: number; comm: string }[]>>();

/** A task's comm at a time: the last comm change at or before it, else its first comm. */
export function commAt(model: CommSource, task: number, time: number): string {
  let byTask = commIndex.get(model);
  if (!byTask) {
    byTask = new Map();
    for (const c of model.commChanges) {
      const list = byTask.get(c.task) ?? [];
      list.push({ time: c.time, comm: c.comm });
      byTask.set(c.task, list);
    }
    for (const list of byTask.values()) list.sort((a, b) => a.time - b.time);
    commIndex.set(model, byTask);
  }
  const list = byTask.get(task);
  let comm: string | undefined;
  if (list) for (const c of list) if (c.time <= time) comm = c.comm;
  if (comm === undefined) comm = list?.[0]?.comm ?? model.tasks.comms[task]?.[0] ?? '';
  return comm;
}

export function describeTask(ctx: HitContext, task: number, time: number): HitTask {
  const m = ctx.run.model;
  const vm = ctx.taskVms.vm[task];
  const vi = ctx.taskVms.vcpuIndex[task];
  return {
    task,
    tid: m.tasks.tid[task],
    comm: commAt(m, task, time),
    isIdle: m.tasks.kind[task] === TaskKind.Idle,
    vm: vm >= 0 ? vm : null,
    vmName: vm >= 0 ? ctx.run.vms[vm].name : null,
    vcpuIndex: vi >= 0 ? vi : null,
  };
}

const END_REASON = ['switch', 'migration', 'trace-end'] as const;

/**
 * The hit at pixel column x of a lane, for the window [t0, t1) over `width` columns. `drawnValue` (the
 * LOD value drawn there) makes the answer match the colour on screen when the lane was drawn from the
 * pyramid; without it the pixel's exact dominant value is used.
 */
export function hitTest(
  ctx: HitContext,
  lane: number,
  x: number,
  t0: number,
  t1: number,
  width: number,
  drawnValue?: number,
): HitResult | null {
  if (lane < 0 || lane >= ctx.lanes.length || !(x >= 0 && x < width) || !(t1 > t0)) return null;
  const L = ctx.lanes[lane];
  const track = laneTrack(ctx.index, L);
  const px = Math.floor(x);
  const a = t0 + ((t1 - t0) * px) / width;
  const b = px + 1 === width ? t1 : t0 + ((t1 - t0) * (px + 1)) / width;

  // Coverage per value in the pixel, in order of first appearance, with each value's widest interval.
  const byValue = new Map<number, { cov: number; k: number; overlap: number }>();
  let known = 0;
  let firstTouch = -1;
  let k = firstEndAfter(track, a);
  while (k > 0 && startOf(track, k - 1) >= a && endOf(track, k - 1) === startOf(track, k - 1)) k--;
  for (let scanned = 0; k < track.n && scanned < MAX_SCAN; k++, scanned++) {
    const s = startOf(track, k);
    if (s >= b) break;
    if (firstTouch < 0) firstTouch = k;
    const e = endOf(track, k);
    const overlap = Math.max(0, Math.min(e, b) - Math.max(s, a));
    const v = track.value[rowOf(track, k)];
    const entry = byValue.get(v);
    if (!entry) byValue.set(v, { cov: overlap, k, overlap });
    else {
      entry.cov += overlap;
      if (overlap > entry.overlap) {
        entry.k = k;
        entry.overlap = overlap;
      }
    }
    known += overlap;
  }
  let best = V_UNKNOWN;
  let bestCov = 0;
  for (const [v, e] of byValue)
    if (e.cov > bestCov) {
      best = v;
      bestCov = e.cov;
    }
  if (b - a - known > bestCov) best = V_UNKNOWN;
  let drawnAs: HitResult['drawnAs'] = null;
  if (drawnValue !== undefined && (drawnValue === V_UNKNOWN || byValue.has(drawnValue))) best = drawnValue;
  else if (drawnValue !== undefined && ctx.classes && L.kind === 'cpu') {
    // Drawn in a class's colour (a VM's): the slice shown is of that class's thread covering most of it.
    const drawn = classOfDrawn(ctx.classes, drawnValue);
    if (drawn.kind === 'mixed') drawnAs = 'mixed';
    if (drawn.kind === 'class') {
      drawnAs = drawn.g < ctx.run.vms.length ? 'vm' : 'host';
      let classCov = 0;
      for (const [v, e] of byValue)
        if (v >= 0 && ctx.classes.ofValue[v] === drawn.g && e.cov > classCov) {
          best = v;
          classCov = e.cov;
        }
    }
  }
  // A pixel of zero-length slices only: show the first.
  if (best === V_UNKNOWN && bestCov === 0 && known === 0 && firstTouch >= 0 && drawnValue === undefined)
    best = track.value[rowOf(track, firstTouch)];

  const touching = countTouching(track, a, b);
  const lost = ctx.lost ? lostIn(ctx.lost, a, b, L.kind === 'cpu' ? L.cpu : null) : [];
  const base = {
    lane,
    laneKey: L.key,
    pixelStart: a,
    pixelEnd: b,
    touching,
    lost,
    gaps: gapsIn(ctx.run.model.gaps, a, b),
    drawnAs,
  };
  if (best === V_UNKNOWN) {
    return {
      ...base,
      ...unknownGap(ctx, L, track, a, b),
      state: 'unknown',
      slice: -1,
      leftState: null,
      switchedInInstead: null,
      endReason: null,
      others: touching,
    };
  }
  const kk = (byValue.get(best) as { k: number }).k;
  return { ...base, ...describeInterval(ctx, L, track, kk, best), others: Math.max(0, touching - 1) };
}

function describeInterval(
  ctx: HitContext,
  L: Lane,
  track: Track,
  k: number,
  value: number,
): Omit<HitResult, 'lane' | 'laneKey' | 'pixelStart' | 'pixelEnd' | 'touching' | 'others' | 'lost' | 'gaps' | 'drawnAs'> {
  const rows = ctx.index.slices;
  const slice = sliceOf(track, k);
  const start = startOf(track, k);
  const end = endOf(track, k);
  const state = stateOfValue(value);
  const next = slice >= 0 && rows.endReason[slice] === SliceEnd.Switch ? ctx.index.nextSwitchOnCpu(slice) : -1;
  const left = slice >= 0 ? rows.leftState[slice] : LEFT_STATE_NONE;
  const leftState = left !== LEFT_STATE_NONE ? (PREV_STATE_LABELS[left] ?? null) : null;
  if (L.kind === 'cpu') {
    return {
      state,
      slice,
      task: describeTask(ctx, value, start),
      cpu: L.cpu,
      start,
      end,
      length: end - start,
      endReason: END_REASON[rows.endReason[slice]] ?? null,
      leftState,
      switchedInInstead: null,
      unknownReason: null,
    };
  }
  const running = state === 'slice';
  return {
    state,
    slice,
    task: describeTask(ctx, L.task, start),
    cpu: running ? value : slice >= 0 ? ctx.index.cpuOf(slice) : null,
    start,
    end,
    length: end - start,
    endReason: running ? (END_REASON[rows.endReason[slice]] ?? null) : null,
    leftState,
    switchedInInstead: !running && next >= 0 ? describeTask(ctx, rows.value[next], rows.start[next]) : null,
    unknownReason: null,
  };
}

/** The unknown gap around [a, b) and why it is unknown. */
function unknownGap(
  ctx: HitContext,
  L: Lane,
  track: Track,
  a: number,
  b: number,
): Pick<HitResult, 'task' | 'cpu' | 'start' | 'end' | 'length' | 'unknownReason'> {
  const { t0, t1 } = ctx.index;
  // Last interval ending at or before the pixel's middle, first starting after it.
  const mid = (a + b) / 2;
  const after = firstEndAfter(track, mid);
  const prev = after - 1;
  const gapStart = prev >= 0 ? endOf(track, prev) : NaN;
  const gapEnd = after < track.n ? startOf(track, after) : NaN;
  const task = L.kind === 'vcpu' && L.task >= 0 ? describeTask(ctx, L.task, mid) : null;
  const cpu = L.kind === 'cpu' ? L.cpu : null;
  let reason: string;
  if (mid < t0 || mid >= t1 || ctx.run.model.switchCount === 0) reason = 'outside the trace';
  else if (L.kind === 'vcpu' && L.task < 0) reason = 'this vCPU thread never appears in the trace';
  else if (prev < 0)
    reason =
      L.kind === 'cpu' ? `before CPU ${L.cpu}'s first switch in the trace` : 'before this vCPU first ran in the trace';
  else {
    const slice = sliceOf(track, prev);
    const rows = ctx.index.slices;
    if (slice >= 0 && rows.endReason[slice] === SliceEnd.Migration) {
      const who = describeTask(ctx, rows.value[slice], gapStart);
      reason =
        L.kind === 'cpu'
          ? `${who.comm} (tid ${who.tid}) was switched in on another CPU; what CPU ${L.cpu} ran until its next switch is not in the trace`
          : 'its last slice ended by a switch-in elsewhere the trace does not explain';
    } else if (after >= track.n)
      reason = L.kind === 'cpu' ? `after CPU ${L.cpu}'s last switch` : 'after its last slice';
    else if (gapsIn(ctx.run.model.gaps, mid, mid + 1).length > 0)
      reason = 'the pasted text was cut here: its events are not in the trace';
    else reason = 'no event in the trace says what ran here';
  }
  return {
    task,
    cpu,
    start: gapStart,
    end: gapEnd,
    length: gapEnd - gapStart,
    unknownReason: reason,
  };
}
