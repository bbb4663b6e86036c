// One zustand store per trace pane (created per React context, so a
// comparison holds several side by side), with slices per concern: the trace
// (the run and what the user renamed), the view (window, lane mode, what is
// hidden) and the selection (hover, pinned slice, highlighted VM, time range,
// markers). What panes share lives in the app store.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Run } from '../../model/runs';
import type { HitResult } from '../../render/hitTest';
import type { LaneMode } from '../../render/lanes';
import { clampView, resetView, viewBounds, type Viewport } from '../../render/viewport';

export interface TraceSlice {
  run: Run;
  /** Display names the user gave VMs, by VM index. */
  vmLabels: Record<number, string>;
  renameVm: (vm: number, label: string) => void;
}

export interface ViewSlice {
  view: Viewport;
  laneMode: LaneMode;
  hiddenVms: ReadonlySet<number>;
  hideHostTasks: boolean;
  setView: (v: Viewport) => void;
  resetView: () => void;
  setLaneMode: (m: LaneMode) => void;
  toggleVmHidden: (vm: number) => void;
  setHideHostTasks: (hide: boolean) => void;
}

export interface SelectionSlice {
  hover: HitResult | null;
  /** Pointer position over the map, CSS px relative to the map (for the tooltip and cursor line). */
  pointer: { x: number; y: number } | null;
  /** The pinned slice (switch index) and its task: highlighted everywhere. */
  pinned: PinnedSlice | null;
  highlightVm: number | null;
  selection: { start: number; end: number } | null;
  markers: { a: number | null; b: number | null };
  setHover: (hit: HitResult | null, pointer: { x: number; y: number } | null) => void;
  setPinned: (pinned: PinnedSlice | null) => void;
  setHighlightVm: (vm: number | null) => void;
  setSelection: (s: { start: number; end: number } | null) => void;
  setMarker: (which: 'a' | 'b', t: number | null) => void;
  clearSelection: () => void;
}

export interface PinnedSlice {
  task: number;
  slice: number;
}

export type PaneState = TraceSlice & ViewSlice & SelectionSlice;
export type PaneStore = StoreApi<PaneState>;

function traceBounds(run: Run) {
  const sw = run.model.switches;
  return viewBounds(sw.length ? sw.time[0] : 0, sw.length ? sw.time[sw.length - 1] : 1);
}

export function createPaneStore(run: Run): PaneStore {
  const bounds = traceBounds(run);
  return createStore<PaneState>()((set, get) => ({
    run,
    vmLabels: {},
    renameVm: (vm, label) => set({ vmLabels: { ...get().vmLabels, [vm]: label } }),

    view: resetView(bounds),
    laneMode: 'cpu',
    hiddenVms: new Set(),
    hideHostTasks: false,
    setView: (v) => set({ view: clampView(v, bounds) }),
    resetView: () => set({ view: resetView(bounds) }),
    setLaneMode: (laneMode) => set({ laneMode, hover: null }),
    toggleVmHidden: (vm) => {
      const hidden = new Set(get().hiddenVms);
      if (hidden.has(vm)) hidden.delete(vm);
      else hidden.add(vm);
      set({ hiddenVms: hidden });
    },
    setHideHostTasks: (hideHostTasks) => set({ hideHostTasks }),

    hover: null,
    pointer: null,
    pinned: null,
    highlightVm: null,
    selection: null,
    markers: { a: null, b: null },
    setHover: (hover, pointer) => set({ hover, pointer }),
    setPinned: (pinned) => set({ pinned }),
    setHighlightVm: (highlightVm) => set({ highlightVm }),
    setSelection: (selection) => set({ selection }),
    setMarker: (which, t) => set({ markers: { ...get().markers, [which]: t } }),
    clearSelection: () => set({ selection: null, pinned: null, highlightVm: null }),
  }));
}

/** The VM's name as shown: the user's label, else the grouping's name. */
export function vmLabel(state: Pick<PaneState, 'run' | 'vmLabels'>, vm: number): string {
  return state.vmLabels[vm] ?? state.run.vms[vm]?.name ?? '';
}

export { traceBounds };
