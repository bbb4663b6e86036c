// App-wide state (zustand): what was dropped, the runs assembled from it, and
// the load in progress. Per-pane view state lives in each pane's own store;
// what panes share is here and explicit: run labels, the comparison's layout,
// view lock and VM pairing, and what each pane publishes for the comparison
// (its VM names and its current metrics).

import { create } from 'zustand';
import type { PairOverrides } from '../analysis/compare';
import type { RunMetrics } from '../analysis/metrics';
import type { TopologyMetrics } from '../analysis/topology';
import { assembleRuns, type DroppedInput, type Run } from '../model/runs';
import { releaseCpuSlices } from '../render/sliceIndex';
import type { FileError } from '../worker/protocol';
import { releaseRun } from './panel/analysisClient';
import type { PanelQuery } from './panel/panelCompute';
import { parseFiles, type ParseOutcome, type ParseProgressInfo } from './parseClient';

export type LoadStatus =
  | { state: 'idle' }
  | { state: 'parsing'; progress: ParseProgressInfo | null; cancel: () => void }
  | { state: 'done' };

import type { PaletteName } from '../render/colors';

// A pane's store belongs to one Run object: a re-assembled run (a companion
// joined it) gets a fresh pane. The key names it in shared state.
const runKeys = new WeakMap<object, number>();
let nextRunKey = 1;
export function runKey(run: object): number {
  let k = runKeys.get(run);
  if (k === undefined) runKeys.set(run, (k = nextRunKey++));
  return k;
}

/** A label from a file name: without .gz and .txt. */
export function labelOfFile(name: string): string {
  return name.replace(/\.gz$/i, '').replace(/\.txt$/i, '') || name;
}

/** What a pane shares with the comparison. */
export interface PaneShared {
  /** VM names as the user sees them (renames applied), by VM index. */
  vmNames: string[];
  metrics: RunMetrics | null;
  query: PanelQuery | null;
  /** The run's topology numbers for the same window; null when it has no topology (or not yet computed). */
  topology?: TopologyMetrics | null;
}

export type CompareLayout = 'side' | 'stacked';

interface AppState {
  /** Colour palette for VM hues: perceptual HCL, or colour-blind-safe Okabe-Ito. */
  palette: PaletteName;
  setPalette: (p: PaletteName) => void;
  helpOpen: boolean;
  toggleHelp: () => void;
  inputs: DroppedInput[];
  runs: Run[];
  errors: FileError[];
  status: LoadStatus;
  /** Parse files; traces replace the current runs, companions join them. */
  load: (files: File[]) => Promise<void>;
  /** Parse traces and open them next to the current runs. */
  addRuns: (files: File[]) => Promise<void>;
  /** Parse traces and put them in place of one run; the other runs keep their panes. */
  replaceRun: (run: Run, files: File[]) => Promise<void>;
  /** Close one run; the others keep their panes. */
  closeRun: (run: Run) => void;

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
  shared: Record<number, PaneShared>;
  publish: (key: number, s: Partial<PaneShared>) => void;
}

/** Companion inputs (VM maps, ps output, host topologies): they apply to every run (a topology only where it fits). */
const companionsOf = (inputs: readonly DroppedInput[]): DroppedInput[] => inputs.filter((i) => i.kind !== 'trace');

/** The trace inputs behind a run: its trace and the timehists that joined it as companions. */
function inputsOfRun(inputs: readonly DroppedInput[], run: Run): Set<DroppedInput> {
  return new Set(
    inputs.filter(
      (i) =>
        i.kind === 'trace' &&
        (i.model === run.model || (i.model.format === 'perf-sched-timehist' && run.companions.includes(i.name))),
    ),
  );
}

/**
 * The parse worker grouped every trace's slices by CPU for the map; a trace that became another's
 * companion (a matching timehist) is never drawn, so its grouping is dropped.
 */
function releaseUndrawn(added: readonly DroppedInput[], runs: readonly Run[]): void {
  for (const i of added) if (i.kind === 'trace' && !runs.some((r) => r.model === i.model)) releaseCpuSlices(i.model);
}

export const useAppStore = create<AppState>((set, get) => {
  /** Parse with progress and cancel; null when cancelled or nothing parsed (errors shown). */
  const parse = async (files: File[]): Promise<ParseOutcome | null> => {
    if (files.length === 0) return null;
    const { promise, cancel } = parseFiles(files, (progress) => set({ status: { state: 'parsing', progress, cancel } }));
    set({ status: { state: 'parsing', progress: null, cancel }, errors: [] });
    const outcome = await promise;
    if (outcome.cancelled) {
      set({ status: { state: 'done' } });
      return null;
    }
    if (outcome.inputs.length === 0) {
      set({ errors: outcome.errors, status: { state: 'done' } });
      return null;
    }
    return outcome;
  };
  const forget = (gone: readonly Run[]): void => {
    const shared = { ...get().shared };
    const pairOverrides = { ...get().pairOverrides };
    for (const r of gone) {
      releaseRun(r);
      delete shared[runKey(r)];
      delete pairOverrides[runKey(r)];
    }
    set({ shared, pairOverrides });
  };
  return {
    palette: 'hcl',
    setPalette: (palette) => set({ palette }),
    helpOpen: false,
    toggleHelp: () => set({ helpOpen: !get().helpOpen }),
    inputs: [],
    runs: [],
    errors: [],
    status: { state: 'idle' },
    load: async (files) => {
      if (files.length === 0) return;
      const { promise, cancel } = parseFiles(files, (progress) =>
        set({ status: { state: 'parsing', progress, cancel } }),
      );
      set({ status: { state: 'parsing', progress: null, cancel }, errors: [] });
      const outcome = await promise;
      if (outcome.cancelled) {
        set({ status: { state: 'done' } });
        return;
      }
      // Dropped after a trace, a companion joins it: a CSV or ps file, or a timehist
      // that matches the open trace (it becomes a companion instead of a run).
      // Anything else that is a trace opens fresh.
      const previous = get().inputs;
      const joined = [...previous, ...outcome.inputs];
      const joinedRuns = assembleRuns(joined);
      const onlyCompanions = previous.length > 0 && joinedRuns.length === get().runs.length;
      const inputs = onlyCompanions || outcome.inputs.length === 0 ? joined : outcome.inputs;
      const runs = inputs === joined ? joinedRuns : assembleRuns(inputs);
      if (outcome.inputs.length === 0 && outcome.errors.length > 0) {
        set({ errors: outcome.errors, status: { state: 'done' } });
        return;
      }
      const old = get().runs;
      releaseUndrawn(outcome.inputs, runs);
      set({ inputs, runs, errors: outcome.errors, status: { state: 'done' } });
      forget(old.filter((r) => !runs.includes(r)));
    },
    addRuns: async (files) => {
      const outcome = await parse(files);
      if (!outcome) return;
      const added = assembleRuns([...companionsOf(get().inputs), ...outcome.inputs]);
      releaseUndrawn(outcome.inputs, added);
      set({
        inputs: [...get().inputs, ...outcome.inputs],
        runs: [...get().runs, ...added],
        errors: outcome.errors,
        status: { state: 'done' },
      });
    },
    replaceRun: async (run, files) => {
      const outcome = await parse(files);
      if (!outcome) return;
      const fresh = assembleRuns([...companionsOf(get().inputs), ...outcome.inputs]);
      if (fresh.length === 0) {
        set({ errors: [...outcome.errors, { file: files[0]?.name ?? '', message: 'no trace in these files' }], status: { state: 'done' } });
        return;
      }
      releaseUndrawn(outcome.inputs, fresh);
      const drop = inputsOfRun(get().inputs, run);
      const wasRef = get().runs[0] === run;
      const runs = get().runs.flatMap((r) => (r === run ? fresh : [r]));
      set({
        inputs: [...get().inputs.filter((i) => !drop.has(i)), ...outcome.inputs],
        runs,
        errors: outcome.errors,
        status: { state: 'done' },
      });
      forget([run]);
      // The pairing is against the reference (first) run: a new reference starts over.
      if (wasRef) set({ pairOverrides: {} });
    },
    closeRun: (run) => {
      const drop = inputsOfRun(get().inputs, run);
      const wasRef = get().runs[0] === run;
      const runs = get().runs.filter((r) => r !== run);
      // The last run closed: nothing left for companions to join.
      const inputs = runs.length === 0 ? [] : get().inputs.filter((i) => !drop.has(i));
      set({ runs, inputs });
      forget([run]);
      if (wasRef) set({ pairOverrides: {} });
    },

    labels: {},
    setLabel: (key, label) => set({ labels: { ...get().labels, [key]: label } }),
    layout: 'side',
    setLayout: (layout) => set({ layout }),
    lockViews: false,
    setLockViews: (lockViews) => set({ lockViews }),
    pairOverrides: {},
    setPair: (key, refVm, vm = -1) => {
      const all = { ...get().pairOverrides };
      if (refVm === null) delete all[key];
      else all[key] = { ...all[key], [refVm]: vm };
      set({ pairOverrides: all });
    },
    shared: {},
    publish: (key, s) => {
      const prev = get().shared[key] ?? { vmNames: [], metrics: null, query: null };
      set({ shared: { ...get().shared, [key]: { ...prev, ...s } } });
    },
  };
});

/** The label of a run: the user's, else from its file name. */
export function runLabel(labels: Record<number, string>, run: Run): string {
  return labels[runKey(run)] ?? labelOfFile(run.name);
}
