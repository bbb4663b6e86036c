// The whole trace in a strip, with the current window outlined: click or drag
// to move the window there. Redrawn only when the lanes or colours change.

import { useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { canvasSize } from '../../render/layout';
import { centerOn } from '../../render/viewport';
import { traceBounds } from '../pane/paneBounds';
import { usePane, usePaneStore } from '../pane/PaneContext';
import { prepareFrame, useLanesVersion } from './sceneCache';

const HEIGHT = 36;
const LEFT = 110;

export function Minimap() {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const view = usePane((s) => s.view);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const bounds = useMemo(() => traceBounds(run), [run]);
  const laneMode = usePane((s) => s.laneMode);
  const vcpuShading = usePane((s) => s.vcpuShading);
  const paneScene = usePane((s) => s.scene);
  const scene = paneScene.scene;
  // The map draws first (it builds the pyramid levels both read, a slice at a time); the minimap follows
  // when the map has drawn new lanes or colours (0: no frame yet).
  const lanesVersion = useLanesVersion(paneScene);

  // Drawn at its real width only (the observer's first report): the map's pyramid levels fit it.
  const [measured, setMeasured] = useState(false);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setWidth(Math.max(100, el.clientWidth - LEFT));
      setMeasured(true);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c || lanesVersion === 0 || !measured) return;
    const dpr = window.devicePixelRatio || 1;
    const size = canvasSize(width, HEIGHT, dpr);
    // The map's scene (the lanes and colours of its last frame), drawn for the whole trace once the levels
    // that reads are built (the map's own when it shows the whole trace).
    return prepareFrame(scene, scene.bounds(), size.width, () => {
      c.width = size.width;
      c.height = size.height;
      const ctx = c.getContext('2d');
      if (ctx) scene.drawMinimap(ctx, scene.layout(size.width, size.height, { dpr, gap: 0, groupGap: 0 }));
    });
  }, [scene, width, lanesVersion, measured]);

  const span = bounds.end - bounds.start || 1;
  const x0 = ((view.start - bounds.start) / span) * width;
  const x1 = ((view.end - bounds.start) / span) * width;
  const moveTo = (e: PointerEvent<HTMLDivElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const t = bounds.start + ((e.clientX - rect.left) / rect.width) * span;
    const s = store.getState();
    s.setView(centerOn(s.view, t, bounds));
  };
  return (
    <div className="minimap" ref={wrap} style={{ height: HEIGHT }}>
      <div className="minimap-label" style={{ width: LEFT }}>
        {run.topology && laneMode === 'vcpu' && vcpuShading === 'node' ? (
          <span data-testid="minimap-node-note" title="vCPU running time coloured by the NUMA node it ran on">
            trace by node
          </span>
        ) : (
          'whole trace'
        )}
      </div>
      <div
        className="minimap-strip"
        data-testid="minimap"
        style={{ width, height: HEIGHT }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={(e) => {
          if (e.buttons & 1) moveTo(e);
        }}
      >
        <canvas ref={canvas} style={{ width, height: HEIGHT }} />
        <div className="minimap-window" style={{ left: x0, width: Math.max(2, x1 - x0) }} />
      </div>
    </div>
  );
}
