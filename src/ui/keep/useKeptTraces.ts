// Keeping the open traces across a reload (pages served over http(s) only):
// after every settled load the open runs' files are written to IndexedDB
// (keptFiles.ts); at start they are reopened, in their panes' order, and the
// URL's view then restores as for any link. The user can forget them.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { DrawnRun } from '../../model/drawnRun';
import { useAppStore, type OpenedFile } from '../appStore';
import { filesOfRuns } from './keepPlan';
import { forgetKept, readKept, writeKept, type KeptFile } from './keptFiles';

export interface KeptState {
  /** Files kept now (names and bytes), or null when nothing is. */
  kept: { names: string[]; bytes: number } | null;
  notKept: { name: string; size: number; why: string }[];
  /** The user forgot the kept files; nothing is kept until the next trace is opened. */
  forgotten: boolean;
  /** Storage refused to work (private mode, blocked): said once. */
  error: string | null;
}

const EMPTY: KeptState = { kept: null, notKept: [], forgotten: false, error: null };

/** The kept files grouped by run, the first pane's first. */
function byRun(kept: readonly KeptFile[]): File[][] {
  const groups = new Map<number, File[]>();
  for (const k of kept) groups.set(k.run, [...(groups.get(k.run) ?? []), k.file]);
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
}

let restoreOnce: Promise<boolean> | null = null;

/**
 * Reopen the kept traces (true when there were any): the first run's files replace, the others are added.
 * Once per page (React's development double effects included).
 */
export function restoreKept(): Promise<boolean> {
  return (restoreOnce ??= reopen());
}

async function reopen(): Promise<boolean> {
  const groups = byRun(await readKept());
  if (groups.length === 0) return false;
  const { load, addRuns } = useAppStore.getState();
  await load(groups[0]);
  for (const g of groups.slice(1)) await addRuns(g);
  return true;
}

const signature = (runs: readonly DrawnRun[]): string =>
  JSON.stringify(runs.map((r) => [r.name, r.model.byteCount, r.companions]));

export function useKeptTraces(
  runs: readonly DrawnRun[],
  enabled: boolean,
  restoring: boolean,
): KeptState & { forget: () => void } {
  const status = useAppStore((s) => s.status);
  const [state, setState] = useState<KeptState>(EMPTY);
  const written = useRef<string | null>(null);
  const forgottenAt = useRef<string | null>(null);

  useEffect(() => {
    if (!enabled || restoring || status.state !== 'done') return;
    const sig = signature(runs);
    if (sig === written.current || sig === forgottenAt.current) return;
    written.current = sig;
    forgottenAt.current = null;
    const { opened } = useAppStore.getState();
    const files = filesOfRuns(runs).map((names) => names.map((n) => opened.get(n)));
    // Runs of samples only: nothing to keep (the app has them); a file no longer at hand: keep none of its run.
    const usable = files.filter((fs): fs is OpenedFile[] => fs.every((f) => f !== undefined));
    const write = usable.every((fs) => fs.every((f) => f.sample)) ? [] : usable.map((fs) => fs.map((f) => f.file));
    let alive = true;
    writeKept(write)
      .then((plan) => {
        if (!alive) return;
        const bytes = plan.kept.reduce((n, f) => n + f.size, 0);
        setState({
          kept: plan.kept.length ? { names: plan.kept.map((f) => f.name), bytes } : null,
          notKept: plan.notKept.map((n) => ({ name: n.item.name, size: n.item.size, why: n.why })),
          forgotten: false,
          error: null,
        });
      })
      .catch((e: unknown) => {
        if (alive) setState({ ...EMPTY, error: `this browser's storage refused the traces (${String(e)})` });
      });
    return () => {
      alive = false;
    };
  }, [runs, enabled, restoring, status]);

  const forget = useCallback(() => {
    forgottenAt.current = signature(runs);
    written.current = null;
    void forgetKept()
      .then(() => setState({ ...EMPTY, forgotten: true }))
      .catch((e: unknown) => setState({ ...EMPTY, error: String(e) }));
  }, [runs]);

  return { ...state, forget };
}
