// The whole trace in a strip, with the current window outlined: click or drag
// to move the window there. Redrawn only when the lanes or colours change.

import { useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { canvasSize } from '../../render/layout';
import { centerOn } from '../../render/viewport';
import { useAppStore } from '../appStore';
import { traceBounds } from '../pane/paneStore';
import { usePane, usePaneStore } from '../pane/PaneContext';
import { sceneFor } from './sceneCache';

const HEIGHT = 36;
const LEFT = 110;

export function Minimap() {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const view = usePane((s) => s.view);
  const palette = useAppStore((s) => s.palette);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const bounds = useMemo(() => traceBounds(run), [run]);
  const laneMode = usePane((s) => s.laneMode);
  const cpuOrder = usePane((s) => s.cpuOrder);
  const vcpuShading = usePane((s) => s.vcpuShading);
  const scene = useMemo(() => sceneFor(run), [run]);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(100, el.clientWidth - LEFT)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const size = canvasSize(width, HEIGHT, dpr);
    c.width = size.width;
    c.height = size.height;
    // The map's scene (its lanes and colours, set by the map just before), drawn for the whole trace.
    const ctx = c.getContext('2d');
    if (ctx) scene.drawMinimap(ctx, scene.layout(size.width, size.height, { dpr, gap: 0, groupGap: 0 }));
  }, [scene, width, palette, laneMode, cpuOrder, vcpuShading]);

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
