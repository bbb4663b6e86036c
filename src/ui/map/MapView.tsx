// The canvas map of one pane, the React part: three stacked canvases (the map layer, useMapLayer, redrawn
// only when the window, size, lanes or colours change; the mask and marks layers, useMapMarks, cheap to
// redraw on every pointer move), lane labels beside them, the time axis and the NUMA legend under them,
// the search box above. Input: pointer (useMapPointer), keys (useMapKeyboard, lane keys, search and pin
// keys, markers [ and ]); the hover follows the frame drawn; wakeups of the hovered and pinned slices.

import { useMemo, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { laneFullLabel, type Lane } from '../../render/lanes';
import { vmLabel } from '../pane/paneStore';
import { usePane, usePaneBounds, usePaneStore } from '../pane/PaneContext';
import { LaneLabels } from './LaneLabels';
import { LaneScrollbar, useLaneKeys } from './laneScroll';
import { MapSearch } from './MapSearch';
import { MapTooltip } from './MapTooltip';
import { NumaLegend } from './NumaLegend';
import { TimeAxis } from './TimeAxis';
import { TopologySeparators } from './TopologyLanes';
import { useHover } from './useHover';
import { useMapKeyboard } from './useMapKeyboard';
import { useMapCanvases, useMapLayer } from './useMapLayer';
import { useMapMarks, useMapMask } from './useMapMarks';
import { useMapPointer } from './useMapPointer';
import { searchKey } from './useMapSearch';
import { LABEL_WIDTH, useMapSize } from './useMapSize';
import { useMapSnapshot } from './useMapSnapshot';
import { isPinned, pinKey, toggleLanePin } from './usePinnedLanes';
import { WakeupArrows } from './WakeupArrows';
import { wakeupTargetOfHit, wakeupTargetOfPinned } from '../../render/wakeupTarget';
import { useWakeups } from './useWakeups';

const AXIS_HEIGHT = 26;
const NO_LANES: Lane[] = [];

export function MapView() {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const laneMode = usePane((s) => s.laneMode);
  const cpuOrder = usePane((s) => s.cpuOrder);
  const view = usePane((s) => s.view);
  const pointer = usePane((s) => s.pointer);
  const pinned = usePane((s) => s.pinned);
  const vmLabels = usePane((s) => s.vmLabels);
  const markers = usePane((s) => s.markers);
  const laneView = usePane((s) => s.laneView);
  const pins = usePane((s) => s.pins);
  const scene = usePane((s) => s.scene).scene;
  // Where the view may go (the trace, or the locked comparison's union of traces).
  const bounds = usePaneBounds();
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;

  const wrapRef = useRef<HTMLDivElement>(null);
  const canvases = useMapCanvases();
  const size = useMapSize(wrapRef, dpr);
  const { cssWidth, mapHeight } = size;
  const frame = useMapLayer(canvases, size, dpr);
  const layout = frame?.layout ?? null;
  const lanes = frame?.lanes ?? NO_LANES;
  const hover = useHover(scene, frame, dpr);
  useMapMask(canvases, frame, hover);
  const { numa, searchRuns } = useMapMarks(canvases, frame, hover, dpr);
  useMapSnapshot(canvases, frame, { cssWidth, dpr, labelWidth: LABEL_WIDTH, axisHeight: AXIS_HEIGHT });

  const pinnedTarget = useMemo(() => wakeupTargetOfPinned(scene, lanes, pinned), [scene, lanes, pinned]);
  const wakeups = useWakeups(run, wakeupTargetOfHit(hover), pinnedTarget);
  const keyboard = useMapKeyboard(bounds);
  const keyboardLanes = useLaneKeys(scene, mapHeight);
  const pointerInput = useMapPointer({
    scene,
    bounds,
    cssWidth,
    mapHeight,
    dpr,
    target: canvases.marks,
    focus: wrapRef,
  });
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    if (searchKey(store, e) || pinKey(store, lanes, hover, e)) return;
    if (!pointerInput.onMarkerKey(e) && !keyboardLanes(e)) keyboard.onKeyDown(e);
  };

  const vmName = (vm: number): string => vmLabel({ run, vmLabels }, vm);
  const layerStyle = { width: cssWidth, height: mapHeight };
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
              fullLabel={(lane) => laneFullLabel(lane, vmName)}
              vmName={vmName}
              vmColor={(vm) => scene.colors.legend[vm]?.color ?? '#888'}
              isPinned={(lane) => isPinned(pins, lane)}
              onLaneContext={(lane) => toggleLanePin(store, lane)}
            />
          )}
        </div>
        <div className="canvas-stack" style={layerStyle}>
          <canvas ref={canvases.map} data-testid="sched-map" style={layerStyle} />
          <canvas ref={canvases.mask} className="layer" style={layerStyle} />
          <canvas
            ref={canvases.marks}
            className="layer interactive"
            data-testid="map-overlay"
            style={layerStyle}
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
      <TimeAxis view={view} cssWidth={cssWidth} labelWidth={LABEL_WIDTH} height={AXIS_HEIGHT} />
      {run.model.numaEvents.length > 0 && <NumaLegend marks={numa} />}
    </div>
  );
}
