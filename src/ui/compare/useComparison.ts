// The comparison's shared inputs, read from the app store: the runs, their
// labels, their VMs matched across runs (by the names the user sees, else by
// order, then the user's re-pairing), and the colour slots that follow.

import { useMemo } from 'react';
import { colorVmNames, matchVms, type PairOverrides, type VmMatchGroup } from '../../analysis/compare';
import type { DrawnRun } from '../../model/drawnRun';
import { runKey, useAppStore } from '../appStore';

/** Names shown for each run's VMs: the user's renames in its pane, else the grouping's. */
function namesOf(runs: readonly DrawnRun[], panes: Record<number, { vmLabels: Record<number, string> }>): string[][] {
  return runs.map((r) => r.vms.map((v, i) => panes[runKey(r)]?.vmLabels[i] ?? v.name));
}

export function useVmGroups(): { runs: DrawnRun[]; names: string[][]; groups: VmMatchGroup[] } {
  const runs = useAppStore((s) => s.runs);
  const panes = useAppStore((s) => s.panes);
  const pairOverrides = useAppStore((s) => s.pairOverrides);
  const names = namesOf(runs, panes);
  const overrides: (PairOverrides | undefined)[] = runs.map((r, i) => (i === 0 ? undefined : pairOverrides[runKey(r)]));
  // Recomputed only when names or pairings change (not when a pane's query does).
  const key = JSON.stringify([names, overrides]);
  const groups = useMemo(() => {
    const [n, o] = JSON.parse(key) as [string[][], (PairOverrides | null)[]];
    return matchVms(
      n,
      o.map((x) => x ?? undefined),
    );
  }, [key]);
  return { runs, names, groups };
}

/** ColorOptions.vmNames per run so paired VMs share a colour; null with one run (its own order). */
export function useColorSlots(runs: readonly DrawnRun[], groups: readonly VmMatchGroup[]): (readonly string[])[] | null {
  const slots =
    runs.length > 1
      ? runs.map((r, i) =>
          colorVmNames(
            groups,
            r.vms.map((v) => v.name),
            i,
          ),
        )
      : null;
  const key = JSON.stringify(slots);
  return useMemo(() => JSON.parse(key) as string[][] | null, [key]);
}
