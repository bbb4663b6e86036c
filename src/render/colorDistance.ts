// How far apart two colours look: CIEDE2000 (Sharma, Wu & Dalal 2005, the
// formula as published, on d3's CIELAB with the D65 white) and a deuteranopia
// simulation (Machado, Oliveira & Fernandes 2009, severity 1, on linear sRGB),
// to hold the VM palettes to measured distances instead of hue angles.

import { lab, rgb } from 'd3';

const DEG = Math.PI / 180;

/** CIEDE2000 colour difference of two CSS colours (kL = kC = kH = 1). */
export function deltaE2000(a: string, b: string): number {
  return deltaE2000Lab(lab(a), lab(b));
}

/** CIEDE2000 of two CIELAB colours. */
export function deltaE2000Lab(p: { l: number; a: number; b: number }, q: { l: number; a: number; b: number }): number {
  const C1 = Math.hypot(p.a, p.b);
  const C2 = Math.hypot(q.a, q.b);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1 = (1 + G) * p.a;
  const a2 = (1 + G) * q.a;
  const c1 = Math.hypot(a1, p.b);
  const c2 = Math.hypot(a2, q.b);
  const hue = (x: number, y: number): number => (x === 0 && y === 0 ? 0 : (Math.atan2(y, x) / DEG + 360) % 360);
  const h1 = hue(a1, p.b);
  const h2 = hue(a2, q.b);
  const dL = q.l - p.l;
  const dC = c2 - c1;
  let dh = 0;
  if (c1 * c2 !== 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(c1 * c2) * Math.sin((dh / 2) * DEG);
  const Lm = (p.l + q.l) / 2;
  const cm = (c1 + c2) / 2;
  let hm = h1 + h2;
  if (c1 * c2 !== 0) {
    if (Math.abs(h1 - h2) <= 180) hm = (h1 + h2) / 2;
    else hm = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hm - 30) * DEG) +
    0.24 * Math.cos(2 * hm * DEG) +
    0.32 * Math.cos((3 * hm + 6) * DEG) -
    0.2 * Math.cos((4 * hm - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hm - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(cm ** 7 / (cm ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lm - 50) ** 2) / Math.sqrt(20 + (Lm - 50) ** 2);
  const Sc = 1 + 0.045 * cm;
  const Sh = 1 + 0.015 * cm * T;
  const Rt = -Math.sin(2 * dTheta * DEG) * Rc;
  return Math.sqrt((dL / Sl) ** 2 + (dC / Sc) ** 2 + (dH / Sh) ** 2 + Rt * (dC / Sc) * (dH / Sh));
}

const DEUTERANOPIA = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
];

const toLinear = (c: number): number => {
  const x = c / 255;
  return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
};
const toGamma = (x: number): number => {
  const y = Math.min(1, Math.max(0, x));
  return 255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055);
};

/** A colour as a deuteranope sees it (CSS hex). */
export function simulateDeuteranopia(css: string): string {
  const c = rgb(css);
  const v = [toLinear(c.r), toLinear(c.g), toLinear(c.b)];
  const [r, g, b] = DEUTERANOPIA.map((row) => toGamma(row[0] * v[0] + row[1] * v[1] + row[2] * v[2]));
  return rgb(r, g, b).formatHex();
}

/** The smallest CIEDE2000 distance over every pair of the colours. */
export function minPairDistance(colors: readonly string[], see: (c: string) => string = (c) => c): number {
  let min = Infinity;
  for (let i = 0; i < colors.length; i++)
    for (let j = i + 1; j < colors.length; j++) min = Math.min(min, deltaE2000(see(colors[i]), see(colors[j])));
  return min;
}
