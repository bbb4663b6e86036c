// Names inside wide slices, as the text `perf sched map` shows a short name in
// every cell: on a CPU lane the running thread's comm, or its perf short name
// (shortNames.ts) where the comm does not fit; on a vCPU lane the CPU it ran
// on. Read from the frame's level of detail (runs of one value across pixel
// columns), so the cost is the frame's width per lane whatever the trace's
// size. Drawn as canvas text, never as HTML: comms are trace text.

import type { Lane } from './lanes';
import type { LaneLayout } from './layout';
import type { LodResult } from './lod';
import { unpackRgba } from './colors';
import { VALUE_OFFSET } from './values';

/** Lanes at least this tall (CSS px) get names in their slices. */
export const SLICE_LABEL_MIN_LANE = 12;
/** Room kept left and right of a name inside its slice, CSS px. */
const PAD = 3;

export interface SliceLabel {
  lane: number;
  /** Left end of the text and its baseline row's centre, device px. */
  x: number;
  y: number;
  text: string;
  /** Text colour chosen against the slice's colour. */
  color: string;
}

export interface SliceNames {
  /** The thread's comm on a CPU lane ('' for none: idle, placeholders). */
  comm: (task: number) => string;
  /** Its perf short name ('' for none). */
  short: (task: number) => string;
}

/** Dark text on a light slice, light text on a dark one (relative luminance of the packed colour). */
export function textColorOn(packed: number): string {
  const [r, g, b] = unpackRgba(packed);
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return l > 0.22 ? '#0b0d10' : '#f4f6f8';
}

/**
 * The names to draw in a frame: for each lane tall enough, each run of one slice value at least as wide
 * as its name (`measure`: device px of a text in the frame's font) gets the widest name that fits.
 */
export function sliceLabelPlan(
  lod: LodResult,
  layout: LaneLayout,
  lanes: readonly Lane[],
  palettes: readonly Uint32Array[],
  names: SliceNames,
  measure: (text: string) => number,
): SliceLabel[] {
  const out: SliceLabel[] = [];
  const dpr = layout.dpr;
  const pad = PAD * dpr;
  const w = lod.width;
  for (let l = 0; l < lod.lanes && l < lanes.length; l++) {
    const h = layout.laneHeight[l];
    const top = layout.top[l];
    if (h < SLICE_LABEL_MIN_LANE * dpr || top < 0 || top + h > layout.height) continue;
    const lane = lanes[l];
    const base = l * w;
    for (let x = 0; x < w;) {
      const v = lod.value[base + x];
      let e = x + 1;
      while (e < w && lod.value[base + e] === v) e++;
      const room = e - x - 2 * pad;
      if (v >= 0 && room > 0) {
        const candidates = lane.kind === 'cpu' ? [names.comm(v), names.short(v)] : [`CPU ${v}`, String(v)];
        const text = candidates.find((t) => t !== '' && measure(t) <= room);
        if (text !== undefined)
          out.push({ lane: l, x: x + pad, y: top + h / 2, text, color: textColorOn(palettes[l][v + VALUE_OFFSET]) });
      }
      x = e;
    }
  }
  return out;
}

/** The font of slice names at a device-pixel ratio and lane height (CSS px). */
export function sliceLabelFont(dpr: number, laneCss: number): string {
  return `${Math.round(Math.min(11, laneCss - 3) * dpr)}px system-ui, sans-serif`;
}

/** Draw planned names over the map layer. */
export function drawSliceLabels(ctx: CanvasRenderingContext2D, labels: readonly SliceLabel[], font: string): void {
  if (labels.length === 0) return;
  ctx.save();
  ctx.font = font;
  ctx.textBaseline = 'middle';
  for (const s of labels) {
    ctx.fillStyle = s.color;
    ctx.fillText(s.text, s.x, s.y);
  }
  ctx.restore();
}
