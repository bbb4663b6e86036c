// A pane's store travels by React context: components inside a pane read their
// own pane's state, so two panes never share a window or a selection. What a
// pane shares is explicit: it publishes its VM names to the app store, and
// with the view lock on its window moves the other panes (compare/viewLock).

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DrawnRun } from '../../model/drawnRun';
import { useAppStore } from '../appStore';
import { syncViewsFrom } from '../compare/viewLock';
import type { PaneScene } from '../map/sceneCache';
import { createPaneStore, type PaneState, type PaneStore } from './paneStore';

const PaneContext = createContext<PaneStore | null>(null);

export function PaneProvider({
  run,
  paneId = 0,
  scene,
  colorVmNames,
  children,
}: {
  run: DrawnRun;
  paneId?: number;
  /** The pane's scene, when its owner built it already. */
  scene?: PaneScene;
  /** Colour slots shared across a comparison (undefined: the run's own order). */
  colorVmNames?: readonly string[];
  children: ReactNode;
}) {
  const [store] = useState(() => {
    const s = createPaneStore(run, paneId, scene);
    s.setState({ colorVmNames });
    return s;
  });

  useEffect(() => {
    if (store.getState().colorVmNames !== colorVmNames) store.getState().setColorVmNames(colorVmNames);
  }, [store, colorVmNames]);

  useEffect(() => {
    if (paneId === 0) return;
    const unregister = useAppStore.getState().attachPane(paneId, store);
    useAppStore.getState().publish(paneId, { vmLabels: store.getState().vmLabels });
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.vmLabels !== prev.vmLabels) useAppStore.getState().publish(paneId, { vmLabels: s.vmLabels });
      if (s.view !== prev.view && useAppStore.getState().lockViews) syncViewsFrom(paneId);
    });
    return () => {
      unsubscribe();
      unregister();
    };
  }, [store, paneId]);

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
