// The map search's state in a pane: its matches (analysis/search.ts) for the
// query in the pane store, the keys that open it (Ctrl+F, /), a jump to a
// match (render/searchJump.ts: the window, then the lanes scrolled so its lane
// shows, its task pinned) and where the matches are in the window drawn (the
// pixel runs the marks layer veils everything else around).

import { useMemo, type KeyboardEvent } from 'react';
import { searchRun, type SearchMatch, type SearchResult } from '../../analysis/search';
import { LABEL_MIN_HEIGHT } from '../../render/laneLabels';
import { JUMP_LANE_HEIGHT, MAX_LANE_HEIGHT, revealRows, showLanes } from '../../render/laneView';
import type { LaneLayout } from '../../render/layout';
import type { PixelRun } from '../../render/overlay';
import type { MapScene } from '../../render/scene';
import { searchJump, vmJump } from '../../render/searchJump';
import { paneBounds } from '../pane/paneBounds';
import { runKey, useAppStore } from '../appStore';
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

/** What the search keys read of a key event (React's or the DOM's). */
type SearchKeyEvent = Pick<KeyboardEvent<HTMLElement>, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'preventDefault'>;

/** Ctrl+F (Cmd+F) and / open the search box (instead of the browser's find); true when taken. */
export function searchKey(store: PaneStore, e: SearchKeyEvent): boolean {
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
  if (e.isDefaultPrevented() || inTextField(e.target)) return;
  searchKey(store, e);
}

function inTextField(target: EventTarget | null): boolean {
  const t = target instanceof Element ? target : null;
  return t !== null && ((t as HTMLElement).isContentEditable || t.closest('input, textarea, select') !== null);
}

/** The pane a search key outside every pane opens: the one last used (app store's activePane) while open, else the first. */
function pageSearchPane(activePane: number | null, openPanes: readonly number[]): number | undefined {
  return activePane !== null && openPanes.includes(activePane) ? activePane : openPanes[0];
}

/**
 * The search keys with the focus outside every pane (the page, its top bar), but in a text field: the
 * map search of the pane last used, else of the first pane, opens instead of the browser's find. `paneId`
 * is this pane's run key; every pane listens and only the chosen one answers.
 */
export function pageSearchKey(store: PaneStore, paneId: number, e: globalThis.KeyboardEvent): void {
  if (e.defaultPrevented || inTextField(e.target)) return;
  if (e.target instanceof Element && e.target.closest('.run-pane')) return;
  const { activePane, runs } = useAppStore.getState();
  if (pageSearchPane(activePane, runs.map(runKey)) === paneId) searchKey(store, e);
}

/**
 * Jump to match `i`. A thread: the window moved to its slice when none is in view, the lanes scrolled to
 * its lane (zoomed to be labelled when they are fitted and thinner than that), its slice pinned. A VM:
 * the window over its whole span, and the lanes zoomed to fill the map with its block of vCPU lanes, or in
 * CPU lanes with the CPUs its vCPUs ran on, first to last; when they do not fit at the current lane height, that
 * height stays and the first of them comes to the top (fitted lanes holding them all stay fitted).
 * Returns false when the match has no slice on a lane shown.
 */
export function jumpToMatch(store: PaneStore, scene: MapScene, mapHeight: number, m: SearchMatch, i: number): boolean {
  const s = store.getState();
  s.setSearch({ current: i });
  const g = scene.laneGeometry(mapHeight);
  // Rows of lanes first..last at lane height h (CSS px, unscrolled; the pinned band hides what is under it).
  const rows = (first: number, last: number) => (h: number) => {
    const lay = scene.layout(1, mapHeight, { laneHeight: h });
    return { top: lay.top[first] - (lay.band ?? 0), bottom: lay.top[last] + lay.laneHeight[last] };
  };
  if (m.kind === 'vm') {
    const j = vmJump(s.run.slices, scene.lanes, m.tasks, paneBounds(s), {
      pinned: scene.pinned,
      vcpus: s.run.vms[m.id]?.vcpus.map((c) => c.task),
    });
    if (!j) return false;
    s.setView(j.view);
    if (j.lanes) {
      const [first, last] = j.lanes;
      s.setLaneView(showLanes(s.laneView, last - first + 1, MAX_LANE_HEIGHT, rows(first, last), g));
    }
    return true;
  }
  const j = searchJump(s.run.slices, scene.lanes, m.tasks, s.view, paneBounds(s));
  if (!j) return false;
  if (j.view) s.setView(j.view);
  const lv = s.laneView;
  if (j.lane >= scene.pinned) {
    if (lv.height !== null) {
      const r = rows(j.lane, j.lane)(lv.height);
      const next = revealRows(lv, r.top, r.bottom, g);
      if (next.scroll !== lv.scroll) s.setLaneView(next);
    } else if (g.fitHeight < LABEL_MIN_HEIGHT)
      s.setLaneView(showLanes(lv, 1, JUMP_LANE_HEIGHT, rows(j.lane, j.lane), g));
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
