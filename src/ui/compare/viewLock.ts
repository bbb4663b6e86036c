// Locked zoom and pan across the panes of a comparison (on by default): every
// pane shows the same window as an offset from its own trace's first event
// (the model's relative time), so equal offsets line up whatever each run's
// length; past a shorter trace's end its pane is empty (the locked panes'
// bounds are the union of the traces'). A range selected in one locked pane is
// the range of every locked pane, so the comparison compares like with like.

import { useAppStore } from '../appStore';
import type { Extent } from '../pane/paneBounds';
import type { PaneStore } from '../pane/paneStore';

/** The union of the panes' traces' bounds: where a locked view may go. */
export function lockExtent(stores: readonly PaneStore[]): Extent | null {
  let start = Infinity;
  let end = -Infinity;
  for (const s of stores) {
    const { run } = s.getState();
    const m = run.model;
    start = Math.min(start, m.t0);
    end = Math.max(end, m.switchCount ? m.t1 : 1);
  }
  return start < end ? { start, end } : null;
}

// A sync under way: the views and ranges it sets fire the panes' subscriptions, which must not sync back.
let syncing = false;

function others(id: number): { src: PaneStore | undefined; rest: PaneStore[]; all: PaneStore[] } {
  const panes = useAppStore.getState().paneStores;
  const all = Object.values(panes);
  return {
    src: panes[id],
    rest: Object.entries(panes)
      .filter(([k]) => Number(k) !== id)
      .map(([, s]) => s),
    all,
  };
}

/** Widen (on) or restore (off) every mounted pane's bounds for the lock. */
export function applyLockExtent(on: boolean): void {
  const { all } = others(-1);
  const extent = on && all.length > 1 ? lockExtent(all) : null;
  for (const s of all) s.getState().setExtent(extent);
}

/** Move every other mounted pane to the view of pane `id`. */
export function syncViewsFrom(id: number): void {
  const { src, rest, all } = others(id);
  if (!src || syncing) return;
  syncing = true;
  try {
    const extent = all.length > 1 ? lockExtent(all) : null;
    for (const s of all) {
      const cur = s.getState().extent;
      if (cur?.start !== extent?.start || cur?.end !== extent?.end) s.getState().setExtent(extent);
    }
    // The same relative times: the same offsets from each trace's first event.
    const v = src.getState().view;
    for (const o of rest) o.getState().setView(v);
  } finally {
    syncing = false;
  }
}

/** Give every other mounted pane the range (selection) of pane `id`, or clear theirs with it. */
export function syncSelectionFrom(id: number): void {
  const { src, rest } = others(id);
  if (!src || syncing) return;
  syncing = true;
  try {
    const sel = src.getState().selection;
    for (const o of rest) {
      const cur = o.getState().selection;
      if (cur?.start !== sel?.start || cur?.end !== sel?.end) o.getState().setSelection(sel ? { ...sel } : null);
    }
  } finally {
    syncing = false;
  }
}
