// The order of the VM table's rows when a column is clicked: by name, or by a catalogue metric's value, with
// rows that have no value (null) last whichever the direction, and ties in run order.

import type { VmMetricDef, VmSource } from './catalogue';

export interface VmSort {
  /** 'name', or a catalogue metric's key. */
  key: string;
  dir: 1 | -1;
}

/** Row indices of `sources` (one per VM, in run order) in the order `sort` asks for; run order without one. */
export function vmTableOrder(
  sources: readonly VmSource[],
  names: readonly string[],
  sort: VmSort | null,
  columns: readonly VmMetricDef[],
): number[] {
  const idx = sources.map((_, i) => i);
  if (!sort) return idx;
  if (sort.key === 'name') return idx.sort((a, b) => sort.dir * names[a].localeCompare(names[b]));
  const col = columns.find((c) => c.key === sort.key);
  if (!col) return idx;
  const values = sources.map((s) => col.value(s));
  return idx.sort((a, b) => {
    const x = values[a];
    const y = values[b];
    if (x === null || y === null) return x === null ? (y === null ? a - b : 1) : -1;
    return sort.dir * (x - y) || a - b;
  });
}
