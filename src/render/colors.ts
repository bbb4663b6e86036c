// Colours of the map. Each VM gets a base colour picked to be far from the
// others' in CIEDE2000 (vmPalette.ts; past the first 16, hues spread evenly
// around the HCL circle, consecutive VMs far apart); a VM's vCPUs share its
// hue and step through a lightness ramp by vCPU position, centred on its base.
// Idle is dark, unknown time is hatched, other host tasks are greys, a VM's
// non-vCPU threads (QEMU main loop, I/O threads) are a greyed version of its
// hue. A colour-blind-safe choice picks its base colours as a deuteranope sees them (Okabe-Ito hues past them).
//
// Colours for the canvas are packed RGBA Uint32s in the byte order of
// ImageData (so a Uint32Array view of ImageData.data takes them as is).

import { color as d3color, hcl, rgb, type HCLColor } from 'd3';
import { fixed } from '../model/format';
import { basePalette, type BaseColor } from './vmPalette';
import { TaskKind, type TraceModel } from '../model/types';
import type { VmGroup } from '../model/vms';
import { taskVms } from './taskVms';
import { VALUE_OFFSET, V_OFF, V_RUNNABLE, V_SLEEPING, V_UNKNOWN, V_WOKEN } from './values';

export type PaletteName = 'hcl' | 'okabe-ito';

export interface ColorOptions {
  /** 'hcl' (default): evenly spread hues; 'okabe-ito': colour-blind-safe hues (7, then repeated darker). */
  palette?: PaletteName;
  /**
   * Fix each VM's colour by name: VM named vmNames[i] takes slot i of vmNames.length slots, so the same
   * name gets the same colour in every run of a comparison (pass stableVmOrder(runs)). Names not in the
   * list get a hue from a hash of the name. Default: slot = the VM's position in the run.
   */
  vmNames?: readonly string[];
  /** Hue (degrees) of the first slot. */
  hueOffset?: number;
}

// ---- packing ---------------------------------------------------------------

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Pack 8-bit channels into a Uint32 laid out as R,G,B,A bytes in memory (ImageData order). */
export function packRgba(r: number, g: number, b: number, a = 255): number {
  const R = clamp8(r);
  const G = clamp8(g);
  const B = clamp8(b);
  const A = clamp8(a);
  return LITTLE_ENDIAN ? ((A << 24) | (B << 16) | (G << 8) | R) >>> 0 : ((R << 24) | (G << 16) | (B << 8) | A) >>> 0;
}

/** Channels [r, g, b, a] of a packed colour. */
export function unpackRgba(p: number): [number, number, number, number] {
  return LITTLE_ENDIAN
    ? [p & 255, (p >>> 8) & 255, (p >>> 16) & 255, p >>> 24]
    : [p >>> 24, (p >>> 16) & 255, (p >>> 8) & 255, p & 255];
}

function clamp8(x: number): number {
  return x <= 0 ? 0 : x >= 255 ? 255 : Math.round(x);
}

/** Pack any CSS colour d3 understands; alpha in 0..1 overrides the colour's own. */
export function packCss(css: string, alpha?: number): number {
  const c = d3color(css);
  if (!c) throw new Error(`not a colour: ${css}`);
  const rgb = c.rgb();
  return packRgba(rgb.r, rgb.g, rgb.b, 255 * (alpha ?? rgb.opacity));
}

/** CSS `rgba()` of a packed colour (for legends and the overlay's vector drawing). */
export function cssOfPacked(p: number): string {
  const [r, g, b, a] = unpackRgba(p);
  // Alpha to 3 decimals: the CSS stays short and the same for the same byte.
  return rgb(r, g, b, +fixed(a / 255, 3)).formatRgb();
}

// ---- theme -----------------------------------------------------------------

/** Fixed colours (CSS) of everything that is not a VM; matches the dark app theme. */
export const THEME = {
  background: '#111418',
  idle: '#20252d',
  unknown: '#16181d',
  unknownHatch: '#3a3e49',
  /** Map placeholders: filtered (`-`) cells, unannounced short names, unidentified tasks. */
  placeholder: '#56607a',
  runnable: '#c3c8d1',
  woken: '#8c93a0',
  sleeping: '#262b33',
  off: '#2c313a',
  /** A CPU-lane pixel no VM covers half of (pixelClasses.ts): this colour checkered with `background`. */
  mixed: '#e6e1d6',
  lost: 'rgba(255, 80, 80, 0.35)',
  lostEdge: 'rgba(255, 90, 90, 0.9)',
  /** Where a paste's text was cut (gapBands.ts): amber stripes, what is under them tinted brown. */
  gapStripe: '#d9a441',
  gapTint: '#4a3a1c',
  /** Host tasks: greys of these HCL lightnesses, picked by tid. */
  hostLightness: [44, 51, 58, 65],
} as const;

// ---- hues ------------------------------------------------------------------

/** Okabe & Ito (2008) colour-blind-safe palette, without black and grey. */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;

/**
 * Order in which n evenly spaced hue slots are handed out: each next slot is
 * the one farthest (on the circle) from all taken so far, ties to the lowest.
 * For n = 4: 0, 2, 1, 3. So VMs 0 and 1 are opposite, and any first k VMs are spread.
 */
export function slotOrder(n: number): number[] {
  if (n <= 0) return [];
  const order = [0];
  const taken = new Uint8Array(n);
  taken[0] = 1;
  while (order.length < n) {
    let best = -1;
    let bestDist = -1;
    for (let s = 0; s < n; s++) {
      if (taken[s]) continue;
      let d = n;
      for (const t of order) {
        const diff = Math.abs(s - t);
        d = Math.min(d, diff, n - diff);
      }
      if (d > bestDist) {
        bestDist = d;
        best = s;
      }
    }
    taken[best] = 1;
    order.push(best);
  }
  return order;
}

/** Hue in degrees for VM slot i of n: evenly spaced (360/n apart), consecutive slots far apart. */
export function vmHues(n: number, hueOffset = 25): number[] {
  const order = slotOrder(n);
  return order.map((slot) => mod360(hueOffset + (360 * slot) / n));
}

/** Smallest distance between two hues on the circle, in degrees. */
export function hueDistance(a: number, b: number): number {
  const d = Math.abs(mod360(a) - mod360(b));
  return Math.min(d, 360 - d);
}

function mod360(h: number): number {
  return ((h % 360) + 360) % 360;
}

/** FNV-1a of a string: a deterministic hue for names outside a fixed order. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The largest chroma ≤ c at which (h, c, l) is displayable, so lightness stays exact. */
function inGamut(h: number, c: number, l: number): HCLColor {
  let col = hcl(h, c, l);
  if (col.displayable()) return col;
  let lo = 0;
  let hi = c;
  for (let i = 0; i < 16; i++) {
    const mid = (lo + hi) / 2;
    if (hcl(h, mid, l).displayable()) lo = mid;
    else hi = mid;
  }
  col = hcl(h, lo, l);
  return col;
}

const RAMP_L_MIN = 40;
const RAMP_L_MAX = 86;
const RAMP_HALF = 23;

/**
 * Colours of `count` vCPUs of one VM: the same hue (drifting at most `hueDrift` degrees across the ramp
 * for extra separation), lightness rising monotonically with vCPU position from dark to light.
 */
export function vcpuRamp(
  hue: number,
  count: number,
  opts: { chroma?: number; lMin?: number; lMax?: number; hueDrift?: number } = {},
): string[] {
  const chroma = opts.chroma ?? 55;
  // A few vCPUs get a narrower ramp around the middle (15 L* per step): a
  // 2-vCPU VM should not span dark to near-white, which reads as a highlight.
  const fullMin = opts.lMin ?? RAMP_L_MIN;
  const fullMax = opts.lMax ?? RAMP_L_MAX;
  const span = Math.min(fullMax - fullMin, 15 * Math.max(1, count - 1));
  const lMin = (fullMin + fullMax - span) / 2;
  const lMax = lMin + span;
  const drift = opts.hueDrift ?? 12;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = count === 1 ? 0.5 : i / (count - 1);
    const l = lMin + (lMax - lMin) * f;
    const h = hue + drift * (f - 0.5);
    out.push(inGamut(h, chroma, l).formatHex());
  }
  return out;
}

// ---- per run ---------------------------------------------------------------

/** The host grey (index into THEME.hostLightness) of a pixel several host tasks share. */
export const HOST_CLASS_GREY = 1;

export interface VmLegend {
  /** Index of the VM in run.vms. */
  vm: number;
  name: string;
  /** The VM's hue in degrees (HCL). */
  hue: number;
  /** A representative colour (middle of the ramp), CSS hex. */
  color: string;
  /** One colour per vCPU, in the order of vm.vcpus (by vCPU index). */
  ramp: { index: number; tid: number; color: string }[];
  /** Colour of the VM's other threads (QEMU main loop, helpers). */
  threadColor: string;
}

export interface RunColors {
  /**
   * Packed colour per value: index task + VALUE_OFFSET; the first VALUE_OFFSET entries are the states;
   * after the tasks the class values of CPU lanes (pixelClasses.cpuLaneClasses): each VM's base colour
   * (its legend colour), the host's grey, then mixed.
   */
  taskPalette: Uint32Array;
  /** The same colours indexed by task index (a view into taskPalette). */
  byTask: Uint32Array;
  legend: VmLegend[];
  /** VM index (into run.vms) of each task: vCPU threads and other threads; -1 for host tasks. */
  vmOfTask: Int32Array;
  /** Position in vm.vcpus of each vCPU task, -1 for others. */
  vcpuOfTask: Int32Array;
  /** Packed colour of the unknown state's hatch lines. */
  hatch: number;
  /** Packed background. */
  background: number;
}

/** Packed colours of the non-task values, written into the first VALUE_OFFSET entries of a palette. */
function writeStates(p: Uint32Array): void {
  p[V_UNKNOWN + VALUE_OFFSET] = packCss(THEME.unknown);
  p[V_RUNNABLE + VALUE_OFFSET] = packCss(THEME.runnable);
  p[V_SLEEPING + VALUE_OFFSET] = packCss(THEME.sleeping);
  p[V_OFF + VALUE_OFFSET] = packCss(THEME.off);
  p[V_WOKEN + VALUE_OFFSET] = packCss(THEME.woken);
}

/**
 * Colour slot of each VM of a run: its position in opts.vmNames when given (a name missing from the
 * list gets a slot from a hash of its name, beyond the list), else its position in the run.
 */
function vmSlots(vms: readonly VmGroup[], opts: ColorOptions): { slots: number[]; n: number } {
  const names = opts.vmNames;
  if (!names) return { slots: vms.map((_, i) => i), n: vms.length };
  const slotOfName = new Map<string, number>();
  names.forEach((n, i) => {
    if (!slotOfName.has(n)) slotOfName.set(n, i);
  });
  return { slots: vms.map((vm) => slotOfName.get(vm.name) ?? -1 - (hashString(vm.name) % 3600)), n: names.length };
}

/** Hue of each VM of a run under the options. */
export function runVmHues(vms: readonly VmGroup[], opts: ColorOptions = {}): number[] {
  return vmBases(vms, opts).map((b) => b.h);
}

/** The palette's picked colour for a slot, or null past the picked ones (hashed names, many VMs). */
function pickedBase(slot: number, opts: ColorOptions): BaseColor | null {
  const picked = basePalette(opts.palette === 'okabe-ito' ? 'cb' : 'hcl');
  return slot >= 0 && slot < picked.length && opts.hueOffset === undefined ? picked[slot] : null;
}

/** Hue, chroma and ramp-centre lightness of each VM: the picked colour of its slot, else an even hue. */
function vmBases(vms: readonly VmGroup[], opts: ColorOptions): { h: number; c: number; l: number | null }[] {
  const hues = spreadHues(vms, opts);
  const { slots } = vmSlots(vms, opts);
  return slots.map((s, i) => {
    const b = pickedBase(s, opts);
    return b ? { h: b.h, c: b.c, l: b.l } : { h: hues[i], c: NaN, l: null };
  });
}

function spreadHues(vms: readonly VmGroup[], opts: ColorOptions): number[] {
  const { slots, n } = vmSlots(vms, opts);
  if (opts.palette === 'okabe-ito') return slots.map((s) => hcl(OKABE_ITO[(s < 0 ? -1 - s : s) % OKABE_ITO.length]).h);
  const hues = vmHues(n, opts.hueOffset);
  // A hashed slot (name outside the list) is a hue in tenths of a degree.
  return slots.map((s) => (s >= 0 ? hues[s] : mod360((-1 - s) / 10)));
}

/** Colours of every task of a run, packed for ImageData, and the legend ramps of its VMs. */
export function runColors(
  run: { model: Pick<TraceModel, 'tasks'>; vms: VmGroup[] },
  opts: ColorOptions = {},
): RunColors {
  const { model, vms } = run;
  const tasks = model.tasks;
  // Tasks, then the class values: one per VM, the host's tasks, mixed.
  const taskPalette = new Uint32Array(tasks.length + VALUE_OFFSET + vms.length + 2);
  writeStates(taskPalette);
  const { vm: vmOfTask, vcpuPosition: vcpuOfTask } = taskVms(run);

  // Host tasks and placeholders first; VM threads overwrite below.
  const idle = packCss(THEME.idle);
  const placeholder = packCss(THEME.placeholder);
  const greys = THEME.hostLightness.map((l) => packCss(hcl(NaN, 0, l).formatHex()));
  for (let t = 0; t < tasks.length; t++) {
    const kind = tasks.kind[t];
    taskPalette[t + VALUE_OFFSET] =
      kind === TaskKind.Idle
        ? idle
        : kind === TaskKind.Normal
          ? greys[(hashString(String(tasks.tid[t])) >>> 3) % greys.length]
          : placeholder;
  }

  const bases = vmBases(vms, opts);
  const { slots, n: slotCount } = vmSlots(vms, opts);
  const okabe = opts.palette === 'okabe-ito';
  const legend: VmLegend[] = vms.map((vm, i) => {
    const base = bases[i];
    const hue = base.h;
    const slot = slots[i] < 0 ? -1 - slots[i] : slots[i];
    // Past the picked colours: Okabe-Ito's 7 hues, reused with a darker ramp every other round.
    const round = okabe ? Math.floor(slot / OKABE_ITO.length) : 0;
    const chroma = base.l !== null ? base.c : okabe ? Math.max(35, hcl(OKABE_ITO[slot % OKABE_ITO.length]).c) : 55;
    const lShift = round % 2 === 1 ? -14 : 0;
    // A picked colour is the ramp's middle: the ramp spans RAMP_HALF either side of its lightness.
    const lMin = base.l !== null ? Math.max(30, base.l - RAMP_HALF) : RAMP_L_MIN + lShift;
    const lMax = base.l !== null ? Math.min(92, base.l + RAMP_HALF) : RAMP_L_MAX + lShift;
    const ramp = vcpuRamp(hue, vm.vcpus.length, {
      chroma,
      lMin,
      lMax,
      // Drift at most a quarter of the spacing between neighbouring VM hues (picked hues are >= 16 apart).
      hueDrift: base.l !== null ? 4 : okabe ? 6 : Math.min(12, slotCount > 1 ? 90 / slotCount : 12),
    });
    const threadColor = inGamut(hue, 14, 52).formatHex();
    const packedThread = packCss(threadColor);
    for (const th of vm.otherThreads) if (th.task >= 0) taskPalette[th.task + VALUE_OFFSET] = packedThread;
    vm.vcpus.forEach((v, pos) => {
      if (v.task >= 0) taskPalette[v.task + VALUE_OFFSET] = packCss(ramp[pos]);
    });
    return {
      vm: i,
      name: vm.name,
      hue,
      color: vcpuRamp(hue, 1, { chroma, lMin, lMax })[0],
      ramp: vm.vcpus.map((v, pos) => ({ index: v.index, tid: v.tid, color: ramp[pos] })),
      threadColor,
    };
  });
  const classBase = tasks.length + VALUE_OFFSET;
  legend.forEach((l, i) => (taskPalette[classBase + i] = packCss(l.color)));
  taskPalette[classBase + vms.length] = greys[HOST_CLASS_GREY];
  taskPalette[classBase + vms.length + 1] = packCss(THEME.mixed);
  return {
    taskPalette,
    byTask: taskPalette.subarray(VALUE_OFFSET, VALUE_OFFSET + tasks.length),
    legend,
    vmOfTask,
    vcpuOfTask,
    hatch: packCss(THEME.unknownHatch),
    background: packCss(THEME.background),
  };
}

/**
 * One order of VM names for every run of a comparison (pass as ColorOptions.vmNames): names in order of
 * first appearance across runs, so a VM keeps its colour from run to run.
 */
export function stableVmOrder(runs: readonly { vms: VmGroup[] }[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of runs)
    for (const vm of r.vms)
      if (!seen.has(vm.name)) {
        seen.add(vm.name);
        out.push(vm.name);
      }
  return out;
}

/** Packed colour per CPU (for vCPU lanes shaded by the CPU they ran on): spread hues, alternating lightness. */
export function cpuPalette(cpuCount: number): Uint32Array {
  const out = new Uint32Array(cpuCount);
  const hues = vmHues(Math.max(1, cpuCount), 0);
  for (let c = 0; c < cpuCount; c++) out[c] = packCss(inGamut(hues[c], 45, c % 2 === 0 ? 62 : 74).formatHex());
  return out;
}

/** The palette of a value domain 0..n-1 plus states, with every data value one colour (e.g. a vCPU's). */
export function flatPalette(n: number, packed: number): Uint32Array {
  const p = new Uint32Array(n + VALUE_OFFSET);
  writeStates(p);
  p.fill(packed, VALUE_OFFSET);
  return p;
}

/** Number of CPUs a palette indexed by CPU must cover: highest CPU + 1. */
export function cpuDomain(model: Pick<TraceModel, 'cpus'>): number {
  return model.cpus.length > 0 ? model.cpus[model.cpus.length - 1] + 1 : 0;
}
