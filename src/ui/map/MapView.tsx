// The canvas map of one pane: a map layer redrawn only when the window, size,
// lanes or colours change; a mask layer for emphasis (hovered VM, hidden VMs);
// a marks layer for cursor, hover outline, selection and pinned task, cheap to
// redraw on every pointer move. Lane labels and the time axis sit beside it.
// The marks layer also carries markers A and B (keys [ and ], at the cursor)
// and the slices of a hovered run-slice histogram bar (analysis panel).

import { axisBottom, select } from 'd3';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { nodeColorCss, type CpuLane, type Lane } from '../../render/lanes';
import { canvasSize, type LaneLayout } from '../../render/layout';
import type { PixelRun } from '../../render/overlay';
import { timeScale, timeTickFormat } from '../../render/timeAxis';
import { panBy, zoomAt, wheelZoomFactor } from '../../render/viewport';
import { labelOfFile, runKey, useAppStore } from '../appStore';
import { traceBounds, vmLabel } from '../pane/paneStore';
import { usePane, usePaneStore } from '../pane/PaneContext';
import { highlightRuns } from '../../render/highlight';
import { MapTooltip } from './MapTooltip';
import { markDrawn, prepareFrame, prepareVcpuLanes, sceneFor } from './sceneCache';
import { useMapKeyboard } from './useMapKeyboard';

export const LABEL_WIDTH = 110;
const AXIS_HEIGHT = 26;

export const MARKER_COLORS = { a: '#ff9f43', b: '#d980fa' } as const;
const HIGHLIGHT_VEIL = 'rgba(8, 10, 14, 0.66)';
const HIGHLIGHT_EDGE = '#ffffff';

/**
 * The slices a hovered histogram bar counts: everything else is veiled, they stay clear and get white
 * edges, so they stand out whatever the VM colours and at any zoom.
 */
function drawHighlight(ctx: CanvasRenderingContext2D, layout: LaneLayout, runs: readonly PixelRun[]): void {
  const bar = Math.max(1, Math.round(layout.dpr));
  ctx.save();
  ctx.fillStyle = HIGHLIGHT_VEIL;
  ctx.fillRect(0, 0, layout.width, layout.height);
  for (const r of runs) {
    const y = layout.top[r.lane];
    const h = layout.laneHeight[r.lane];
    if (y + h <= 0 || y >= layout.height) continue;
    ctx.clearRect(r.x0, y, r.x1 - r.x0, h);
  }
  ctx.fillStyle = HIGHLIGHT_EDGE;
  for (const r of runs) {
    const y = layout.top[r.lane];
    const h = layout.laneHeight[r.lane];
    if (y + h <= 0 || y >= layout.height) continue;
    const bh = Math.min(bar, Math.max(1, h >> 3));
    ctx.fillRect(r.x0, y, r.x1 - r.x0, bh);
    ctx.fillRect(r.x0, y + h - bh, r.x1 - r.x0, bh);
  }
  ctx.restore();
}

/** Markers A and B: a full-height line each, lettered at the top. */
function drawMarkers(
  ctx: CanvasRenderingContext2D,
  layout: LaneLayout,
  view: { start: number; end: number },
  markers: { a: number | null; b: number | null },
): void {
  const { width, height, dpr } = layout;
  const one = Math.max(1, Math.round(dpr));
  ctx.save();
  ctx.font = `bold ${Math.round(11 * dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const which of ['a', 'b'] as const) {
    const t = markers[which];
    if (t === null) continue;
    const x = Math.round(((t - view.start) / (view.end - view.start)) * width);
    if (x < -one || x > width + one) continue;
    ctx.fillStyle = MARKER_COLORS[which];
    ctx.fillRect(x - (one >> 1), 0, one * 2, height);
    const label = which.toUpperCase();
    const tx = x + 3 * dpr + 12 * dpr > width ? x - 12 * dpr : x + 3 * dpr;
    ctx.fillRect(tx - 1 * dpr, 1 * dpr, 10 * dpr, 13 * dpr);
    ctx.fillStyle = '#111418';
    ctx.fillText(label, tx + 0.5 * dpr, 2 * dpr);
  }
  ctx.restore();
}

/** Runs of consecutive CPU lanes sharing a key (node, or core), with their first and last lane. */
function laneRuns(lanes: readonly Lane[], key: (l: CpuLane) => string | undefined): { key: string; first: number; last: number }[] {
  const out: { key: string; first: number; last: number }[] = [];
  lanes.forEach((l, i) => {
    const k = l.kind === 'cpu' ? key(l) : undefined;
    if (k === undefined) return;
    const prev = out[out.length - 1];
    if (prev && prev.key === k && prev.last === i - 1) prev.last = i;
    else out.push({ key: k, first: i, last: i });
  });
  return out;
}

/** Node labels beside CPU lanes ordered by topology: a coloured strip with "node N" per node group. */
function TopologyGroupLabels({ lanes, layout }: { lanes: readonly Lane[]; layout: LaneLayout }) {
  const { dpr } = layout;
  const nodes = laneRuns(lanes, (l) => (l.node === undefined ? undefined : String(l.node)));
  const cores = laneRuns(lanes, (l) => (l.core !== undefined && (l.coreSize ?? 1) > 1 ? `${l.node}/${l.core}` : undefined));
  if (nodes.length === 0) return null;
  return (
    <>
      {nodes.map((g) => {
        const top = layout.top[g.first] / dpr;
        const bottom = (layout.top[g.last] + layout.laneHeight[g.last]) / dpr;
        const node = Number(g.key);
        return (
          <div
            key={`node-${g.key}-${g.first}`}
            className="lane-group-label"
            data-testid="lane-group-label"
            data-node={node}
            data-cpus={lanes.slice(g.first, g.last + 1).map((l) => (l.kind === 'cpu' ? l.cpu : '')).join(',')}
            style={{ top, height: bottom - top, borderColor: nodeColorCss(node) }}
            title={`NUMA node ${node}`}
          >
            <span>node {node}</span>
          </div>
        );
      })}
      {cores.map((g) => {
        const top = layout.top[g.first] / dpr;
        const bottom = (layout.top[g.last] + layout.laneHeight[g.last]) / dpr;
        const core = g.key.split(':')[1];
        return (
          <div
            key={`core-${g.key}-${g.first}`}
            className="lane-core-label"
            data-testid="lane-core-label"
            style={{ top, height: bottom - top }}
            title={`core ${core}: SMT siblings`}
          >
            {bottom - top >= 12 && <span>core {core}</span>}
          </div>
        );
      })}
    </>
  );
}

/** Thin lines across the map between node groups (brighter) and between SMT cores (dimmer). */
function TopologySeparators({ lanes, layout }: { lanes: readonly Lane[]; layout: LaneLayout }) {
  const { dpr } = layout;
  const lines: { y: number; kind: 'node' | 'core' }[] = [];
  for (let i = 1; i < lanes.length; i++) {
    const a = lanes[i - 1];
    const b = lanes[i];
    if (a.kind !== 'cpu' || b.kind !== 'cpu' || (a.node === undefined && b.node === undefined)) continue;
    const y = (layout.top[i - 1] + layout.laneHeight[i - 1] + layout.top[i]) / 2 / dpr;
    if (a.node !== b.node) lines.push({ y, kind: 'node' });
    else if (a.core !== b.core && ((a.coreSize ?? 1) > 1 || (b.coreSize ?? 1) > 1)) lines.push({ y, kind: 'core' });
  }
  return (
    <>
      {lines.map((l) => (
        <div
          key={`${l.kind}-${l.y}`}
          className={`lane-sep lane-sep-${l.kind}`}
          data-testid={`lane-sep-${l.kind}`}
          style={{ top: l.y }}
        />
      ))}
    </>
  );
}

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

  const wrapRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<HTMLCanvasElement>(null);
  const maskRef = useRef<HTMLCanvasElement>(null);
  const marksRef = useRef<HTMLCanvasElement>(null);
  const axisRef = useRef<SVGGElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const [cssWidth, setCssWidth] = useState(800);
  // What is on screen: the last frame's layout and lanes (the scene's lanes may already be the next
  // frame's while its pyramid levels or vCPU tracks are being built).
  const [frame, setFrame] = useState<{ layout: LaneLayout; lanes: Lane[] } | null>(null);
  const layout = frame?.layout ?? null;
  const lanes = useMemo(() => frame?.lanes ?? [], [frame]);
  const applied = useRef<unknown[]>([]);

  const scene = useMemo(() => sceneFor(run), [run]);
  const colorOptions = useMemo(
    () => (colorVmNames ? { palette, vmNames: colorVmNames } : { palette }),
    [palette, colorVmNames],
  );
  const bounds = useMemo(() => traceBounds(run), [run]);
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  // Lanes up to 40 px tall; many lanes share at most 560 px (the layout keeps each at least 1 px).
  const laneCount =
    laneMode === 'cpu'
      ? Math.max(1, run.model.cpus.filter((c) => !hiddenCpus.has(c)).length)
      : run.vms.reduce((n, vm) => n + vm.vcpus.length, 0);
  const mapHeight = Math.min(560, Math.max(120, laneCount * 40));

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
      });
      // Hidden CPUs leave the CPU lanes (the analysis leaves them out too).
      if (laneMode === 'cpu' && hiddenCpus.size > 0)
        scene.setLanes(scene.lanes.filter((l) => l.kind !== 'cpu' || !hiddenCpus.has(l.cpu)));
      const { width, height: h } = canvasSize(cssWidth, mapHeight, dpr);
      const lay = scene.layout(width, h, { dpr });
      cancelFrame = prepareFrame(scene, view, lay.width, () => {
        for (const c of canvases as HTMLCanvasElement[]) {
          if (c.width !== width) c.width = width;
          if (c.height !== h) c.height = h;
        }
        const ctx = mapRef.current?.getContext('2d');
        if (ctx) scene.drawMap(ctx, view, lay);
        setFrame({ layout: lay, lanes: scene.lanes });
        // The minimap redraws when the lanes or colours changed.
        const now = [laneMode, cpuOrder, vcpuShading, colorOptions, hiddenCpus, run.topology];
        const changed = now.some((x, i) => x !== applied.current[i]);
        applied.current = now;
        markDrawn(scene, changed);
      });
    };
    const cancelLanes = laneMode === 'vcpu' ? prepareVcpuLanes(scene, run.id, prepare) : (prepare(), () => {});
    return () => {
      cancelLanes();
      cancelFrame();
    };
  }, [scene, run, laneMode, cpuOrder, vcpuShading, colorOptions, hiddenCpus, view, cssWidth, mapHeight, dpr, measured]);

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
  useLayoutEffect(() => {
    const ctx = marksRef.current?.getContext('2d');
    if (!ctx || !layout) return;
    scene.drawMarks(ctx, {
      cursorX: pointer ? pointer.x * dpr : null,
      selection,
      hover: hover ? { lane: hover.lane, start: hover.start, end: hover.end } : null,
      pinned: pinnedRuns,
    });
    if (highlighted) drawHighlight(ctx, layout, highlighted);
    if (scene.lastView) drawMarkers(ctx, layout, scene.lastView, markers);
  }, [scene, layout, pointer, hover, selection, pinnedRuns, highlighted, markers, dpr]);

  // The map as one picture (PNG export): a title line, lane labels, the three layers, the time axis.
  const runTitle = useAppStore((s) => s.labels[runKey(run)]) ?? labelOfFile(run.name);
  const latest = useRef({ layout, lanes, view, cssWidth, run, vmLabels, runTitle });
  latest.current = { layout, lanes, view, cssWidth, run, vmLabels, runTitle };
  useEffect(() => {
    const snapshot = (): HTMLCanvasElement | null => {
      const { layout: lay, lanes: shown, view: v, cssWidth: w, run: r, vmLabels: labels, runTitle: title } = latest.current;
      const layers = [mapRef.current, maskRef.current, marksRef.current];
      if (!lay || layers.some((c) => !c)) return null;
      const left = Math.round(LABEL_WIDTH * dpr);
      const axis = Math.round(AXIS_HEIGHT * dpr);
      const head = Math.round(20 * dpr);
      const out = document.createElement('canvas');
      out.width = left + lay.width;
      out.height = head + lay.height + axis;
      const ctx = out.getContext('2d');
      if (!ctx) return null;
      ctx.fillStyle = '#111418';
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.fillStyle = '#e6e9ee';
      ctx.font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
      ctx.textBaseline = 'middle';
      ctx.fillText(
        `${title} — ${(v.start / 1e9).toFixed(6)} s to ${(v.end / 1e9).toFixed(6)} s from the trace start`,
        6 * dpr,
        head / 2,
        out.width - 12 * dpr,
      );
      ctx.translate(0, head);
      for (const c of layers as HTMLCanvasElement[]) ctx.drawImage(c, left, 0);
      ctx.fillStyle = '#97a0ad';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      shown.forEach((lane, i) => {
        const h = lay.laneHeight[i];
        if (h < 7 * dpr) return;
        ctx.font = `${Math.round(Math.min(12, Math.max(8, h / dpr - 2)) * dpr)}px system-ui, sans-serif`;
        const text = lane.kind === 'vcpu' ? `${vmLabel({ run: r, vmLabels: labels }, lane.vm)} · ${lane.vcpuIndex}` : lane.label;
        ctx.fillText(text, left - 6 * dpr, lay.top[i] + h / 2, left - 8 * dpr);
      });
      const scale = timeScale(v, w);
      const fmt = timeTickFormat(scale);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
      ctx.fillRect(left, lay.height, lay.width, Math.max(1, Math.round(dpr)));
      for (const t of scale.ticks(Math.max(2, Math.floor(w / 110)))) {
        const x = left + scale(t) * dpr;
        ctx.fillRect(Math.round(x), lay.height, Math.max(1, Math.round(dpr)), 6 * dpr);
        ctx.fillText(fmt(t), x, lay.height + 8 * dpr);
      }
      return out;
    };
    store.getState().setMapSnapshot(snapshot);
    return () => store.getState().setMapSnapshot(null);
  }, [store, scene, dpr]);

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
  // [ and ] drop markers A and B at the cursor (the window's middle when the pointer is elsewhere).
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    if (!e.ctrlKey && !e.metaKey && !e.altKey && (e.key === '[' || e.key === ']')) {
      const s = store.getState();
      const t = s.pointer ? timeAt(s.pointer.x) : (s.view.start + s.view.end) / 2;
      s.setMarker(e.key === '[' ? 'a' : 'b', Math.round(t));
      e.preventDefault();
      return;
    }
    keyboard.onKeyDown(e);
  };

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
    >
      <div className="map-row" style={{ height: mapHeight }}>
        <div className="lane-labels" style={{ width: LABEL_WIDTH, height: mapHeight }}>
          {layout &&
            lanes.map((lane, i) => {
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
          {labelStep > 0 && labelStep < 7 && <div className="lane-label-note">{lanes.length} lanes</div>}
          {layout && <TopologyGroupLabels lanes={lanes} layout={layout} />}
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
          {layout && <TopologySeparators lanes={lanes} layout={layout} />}
          {hover && pointer && <MapTooltip hit={hover} x={pointer.x} y={pointer.y} width={cssWidth} />}
        </div>
      </div>
      <svg className="time-axis" width={cssWidth + LABEL_WIDTH} height={AXIS_HEIGHT}>
        <g ref={axisRef} transform={`translate(${LABEL_WIDTH},0)`} />
      </svg>
    </div>
  );
}
