// App-wide state (zustand): what was dropped, the runs assembled from it, and
// the load in progress. Per-pane view state lives in each pane's own store.

import { create } from 'zustand';
import { assembleRuns, type DroppedInput, type Run } from '../model/runs';
import type { FileError } from '../worker/protocol';
import { parseFiles, type ParseProgressInfo } from './parseClient';

export type LoadStatus =
  | { state: 'idle' }
  | { state: 'parsing'; progress: ParseProgressInfo | null; cancel: () => void }
  | { state: 'done' };

import type { PaletteName } from '../render/colors';

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
}

export const useAppStore = create<AppState>((set, get) => ({
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
    set({ inputs, runs, errors: outcome.errors, status: { state: 'done' } });
  },
}));
