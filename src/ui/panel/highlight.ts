// Hovering a bar of a run-slice histogram marks the slices it counts on the
// map: the VM's vCPU slices that the slice statistics count in the panel's
// window (same rule, same log bin), as merged pixel runs per lane of the map's
// current frame (the marks layer draws them).

import { lowerBound, resolveWindow } from '../../analysis/window';
import type { Run } from '../../model/runs';
import type { Lane } from '../../render/lanes';
import type { PixelRun } from '../../render/overlay';
import { analysisOptions, binEdgeNs, logBin, sliceCounts, type PanelQuery } from './panelCompute';

export interface SliceHighlight {
  vm: number;
  /** Absolute log bin (panelCompute.logBin) of the hovered bar; null for zero-length slices. */
  bin: number | null;
  perDecade: number;
  /** The panel's query: the slices of its window. */
  query: PanelQuery;
}

/** Pixel runs (device px of a `width`-wide frame of [viewStart, viewEnd)) of the slices a bar counts. */
export function highlightRuns(
  run: Run,
  lanes: readonly Lane[],
  h: SliceHighlight,
  viewStart: number,
  viewEnd: number,
  width: number,
  maxSlices = 2_000_000,
): PixelRun[] {
  const m = run.model;
  const vm = run.vms[h.vm];
  if (!vm || !(viewEnd > viewStart) || width <= 0) return [];
  const isVcpu = new Set(vm.vcpus.map((v) => v.task).filter((t) => t >= 0));
  const laneOfCpu = new Map<number, number>();
  const laneOfTask = new Map<number, number>();
  lanes.forEach((l, i) => {
    if (l.kind === 'cpu') laneOfCpu.set(l.cpu, i);
    else if (l.task >= 0) laneOfTask.set(l.task, i);
  });
  const w = resolveWindow(m, analysisOptions(h.query));
  const maxLen = h.bin === null ? 0 : binEdgeNs(h.bin + 1, h.perDecade);
  const { time, cpu, next } = m.switches;
  const end = m.slices.end;
  const out: PixelRun[] = [];
  const open = new Map<number, PixelRun>();
  const scale = width / (viewEnd - viewStart);
  let seen = 0;
  for (let i = lowerBound(time, Math.max(w.start, viewStart - maxLen)); i < m.switches.length; i++) {
    const t = time[i];
    if (t >= viewEnd || t > w.end) break;
    if (!isVcpu.has(next[i]) || !sliceCounts(run, w, i)) continue;
    const len = end[i] - t;
    if (h.bin === null ? len !== 0 : len === 0 || logBin(len, h.perDecade) !== h.bin) continue;
    if (end[i] < viewStart) continue;
    const lane = laneOfTask.get(next[i]) ?? laneOfCpu.get(cpu[i]);
    if (lane === undefined) continue;
    const x0 = Math.max(0, Math.floor((t - viewStart) * scale));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil((end[i] - viewStart) * scale)));
    const r = open.get(lane);
    if (r && x0 <= r.x1) r.x1 = Math.max(r.x1, x1);
    else {
      const nr = { lane, x0, x1 };
      out.push(nr);
      open.set(lane, nr);
    }
    if (++seen >= maxSlices) break;
  }
  return out;
}
