// Hovering a bar of a run-slice histogram marks the slices it counts on the
// map: the VM's vCPU slices that the slice statistics count in the panel's
// window (same rule, same log bin), as merged pixel runs per lane of the map's
// current frame (the marks layer draws them). Read from the page's drawn
// slices (grouped by CPU).

import { analysisOptions, binEdgeNs, countsInSliceStats, logBin, type PanelQuery } from '../analysis/panel';
import { windowOf } from '../analysis/window';
import { firstRowAtOrAfter } from '../model/cpuSlices';
import type { DrawnRun } from '../model/drawnRun';
import type { Lane } from './lanes';
import type { PixelRun } from './overlay';

export interface SliceHighlight {
  vm: number;
  /** Absolute log bin (analysis/panel logBin) of the hovered bar; null for zero-length slices. */
  bin: number | null;
  perDecade: number;
  /** The panel's query: the slices of its window. */
  query: PanelQuery;
}

/** Pixel runs (device px of a `width`-wide frame of [viewStart, viewEnd)) of the slices a bar counts. */
export function highlightRuns(
  run: Pick<DrawnRun, 'model' | 'vms' | 'slices'>,
  lanes: readonly Lane[],
  h: SliceHighlight,
  viewStart: number,
  viewEnd: number,
  width: number,
  maxSlices = 2_000_000,
): PixelRun[] {
  const vm = run.vms[h.vm];
  if (!vm || !(viewEnd > viewStart) || width <= 0) return [];
  const isVcpu = new Set(vm.vcpus.map((v) => v.task).filter((t) => t >= 0));
  const laneOfCpu = new Map<number, number>();
  const laneOfTask = new Map<number, number>();
  lanes.forEach((l, i) => {
    if (l.kind === 'cpu') laneOfCpu.set(l.cpu, i);
    else if (l.task >= 0) laneOfTask.set(l.task, i);
  });
  const w = windowOf(run.model, analysisOptions(h.query));
  const maxLen = h.bin === null ? 0 : binEdgeNs(h.bin + 1, h.perDecade);
  const { start, end, value, endReason, offset } = run.slices;
  // The slices counted, CPU by CPU, then in time order (as they follow on the map).
  const found: { row: number; cpu: number; lane: number }[] = [];
  for (let c = 0; c + 1 < offset.length && found.length < maxSlices; c++) {
    const hi = offset[c + 1];
    for (let r = firstRowAtOrAfter(start, offset[c], hi, Math.max(w.start, viewStart - maxLen)); r < hi; r++) {
      const t = start[r];
      if (t >= viewEnd || t > w.end) break;
      if (!isVcpu.has(value[r]) || !countsInSliceStats(w, c, t, end[r], endReason[r])) continue;
      const len = end[r] - t;
      if (h.bin === null ? len !== 0 : len === 0 || logBin(len, h.perDecade) !== h.bin) continue;
      if (end[r] < viewStart) continue;
      const lane = laneOfTask.get(value[r]) ?? laneOfCpu.get(c);
      if (lane === undefined) continue;
      found.push({ row: r, cpu: c, lane });
      if (found.length >= maxSlices) break;
    }
  }
  found.sort((a, b) => start[a.row] - start[b.row] || a.cpu - b.cpu);
  const out: PixelRun[] = [];
  const open = new Map<number, PixelRun>();
  const scale = width / (viewEnd - viewStart);
  for (const { row, lane } of found) {
    const x0 = Math.max(0, Math.floor((start[row] - viewStart) * scale));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil((end[row] - viewStart) * scale)));
    const r = open.get(lane);
    if (r && x0 <= r.x1) r.x1 = Math.max(r.x1, x1);
    else {
      const nr = { lane, x0, x1 };
      out.push(nr);
      open.set(lane, nr);
    }
  }
  return out;
}
