// MapScene: everything the UI mounts for one run's map, tied together: the
// slice index, colours, lanes and their palettes, pyramids, and the last frame
// (so hover and hit testing read what is on screen without redrawing it).
//
//   const scene = new MapScene(drawnRun, { mode: 'cpu' });
//   const layout = scene.layout(canvas.width, canvas.height, { dpr });
//   scene.drawMap(mapCtx, view, layout);            // on view / size / option change
//   const hit = scene.hitAt(x * dpr, y * dpr);      // on pointer move
//   scene.drawMarks(marksCtx, { cursorX, hover: ... });
//   scene.drawMask(maskCtx, { vm: hit?.task ... });  // when the emphasis changes

import type { DrawnRun } from '../model/drawnRun';
import type { HostTopology } from '../model/topology';
import type { Ctx2D } from './canvas';
import { cpuPalette, runColors, type ColorOptions, type RunColors } from './colors';
import { hitTest, type HitContext, type HitResult } from './hitTest';
import {
  laneTrack,
  lanePalette,
  lanesFor,
  nodeCpuPalette,
  type CpuLaneOrder,
  type Lane,
  type LaneMode,
  type VcpuShading,
} from './lanes';
import type { LaneGeometry } from './laneView';
import { laneAtY, layoutLanes, type LaneLayout, type LayoutOptions } from './layout';
import { computeLod, type LodLane, type LodOptions, type LodResult } from './lod';
import { lostRegions, type LostRegion } from './lost';
import { gapColumns } from './gapBands';
import { drawLostRegions, drawMap, type MapFrame } from './mapRenderer';
import {
  drawMarks,
  drawMask,
  emphasisTables,
  hasEmphasis,
  hostTaskMask,
  taskPresence,
  type Emphasis,
  type Marks,
  type PixelRun,
} from './overlay';
import { cpuLaneClasses, mixedValue, type ValueClasses } from './pixelClasses';
import { pyramidFor, type Pyramid } from './pyramid';
import { perfShortNames } from './shortNames';
import { drawSliceLabels, sliceLabelFont, sliceLabelPlan, type SliceLabel, type SliceNames } from './sliceLabels';
import { TaskKind } from '../model/types';
import { SliceIndex, type Track, type VcpuTrackSource } from './sliceIndex';
import { taskVms, type TaskVms } from './taskVms';
import { viewBounds, type ViewBounds, type Viewport } from './viewport';

export interface SceneOptions {
  mode?: LaneMode;
  colors?: ColorOptions;
  /** vCPU lanes: colour running time by the vCPU's ramp colour ('vm'), by CPU ('cpu') or by NUMA node ('node'). */
  vcpuShading?: VcpuShading;
  /** The host topology, for CPU lanes ordered by it and vCPU lanes shaded by node. */
  topology?: HostTopology | null;
  /** CPU mode: lanes by CPU number (default) or by node / socket / core ('topology', needs `topology`). */
  cpuOrder?: CpuLaneOrder;
  /** vCPU mode: VMs (indices into run.vms) whose lanes are left out (no empty band where they were). */
  hiddenVms?: ReadonlySet<number>;
  lod?: LodOptions;
}

export class MapScene {
  readonly run: Pick<DrawnRun, 'model' | 'vms' | 'slices'>;
  readonly index: SliceIndex;
  readonly taskVms: TaskVms;
  readonly lost: LostRegion[];
  /** 1 for host tasks (normal tasks outside every VM), per task. */
  readonly hostTasks: Uint8Array;
  /** The classes of CPU lanes' values: each VM's threads, the host's tasks (pixelClasses.ts). */
  readonly classes: ValueClasses;
  private readonly pyramids = new Map<Track, Pyramid | null>();
  private opts: SceneOptions = {};
  colors!: RunColors;
  lanes: Lane[] = [];
  /** The first `pinned` lanes are pinned above the scrolled ones (layout's pinned band). */
  pinned = 0;
  private lodLanes: LodLane[] = [];
  private palettes: Uint32Array[] = [];
  /** Per lane: the value of a mixed pixel (CPU lanes), or null. */
  private mixedOf: (number | null)[] = [];
  /** The last frame drawn (LOD result, window, layout): what is on screen. */
  lastLod: LodResult | null = null;
  lastView: Viewport | null = null;
  lastLayout: LaneLayout | null = null;

  /**
   * A scene of a run as the page holds it; vCPU tracks come from `source` or must be handed to the index
   * (index.adoptVcpuTracks) before vCPU lanes are shown.
   */
  constructor(
    run: Pick<DrawnRun, 'model' | 'vms' | 'slices'>,
    opts: SceneOptions = {},
    source: VcpuTrackSource | null = null,
  ) {
    this.run = run;
    this.index = new SliceIndex(run, source);
    this.taskVms = taskVms(run);
    this.lost = lostRegions(run.model, this.index);
    this.hostTasks = hostTaskMask(run.model.tasks.kind, this.taskVms.vm);
    this.classes = cpuLaneClasses(this.taskVms.vm, run.model.tasks.kind, run.vms.length);
    this.setOptions(opts);
  }

  /** Change mode, colours, shading or hidden VMs; the next drawMap uses them. */
  setOptions(opts: SceneOptions): void {
    const colorsChanged = opts.colors !== this.opts.colors || !this.colors;
    this.opts = { ...opts };
    if (colorsChanged) this.colors = runColors(this.run, opts.colors);
    this.setLanes(
      lanesFor(opts.mode ?? 'cpu', this.run, opts.hiddenVms, {
        order: opts.cpuOrder ?? 'numeric',
        topology: opts.topology,
      }),
    );
  }

  /** Use a custom lane list (e.g. reordered or filtered by the UI); its first `pinned` lanes pinned at the top. */
  setLanes(lanes: Lane[], pinned = 0): void {
    this.lanes = lanes;
    this.pinned = Math.min(pinned, lanes.length);
    // vCPU tracks of all lanes in one pass over the trace.
    this.index.prepareVcpuTracks(lanes.flatMap((l) => (l.kind === 'vcpu' && l.task >= 0 ? [l.task] : [])));
    const t0 = this.index.t0;
    const t1 = this.index.t1;
    this.lodLanes = lanes.map((lane) => {
      const track = laneTrack(this.index, lane);
      // CPU lanes hold tasks of many VMs: a pixel none of them covers half of shows its VM, or mixed.
      const classes = lane.kind === 'cpu' ? this.classes : null;
      let pyramid = this.pyramids.get(track);
      if (pyramid === undefined) {
        pyramid = pyramidFor(track, t0, t1, classes);
        this.pyramids.set(track, pyramid);
      }
      return { track, pyramid, classes };
    });
    const cpuDomain = this.index.cpuDomain;
    const byNode = this.opts.vcpuShading === 'node' && this.opts.topology;
    const cpuColors = byNode ? nodeCpuPalette(cpuDomain, byNode) : cpuPalette(cpuDomain);
    this.palettes = lanes.map((lane) => lanePalette(lane, this.colors, cpuDomain, this.opts.vcpuShading, cpuColors));
    this.mixedOf = lanes.map((lane) => (lane.kind === 'cpu' ? mixedValue(this.classes) : null));
    this.lastLod = null;
  }

  /** The lanes as the LOD reads them (track and pyramid), e.g. to build a frame's pyramid levels lane by lane ahead of drawMap. */
  get lodInputs(): readonly LodLane[] {
    return this.lodLanes;
  }

  bounds(minSpan?: number): ViewBounds {
    return viewBounds(this.index.t0, this.index.t1, minSpan);
  }

  layout(width: number, height: number, opts?: LayoutOptions): LaneLayout {
    return layoutLanes(this.lanes, width, height, { pinned: this.pinned, ...opts });
  }

  /** The current lanes' vertical geometry in a map `viewHeight` CSS px tall (for lane zoom and scroll). */
  laneGeometry(viewHeight: number): LaneGeometry {
    const lanes = this.lanes;
    const pinned = this.pinned;
    const fit = layoutLanes(lanes, 1, viewHeight, { pinned });
    return {
      fitHeight: fit.laneHeight.length > 0 ? fit.laneHeight[0] : viewHeight,
      fitContent: fit.contentHeight,
      viewHeight,
      contentHeight: (h) => layoutLanes(lanes, 1, viewHeight, { laneHeight: h, pinned }).contentHeight,
    };
  }

  /** Reduce the lanes to `width` pixel columns for a window (`reuse`: recycle an earlier result's buffers). */
  computeLod(view: Viewport, width: number, reuse?: LodResult): LodResult {
    return computeLod(this.lodLanes, view.start, view.end, width, this.opts.lod, reuse);
  }

  /** Draw the map layer (lanes, the bands where the text was cut, lost-event shading) and remember the frame for hover and hit tests. */
  drawMap(ctx: Ctx2D, view: Viewport, layout: LaneLayout): LodResult {
    const lod = this.computeLod(view, layout.width, this.lastLod ?? undefined);
    this.paint(ctx, lod, view, layout);
    this.lastLod = lod;
    this.lastView = view;
    this.lastLayout = layout;
    return lod;
  }

  private minimapLod: LodResult | undefined;

  /**
   * Draw the whole trace into a small canvas (the minimap), leaving the main frame's state alone; the UI
   * marks the current window on top (timeToX of the view's ends over the trace bounds).
   */
  drawMinimap(ctx: Ctx2D, layout: LaneLayout): LodResult {
    const view = this.bounds();
    this.minimapLod = this.computeLod(view, layout.width, this.minimapLod);
    this.paint(ctx, this.minimapLod, view, layout);
    return this.minimapLod;
  }

  private paint(ctx: Ctx2D, lod: LodResult, view: Viewport, layout: LaneLayout): void {
    const frame: MapFrame = {
      lod,
      layout,
      palettes: this.palettes,
      hatch: this.colors.hatch,
      background: this.colors.background,
      mixed: this.mixedOf,
      gaps: gapColumns(
        this.run.model.gaps,
        view.start,
        view.end,
        layout.width,
        Math.max(2, Math.round(2 * layout.dpr)),
      ),
    };
    drawMap(ctx, frame);
    drawLostRegions(ctx, this.lost, this.lanes, layout, view.start, view.end);
  }

  hitContext(): HitContext {
    return {
      index: this.index,
      run: this.run,
      taskVms: this.taskVms,
      lanes: this.lanes,
      lost: this.lost,
      classes: this.classes,
    };
  }

  /** What is under device pixel (x, y) of the last frame drawn; null over gaps or before any frame. */
  hitAt(x: number, y: number): HitResult | null {
    const lod = this.lastLod;
    const layout = this.lastLayout;
    if (!lod || !layout) return null;
    const lane = laneAtY(layout, y);
    if (lane < 0) return null;
    const px = Math.floor(x);
    if (px < 0 || px >= lod.width) return null;
    return hitTest(this.hitContext(), lane, px, lod.t0, lod.t1, lod.width, lod.value[lane * lod.width + px]);
  }

  /** Emphasis tables for the last frame's lanes (null when nothing is emphasised). */
  emphasis(e: Emphasis): Uint32Array[] | null {
    if (!hasEmphasis(e)) return null;
    return emphasisTables(this.lanes, this.colors, this.hostTasks, this.index.cpuDomain, e);
  }

  /** Draw the emphasis mask for the last frame (clears it when nothing is emphasised). */
  drawMask(ctx: Ctx2D, e: Emphasis): void {
    if (!this.lastLod || !this.lastLayout) return;
    drawMask(ctx, this.lastLod, this.lastLayout, this.emphasis(e));
  }

  /** Where a task ran in the last frame's window (pinned-task marks). */
  presence(task: number): PixelRun[] {
    if (!this.lastView || !this.lastLayout) return [];
    return taskPresence(this.index, this.lanes, task, this.lastView.start, this.lastView.end, this.lastLayout.width);
  }

  drawMarks(ctx: Ctx2D, marks: Marks): void {
    if (!this.lastView || !this.lastLayout) return;
    drawMarks(ctx, this.lastLayout, this.lastView.start, this.lastView.end, marks);
  }

  private sliceNames: SliceNames | null = null;
  private textWidths = new Map<string, number>();

  /** The names slices show: comms of normal threads, perf short names (built on first use). */
  private names(): SliceNames {
    if (!this.sliceNames) {
      const { tasks } = this.run.model;
      const short = perfShortNames(tasks, this.run.slices);
      this.sliceNames = {
        comm: (t) => (tasks.kind[t] === TaskKind.Normal ? (tasks.comms[t]?.at(-1) ?? '') : ''),
        short: (t) => (tasks.kind[t] === TaskKind.Normal ? (short[t] ?? '') : ''),
      };
    }
    return this.sliceNames;
  }

  /** Names inside the last frame's wide slices (sliceLabels.ts), drawn over its map layer. */
  drawSliceLabels(ctx: CanvasRenderingContext2D): SliceLabel[] {
    const lod = this.lastLod;
    const layout = this.lastLayout;
    if (!lod || !layout || layout.laneHeight.length === 0) return [];
    const font = sliceLabelFont(layout.dpr, layout.laneHeight[0] / layout.dpr);
    ctx.font = font;
    const measure = (text: string): number => {
      const key = `${font}\n${text}`;
      let w = this.textWidths.get(key);
      if (w === undefined) {
        w = ctx.measureText(text).width;
        if (this.textWidths.size > 4096) this.textWidths.clear();
        this.textWidths.set(key, w);
      }
      return w;
    };
    const labels = sliceLabelPlan(lod, layout, this.lanes, this.palettes, this.names(), measure);
    drawSliceLabels(ctx, labels, font);
    return labels;
  }

  /** Build every pyramid level of the current lanes now instead of on first use. */
  prebuild(): void {
    for (const l of this.lodLanes) l.pyramid?.buildAll();
  }

  /**
   * Build pyramid levels for up to `budgetMs` (call from requestIdleCallback until it returns false), so
   * the first frame at a new zoom does not pay for them. One level of one lane is the unit of work.
   */
  prebuildSome(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const end = now() + budgetMs;
    for (const l of this.lodLanes) {
      if (!l.pyramid) continue;
      while (l.pyramid.buildNext()) if (now() >= end) return true;
    }
    return false;
  }
}
