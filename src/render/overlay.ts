// The light layers above the map, so hovering never redraws the map:
//  - the emphasis mask (one ImageData pass, only when the emphasis changes):
//    dims everything but a hovered VM (its hovered vCPU not at all, its other
//    threads a little), covers hidden VMs and host tasks with the background;
//  - vector marks (cheap, every pointer move): cursor line, selection range,
//    hovered-slice outline, pinned-task marks.
// The UI stacks canvases: map, mask, marks (or mask and marks on one canvas:
// drawMask then drawMarks).

import { TaskKind } from '../model/types';
import { frameImage, pixelsOf, type Ctx2D } from './canvas';
import { packCss, type RunColors } from './colors';
import type { LaneLayout } from './layout';
import type { Lane } from './lanes';
import type { LodResult } from './lod';
import { firstEndAfter, firstStartAtOrAfter, type SliceIndex } from './sliceIndex';
import { timeToX } from './mapRenderer';
import { VALUE_OFFSET } from './values';

export interface Emphasis {
  /** VM index (into run.vms) under the pointer or picked in the legend: everything else dims. */
  vm?: number | null;
  /** A vCPU task of that VM: shown undimmed while the VM's other vCPUs dim a little. */
  task?: number | null;
  /** VM indices whose threads are hidden (covered with the background). */
  hiddenVms?: ReadonlySet<number>;
  /** Hide host tasks (not idle, not VM threads). */
  hideHostTasks?: boolean;
}

export const DIM_OTHERS = 0.68;
export const DIM_SIBLINGS = 0.3;

export function hasEmphasis(e: Emphasis): boolean {
  return (e.vm ?? null) !== null || (e.hiddenVms?.size ?? 0) > 0 || !!e.hideHostTasks;
}

/**
 * Per lane, a packed RGBA per value (index value + VALUE_OFFSET) to paint over the map; 0 = leave.
 * `hostTask[t]` marks host tasks (normal tasks outside any VM); `vmOfTask` from colors or taskVms.
 */
export function emphasisTables(
  lanes: readonly Lane[],
  colors: Pick<RunColors, 'vmOfTask' | 'background' | 'legend'>,
  hostTask: Uint8Array,
  cpuDomain: number,
  e: Emphasis,
): Uint32Array[] {
  const hover = e.vm ?? null;
  const dimOthers = packCss('#000', DIM_OTHERS);
  const dimSiblings = packCss('#000', DIM_SIBLINGS);
  const bg = colors.background;
  const hidden = e.hiddenVms ?? new Set<number>();
  const vmOf = colors.vmOfTask;
  const nTasks = vmOf.length;
  let cpuTable: Uint32Array | null = null;
  const tables = new Map<string, Uint32Array>();
  return lanes.map((lane) => {
    if (lane.kind === 'cpu') {
      if (!cpuTable) {
        cpuTable = new Uint32Array(nTasks + VALUE_OFFSET + colors.legend.length + 2);
        if (hover !== null) cpuTable.fill(dimOthers);
        for (let t = 0; t < nTasks; t++) {
          const vm = vmOf[t];
          let c = hover === null ? 0 : dimOthers;
          if (hover !== null && vm === hover)
            c = e.task === null || e.task === undefined || e.task === t ? 0 : dimSiblings;
          if ((vm >= 0 && hidden.has(vm)) || (e.hideHostTasks && hostTask[t] === 1)) c = bg;
          cpuTable[t + VALUE_OFFSET] = c;
        }
        // Class values (pixelClasses.cpuLaneClasses): a VM's colour as its threads, the host's as host
        // tasks, mixed as other VMs' threads.
        const vms = colors.legend.length;
        for (let g = 0; g < vms; g++) {
          let c = hover === null || g === hover ? 0 : dimOthers;
          if (hover === g && e.task !== null && e.task !== undefined) c = dimSiblings;
          cpuTable[nTasks + VALUE_OFFSET + g] = hidden.has(g) ? bg : c;
        }
        cpuTable[nTasks + VALUE_OFFSET + vms] = e.hideHostTasks ? bg : hover === null ? 0 : dimOthers;
        cpuTable[nTasks + VALUE_OFFSET + vms + 1] = hover === null ? 0 : dimOthers;
      }
      return cpuTable;
    }
    // A vCPU lane is one thread: one colour for all of it.
    let c = 0;
    if (hover !== null)
      c =
        lane.vm !== hover
          ? dimOthers
          : e.task === null || e.task === undefined || e.task === lane.task
            ? 0
            : dimSiblings;
    if (hidden.has(lane.vm)) c = bg;
    const key = String(c);
    let t = tables.get(key);
    if (!t) {
      t = new Uint32Array(cpuDomain + VALUE_OFFSET).fill(c);
      tables.set(key, t);
    }
    return t;
  });
}

/** Host tasks of a model: normal tasks (not idle or placeholders) outside every VM. */
export function hostTaskMask(kind: Uint8Array, vmOfTask: Int32Array): Uint8Array {
  const out = new Uint8Array(kind.length);
  for (let t = 0; t < kind.length; t++) out[t] = kind[t] === TaskKind.Normal && vmOfTask[t] < 0 ? 1 : 0;
  return out;
}

/** Write the mask (transparent where a table says 0) for a LOD result. Pure. */
export function renderMaskPixels(
  px: Uint32Array,
  width: number,
  height: number,
  lod: LodResult,
  layout: LaneLayout,
  tables: readonly Uint32Array[],
  fillOutside = 0,
): void {
  px.fill(fillOutside);
  const w = Math.min(width, lod.width);
  for (let l = 0; l < lod.lanes; l++) {
    const y0 = Math.max(0, layout.top[l]);
    const y1 = Math.min(height, layout.top[l] + layout.laneHeight[l]);
    if (y1 <= y0) continue;
    const table = tables[l];
    const base = l * lod.width;
    const row = y0 * width;
    for (let x = 0; x < w; x++) px[row + x] = table[lod.value[base + x] + VALUE_OFFSET];
    for (let y = y0 + 1; y < y1; y++) px.copyWithin(y * width, row, row + w);
  }
}

/** Draw the emphasis mask; clears the canvas when nothing is emphasised. */
export function drawMask(
  ctx: Ctx2D,
  lod: LodResult,
  layout: LaneLayout,
  tables: readonly Uint32Array[] | null,
  dimOutside = false,
): void {
  if (!tables) {
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    return;
  }
  const img = frameImage(ctx);
  renderMaskPixels(
    pixelsOf(img),
    img.width,
    img.height,
    lod,
    layout,
    tables,
    dimOutside ? packCss('#000', DIM_OTHERS) : 0,
  );
  ctx.putImageData(img, 0, 0);
}

// ---- vector marks ------------------------------------------------------------

export interface PixelRun {
  lane: number;
  x0: number;
  /** Exclusive. */
  x1: number;
}

/**
 * Where a task ran in the window, per lane, as merged pixel runs: exact presence, even where the task is
 * not a pixel's dominant value. Costs O(width × lanes showing it × log) however many slices the task has.
 */
export function taskPresence(
  index: SliceIndex,
  lanes: readonly Lane[],
  task: number,
  t0: number,
  t1: number,
  width: number,
): PixelRun[] {
  const out: PixelRun[] = [];
  const { start, end } = index.slices;
  const laneOfCpu = new Map<number, number>();
  let vcpuLane = -1;
  lanes.forEach((l, i) => {
    if (l.kind === 'cpu') laneOfCpu.set(l.cpu, i);
    else if (l.task === task) vcpuLane = i;
  });
  const slices = index.taskSlices(task);
  const track = index.taskTrack(task);
  const last = firstStartAtOrAfter(track, t1);
  const open = new Map<number, PixelRun>();
  const mark = (lane: number, x0: number, x1: number): void => {
    if (lane < 0) return;
    const run = open.get(lane);
    if (run && x0 <= run.x1) run.x1 = Math.max(run.x1, x1);
    else {
      const r = { lane, x0, x1 };
      out.push(r);
      open.set(lane, r);
    }
  };
  const laneOf = (i: number): number => (vcpuLane >= 0 ? vcpuLane : (laneOfCpu.get(index.cpuOf(i)) ?? -1));
  /** Mark slice i's pixels; returns the column after its last. */
  const markSlice = (i: number): number => {
    const x0 = Math.max(0, Math.floor(timeToX(start[i], t0, t1, width)));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil(timeToX(end[i], t0, t1, width))));
    mark(laneOf(i), x0, x1);
    return x1;
  };
  let k = firstEndAfter(track, t0);
  while (k < last) {
    const x1 = markSlice(slices[k]);
    // Slices ending inside the same last column add little: read a few (a migration inside the
    // column still marks both lanes), then jump past the column by binary search.
    const edge = t0 + ((t1 - t0) * x1) / width;
    let j = k + 1;
    for (let reads = 0; j < last && reads < 4 && end[slices[j]] <= edge; reads++, j++) markSlice(slices[j]);
    if (j < last && end[slices[j]] <= edge) j = Math.max(j, firstEndAfter(track, edge));
    k = j;
  }
  return out;
}

export interface Marks {
  /** Device x of the pointer, or null. */
  cursorX?: number | null;
  /** Selected time range. */
  selection?: { start: number; end: number } | null;
  /** The hovered interval: lane and time range (outlined). */
  hover?: { lane: number; start: number; end: number } | null;
  /** Pinned task presence (taskPresence). */
  pinned?: readonly PixelRun[] | null;
}

export const MARK_COLORS = {
  cursor: 'rgba(255, 255, 255, 0.7)',
  selection: 'rgba(90, 169, 255, 0.18)',
  selectionEdge: 'rgba(90, 169, 255, 0.9)',
  hover: '#ffffff',
  pinned: '#ffe14d',
} as const;

/** Draw the vector marks over a cleared canvas (or over the mask when `clear` is false). */
export function drawMarks(ctx: Ctx2D, layout: LaneLayout, t0: number, t1: number, marks: Marks, clear = true): void {
  const { width, height, dpr } = layout;
  if (clear) ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  const one = Math.max(1, Math.round(dpr));
  ctx.save();
  if (marks.selection) {
    const x0 = timeToX(marks.selection.start, t0, t1, width);
    const x1 = timeToX(marks.selection.end, t0, t1, width);
    const a = Math.max(0, Math.min(x0, x1));
    const b = Math.min(width, Math.max(x0, x1));
    if (b > a) {
      ctx.fillStyle = MARK_COLORS.selection;
      ctx.fillRect(a, 0, b - a, height);
    }
    ctx.fillStyle = MARK_COLORS.selectionEdge;
    for (const x of [x0, x1]) if (x >= 0 && x <= width) ctx.fillRect(Math.round(x) - (one >> 1), 0, one, height);
  }
  if (marks.pinned && marks.pinned.length > 0) {
    ctx.fillStyle = MARK_COLORS.pinned;
    const bar = Math.max(1, Math.round(2 * dpr));
    for (const r of marks.pinned) {
      const y = layout.top[r.lane];
      const h = layout.laneHeight[r.lane];
      if (y + h <= 0 || y >= height) continue;
      const bh = Math.min(bar, Math.max(1, h >> 2));
      ctx.fillRect(r.x0, y, r.x1 - r.x0, bh);
      ctx.fillRect(r.x0, y + h - bh, r.x1 - r.x0, bh);
    }
  }
  if (marks.hover && marks.hover.lane >= 0 && marks.hover.lane < layout.top.length) {
    const y = layout.top[marks.hover.lane];
    const h = layout.laneHeight[marks.hover.lane];
    const x0 = Math.max(-one, Math.floor(timeToX(marks.hover.start, t0, t1, width)));
    const x1 = Math.min(width + one, Math.max(x0 + 1, Math.ceil(timeToX(marks.hover.end, t0, t1, width))));
    ctx.strokeStyle = MARK_COLORS.hover;
    ctx.lineWidth = one;
    ctx.strokeRect(x0 + one / 2, y + one / 2, Math.max(one, x1 - x0 - one), Math.max(one, h - one));
  }
  if (marks.cursorX !== null && marks.cursorX !== undefined) {
    ctx.fillStyle = MARK_COLORS.cursor;
    ctx.fillRect(Math.round(marks.cursorX), 0, one, height);
  }
  ctx.restore();
}
