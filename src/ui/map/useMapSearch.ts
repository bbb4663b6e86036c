// The map search's state in a pane: its matches (analysis/search.ts) for the
// query in the pane store, the keys that open it (Ctrl+F, /), a jump to a
// match (render/searchJump.ts: the window, then the lanes scrolled so its lane
// shows, its task pinned) and where the matches are in the window drawn (the
// pixel runs the marks layer veils everything else around).

import { useMemo, type KeyboardEvent } from 'react';
import { searchRun, type SearchMatch, type SearchResult } from '../../analysis/search';
import { revealRows } from '../../render/laneView';
import type { LaneLayout } from '../../render/layout';
import type { PixelRun } from '../../render/overlay';
import type { MapScene } from '../../render/scene';
import { searchJump } from '../../render/searchJump';
import { vmLabel, type PaneStore } from '../pane/paneStore';
import { usePane } from '../pane/PaneContext';

/** Threads marked on the map at most (a VM match counts its threads). */
const MAX_MARKED_TASKS = 1024;

export function useSearchResult(): SearchResult {
  const run = usePane((s) => s.run);
  const vmLabels = usePane((s) => s.vmLabels);
  const query = usePane((s) => s.search.query);
  return useMemo(() => searchRun(run, query, (vm) => vmLabel({ run, vmLabels }, vm)), [run, vmLabels, query]);
}

/** Ctrl+F (Cmd+F) and / open the search box (instead of the browser's find); true when taken. */
export function searchKey(store: PaneStore, e: KeyboardEvent<HTMLElement>): boolean {
  const find = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f';
  const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey;
  if (!find && !slash) return false;
  e.preventDefault();
  store.getState().setSearch({ open: true });
  return true;
}

/**
 * The same keys anywhere in the pane (its buttons, legend, panel) but in a text field, where / and Ctrl+F
 * are typing or the browser's find in that field. The map's own handler takes them first when it has focus.
 */
export function paneSearchKey(store: PaneStore, e: KeyboardEvent<HTMLElement>): void {
  if (e.isDefaultPrevented()) return;
  const t = e.target as HTMLElement;
  if (t.isContentEditable || t.closest('input, textarea, select')) return;
  searchKey(store, e);
}

/**
 * Jump to match `i`: the window moved to its slice when none is in view, the lanes scrolled to its lane,
 * a thread's slice pinned. Returns false when the match has no slice on a lane shown.
 */
export function jumpToMatch(store: PaneStore, scene: MapScene, mapHeight: number, m: SearchMatch, i: number): boolean {
  const s = store.getState();
  s.setSearch({ current: i });
  const j = searchJump(s.run.slices, scene.lanes, m.tasks, s.view, s.bounds);
  if (!j) return false;
  if (j.view) s.setView(j.view);
  const lv = s.laneView;
  if (lv.height !== null && j.lane >= scene.pinned) {
    // The lane's rows unscrolled (CSS px); the band above the scrolled lanes hides what is under it.
    const lay = scene.layout(1, mapHeight, { laneHeight: lv.height });
    const top = lay.top[j.lane];
    const next = revealRows(lv, top - (lay.band ?? 0), top + lay.laneHeight[j.lane], scene.laneGeometry(mapHeight));
    if (next.scroll !== lv.scroll) s.setLaneView(next);
  }
  const task = s.run.slices.value[j.row];
  s.setPinned({ task, slice: j.row });
  return true;
}

/** Where the open search's matches ran in the frame drawn; null when there is nothing to mark. */
export function useSearchHighlight(scene: MapScene, layout: LaneLayout | null): PixelRun[] | null {
  const open = usePane((s) => s.search.open);
  const result = useSearchResult();
  return useMemo(() => {
    if (!open || !layout || result.matches.length === 0) return null;
    const tasks = new Set<number>();
    for (const m of result.matches) for (const t of m.tasks) if (tasks.size < MAX_MARKED_TASKS) tasks.add(t);
    return [...tasks].flatMap((t) => scene.presence(t));
  }, [open, layout, result, scene]);
}
