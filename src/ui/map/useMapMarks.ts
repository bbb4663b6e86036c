// The two light layers over the map, cheap to redraw on every pointer move: the mask (emphasis of the
// hovered VM, its hovered vCPU brightest, or the legend's highlighted VM; hidden VMs and host tasks
// veiled) and the marks (cursor, hover outline, selection, pinned task, NUMA balancing events, the
// slices of a hovered run-slice histogram bar or else the search's matches, markers A and B).

import { useLayoutEffect, useMemo } from 'react';
import { highlightRuns } from '../../render/highlight';
import type { HitResult } from '../../render/hitTest';
import { drawHighlight, drawMarkers } from '../../render/mapMarks';
import { drawNumaMarks, numaMarks, type NumaMark } from '../../render/numaMarks';
import type { PixelRun } from '../../render/overlay';
import { usePane } from '../pane/PaneContext';
import type { MapCanvases, MapFrame } from './useMapLayer';
import { useSearchHighlight } from './useMapSearch';

export interface MapMarks {
  /** NUMA balancing events of the window drawn (AutoNUMA's decisions), on the lanes shown. */
  numa: NumaMark[];
  /** Where the open search's matches ran in the frame drawn, or null. */
  searchRuns: PixelRun[] | null;
}

export function useMapMask(canvases: MapCanvases, frame: MapFrame | null, hover: HitResult | null): void {
  const scene = usePane((s) => s.scene).scene;
  const highlightVm = usePane((s) => s.highlightVm);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  const layout = frame?.layout ?? null;
  const hoverTask = hover?.task?.task ?? null;
  const hoverVm = hoverTask !== null ? scene.taskVms.vm[hoverTask] : -1;
  const emphVm = hoverVm >= 0 ? hoverVm : highlightVm;
  useLayoutEffect(() => {
    const ctx = canvases.mask.current?.getContext('2d');
    if (!ctx || !layout) return;
    scene.drawMask(ctx, {
      vm: emphVm,
      task: hoverVm >= 0 ? hoverTask : null,
      hiddenVms,
      hideHostTasks,
    });
  }, [canvases, scene, layout, emphVm, hoverVm, hoverTask, hiddenVms, hideHostTasks]);
}

export function useMapMarks(
  canvases: MapCanvases,
  frame: MapFrame | null,
  hover: HitResult | null,
  dpr: number,
): MapMarks {
  const run = usePane((s) => s.run);
  const scene = usePane((s) => s.scene).scene;
  const pointer = usePane((s) => s.pointer);
  const pinned = usePane((s) => s.pinned);
  const selection = usePane((s) => s.selection);
  const markers = usePane((s) => s.markers);
  const sliceHighlight = usePane((s) => s.sliceHighlight);
  const layout = frame?.layout ?? null;
  const lanes = frame?.lanes;

  const pinnedRuns = useMemo(() => (pinned && layout ? scene.presence(pinned.task) : null), [scene, pinned, layout]);
  const highlighted = useMemo(
    () =>
      sliceHighlight && layout && lanes && scene.lastView
        ? highlightRuns(run, lanes, sliceHighlight, scene.lastView.start, scene.lastView.end, layout.width)
        : null,
    [run, scene, lanes, sliceHighlight, layout],
  );
  const numa = useMemo(
    () =>
      layout && lanes && scene.lastView ? numaMarks(run.model.numaEvents, lanes, scene.lastView, layout.width) : [],
    [run, scene, lanes, layout],
  );
  const searchRuns = useSearchHighlight(scene, layout);
  useLayoutEffect(() => {
    const ctx = canvases.marks.current?.getContext('2d');
    if (!ctx || !layout) return;
    scene.drawMarks(ctx, {
      cursorX: pointer ? pointer.x * dpr : null,
      selection,
      hover: hover ? { lane: hover.lane, start: hover.start, end: hover.end } : null,
      pinned: pinnedRuns,
    });
    drawNumaMarks(ctx, layout, numa);
    if (highlighted) drawHighlight(ctx, layout, highlighted);
    else if (searchRuns) drawHighlight(ctx, layout, searchRuns);
    if (scene.lastView) drawMarkers(ctx, layout, scene.lastView, markers);
  }, [canvases, scene, layout, pointer, hover, selection, pinnedRuns, highlighted, searchRuns, markers, numa, dpr]);
  return { numa, searchRuns };
}
