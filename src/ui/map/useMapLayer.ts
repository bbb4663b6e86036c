// The map layer of a pane's map: redrawn only when what it shows changes (window, size, lanes, colours,
// pins, lane zoom). What the frame reads is built first, a slice at a time (vCPU lanes' tracks, then the
// pyramid levels; at once when built already or the trace is small); the last frame stays up meanwhile.

import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Lane } from '../../render/lanes';
import { clampLaneView } from '../../render/laneView';
import { canvasSize, type LaneLayout } from '../../render/layout';
import { useAppStore } from '../appStore';
import { usePane, usePaneColorSlots, usePaneStore } from '../pane/PaneContext';
import { markDrawn, prepareFrame, prepareVcpuLanes } from './sceneCache';
import { pinnedOrder } from './usePinnedLanes';
import type { MapSize } from './useMapSize';

/** What is on screen: the last frame's layout and lanes. */
export interface MapFrame {
  layout: LaneLayout;
  lanes: Lane[];
}

/** The three stacked canvases of the map: map, mask (emphasis), marks (cursor, hover, selection). */
export interface MapCanvases {
  map: RefObject<HTMLCanvasElement | null>;
  mask: RefObject<HTMLCanvasElement | null>;
  marks: RefObject<HTMLCanvasElement | null>;
}

/** The canvases' refs, one object for the pane's life. */
export function useMapCanvases(): MapCanvases {
  const map = useRef<HTMLCanvasElement>(null);
  const mask = useRef<HTMLCanvasElement>(null);
  const marks = useRef<HTMLCanvasElement>(null);
  return useMemo(() => ({ map, mask, marks }), []);
}

/**
 * Draws the map layer into `canvases.map` (sizing all three canvases) and returns the frame on screen
 * (null before the first). The scene's lanes may already be the next frame's while its pyramid levels or
 * vCPU tracks are being built: the frame keeps the lanes it was drawn with.
 */
export function useMapLayer(canvases: MapCanvases, size: MapSize, dpr: number): MapFrame | null {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const laneMode = usePane((s) => s.laneMode);
  const cpuOrder = usePane((s) => s.cpuOrder);
  const vcpuShading = usePane((s) => s.vcpuShading);
  const view = usePane((s) => s.view);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const hiddenCpus = usePane((s) => s.hiddenCpus);
  const colorVmNames = usePaneColorSlots();
  const laneView = usePane((s) => s.laneView);
  const pins = usePane((s) => s.pins);
  const paneScene = usePane((s) => s.scene);
  const palette = useAppStore((s) => s.palette);
  const scene = paneScene.scene;
  const { cssWidth, mapHeight, measured } = size;
  const colorOptions = useMemo(
    () => (colorVmNames ? { palette, vmNames: colorVmNames } : { palette }),
    [palette, colorVmNames],
  );
  const [frame, setFrame] = useState<MapFrame | null>(null);
  const applied = useRef<unknown[]>([]);

  useLayoutEffect(() => {
    const layers = [canvases.map.current, canvases.mask.current, canvases.marks.current];
    if (!measured || layers.some((c) => !c)) return;
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
        for (const c of layers as HTMLCanvasElement[]) {
          if (c.width !== width) c.width = width;
          if (c.height !== h) c.height = h;
        }
        const ctx = canvases.map.current?.getContext('2d');
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
        const now = [
          laneMode,
          cpuOrder,
          vcpuShading,
          colorOptions,
          hiddenCpus,
          run.topology,
          laneMode === 'vcpu' && hiddenVms,
        ];
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
    canvases,
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
  return frame;
}
