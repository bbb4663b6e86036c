// Every colour the map can paint for a run, named as its legend names it: each
// VM's base colour (a pixel several of its threads share), its vCPU ramp and
// its other threads, the mixed mark of CPU lanes, the host tasks' greys, idle, the
// placeholders of tasks the input does not name, unknown time (and its hatch),
// the background between lanes, and on vCPU lanes the off-CPU states. The
// legend shows these; a test holds the drawn map to them.

import { hcl } from 'd3';
import type { TraceModel } from '../model/types';
import { packCss, THEME, type RunColors } from './colors';
import { vcpuLaneStates } from './laneStates';
import type { LaneMode } from './lanes';

export interface LegendColor {
  name: string;
  css: string;
  packed: number;
}

/** The host tasks' greys, darkest first (a host task's is picked by its tid). */
export const HOST_GREYS: readonly string[] = THEME.hostLightness.map((l) => hcl(NaN, 0, l).formatHex());

/** The legend's name of the mixed mark (pixelClasses.ts), checkered with the background. */
export const MIXED_LABEL = 'mixed: no VM has half of the pixel';

/** The legend's name of the band where a paste's text was cut (gapBands.ts). */
export const GAP_LABEL = 'text cut (elided)';

export function legendColors(
  colors: Pick<RunColors, 'legend'>,
  model: Pick<TraceModel, 'hasStates'> & ({ wakeupCount: number } | { wakeups: { length: number } }),
  mode: LaneMode,
): LegendColor[] {
  const out: LegendColor[] = [];
  const add = (name: string, css: string): void => {
    out.push({ name, css, packed: packCss(css) });
  };
  for (const vm of colors.legend) {
    add(`${vm.name} (several of its threads in a pixel)`, vm.color);
    for (const r of vm.ramp) add(`${vm.name} vCPU ${r.index}`, r.color);
    add(`${vm.name} other threads`, vm.threadColor);
  }
  HOST_GREYS.forEach((c, i) => add(`other host tasks (${i + 1} of ${HOST_GREYS.length})`, c));
  add('idle', THEME.idle);
  add('a task the input does not name', THEME.placeholder);
  if (mode === 'cpu') add(MIXED_LABEL, THEME.mixed);
  add('unknown', THEME.unknown);
  add('unknown (hatch)', THEME.unknownHatch);
  add('between lanes', THEME.background);
  if (mode === 'vcpu') {
    const wakeupCount = 'wakeupCount' in model ? model.wakeupCount : model.wakeups.length;
    for (const s of vcpuLaneStates({ hasStates: model.hasStates, wakeupCount })) add(s.name, s.color);
  }
  return out;
}
