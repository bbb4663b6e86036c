// The VM colour ramps of a run as the map draws them, computed once per run and
// colour options for the legend and the panel's charts (each computation colours
// every task of the run: a few ms, paid once when a trace arrives, not per user).

import { runColors, type PaletteName, type VmLegend } from '../render/colors';

type Colored = Parameters<typeof runColors>[0];

const cache = new WeakMap<Colored, Map<string, VmLegend[]>>();

export function vmLegendOf(run: Colored, palette: PaletteName, vmNames: readonly string[] | undefined): VmLegend[] {
  let byOpts = cache.get(run);
  if (!byOpts) cache.set(run, (byOpts = new Map()));
  const key = JSON.stringify([palette, vmNames ?? null]);
  let legend = byOpts.get(key);
  if (!legend) {
    legend = runColors(run, vmNames ? { palette, vmNames } : { palette }).legend;
    byOpts.set(key, legend);
  }
  return legend;
}
