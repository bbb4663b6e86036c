// The canvas map of one pane: a map layer redrawn only when the window, size,
// lanes or colours change; a mask layer for emphasis (hovered VM, hidden VMs);
// a marks layer for cursor, hover outline, selection and pinned task, cheap to
// redraw on every pointer move. Lane labels and the time axis sit beside it.

import { axisBottom, select } from 'd3';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { canvasSize, type LaneLayout } from '../../render/layout';
import { MapScene } from '../../render/scene';
import { timeScale, timeTickFormat } from '../../render/timeAxis';
import { panBy, zoomAt, wheelZoomFactor } from '../../render/viewport';
import { useAppStore } from '../appStore';
import { traceBounds, vmLabel } from '../pane/paneStore';
import { usePane, usePaneStore } from '../pane/PaneContext';
import { MapTooltip } from './MapTooltip';
import { useMapKeyboard } from './useMapKeyboard';

const LABEL_WIDTH = 110;
const AXIS_HEIGHT = 26;

interface Drag {
  kind: 'pan' | 'select';
  x0: number;
  view0: { start: number; end: number };
  t0: number;
  moved: boolean;
}

export function MapView() {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const laneMode = usePane((s) => s.laneMode);
  const view = usePane((s) => s.view);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  const hover = usePane((s) => s.hover);
  const pointer = usePane((s) => s.pointer);
  const pinned = usePane((s) => s.pinned);
  const highlightVm = usePane((s) => s.highlightVm);
  const selection = usePane((s) => s.selection);
  const vmLabels = usePane((s) => s.vmLabels);
  const palette = useAppStore((s) => s.palette);

  const wrapRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<HTMLCanvasElement>(null);
  const maskRef = useRef<HTMLCanvasElement>(null);
  const marksRef = useRef<HTMLCanvasElement>(null);
  const axisRef = useRef<SVGGElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const [cssWidth, setCssWidth] = useState(800);
  const [layout, setLayout] = useState<LaneLayout | null>(null);

  const scene = useMemo(() => new MapScene(run), [run]);
  const colorOptions = useMemo(() => ({ palette }), [palette]);
  const bounds = useMemo(() => traceBounds(run), [run]);
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  // Lanes up to 40 px tall; many lanes share at most 560 px (the layout keeps each at least 1 px).
  const laneCount = laneMode === 'cpu' ? run.model.cpus.length : run.vms.reduce((n, vm) => n + vm.vcpus.length, 0);
  const mapHeight = Math.min(560, Math.max(120, laneCount * 40));

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setCssWidth(Math.max(100, el.clientWidth - LABEL_WIDTH)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Map layer: only when what it shows changes.
  useLayoutEffect(() => {
    const canvases = [mapRef.current, maskRef.current, marksRef.current];
    if (canvases.some((c) => !c)) return;
    const { width, height: h } = canvasSize(cssWidth, mapHeight, dpr);
    for (const c of canvases as HTMLCanvasElement[]) {
      if (c.width !== width) c.width = width;
      if (c.height !== h) c.height = h;
    }
    scene.setOptions({ mode: laneMode, colors: colorOptions });
    const lay = scene.layout(width, h, { dpr });
    const ctx = mapRef.current?.getContext('2d');
    if (ctx) scene.drawMap(ctx, view, lay);
    setLayout(lay);
  }, [scene, laneMode, colorOptions, view, cssWidth, mapHeight, dpr]);

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
  useLayoutEffect(() => {
    const ctx = marksRef.current?.getContext('2d');
    if (!ctx || !layout) return;
    scene.drawMarks(ctx, {
      cursorX: pointer ? pointer.x * dpr : null,
      selection,
      hover: hover ? { lane: hover.lane, start: hover.start, end: hover.end } : null,
      pinned: pinnedRuns,
    });
  }, [scene, layout, pointer, hover, selection, pinnedRuns, dpr]);

  // Time axis (d3-axis into an SVG group).
  useLayoutEffect(() => {
    if (!axisRef.current) return;
    const scale = timeScale(view, cssWidth);
    select(axisRef.current).call(axisBottom(scale).ticks(Math.max(2, Math.floor(cssWidth / 110))).tickFormat(timeTickFormat(scale)));
  }, [view, cssWidth]);

  // Wheel zoom about the pointer (a non-passive listener, so the page does not scroll).
  useEffect(() => {
    const el = marksRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const { view: v } = store.getState();
      const anchor = e.offsetX / el.clientWidth;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const d = e.shiftKey ? e.deltaY : e.deltaX;
        store.getState().setView(panBy(v, (d / el.clientWidth) * (v.end - v.start), bounds));
      } else store.getState().setView(zoomAt(v, wheelZoomFactor(e.deltaY, e.deltaMode), anchor, bounds));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [store, bounds]);

  const keyboard = useMapKeyboard(bounds);

  const timeAt = (x: number): number => {
    const v = store.getState().view;
    return v.start + ((v.end - v.start) * x) / cssWidth;
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>): void => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    wrapRef.current?.focus();
    const x = e.nativeEvent.offsetX;
    dragRef.current = { kind: e.shiftKey ? 'select' : 'pan', x0: x, view0: store.getState().view, t0: timeAt(x), moved: false };
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>): void => {
    const x = e.nativeEvent.offsetX;
    const y = e.nativeEvent.offsetY;
    const d = dragRef.current;
    if (d) {
      if (Math.abs(x - d.x0) > 3) d.moved = true;
      if (d.moved && d.kind === 'pan') {
        const span = d.view0.end - d.view0.start;
        store.getState().setView(panBy(d.view0, (-(x - d.x0) / cssWidth) * span, bounds));
      } else if (d.moved) {
        const t = timeAt(x);
        store.getState().setSelection({ start: Math.min(d.t0, t), end: Math.max(d.t0, t) });
      }
    }
    store.getState().setHover(scene.hitAt(x * dpr, y * dpr), { x, y });
  };

  const onPointerUp = (e: ReactPointerEvent<HTMLCanvasElement>): void => {
    const d = dragRef.current;
    dragRef.current = null;
    if (!d || d.moved) return;
    const hit = scene.hitAt(e.nativeEvent.offsetX * dpr, e.nativeEvent.offsetY * dpr);
    const s = store.getState();
    if (hit?.task && hit.slice >= 0 && !hit.task.isIdle) s.setPinned({ task: hit.task.task, slice: hit.slice });
    else s.setPinned(null);
  };

  const labelStep = layout ? layout.laneHeight[0] / dpr : 0;
  return (
    <div
      className="map-view"
      ref={wrapRef}
      tabIndex={0}
      onKeyDown={keyboard.onKeyDown}
      onKeyUp={keyboard.onKeyUp}
      onBlur={keyboard.onBlur}
      aria-label="Scheduler map: W/S zoom, A/D pan, 0 reset, ? shortcuts"
      data-testid="map-view"
      data-view-start={view.start}
      data-view-end={view.end}
      data-lane-mode={laneMode}
      data-lanes={scene.lanes.length}
    >
      <div className="map-row" style={{ height: mapHeight }}>
        <div className="lane-labels" style={{ width: LABEL_WIDTH, height: mapHeight }}>
          {layout &&
            scene.lanes.map((lane, i) => {
              const top = layout.top[i] / dpr;
              const h = layout.laneHeight[i] / dpr;
              if (h < 7 || top + h < 0 || top > mapHeight) return null;
              const label =
                lane.kind === 'vcpu'
                  ? `${vmLabel({ run, vmLabels }, lane.vm)} · ${lane.vcpuIndex}`
                  : lane.label;
              return (
                <div
                  key={lane.key}
                  className="lane-label"
                  style={{ top, height: h, lineHeight: `${h}px`, fontSize: Math.min(12, Math.max(8, h - 2)) }}
                  title={label}
                >
                  {label}
                </div>
              );
            })}
          {labelStep > 0 && labelStep < 7 && <div className="lane-label-note">{scene.lanes.length} lanes</div>}
        </div>
        <div className="canvas-stack" style={{ width: cssWidth, height: mapHeight }}>
          <canvas ref={mapRef} data-testid="sched-map" style={{ width: cssWidth, height: mapHeight }} />
          <canvas ref={maskRef} className="layer" style={{ width: cssWidth, height: mapHeight }} />
          <canvas
            ref={marksRef}
            className="layer interactive"
            data-testid="map-overlay"
            style={{ width: cssWidth, height: mapHeight }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerLeave={() => store.getState().setHover(null, null)}
          />
          {hover && pointer && <MapTooltip hit={hover} x={pointer.x} y={pointer.y} width={cssWidth} />}
        </div>
      </div>
      <svg className="time-axis" width={cssWidth + LABEL_WIDTH} height={AXIS_HEIGHT}>
        <g ref={axisRef} transform={`translate(${LABEL_WIDTH},0)`} />
      </svg>
    </div>
  );
}
