// The canvas map of one pane: a map layer redrawn only when the window, size,
// lanes or colours change; a mask layer for emphasis (hovered VM, hidden VMs);
// a marks layer for cursor, hover outline, selection and pinned task, cheap to
// redraw on every pointer move. Lane labels and the time axis sit beside it.
// The marks layer also carries markers A and B (keys [ and ], at the cursor)
// and the slices of a hovered run-slice histogram bar (analysis panel).

import { axisBottom, select } from 'd3';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { highlightRuns } from '../../render/highlight';
import type { Lane } from '../../render/lanes';
import { canvasSize, fittedHeight, type LaneLayout } from '../../render/layout';
import { drawHighlight, drawMarkers } from '../../render/mapMarks';
import { mapPicture } from '../../render/mapPicture';
import { drawNumaMarks, NUMA_MARK_COLORS, NUMA_MARK_NAMES, numaMarks } from '../../render/numaMarks';
import { NUMA_EVENT_KEYS, type NumaEventKind } from '../../model/types';
import { HOST_ENTRY, IDLE_ENTRY, type PictureLegendEntry } from '../../render/pictureLegend';
import { vmLegendOf } from '../vmLegend';
import { timeScale, timeTickFormat } from '../../render/timeAxis';
import { labelOfFile, runKey, useAppStore } from '../appStore';
import { vmLabel } from '../pane/paneStore';
import { usePane, usePaneStore } from '../pane/PaneContext';
import { MapTooltip } from './MapTooltip';
import { markDrawn, prepareFrame, prepareVcpuLanes } from './sceneCache';
import { clampLaneView } from '../../render/laneView';
import { LaneLabels } from './LaneLabels';
import { LaneScrollbar, useLaneKeys, useRoomBelow } from './laneScroll';
import { TopologySeparators } from './TopologyLanes';
import { useMapKeyboard } from './useMapKeyboard';
import { useMapPointer } from './useMapPointer';
import { useHoverFollowsView } from './useHoverFollowsView';
import { WakeupArrows } from './WakeupArrows';
import { useWakeups, wakeupTargetOfHit, wakeupTargetOfPinned } from './useWakeups';
import { MapSearch } from './MapSearch';
import { searchKey, useSearchHighlight } from './useMapSearch';
import { isPinned, pinKey, pinnedOrder, toggleLanePin } from './usePinnedLanes';

export const LABEL_WIDTH = 110;
const AXIS_HEIGHT = 26;

export function MapView() {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const laneMode = usePane((s) => s.laneMode);
  const cpuOrder = usePane((s) => s.cpuOrder);
  const vcpuShading = usePane((s) => s.vcpuShading);
  const view = usePane((s) => s.view);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  const hover = usePane((s) => s.hover);
  const pointer = usePane((s) => s.pointer);
  const pinned = usePane((s) => s.pinned);
  const highlightVm = usePane((s) => s.highlightVm);
  const selection = usePane((s) => s.selection);
  const vmLabels = usePane((s) => s.vmLabels);
  const hiddenCpus = usePane((s) => s.hiddenCpus);
  const colorVmNames = usePane((s) => s.colorVmNames);
  const markers = usePane((s) => s.markers);
  const sliceHighlight = usePane((s) => s.sliceHighlight);
  const palette = useAppStore((s) => s.palette);
  const laneView = usePane((s) => s.laneView);
  const pins = usePane((s) => s.pins);

  const wrapRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<HTMLCanvasElement>(null);
  const maskRef = useRef<HTMLCanvasElement>(null);
  const marksRef = useRef<HTMLCanvasElement>(null);
  const axisRef = useRef<SVGGElement>(null);
  const [cssWidth, setCssWidth] = useState(800);
  // What is on screen: the last frame's layout and lanes (the scene's lanes may already be the next
  // frame's while its pyramid levels or vCPU tracks are being built).
  const [frame, setFrame] = useState<{ layout: LaneLayout; lanes: Lane[] } | null>(null);
  const layout = frame?.layout ?? null;
  const lanes = useMemo(() => frame?.lanes ?? [], [frame]);
  const applied = useRef<unknown[]>([]);

  const paneScene = usePane((s) => s.scene);
  const scene = paneScene.scene;
  const colorOptions = useMemo(
    () => (colorVmNames ? { palette, vmNames: colorVmNames } : { palette }),
    [palette, colorVmNames],
  );
  // Where the view may go (the trace, or the locked comparison's union of traces).
  const bounds = usePane((st) => st.bounds);
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  // Lanes up to 40 px tall; many lanes share what of the window is left below the map's top, so the time
  // axis stays on screen (and sticks to the window's bottom when the page is scrolled).
  const laneCount =
    laneMode === 'cpu'
      ? Math.max(1, run.model.cpus.filter((c) => !hiddenCpus.has(c)).length)
      : run.vms.reduce((n, vm, i) => n + (hiddenVms.has(i) ? 0 : vm.vcpus.length), 0);
  const room = useRoomBelow(wrapRef);
  // A VM's block is a group (gaps between them); fitted lanes are whole pixels: no empty band below them.
  // A hidden VM's lanes leave the vCPU map (no empty band).
  const groups =
    laneMode === 'vcpu'
      ? Math.max(0, run.vms.filter((vm, i) => vm.vcpus.length > 0 && !hiddenVms.has(i)).length - 1)
      : 0;
  const mapHeight = fittedHeight(laneCount, groups, Math.min(room, Math.max(120, laneCount * 40)), { dpr });

  // No frame before the real width is known (one at a guessed width would build pyramid levels for
  // nothing): the observer's first report, after the browser's own layout (measuring here would force it).
  const [measured, setMeasured] = useState(false);
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setCssWidth(Math.max(100, el.clientWidth - LABEL_WIDTH));
      setMeasured(true);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Map layer: only when what it shows changes. What the frame reads is built first, a slice at a time
  // (vCPU lanes' tracks, then the pyramid levels; at once when built already or the trace is small); the
  // last frame stays up meanwhile.
  useLayoutEffect(() => {
    const canvases = [mapRef.current, maskRef.current, marksRef.current];
    if (!measured || canvases.some((c) => !c)) return;
    let cancelFrame = (): void => {};
    const prepare = (): void => {
      scene.setOptions({
        mode: laneMode,
        colors: colorOptions,
        topology: run.topology ?? null,
        cpuOrder,
        vcpuShading: run.topology ? vcpuShading : 'vm',
        hiddenVms: laneMode === 'vcpu' ? hiddenVms : undefined,
      });
      // Hidden CPUs leave the CPU lanes (the analysis leaves them out too).
      if (laneMode === 'cpu' && hiddenCpus.size > 0)
        scene.setLanes(scene.lanes.filter((l) => l.kind !== 'cpu' || !hiddenCpus.has(l.cpu)));
      // Pinned lanes first, in a band above the scrolled ones.
      const pinned = pinnedOrder(scene.lanes, pins, laneMode);
      if (pinned.pinned > 0) scene.setLanes(pinned.lanes, pinned.pinned);
      const { width, height: h } = canvasSize(cssWidth, mapHeight, dpr);
      // A zoomed lane view kept valid for these lanes and this height (a resize, a lane filter).
      const lv = clampLaneView(laneView, scene.laneGeometry(mapHeight));
      if (lv !== laneView) store.getState().setLaneView(lv);
      const lay = scene.layout(width, h, {
        dpr,
        laneHeight: lv.height ?? undefined,
        scrollY: Math.round(lv.scroll * dpr),
      });
      cancelFrame = prepareFrame(scene, view, lay.width, () => {
        for (const c of canvases as HTMLCanvasElement[]) {
          if (c.width !== width) c.width = width;
          if (c.height !== h) c.height = h;
        }
        const ctx = mapRef.current?.getContext('2d');
        if (ctx) {
          scene.drawMap(ctx, view, lay);
          // Names in wide slices (comms, perf short names, CPUs), as canvas text.
          const names = scene.drawSliceLabels(ctx);
          ctx.canvas.dataset.sliceLabels = String(names.length);
          ctx.canvas.dataset.sliceLabelTexts = names
            .slice(0, 64)
            .map((l) => l.text)
            .join('|');
        }
        setFrame({ layout: lay, lanes: scene.lanes });
        // The minimap redraws when the lanes or colours changed.
        const now = [laneMode, cpuOrder, vcpuShading, colorOptions, hiddenCpus, run.topology, laneMode === 'vcpu' && hiddenVms];
        const changed = now.some((x, i) => x !== applied.current[i]);
        applied.current = now;
        markDrawn(paneScene, changed);
      });
    };
    const cancelLanes = laneMode === 'vcpu' ? prepareVcpuLanes(paneScene, prepare) : (prepare(), () => {});
    return () => {
      cancelLanes();
      cancelFrame();
    };
  }, [
    store,
    scene,
    run,
    laneMode,
    cpuOrder,
    vcpuShading,
    colorOptions,
    hiddenCpus,
    hiddenVms,
    pins,
    view,
    laneView,
    cssWidth,
    mapHeight,
    dpr,
    measured,
  ]);

  // Emphasis mask: hovered VM (its hovered vCPU brightest), legend highlight, hidden VMs / host tasks.
  const hoverTask = hover?.task?.task ?? null;
  const hoverVm = hoverTask !== null ? scene.taskVms.vm[hoverTask] : -1;
  const emphVm = hoverVm >= 0 ? hoverVm : highlightVm;
  useLayoutEffect(() => {
    const ctx = maskRef.current?.getContext('2d');
    if (!ctx || !layout) return;
    scene.drawMask(ctx, {
      vm: emphVm,
      task: hoverVm >= 0 ? hoverTask : null,
      hiddenVms,
      hideHostTasks,
    });
  }, [scene, layout, emphVm, hoverVm, hoverTask, hiddenVms, hideHostTasks]);

  // Marks: cursor, hover outline, selection, pinned task.
  const pinnedRuns = useMemo(() => (pinned && layout ? scene.presence(pinned.task) : null), [scene, pinned, layout]);
  const highlighted = useMemo(
    () =>
      sliceHighlight && layout && scene.lastView
        ? highlightRuns(run, lanes, sliceHighlight, scene.lastView.start, scene.lastView.end, layout.width)
        : null,
    [run, scene, lanes, sliceHighlight, layout],
  );
  // NUMA balancing events of the window drawn (AutoNUMA's decisions), on the lanes shown.
  const numa = useMemo(
    () => (layout && scene.lastView ? numaMarks(run.model.numaEvents, lanes, scene.lastView, layout.width) : []),
    [run, scene, lanes, layout],
  );
  const searchRuns = useSearchHighlight(scene, layout);
  useLayoutEffect(() => {
    const ctx = marksRef.current?.getContext('2d');
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
  }, [scene, layout, pointer, hover, selection, pinnedRuns, highlighted, searchRuns, markers, numa, dpr]);

  // The map as one picture (PNG export): a title line, lane labels, the three layers, the time axis.
  const runTitle = useAppStore((s) => s.labels[runKey(run)]) ?? labelOfFile(run.name);
  // Its legend: the shown VMs (as the pane's legend names and colours them), host tasks unless hidden, idle.
  const pictureLegend = useMemo((): PictureLegendEntry[] => {
    const vms = vmLegendOf(run, palette, colorVmNames)
      .filter((l) => !hiddenVms.has(l.vm))
      .map((l) => ({ name: vmLabel({ run, vmLabels }, l.vm), colors: l.ramp.map((r) => r.color) }));
    return [...vms, ...(hideHostTasks ? [] : [HOST_ENTRY]), IDLE_ENTRY];
  }, [run, palette, colorVmNames, hiddenVms, hideHostTasks, vmLabels]);
  const latest = useRef({ layout, lanes, view, cssWidth, run, vmLabels, runTitle, pictureLegend });
  latest.current = { layout, lanes, view, cssWidth, run, vmLabels, runTitle, pictureLegend };
  useEffect(() => {
    const snapshot = (): HTMLCanvasElement | null => {
      const {
        layout: lay,
        lanes: shown,
        view: v,
        cssWidth: w,
        run: r,
        vmLabels: labels,
        runTitle: title,
        pictureLegend: legend,
      } = latest.current;
      const layers = [mapRef.current, maskRef.current, marksRef.current];
      if (!lay || layers.some((c) => !c)) return null;
      return mapPicture({
        layers: layers as HTMLCanvasElement[],
        layout: lay,
        lanes: shown,
        laneLabel: (lane) =>
          lane.kind === 'vcpu' ? `${vmLabel({ run: r, vmLabels: labels }, lane.vm)} · ${lane.vcpuIndex}` : lane.label,
        title,
        view: v,
        cssWidth: w,
        dpr,
        labelWidth: LABEL_WIDTH,
        axisHeight: AXIS_HEIGHT,
        legend,
      });
    };
    store.getState().setMapSnapshot(snapshot);
    return () => store.getState().setMapSnapshot(null);
  }, [store, scene, dpr]);

  // Time axis (d3-axis into an SVG group).
  useLayoutEffect(() => {
    if (!axisRef.current) return;
    const scale = timeScale(view, cssWidth);
    // The labels' decimals follow the step of the ticks drawn (the same count).
    const count = Math.max(2, Math.floor(cssWidth / 110));
    select(axisRef.current).call(axisBottom(scale).ticks(count).tickFormat(timeTickFormat(scale, count)));
  }, [view, cssWidth]);

  useHoverFollowsView(scene, frame, dpr);
  const pinnedTarget = useMemo(() => wakeupTargetOfPinned(scene, lanes, pinned), [scene, lanes, pinned]);
  const wakeups = useWakeups(run, wakeupTargetOfHit(hover), pinnedTarget);
  const keyboard = useMapKeyboard(bounds);
  const keyboardLanes = useLaneKeys(scene, mapHeight);
  const pointerInput = useMapPointer({ scene, bounds, cssWidth, mapHeight, dpr, target: marksRef, focus: wrapRef });
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    if (searchKey(store, e) || pinKey(store, lanes, e)) return;
    if (!pointerInput.onMarkerKey(e) && !keyboardLanes(e)) keyboard.onKeyDown(e);
  };

  const fullLabel = (lane: Lane): string =>
    lane.kind === 'vcpu' ? `${vmLabel({ run, vmLabels }, lane.vm)} · ${lane.vcpuIndex}` : lane.label;
  return (
    <div
      className="map-view"
      ref={wrapRef}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onKeyUp={keyboard.onKeyUp}
      onBlur={keyboard.onBlur}
      aria-label="Scheduler map: W/S zoom, A/D pan, 0 reset, ? shortcuts"
      data-testid="map-view"
      data-view-start={view.start}
      data-view-end={view.end}
      data-lane-mode={laneMode}
      data-lanes={lanes.length}
      data-cpu-order={laneMode === 'cpu' ? (run.topology ? cpuOrder : 'numeric') : ''}
      data-lane-cpus={laneMode === 'cpu' ? lanes.map((l) => (l.kind === 'cpu' ? l.cpu : '')).join(',') : ''}
      data-marker-a={markers.a ?? ''}
      data-marker-b={markers.b ?? ''}
      data-lane-height={layout && layout.laneHeight.length > 0 ? layout.laneHeight[0] / dpr : ''}
      data-lane-scroll={laneView.scroll}
      data-map-height={mapHeight}
      data-search-runs={searchRuns?.length ?? 0}
      data-pinned-lanes={lanes
        .slice(0, layout?.pinned ?? 0)
        .map((l) => l.key)
        .join(',')}
      data-numa-marks={numa.reduce((n, m) => n + m.count, 0)}
      data-numa-mark-xy={numa
        .slice(0, 64)
        .map((m) => `${m.kind}@${m.lane}:${m.x}`)
        .join(' ')}
    >
      <MapSearch
        scene={scene}
        mapHeight={mapHeight}
        onClose={() => {
          store.getState().setSearch({ open: false });
          wrapRef.current?.focus();
        }}
      />
      <div className="map-row" style={{ height: mapHeight }}>
        <div className="lane-labels" style={{ width: LABEL_WIDTH, height: mapHeight }}>
          {layout && (
            <LaneLabels
              lanes={lanes}
              layout={layout}
              viewHeight={mapHeight}
              fullLabel={fullLabel}
              vmName={(vm) => vmLabel({ run, vmLabels }, vm)}
              vmColor={(vm) => scene.colors.legend[vm]?.color ?? '#888'}
              isPinned={(lane) => isPinned(pins, lane)}
              onLaneContext={(lane) => toggleLanePin(store, lane)}
            />
          )}
        </div>
        <div className="canvas-stack" style={{ width: cssWidth, height: mapHeight }}>
          <canvas ref={mapRef} data-testid="sched-map" style={{ width: cssWidth, height: mapHeight }} />
          <canvas ref={maskRef} className="layer" style={{ width: cssWidth, height: mapHeight }} />
          <canvas
            ref={marksRef}
            className="layer interactive"
            data-testid="map-overlay"
            style={{ width: cssWidth, height: mapHeight }}
            {...pointerInput.canvasHandlers}
          />
          {layout && <TopologySeparators lanes={lanes} layout={layout} viewHeight={mapHeight} />}
          {layout && layout.contentHeight / dpr > mapHeight + 1 && (
            <LaneScrollbar contentHeight={layout.contentHeight / dpr} viewHeight={mapHeight} />
          )}
          {layout && (
            <WakeupArrows
              states={[wakeups.hover, wakeups.pinned]}
              lanes={lanes}
              layout={layout}
              view={scene.lastView}
              cssWidth={cssWidth}
              cssHeight={mapHeight}
            />
          )}
          {hover && pointer && (
            <MapTooltip hit={hover} x={pointer.x} y={pointer.y} width={cssWidth} wakeup={wakeups.hover} />
          )}
        </div>
      </div>
      <svg className="time-axis" width={cssWidth + LABEL_WIDTH} height={AXIS_HEIGHT}>
        <g ref={axisRef} transform={`translate(${LABEL_WIDTH},0)`} />
      </svg>
      {run.model.numaEvents.length > 0 && (
        <div
          className="numa-legend"
          data-testid="numa-legend"
          title="NUMA balancing events of the window, as marks on their lanes"
        >
          NUMA balancing in view:
          {NUMA_EVENT_KEYS.map((_, kind) => {
            const n = numa.reduce((s, m) => s + (m.kind === kind ? m.count : 0), 0);
            return (
              <span
                key={kind}
                data-kind={NUMA_MARK_NAMES[kind as NumaEventKind]}
                data-count={n}
                style={{ color: NUMA_MARK_COLORS[kind as NumaEventKind] }}
              >
                <span className="tri" />
                <span className="muted">
                  {NUMA_MARK_NAMES[kind as NumaEventKind]} {n}
                </span>
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}
