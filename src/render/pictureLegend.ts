// The legend of the exported map picture: each shown VM's base colour, vCPU
// ramp and name, then host tasks, idle, (CPU lanes) the mixed mark and (a paste with cuts) the band where the
// text was cut, laid out in rows that wrap at the picture's width
// (8-16 VMs take one or two rows). Layout is pure (a text measure is passed in).

import { THEME, type VmLegend } from './colors';
import { GAP_LABEL, HOST_GREYS, MIXED_LABEL } from './legendColors';
import type { LaneMode } from './lanes';

export interface PictureLegendEntry {
  name: string;
  /** The swatch: one stripe per colour (a VM's vCPU ramp, dark to light). */
  colors: readonly string[];
}

export interface PlacedEntry {
  entry: PictureLegendEntry;
  x: number;
  y: number;
}

/** Swatch, gaps and row height in CSS px (scaled by dpr when drawn). */
export const LEGEND_METRICS = { swatch: 28, gap: 6, spacing: 16, row: 18, pad: 6 } as const;

/** A swatch's width: at least 1.5 px per stripe, so every vCPU of a big VM shows. */
export function swatchWidth(entry: PictureLegendEntry): number {
  return Math.max(LEGEND_METRICS.swatch, Math.ceil(entry.colors.length * 1.5));
}

/** The non-VM entries of a map: host tasks (their greys, as the map draws them) and idle. */
export const HOST_ENTRY: PictureLegendEntry = {
  name: 'other host tasks',
  colors: HOST_GREYS,
};
export const IDLE_ENTRY: PictureLegendEntry = { name: 'idle', colors: [THEME.idle] };

/** CPU lanes' mixed mark (pixelClasses.ts): its colour and the background it is checkered with. */
export const MIXED_ENTRY: PictureLegendEntry = { name: MIXED_LABEL, colors: [THEME.mixed, THEME.background] };

/** The band where a paste's text was cut (gapBands.ts): its stripe and its tint, alternating. */
export const GAP_ENTRY: PictureLegendEntry = {
  name: GAP_LABEL,
  colors: [THEME.gapStripe, THEME.gapTint, THEME.gapStripe, THEME.gapTint],
};

/**
 * The picture's legend: the VMs shown (named by `vmName`, the pane's VM labels, in the map's colours: the
 * VM's base colour first, then its vCPU ramp), host tasks unless hidden, idle, in CPU lanes the mixed
 * mark, and the band where the text was cut when the run has one.
 */
export function pictureLegendOf(
  vms: readonly VmLegend[],
  hidden: { hiddenVms: ReadonlySet<number>; hideHostTasks: boolean },
  vmName: (vm: number) => string,
  mode: LaneMode = 'cpu',
  /** Whether the run has gaps (the model's gap table): then the band's entry comes last. */
  gaps = false,
): PictureLegendEntry[] {
  const shown = vms
    .filter((l) => !hidden.hiddenVms.has(l.vm))
    .map((l) => ({ name: vmName(l.vm), colors: [l.color, ...l.ramp.map((r) => r.color)] }));
  return [
    ...shown,
    ...(hidden.hideHostTasks ? [] : [HOST_ENTRY]),
    IDLE_ENTRY,
    ...(mode === 'cpu' ? [MIXED_ENTRY] : []),
    ...(gaps ? [GAP_ENTRY] : []),
  ];
}

/**
 * Entries placed left to right, wrapping to a new row when the next would pass `width`; positions and the
 * total height in the same units as `measure` (CSS px).
 */
export function layoutLegend(
  entries: readonly PictureLegendEntry[],
  measure: (text: string) => number,
  width: number,
): { placed: PlacedEntry[]; height: number } {
  const { gap, spacing, row, pad } = LEGEND_METRICS;
  const placed: PlacedEntry[] = [];
  let x = pad;
  let y = pad;
  for (const entry of entries) {
    const w = swatchWidth(entry) + gap + measure(entry.name);
    if (x > pad && x + w > width - pad) {
      x = pad;
      y += row;
    }
    placed.push({ entry, x, y });
    x += w + spacing;
  }
  return { placed, height: entries.length ? y + row + pad : 0 };
}

/** Draw placed entries at `top` (device px) with `dpr` scaling; text in `color`. */
export function drawLegend(
  ctx: CanvasRenderingContext2D,
  placed: readonly PlacedEntry[],
  top: number,
  dpr: number,
  color: string,
): void {
  const { gap, row } = LEGEND_METRICS;
  const h = Math.round(10 * dpr);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const { entry, x, y } of placed) {
    const y0 = Math.round(top + (y + (row - 10) / 2) * dpr);
    const w = swatchWidth(entry);
    const n = entry.colors.length;
    // Stripes on whole device pixels: each its own colour, none blended with a neighbour.
    const edge = (k: number) => Math.round((x + (w * k) / n) * dpr);
    entry.colors.forEach((c, k) => {
      ctx.fillStyle = c;
      ctx.fillRect(edge(k), y0, edge(k + 1) - edge(k), h);
    });
    ctx.fillStyle = color;
    ctx.fillText(entry.name, (x + w + gap) * dpr, top + (y + row / 2) * dpr);
  }
}
