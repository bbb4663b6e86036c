// A pane's store travels by React context: components inside a pane read their
// own pane's state, so two panes never share a window or a selection. What a
// pane shares is explicit: it publishes its VM names to the app store, and
// with the view lock on its window moves the other panes (compare/viewLock).

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DrawnRun } from '../../model/drawnRun';
import { useAppStore } from '../appStore';
import { applyLockExtent, syncSelectionFrom, syncViewsFrom } from '../compare/viewLock';
import type { PaneScene } from '../map/sceneCache';
import type { VmLegend } from '../../render/colors';
import type { ViewBounds } from '../../render/viewport';
import { paneBounds } from './paneBounds';
import { createPaneStore, type PaneState, type PaneStore } from './paneStore';

const PaneContext = createContext<PaneStore | null>(null);
/**
 * Colour slots by VM name (ColorOptions.vmNames) so paired VMs of a comparison share colours; undefined:
 * the run's own order. Derived by the comparison (useColorSlots) and handed down, not held in the store.
 */
const ColorSlotsContext = createContext<readonly string[] | undefined>(undefined);

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
  const [store] = useState(() => createPaneStore(run, paneId, scene));

  useEffect(() => {
    if (paneId === 0) return;
    const app = useAppStore.getState();
    // A pane joining a locked comparison takes the others' window and range.
    const joined = Object.keys(app.paneStores).map(Number);
    const unregister = app.attachPane(paneId, store);
    app.publish(paneId, { vmLabels: store.getState().vmLabels });
    if (app.lockViews && joined.length > 0) {
      const first = app.paneStores[joined[0]].getState();
      const fb = paneBounds(first);
      const whole = first.view.start === fb.start && first.view.end === fb.end;
      applyLockExtent(true);
      // The others showed their whole traces: now every pane shows the whole of all of them.
      if (whole) first.resetView();
      syncViewsFrom(joined[0]);
      syncSelectionFrom(joined[0]);
    }
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.vmLabels !== prev.vmLabels) useAppStore.getState().publish(paneId, { vmLabels: s.vmLabels });
      const locked = useAppStore.getState().lockViews;
      if (s.view !== prev.view && locked) syncViewsFrom(paneId);
      if (s.selection !== prev.selection && locked) syncSelectionFrom(paneId);
    });
    return () => {
      unsubscribe();
      unregister();
      // The others' bounds shrink back to what the remaining locked panes need.
      if (useAppStore.getState().lockViews) applyLockExtent(true);
    };
  }, [store, paneId]);

  return (
    <PaneContext.Provider value={store}>
      <ColorSlotsContext.Provider value={colorVmNames}>{children}</ColorSlotsContext.Provider>
    </PaneContext.Provider>
  );
}

export function usePaneStore(): PaneStore {
  const store = useContext(PaneContext);
  if (!store) throw new Error('usePaneStore outside a PaneProvider');
  return store;
}

export function usePane<T>(selector: (s: PaneState) => T): T {
  return useStore(usePaneStore(), selector);
}

/** The pane's colour slots (ColorSlotsContext): undefined outside a comparison. */
export function usePaneColorSlots(): readonly string[] | undefined {
  return useContext(ColorSlotsContext);
}

/** Where this pane's view may go (paneBounds), one object while its run and extent stay (a stable effect dependency). */
export function usePaneBounds(): ViewBounds {
  const run = usePane((s) => s.run);
  const extent = usePane((s) => s.extent);
  return useMemo(() => paneBounds({ run, extent }), [run, extent]);
}

/** The pane's VM colour ramps as its map draws them (the app's palette, the pane's colour slots). */
export function useVmLegend(): VmLegend[] {
  const scene = usePane((s) => s.scene);
  const colorVmNames = usePaneColorSlots();
  const palette = useAppStore((s) => s.palette);
  return useMemo(() => scene.legend(palette, colorVmNames), [scene, palette, colorVmNames]);
}
