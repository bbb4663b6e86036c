// Locked zoom and pan across the panes of a comparison: a view change in one
// pane moves every other pane to the same place as a fraction of its own run
// (so runs of different lengths stay lined up proportionally; runs of equal
// length get the same window, both measured from their own start).

import type { PaneStore } from '../pane/paneStore';
import { traceBounds } from '../pane/paneStore';
import { clampView, type ViewBounds, type Viewport } from '../../render/viewport';

/** The view of `from` mapped onto `to` by fraction of the trace span. */
export function mapView(v: Viewport, from: ViewBounds, to: ViewBounds): Viewport {
  const fs = from.end - from.start;
  const ts = to.end - to.start;
  if (!(fs > 0) || !(ts > 0)) return clampView(v, to);
  const a = (v.start - from.start) / fs;
  const b = (v.end - from.start) / fs;
  return clampView({ start: to.start + a * ts, end: to.start + b * ts }, to);
}

const panes = new Map<number, PaneStore>();
let syncing = false;

export function registerPane(id: number, store: PaneStore): () => void {
  panes.set(id, store);
  return () => {
    if (panes.get(id) === store) panes.delete(id);
  };
}

/** Move every other registered pane to the view of pane `id`. */
export function syncViewsFrom(id: number): void {
  const src = panes.get(id);
  if (!src || syncing) return;
  syncing = true;
  try {
    const s = src.getState();
    const from = traceBounds(s.run);
    for (const [other, store] of panes) {
      if (other === id) continue;
      const o = store.getState();
      o.setView(mapView(s.view, from, traceBounds(o.run)));
    }
  } finally {
    syncing = false;
  }
}

export function paneIds(): number[] {
  return [...panes.keys()];
}

/** The store of a registered pane (URL state reads and restores panes through it). */
export function registeredPane(id: number): PaneStore | undefined {
  return panes.get(id);
}
