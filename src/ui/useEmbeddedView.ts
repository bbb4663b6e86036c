// A report's view (embedded.ts): applied to every pane once the report's own
// runs are open, so it opens at `--range` in `--lanes` mode.

import { useEffect, useRef } from 'react';
import type { DrawnRun } from '../model/drawnRun';
import { runKey, useAppStore } from './appStore';
import { embeddedView } from './embedded';
import { applyPaneState } from './useUrlState';

/** `loaded`: the report's traces are read (runs are open and nothing is being parsed). */
export function useEmbeddedView(runs: readonly DrawnRun[], loaded: boolean): void {
  const view = useRef(embeddedView());
  useEffect(() => {
    const v = view.current;
    if (!v || !loaded || runs.length === 0) return;
    // Panes register their stores in their own effects: apply on the next tick.
    const t = setTimeout(() => {
      const stores = runs.map((r) => useAppStore.getState().paneStores[runKey(r)]);
      if (stores.some((s) => !s)) return;
      for (const s of stores) if (s) applyPaneState(s, v);
      view.current = null;
    }, 0);
    return () => clearTimeout(t);
  }, [runs, loaded]);
}
