// One zustand store per trace pane (created per React context, so a
// comparison holds several side by side), with slices per concern: the trace
// (the run and what the user renamed), the view (window, lane mode, what is
// hidden) and the selection (pointer, pinned slice, highlighted VM, time range,
// markers). What panes share lives in the app store. The store holds inputs:
// what is derived from them (the view's bounds, the hover) is computed.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DrawnRun } from '../../model/drawnRun';
import type { CpuLaneOrder, LaneMode, VcpuShading } from '../../render/lanes';
import { clampView, resetView, type Viewport } from '../../render/viewport';
import { FIT_LANES, type LaneView } from '../../render/laneView';
import type { SliceHighlight } from '../../render/highlight';
import { PaneScene } from '../map/sceneCache';
import { paneBounds, traceBounds, type Extent } from './paneBounds';

export interface TraceSlice {
  run: DrawnRun;
  /** The pane's map scene (shared by its map and minimap). */
  scene: PaneScene;
  /** The run's key in the app store's shared state (0 outside the app). */
  paneId: number;
  /** Display names the user gave VMs, by VM index. */
  vmLabels: Record<number, string>;
  renameVm: (vm: number, label: string) => void;
}

export interface ViewSlice {
  view: Viewport;
  /**
   * While views are locked in a comparison, the union of the locked traces' bounds (so a shorter trace's
   * pane can show the time past its end, empty); null: the trace's own. The bounds the view may go to are
   * derived from it and the run (paneBounds), not stored.
   */
  extent: Extent | null;
  /** Widen the bounds to this extent (null: back to the trace's own); the view stays where it is if it can. */
  setExtent: (extent: Extent | null) => void;
  laneMode: LaneMode;
  hiddenVms: ReadonlySet<number>;
  hideHostTasks: boolean;
  setView: (v: Viewport) => void;
  resetView: () => void;
  /** Vertical zoom and scroll of the lanes (FIT_LANES: all lanes share the map's height). */
  laneView: LaneView;
  setLaneView: (lv: LaneView) => void;
  setLaneMode: (m: LaneMode) => void;
  /** Host-CPU lanes by CPU number or by node / socket / core (default: by topology when the run has one). */
  cpuOrder: CpuLaneOrder;
  setCpuOrder: (o: CpuLaneOrder) => void;
  /** vCPU lanes' running colour: the vCPU's own, or the NUMA node it ran on (default when a topology is known). */
  vcpuShading: VcpuShading;
  setVcpuShading: (s: VcpuShading) => void;
  toggleVmHidden: (vm: number) => void;
  setHideHostTasks: (hide: boolean) => void;
  /** CPUs left out of the map's CPU lanes and of the analysis ("visible CPUs" = the others). */
  hiddenCpus: ReadonlySet<number>;
  setHiddenCpus: (cpus: ReadonlySet<number>) => void;
  /** Lanes pinned above the scrolled ones: CPU numbers (CPU lanes) and vCPU thread ids (vCPU lanes), in pin order. */
  pins: LanePins;
  /** Pin or unpin a CPU lane (kind 'cpu', a CPU number) or a vCPU lane (kind 'vcpu', its thread id). */
  togglePin: (kind: keyof LanePins, id: number) => void;
  setPins: (pins: LanePins) => void;
  /** The map as one canvas (map, emphasis, marks, lane labels, axis) for a PNG export; set by the map. */
  mapSnapshot: (() => HTMLCanvasElement | null) | null;
  setMapSnapshot: (f: (() => HTMLCanvasElement | null) | null) => void;
}

export interface LanePins {
  cpu: readonly number[];
  vcpu: readonly number[];
}

/** The map's search box: open or not, its text, and the match jumped to last (-1: none yet). */
export interface MapSearchState {
  open: boolean;
  query: string;
  current: number;
}

export interface SelectionSlice {
  /**
   * Pointer position over the map, CSS px relative to the map (the tooltip and cursor line; the hover is
   * what the frame drawn has under it: map/useHover).
   */
  pointer: { x: number; y: number } | null;
  /** The pinned slice (switch index) and its task: highlighted everywhere. */
  pinned: PinnedSlice | null;
  highlightVm: number | null;
  selection: { start: number; end: number } | null;
  markers: { a: number | null; b: number | null };
  setPointer: (pointer: { x: number; y: number } | null) => void;
  setPinned: (pinned: PinnedSlice | null) => void;
  setHighlightVm: (vm: number | null) => void;
  setSelection: (s: { start: number; end: number } | null) => void;
  setMarker: (which: 'a' | 'b', t: number | null) => void;
  clearSelection: () => void;
  search: MapSearchState;
  setSearch: (s: Partial<MapSearchState>) => void;
  /** A hovered bar of a run-slice histogram: its slices are marked on the map. */
  sliceHighlight: SliceHighlight | null;
  setSliceHighlight: (h: SliceHighlight | null) => void;
}

export interface PinnedSlice {
  task: number;
  slice: number;
}

export type PaneState = TraceSlice & ViewSlice & SelectionSlice;
export type PaneStore = StoreApi<PaneState>;

export function createPaneStore(run: DrawnRun, paneId = 0, scene: PaneScene = new PaneScene(run)): PaneStore {
  return createStore<PaneState>()((set, get) => ({
    run,
    scene,
    paneId,
    vmLabels: {},
    renameVm: (vm, label) => set({ vmLabels: { ...get().vmLabels, [vm]: label } }),

    view: resetView(traceBounds(run)),
    extent: null,
    setExtent: (extent) => set({ extent, view: clampView(get().view, paneBounds({ run, extent })) }),
    laneMode: 'cpu',
    hiddenVms: new Set(),
    hideHostTasks: false,
    setView: (v) => set({ view: clampView(v, paneBounds(get())) }),
    // The whole trace, or, locked, the whole of the locked traces.
    resetView: () => set({ view: resetView(paneBounds(get())) }),
    laneView: FIT_LANES,
    setLaneView: (laneView) => set({ laneView }),
    setLaneMode: (laneMode) => set({ laneMode, laneView: FIT_LANES }),
    cpuOrder: run.topology ? 'topology' : 'numeric',
    setCpuOrder: (cpuOrder) => set({ cpuOrder }),
    vcpuShading: run.topology ? 'node' : 'vm',
    setVcpuShading: (vcpuShading) => set({ vcpuShading }),
    toggleVmHidden: (vm) => {
      const hidden = new Set(get().hiddenVms);
      if (hidden.has(vm)) hidden.delete(vm);
      else hidden.add(vm);
      set({ hiddenVms: hidden });
    },
    setHideHostTasks: (hideHostTasks) => set({ hideHostTasks }),
    hiddenCpus: new Set(),
    setHiddenCpus: (hiddenCpus) => set({ hiddenCpus }),
    pins: { cpu: [], vcpu: [] },
    togglePin: (kind, id) => {
      const pins = get().pins;
      const list = pins[kind].includes(id) ? pins[kind].filter((x) => x !== id) : [...pins[kind], id];
      set({ pins: { ...pins, [kind]: list } });
    },
    setPins: (pins) => set({ pins }),
    mapSnapshot: null,
    setMapSnapshot: (mapSnapshot) => set({ mapSnapshot }),

    pointer: null,
    pinned: null,
    highlightVm: null,
    selection: null,
    markers: { a: null, b: null },
    setPointer: (pointer) => set({ pointer }),
    setPinned: (pinned) => set({ pinned }),
    setHighlightVm: (highlightVm) => set({ highlightVm }),
    setSelection: (selection) => set({ selection }),
    setMarker: (which, t) => set({ markers: { ...get().markers, [which]: t } }),
    clearSelection: () => set({ selection: null, pinned: null, highlightVm: null }),
    search: { open: false, query: '', current: -1 },
    setSearch: (search) => set({ search: { ...get().search, ...search } }),
    sliceHighlight: null,
    setSliceHighlight: (sliceHighlight) => set({ sliceHighlight }),
  }));
}

/** The VM's name as shown: the user's label, else the grouping's name. */
export function vmLabel(state: Pick<PaneState, 'run' | 'vmLabels'>, vm: number): string {
  return state.vmLabels[vm] ?? state.run.vms[vm]?.name ?? '';
}
