// App-wide state (zustand): the open runs (as the page holds them: the model
// worker owns their models and applies every drop), the files opened this
// session (what the kept traces are written from) and the loads in
// progress. Per-pane view state lives in each pane's own store; what panes
// share is here and explicit: run labels, the comparison's layout, view lock
// and VM pairing, and each pane's inputs the comparison follows (its query and
// its VM renames). Numbers derived from them are the worker's job results.

import { create } from 'zustand';
import type { PairOverrides } from '../analysis/compare';
import type { PanelQuery } from '../analysis/panel';
import type { DrawnRun } from '../model/drawnRun';
import type { PaletteName } from '../render/colors';
import type { PaneStore } from './pane/paneStore';
import type { FileError, OpenTarget, RunMessage } from '../worker/protocol';
import { closeRun, forgetRun, openFiles, type ParseProgressInfo } from './modelClient';

export type LoadStatus =
  | { state: 'idle' }
  | { state: 'parsing'; progress: ParseProgressInfo | null; cancel: () => void }
  /** The user cancelled: how far the parse had read, and how long it took to stop (ms). */
  | { state: 'cancelled'; bytesRead: number; totalBytes: number; stopMs: number }
  | { state: 'done' };

/** A run's pane key: its id in the model worker (a run re-assembled with a companion is a new run). */
export function runKey(run: Pick<DrawnRun, 'id'>): number {
  return run.id;
}

/** A label from a file name: without .gz and .txt. */
export function labelOfFile(name: string): string {
  return name.replace(/\.gz$/i, '').replace(/\.txt$/i, '') || name;
}

/** A pane's inputs the comparison follows. */
export interface PaneInputs {
  /** The window and CPUs its panel analyses; null before the panel asked. */
  query: PanelQuery | null;
  /** Names the user gave VMs, by VM index. */
  vmLabels: Record<number, string>;
}

export type CompareLayout = 'side' | 'stacked';

/** A file the user opened this session, and whether it is a built-in sample (the app has those anyway: not kept). */
export interface OpenedFile {
  file: File;
  sample: boolean;
}

interface AppState {
  /** Colour palette for VM hues: perceptual HCL, or colour-blind-safe Okabe-Ito. */
  palette: PaletteName;
  setPalette: (p: PaletteName) => void;
  helpOpen: boolean;
  toggleHelp: () => void;
  runs: DrawnRun[];
  errors: FileError[];
  status: LoadStatus;
  /** Parse files; traces replace the current runs, companions join them. */
  load: (files: File[], from?: { sample: boolean }) => Promise<void>;
  /**
   * The files opened this session by name (the newest of a name): what the kept set is written from. A Map,
   * not an object: a file's name is the user's text (`__proto__`, `constructor` are names too).
   */
  opened: ReadonlyMap<string, OpenedFile>;
  /** Parse traces and open them next to the current runs. */
  addRuns: (files: File[]) => Promise<void>;
  /** Parse traces and put them in place of one run; the other runs keep their panes. */
  replaceRun: (run: DrawnRun, files: File[]) => Promise<void>;
  /** Close one run; the others keep their panes. */
  closeRun: (run: DrawnRun) => void;

  /** Label per run key (default: the file name). */
  labels: Record<number, string>;
  setLabel: (key: number, label: string) => void;
  layout: CompareLayout;
  setLayout: (l: CompareLayout) => void;
  /** Zoom and pan all panes together (scaled to each run's length). */
  lockViews: boolean;
  setLockViews: (on: boolean) => void;
  /** The user's VM pairing, per run key of a non-reference run (reference = the first run). */
  pairOverrides: Record<number, PairOverrides>;
  /** Pair the reference run's VM refVm with this run's VM vm (-1: unpaired); null resets the run's pairing. */
  setPair: (key: number, refVm: number | null, vm?: number) => void;
  panes: Record<number, PaneInputs>;
  publish: (key: number, s: Partial<PaneInputs>) => void;
  /** The store of each mounted pane, by run key (the view lock and the link state move panes through it). */
  paneStores: Record<number, PaneStore>;
  /** A pane mounted with its store; returns its unmount. */
  attachPane: (key: number, store: PaneStore) => () => void;
  /** The run key of the pane the user last pointed at or focused (null: none yet): a search key outside every pane opens its search. */
  activePane: number | null;
  setActivePane: (key: number) => void;
}

/** The page's runs after an open request: kept ones by id, new ones from their messages. */
function runsAfter(current: readonly DrawnRun[], list: readonly (RunMessage | { id: number })[]): DrawnRun[] {
  const byId = new Map(current.map((r) => [r.id, r]));
  const out: DrawnRun[] = [];
  for (const entry of list) {
    const kept = byId.get(entry.id);
    if (kept) out.push(kept);
    else if ('model' in entry) {
      // A re-assembled run of a model the page shows already: the same drawn slices.
      const slices = entry.slices ?? current.find((r) => r.modelId === entry.modelId)?.slices;
      if (slices) out.push({ ...entry, slices });
    }
  }
  return out;
}

export const useAppStore = create<AppState>((set, get) => {
  /** Open requests in flight, by id; Cancel stops them all. */
  const inflight = new Map<number, () => void>();
  let cancelledAt: number | null = null;
  const cancelAll = (): void => {
    cancelledAt = performance.now();
    for (const cancel of inflight.values()) cancel();
  };
  const forget = (gone: readonly DrawnRun[]): void => {
    const panes = { ...get().panes };
    const pairOverrides = { ...get().pairOverrides };
    for (const r of gone) {
      forgetRun(r.id);
      delete panes[r.id];
      delete pairOverrides[r.id];
    }
    set({ panes, pairOverrides });
  };
  /** Send files to the worker for `target`; apply what it answers (only the newest request of a target is). */
  const open = async (files: File[], target: OpenTarget, sample = false): Promise<void> => {
    if (files.length === 0) return;
    // The kept traces are written from these once the worker says which runs they made.
    const opened = new Map(get().opened);
    for (const file of files) opened.set(file.name, { file, sample });
    set({ opened });
    const req = openFiles(files, target, (progress) => {
      if (inflight.has(req.id)) set({ status: { state: 'parsing', progress, cancel: cancelAll } });
    });
    inflight.set(req.id, req.cancel);
    if (inflight.size === 1) cancelledAt = null;
    set({ status: { state: 'parsing', progress: null, cancel: cancelAll }, errors: [] });
    const outcome = await req.promise;
    inflight.delete(req.id);
    const settled = inflight.size === 0;
    if (outcome.kind === 'joined') return;
    if (outcome.kind === 'cancelled') {
      if (settled)
        set({
          status:
            cancelledAt !== null
              ? { state: 'cancelled', bytesRead: outcome.bytesRead, totalBytes: outcome.totalBytes, stopMs: performance.now() - cancelledAt }
              : { state: 'done' },
        });
      return;
    }
    const status: LoadStatus = settled ? { state: 'done' } : get().status;
    if (!outcome.runs) {
      set({ errors: outcome.errors, status });
      return;
    }
    const before = get().runs;
    const runs = runsAfter(before, outcome.runs);
    const wasRef = before[0];
    set({ runs, errors: outcome.errors, status });
    forget(before.filter((r) => !runs.includes(r)));
    // The pairing is against the reference (first) run: a new reference starts over.
    if (wasRef && runs[0] !== wasRef) set({ pairOverrides: {} });
  };
  return {
    palette: 'hcl',
    setPalette: (palette) => set({ palette }),
    helpOpen: false,
    toggleHelp: () => set({ helpOpen: !get().helpOpen }),
    runs: [],
    errors: [],
    status: { state: 'idle' },
    load: (files, from) => open(files, { kind: 'app' }, from?.sample),
    opened: new Map(),
    addRuns: (files) => open(files, { kind: 'add' }),
    replaceRun: (run, files) => open(files, { kind: 'replace', runId: run.id }),
    closeRun: (run) => {
      const wasRef = get().runs[0] === run;
      set({ runs: get().runs.filter((r) => r !== run) });
      closeRun(run.id);
      forget([run]);
      if (wasRef) set({ pairOverrides: {} });
    },

    labels: {},
    setLabel: (key, label) => set({ labels: { ...get().labels, [key]: label } }),
    layout: 'side',
    setLayout: (layout) => set({ layout }),
    // Comparing like with like: views and ranges locked by default.
    lockViews: true,
    setLockViews: (lockViews) => set({ lockViews }),
    pairOverrides: {},
    setPair: (key, refVm, vm = -1) => {
      const all = { ...get().pairOverrides };
      if (refVm === null) delete all[key];
      else all[key] = { ...all[key], [refVm]: vm };
      set({ pairOverrides: all });
    },
    paneStores: {},
    attachPane: (key, store) => {
      set({ paneStores: { ...get().paneStores, [key]: store } });
      return () => {
        if (get().paneStores[key] !== store) return;
        const rest = { ...get().paneStores };
        delete rest[key];
        set({ paneStores: rest });
      };
    },
    activePane: null,
    setActivePane: (activePane) => {
      if (get().activePane !== activePane) set({ activePane });
    },
    panes: {},
    publish: (key, s) => {
      const prev = get().panes[key] ?? { query: null, vmLabels: {} };
      set({ panes: { ...get().panes, [key]: { ...prev, ...s } } });
    },
  };
});

/** The label of a run: the user's, else from its file name. */
export function runLabel(labels: Record<number, string>, run: DrawnRun): string {
  return labels[run.id] ?? labelOfFile(run.name);
}
