// The map as one picture (PNG export): the pane store holds a function that composes, on demand, a title
// line, lane labels, the three layers, the time axis and the legend (render/mapPicture) from what is on
// screen when it is called.

import { useEffect, useMemo, useRef } from 'react';
import { laneFullLabel } from '../../render/lanes';
import { mapPicture } from '../../render/mapPicture';
import { pictureLegendOf } from '../../render/pictureLegend';
import { labelOfFile, runKey, useAppStore } from '../appStore';
import { vmLabel } from '../pane/paneStore';
import { usePane, usePaneStore, useVmLegend } from '../pane/PaneContext';
import type { MapCanvases, MapFrame } from './useMapLayer';

export function useMapSnapshot(
  canvases: MapCanvases,
  frame: MapFrame | null,
  opts: { cssWidth: number; dpr: number; labelWidth: number; axisHeight: number },
): void {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const view = usePane((s) => s.view);
  const vmLabels = usePane((s) => s.vmLabels);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  const laneMode = usePane((s) => s.laneMode);
  const ramps = useVmLegend();
  const runTitle = useAppStore((s) => s.labels[runKey(run)]) ?? labelOfFile(run.name);
  // Its legend: the shown VMs as the pane's legend names and colours them.
  const legend = useMemo(
    () =>
      pictureLegendOf(
        ramps,
        { hiddenVms, hideHostTasks },
        (vm) => vmLabel({ run, vmLabels }, vm),
        laneMode,
        run.model.gaps.length > 0,
      ),
    [ramps, run, hiddenVms, hideHostTasks, vmLabels, laneMode],
  );
  const latest = useRef({ frame, view, run, vmLabels, runTitle, legend, opts });
  latest.current = { frame, view, run, vmLabels, runTitle, legend, opts };
  useEffect(() => {
    const snapshot = (): HTMLCanvasElement | null => {
      const { frame: f, view: v, run: r, vmLabels: labels, runTitle: title, legend: l, opts: o } = latest.current;
      const layers = [canvases.map.current, canvases.mask.current, canvases.marks.current];
      if (!f || layers.some((c) => !c)) return null;
      return mapPicture({
        layers: layers as HTMLCanvasElement[],
        layout: f.layout,
        lanes: f.lanes,
        laneLabel: (lane) => laneFullLabel(lane, (vm) => vmLabel({ run: r, vmLabels: labels }, vm)),
        title,
        view: v,
        cssWidth: o.cssWidth,
        dpr: o.dpr,
        labelWidth: o.labelWidth,
        axisHeight: o.axisHeight,
        legend: l,
      });
    };
    store.getState().setMapSnapshot(snapshot);
    return () => store.getState().setMapSnapshot(null);
  }, [store, canvases]);
}
