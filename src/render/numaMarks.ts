// AutoNUMA's decisions as marks on the map (issue 21): each sched_move_numa, sched_swap_numa,
// sched_stick_numa and mm_migrate_pages (numa_misplaced) of the window is a small triangle at the top of its
// lane: on CPU lanes the CPU the event was recorded on, on vCPU lanes the vCPU the decision is about (events
// about other threads have no vCPU lane). One mark per lane, pixel column and kind: a burst stays readable.

import { NUMA_EVENT_KEYS, NumaEventKind, type NumaEventTable } from '../model/types';
import type { Lane } from './lanes';
import type { LaneLayout } from './layout';

/** A colour per kind, apart from the VM hues by their white edge; the legend and tooltip use the same. */
export const NUMA_MARK_COLORS: Record<NumaEventKind, string> = {
  [NumaEventKind.Move]: '#ffd32a',
  [NumaEventKind.Stick]: '#ff5e57',
  [NumaEventKind.Swap]: '#0fbcf9',
  [NumaEventKind.MigratePages]: '#ffffff',
};

export interface NumaMark {
  /** Index of the lane in the lanes drawn. */
  lane: number;
  /** Device-pixel column. */
  x: number;
  kind: NumaEventKind;
  /** Events merged into this mark (same lane, column and kind). */
  count: number;
}

/**
 * The marks of the events in [view.start, view.end) on these lanes, for a canvas `width` device pixels
 * wide. Event times are the model's (ns from the trace's origin), like the view's.
 */
export function numaMarks(
  events: NumaEventTable,
  lanes: readonly Lane[],
  view: { start: number; end: number },
  width: number,
): NumaMark[] {
  const span = view.end - view.start;
  if (events.length === 0 || !(span > 0) || width <= 0) return [];
  const laneOfCpu = new Map<number, number>();
  const laneOfTask = new Map<number, number>();
  lanes.forEach((l, i) => {
    if (l.kind === 'cpu') laneOfCpu.set(l.cpu, i);
    else if (l.task >= 0) laneOfTask.set(l.task, i);
  });
  const byKey = new Map<number, NumaMark>();
  for (let i = 0; i < events.length; i++) {
    const t = events.time[i];
    if (t < view.start || t >= view.end) continue;
    const lane = laneOfCpu.size > 0 ? laneOfCpu.get(events.cpu[i]) : laneOfTask.get(events.task[i]);
    if (lane === undefined) continue;
    const x = Math.floor(((t - view.start) / span) * width);
    const kind = events.kind[i] as NumaEventKind;
    const key = (lane * width + x) * 4 + kind;
    const m = byKey.get(key);
    if (m) m.count++;
    else byKey.set(key, { lane, x, kind, count: 1 });
  }
  return [...byKey.values()];
}

/** Events of each kind among the marks (indexed by NumaEventKind), for the legend's counts. */
export function numaCountsByKind(marks: readonly NumaMark[]): number[] {
  const counts = NUMA_EVENT_KEYS.map(() => 0);
  for (const m of marks) counts[m.kind] += m.count;
  return counts;
}

/** Each mark as a triangle hanging from its lane's top edge, pointing down at its time, white-edged. */
export function drawNumaMarks(ctx: CanvasRenderingContext2D, layout: LaneLayout, marks: readonly NumaMark[]): void {
  if (marks.length === 0) return;
  const { dpr } = layout;
  ctx.save();
  ctx.lineWidth = Math.max(1, Math.round(dpr));
  ctx.strokeStyle = 'rgba(8, 10, 14, 0.9)';
  for (const m of marks) {
    const y = layout.top[m.lane];
    const h = layout.laneHeight[m.lane];
    if (y + h <= 0 || y >= layout.height) continue;
    // At most 8 CSS px, at least 3, and no taller than the lane.
    const size = Math.max(3 * dpr, Math.min(8 * dpr, h * 0.6));
    const x = m.x + 0.5;
    ctx.beginPath();
    ctx.moveTo(x - size / 2, y);
    ctx.lineTo(x + size / 2, y);
    ctx.lineTo(x, y + size);
    ctx.closePath();
    ctx.fillStyle = NUMA_MARK_COLORS[m.kind];
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}
