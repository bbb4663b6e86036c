// Where a paste's text was cut (the model's gap table): a band across every lane of the map and the
// minimap, hatched the other way from unknown time and in another colour, so that the user sees a cut
// where the map would otherwise just show unknown time; and the tooltip's note on it.

import { duration } from '../model/format';
import type { GapTable } from '../model/types';
import { packCss, THEME } from './colors';

/** A band's device-pixel columns [x0, x1). */
export type BandColumns = readonly [number, number];

/** Stripe period in device pixels, and how many of its pixels are stripe. */
const PERIOD = 6;
const STRIPE = 2;

/** Packed colours of the bands: stripes, and the tint of what lies between them. */
export const GAP_COLORS = { stripe: packCss(THEME.gapStripe), tint: packCss(THEME.gapTint) };

/** Rows of `gaps` overlapping [t0, t1) (a zero-long gap counts when inside), ascending. */
export function gapsIn(gaps: GapTable, t0: number, t1: number): number[] {
  const out: number[] = [];
  // Rows are in start order, one per mark (a handful), but one may lie inside another (chunks pasted out of
  // time order): every row that starts before t1 is looked at, not only those back to the first end before t0.
  for (let i = 0; i < gaps.length && gaps.start[i] < t1; i++) {
    const s = gaps.start[i];
    const e = gaps.end[i];
    if (s === e ? s >= t0 : e > t0) out.push(i);
  }
  return out;
}

/**
 * The device-pixel columns of each gap in the window [t0, t1) over `width` pixels, at least `minW` wide
 * (a short gap stays visible), clipped to the frame.
 */
export function gapColumns(gaps: GapTable, t0: number, t1: number, width: number, minW: number): BandColumns[] {
  const out: BandColumns[] = [];
  const scale = width / (t1 - t0);
  for (const i of gapsIn(gaps, t0, t1)) {
    let x0 = Math.floor((gaps.start[i] - t0) * scale);
    let x1 = Math.ceil((gaps.end[i] - t0) * scale);
    if (x1 - x0 < minW) {
      x0 = Math.round((x0 + x1 - minW) / 2);
      x1 = x0 + minW;
    }
    x0 = Math.max(0, x0);
    x1 = Math.min(width, x1);
    if (x1 > x0) out.push([x0, x1]);
  }
  return out;
}

/** The mean of two packed opaque colours, channel by channel (alpha stays opaque). */
function halfway(a: number, b: number): number {
  return (((a >>> 1) & 0x7f7f7f7f) + ((b >>> 1) & 0x7f7f7f7f)) | 0xff000000;
}

/**
 * Paint bands over packed RGBA pixels (width × height) from top to bottom: anti-diagonal stripes of
 * `stripe`, and between them what was drawn tinted halfway to `tint` (a timehist slice inferred from its
 * run time into the gap stays visible under it).
 */
export function paintGapBands(
  px: Uint32Array,
  width: number,
  height: number,
  bands: readonly BandColumns[],
  colors: { stripe: number; tint: number },
): void {
  for (const [x0, x1] of bands)
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = x0; x < x1; x++) {
        const p = row + x;
        px[p] = (x - y + height * PERIOD) % PERIOD < STRIPE ? colors.stripe : halfway(px[p], colors.tint);
      }
    }
}

/** The tooltip's line on gap row `i`: its line, its mark (text: never HTML) and the time it leaves out. */
export function gapNote(gaps: GapTable, i: number): string {
  return `text cut here: line ${gaps.line[i]} \`${gaps.mark[i]}\`; ${duration(gaps.end[i] - gaps.start[i])} between the events around it`;
}
