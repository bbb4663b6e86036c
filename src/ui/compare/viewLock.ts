// Locked zoom and pan across the panes of a comparison: a view change in one
// pane moves every other pane to the same place as a fraction of its own run
// (so runs of different lengths stay lined up proportionally; runs of equal
// length get the same window, both measured from their own start).

import { useAppStore } from '../appStore';
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

let syncing = false;

/** Move every other mounted pane to the view of pane `id`. */
export function syncViewsFrom(id: number): void {
  const panes = useAppStore.getState().paneStores;
  const src = panes[id];
  if (!src || syncing) return;
  syncing = true;
  try {
    const s = src.getState();
    const from = traceBounds(s.run);
    for (const [other, store] of Object.entries(panes)) {
      if (Number(other) === id) continue;
      const o = store.getState();
      o.setView(mapView(s.view, from, traceBounds(o.run)));
    }
  } finally {
    syncing = false;
  }
}
