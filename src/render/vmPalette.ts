// The VMs' base colours: picked, not spread by angle. From candidate HCL
// colours (hues 5° apart, a few lightnesses and chromas, all displayable) each
// next VM takes the candidate farthest in CIEDE2000 from every colour taken so
// far, its hue at least MIN_HUE_GAP from theirs (a VM is a hue; lightness tells
// its vCPUs apart). So any first k VMs are far apart, and neighbours in the
// order too. The colour-blind palette measures distance as a deuteranope sees
// it (Machado et al. 2009). Computed once per palette.

import { hcl, type HCLColor } from 'd3';
import { deltaE2000Lab, simulateDeuteranopia } from './colorDistance';
import { lab } from 'd3';

export interface BaseColor {
  h: number;
  c: number;
  /** The lightness the VM's vCPU ramp is centred on. */
  l: number;
  css: string;
}

/** How many VMs get a picked colour; more VMs fall back to hues spread evenly. */
export const PICKED = 16;
const MIN_HUE_GAP = 16;
const LIGHTNESS = [54, 62, 70];
const CHROMA = [42, 56, 70];

type Kind = 'hcl' | 'cb';
const cache = new Map<Kind, BaseColor[]>();

function candidates(): { col: HCLColor; h: number; c: number; l: number }[] {
  const out: { col: HCLColor; h: number; c: number; l: number }[] = [];
  for (let h = 0; h < 360; h += 5)
    for (const l of LIGHTNESS)
      for (const c of CHROMA) {
        const col = hcl(h, c, l);
        if (col.displayable()) out.push({ col, h, c, l });
      }
  return out;
}

const hueGap = (a: number, b: number): number => {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
};

/** The first PICKED base colours of a palette ('hcl': as seen; 'cb': as a deuteranope sees them). */
export function basePalette(kind: Kind): readonly BaseColor[] {
  const hit = cache.get(kind);
  if (hit) return hit;
  const cands = candidates().map((x) => {
    const css = x.col.formatHex();
    return { ...x, css, seen: lab(kind === 'cb' ? simulateDeuteranopia(css) : css) };
  });
  // The first VM: a warm red (hcl) or the Okabe-Ito orange (cb), as before.
  const seed = kind === 'cb' ? { h: 65, c: 70, l: 70 } : { h: 25, c: 56, l: 62 };
  let first = cands[0];
  for (const x of cands)
    if (
      hueGap(x.h, seed.h) + Math.abs(x.c - seed.c) + Math.abs(x.l - seed.l) <
      hueGap(first.h, seed.h) + Math.abs(first.c - seed.c) + Math.abs(first.l - seed.l)
    )
      first = x;
  const picked = [first];
  const nearest = cands.map((x) => deltaE2000Lab(x.seen, first.seen));
  while (picked.length < PICKED) {
    let best = -1;
    for (let i = 0; i < cands.length; i++) {
      if (picked.some((p) => hueGap(p.h, cands[i].h) < MIN_HUE_GAP)) continue;
      if (best < 0 || nearest[i] > nearest[best]) best = i;
    }
    if (best < 0) break;
    const p = cands[best];
    picked.push(p);
    for (let i = 0; i < cands.length; i++) nearest[i] = Math.min(nearest[i], deltaE2000Lab(cands[i].seen, p.seen));
  }
  const out = picked.map(({ h, c, l, css }) => ({ h, c, l, css }));
  cache.set(kind, out);
  return out;
}
