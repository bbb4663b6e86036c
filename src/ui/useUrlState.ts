// Keeps the URL fragment in step with the view (urlState.ts), and restores a
// view from a link once the same files (names and sizes) are open. Until they
// are, the link's state is held and the fragment left alone, so loading a
// sample or another file never overwrites a shared link.

import { useEffect, useState } from 'react';
import type { DrawnRun } from '../model/drawnRun';
import { runKey, useAppStore } from './appStore';
import type { PaneStore } from './pane/paneStore';
import { vmLabel } from './pane/paneStore';
import { decodeUrlState, encodeUrlState, sameRuns, type UrlState } from './urlState';

const runsOf = (runs: readonly DrawnRun[]): UrlState['runs'] =>
  runs.map((r) => ({ name: r.name, size: r.model.byteCount }));

function paneState(store: PaneStore): UrlState['panes'][number] {
  const s = store.getState();
  return {
    view: [s.view.start, s.view.end],
    lane: s.laneMode,
    vm: s.highlightVm === null ? null : vmLabel(s, s.highlightVm),
    sel: s.selection ? [s.selection.start, s.selection.end] : null,
    pins: { cpu: [...s.pins.cpu], vcpu: [...s.pins.vcpu] },
  };
}

/** Put a pane into a link's (or a report's) view: lane mode, window, selection, highlighted VM, pinned lanes. */
export function applyPaneState(store: PaneStore, p: UrlState['panes'][number]): void {
  const s = store.getState();
  if (p.lane !== s.laneMode) s.setLaneMode(p.lane);
  if (p.view) s.setView({ start: p.view[0], end: p.view[1] });
  if (p.sel) s.setSelection({ start: p.sel[0], end: p.sel[1] });
  if (p.pins.cpu.length > 0 || p.pins.vcpu.length > 0) s.setPins(p.pins);
  if (p.vm !== null) {
    const vm = s.run.vms.findIndex((_, i) => vmLabel(s, i) === p.vm);
    if (vm >= 0) s.setHighlightVm(vm);
  }
}

/** The link's state waiting for its files, and a note for the user (or null). */
export function useUrlState(runs: readonly DrawnRun[]): { waitingFor: UrlState['runs'] | null; note: string | null } {
  const [pending, setPending] = useState(() => decodeUrlState(location.hash));

  // Restore once the link's runs are open.
  useEffect(() => {
    if (!pending || pending.state.runs.length === 0 || !sameRuns(pending.state.runs, runsOf(runs))) return;
    // Panes register in their own effects: apply on the next tick.
    const t = setTimeout(() => {
      runs.forEach((r, i) => {
        const store = useAppStore.getState().paneStores[runKey(r)];
        const p = pending.state.panes[i];
        if (store && p) applyPaneState(store, p);
      });
      setPending(null);
    }, 0);
    return () => clearTimeout(t);
  }, [runs, pending]);

  // Write the view into the fragment (debounced), unless a link waits for its files.
  useEffect(() => {
    if ((pending && pending.state.runs.length > 0) || runs.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const write = (): void => {
      timer = null;
      const stores = runs.map((r) => useAppStore.getState().paneStores[runKey(r)]);
      if (stores.some((s) => !s)) return;
      const state: UrlState = { runs: runsOf(runs), panes: stores.map((s) => paneState(s as PaneStore)) };
      const hash = encodeUrlState(state);
      if (location.hash !== hash) history.replaceState(null, '', hash);
    };
    const schedule = (): void => {
      if (timer === null) timer = setTimeout(write, 250);
    };
    const unsubscribe: (() => void)[] = [];
    const start = setTimeout(() => {
      for (const r of runs) {
        const store = useAppStore.getState().paneStores[runKey(r)];
        if (store) unsubscribe.push(store.subscribe(schedule));
      }
      schedule();
    }, 0);
    return () => {
      clearTimeout(start);
      if (timer !== null) clearTimeout(timer);
      for (const u of unsubscribe) u();
    };
  }, [runs, pending]);

  const waiting = pending && pending.state.runs.length > 0 ? pending.state.runs : null;
  return { waitingFor: waiting, note: pending?.note ?? null };
}
