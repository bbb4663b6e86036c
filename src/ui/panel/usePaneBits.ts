// Small shared hooks of the panel: VM colours as the map draws them, VM names
// as the user sees them, and the pane's analysis query (range + visible CPUs).

import { useMemo } from 'react';
import { vmLabel } from '../pane/paneStore';
import { usePane, useVmLegend } from '../pane/PaneContext';
import type { PanelQuery } from '../../analysis/panel';

/** One CSS colour per VM (the middle of its ramp), matching the map's. */
export function useVmColors(): string[] {
  const run = usePane((s) => s.run);
  const legend = useVmLegend();
  return useMemo(() => run.vms.map((_, i) => legend[i]?.color ?? '#888'), [run, legend]);
}

export function useVmNames(): string[] {
  const run = usePane((s) => s.run);
  const vmLabels = usePane((s) => s.vmLabels);
  return useMemo(() => run.vms.map((_, i) => vmLabel({ run, vmLabels }, i)), [run, vmLabels]);
}

/**
 * The pane's analysis query: the selection rounded to whole ns (the model's unit, so the CLI's
 * `--range` in seconds with 9 decimals names the same window), and the visible CPUs.
 */
export function usePanelQuery(): PanelQuery {
  const run = usePane((s) => s.run);
  const selection = usePane((s) => s.selection);
  const hiddenCpus = usePane((s) => s.hiddenCpus);
  const a = selection ? Math.round(selection.start) : null;
  const b = selection ? Math.round(selection.end) : null;
  return useMemo(() => {
    const range: [number, number] | null = a !== null && b !== null && b > a ? [a, b] : null;
    const cpus = hiddenCpus.size > 0 ? run.model.cpus.filter((c) => !hiddenCpus.has(c)) : null;
    return { range, cpus };
  }, [run, a, b, hiddenCpus]);
}
