// A pane's store travels by React context: components inside a pane read their
// own pane's state, so two panes never share a window or a selection.

import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Run } from '../../model/runs';
import { createPaneStore, type PaneState, type PaneStore } from './paneStore';

const PaneContext = createContext<PaneStore | null>(null);

export function PaneProvider({ run, children }: { run: Run; children: ReactNode }) {
  const [store] = useState(() => createPaneStore(run));
  return <PaneContext.Provider value={store}>{children}</PaneContext.Provider>;
}

export function usePaneStore(): PaneStore {
  const store = useContext(PaneContext);
  if (!store) throw new Error('usePaneStore outside a PaneProvider');
  return store;
}

export function usePane<T>(selector: (s: PaneState) => T): T {
  return useStore(usePaneStore(), selector);
}
