import { hcl } from 'd3';
import { describe, expect, it } from 'vitest';
import {
  cssOfPacked,
  hueDistance,
  packCss,
  packRgba,
  runColors,
  runVmHues,
  slotOrder,
  stableVmOrder,
  unpackRgba,
  vcpuRamp,
  vmHues,
} from './colors';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';
import { deltaE2000, deltaE2000Lab, minPairDistance, simulateDeuteranopia } from './colorDistance';
import { VALUE_OFFSET } from './values';

/** A run with `vms` VMs of `vcpus` vCPUs each, one host task, one QEMU main thread per VM. */
function vmRun(vms: number, vcpus: number, names?: string[]) {
  const b = builder();
  let tid = 1000;
  const groups = Array.from({ length: vms }, (_, v) => {
    const main = b.task(tid++, 'qemu-system-x86', 0);
    const list = Array.from({ length: vcpus }, (_, k) => b.task(tid++, `CPU ${k}/KVM`, 0));
    return { name: names?.[v] ?? `vm${v}`, vcpus: list, others: [main] };
  });
  const host = b.task(tid++, 'sshd', 0);
  b.addSwitch(0, 0, -1, 0, host);
  b.addSwitch(10, 0, host, 0, 0);
  return { run: makeRun(b.finish(), groups), host };
}

const lightness = (css: string): number => hcl(css).l;
const chroma = (css: string): number => hcl(css).c;

describe('VM hues', () => {
  it('spreads n hues evenly: every pair at least 360/n degrees apart', () => {
    for (let n = 1; n <= 24; n++) {
      const hues = vmHues(n);
      expect(hues).toHaveLength(n);
      let min = 360;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) min = Math.min(min, hueDistance(hues[i], hues[j]));
      if (n > 1) expect(min).toBeGreaterThanOrEqual(360 / n - 1e-9);
    }
  });

  it('hands out slots so consecutive VMs are far apart', () => {
    expect(slotOrder(4)).toEqual([0, 2, 1, 3]);
    const hues = vmHues(8);
    expect(hueDistance(hues[0], hues[1])).toBe(180);
    // Any first k VMs of 8 are at least 45 degrees apart, the first 4 at least 90.
    for (let i = 0; i < 4; i++)
      for (let j = i + 1; j < 4; j++) expect(hueDistance(hues[i], hues[j])).toBeGreaterThanOrEqual(90);
  });

  it('is deterministic', () => {
    const a = runColors(vmRun(5, 4).run);
    const b = runColors(vmRun(5, 4).run);
    expect(Array.from(a.taskPalette)).toEqual(Array.from(b.taskPalette));
    expect(a.legend).toEqual(b.legend);
  });
});

describe('vCPU ramps', () => {
  it('rise monotonically in lightness, distinguishably, for up to 32 vCPUs', () => {
    for (const hue of [0, 25, 90, 140, 200, 260, 320])
      for (const count of [1, 2, 3, 8, 20, 32]) {
        const ramp = vcpuRamp(hue, count);
        expect(ramp).toHaveLength(count);
        for (let i = 1; i < count; i++) {
          expect(lightness(ramp[i])).toBeGreaterThan(lightness(ramp[i - 1]));
          // 8-bit rounding keeps at least ~1 L* unit between neighbours.
          expect(lightness(ramp[i]) - lightness(ramp[i - 1])).toBeGreaterThan(0.9);
        }
        // Small VMs stay off near-white: the brightest vCPU of a 2-vCPU VM is no lighter than L* 75.
        if (count === 2) expect(lightness(ramp[1])).toBeLessThan(75);
      }
  });

  it('keep the VM hue: every vCPU colour is nearer its own VM hue than to any other VM hue', () => {
    const { run } = vmRun(6, 16);
    const colors = runColors(run);
    const hues = colors.legend.map((l) => l.hue);
    colors.legend.forEach((vm, i) => {
      for (const v of vm.ramp) {
        const h = hcl(v.color).h;
        const own = hueDistance(h, hues[i]);
        for (let j = 0; j < hues.length; j++) if (j !== i) expect(own).toBeLessThan(hueDistance(h, hues[j]));
        expect(chroma(v.color)).toBeGreaterThan(15);
      }
    });
  });
});

describe('task palette', () => {
  it('colours idle dark, host tasks grey, vCPUs by their VM ramp, QEMU threads greyed VM hue', () => {
    const { run, host } = vmRun(2, 3);
    const c = runColors(run);
    const css = (task: number) => cssOfPacked(c.taskPalette[task + VALUE_OFFSET]);
    expect(lightness(css(0))).toBeLessThan(20);
    expect(chroma(css(host))).toBeLessThan(3);
    expect(lightness(css(host))).toBeGreaterThan(35);
    run.vms.forEach((vm, i) => {
      vm.vcpus.forEach((v, pos) => {
        expect(css(v.task)).toBe(cssOfPacked(packCss(c.legend[i].ramp[pos].color)));
        expect(c.vmOfTask[v.task]).toBe(i);
        expect(c.vcpuOfTask[v.task]).toBe(pos);
      });
      const main = vm.otherThreads[0].task;
      expect(c.vmOfTask[main]).toBe(i);
      expect(chroma(css(main))).toBeLessThan(20);
    });
    expect(c.vmOfTask[host]).toBe(-1);
    expect(c.byTask[host]).toBe(c.taskPalette[host + VALUE_OFFSET]);
    expect(c.byTask).toHaveLength(run.model.tasks.length);
  });

  it('gives a VM name the same colour in every run of a comparison', () => {
    const a = vmRun(3, 2, ['alpha', 'beta', 'gamma']).run;
    const b = vmRun(3, 2, ['gamma', 'delta', 'alpha']).run;
    const order = stableVmOrder([a, b]);
    expect(order).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    const ca = runColors(a, { vmNames: order });
    const cb = runColors(b, { vmNames: order });
    const byName = (c: ReturnType<typeof runColors>) =>
      Object.fromEntries(c.legend.map((l) => [l.name, l.ramp.map((r) => r.color)]));
    expect(byName(cb).alpha).toEqual(byName(ca).alpha);
    expect(byName(cb).gamma).toEqual(byName(ca).gamma);
    // Names outside the list still get a deterministic hue.
    const other = vmRun(1, 2, ['zeta']).run;
    expect(runVmHues(other.vms, { vmNames: order })).toEqual(runVmHues(other.vms, { vmNames: order }));
  });

  // Issue 18: distances measured in CIEDE2000 between the VMs' legend colours (the middle of their ramps).
  it('keeps the first 8 VM colours at least 20 apart in CIEDE2000, the first 12 at least 14', () => {
    const { run } = vmRun(12, 4);
    const colors = runColors(run).legend.map((l) => l.color);
    expect(minPairDistance(colors.slice(0, 8))).toBeGreaterThanOrEqual(20);
    expect(minPairDistance(colors)).toBeGreaterThanOrEqual(14);
    // Neighbours in the order are farther apart still.
    for (let i = 1; i < 8; i++) expect(deltaE2000(colors[i - 1], colors[i])).toBeGreaterThanOrEqual(25);
  });

  it("keeps the colour-blind palette's first 8 at least 10 apart as a deuteranope sees them", () => {
    const { run } = vmRun(8, 4);
    const colors = runColors(run, { palette: 'okabe-ito' }).legend.map((l) => l.color);
    expect(minPairDistance(colors, simulateDeuteranopia)).toBeGreaterThanOrEqual(10);
    // The perceptual palette is not built for that: the check can fail.
    expect(
      minPairDistance(
        runColors(run).legend.map((l) => l.color),
        simulateDeuteranopia,
      ),
    ).toBeLessThan(10);
  });

  it('CIEDE2000 and the deuteranopia simulation agree with their published values', () => {
    // Sharma, Wu & Dalal (2005), table 1, pairs 1, 7 and 17.
    expect(deltaE2000Lab({ l: 50, a: 2.6772, b: -79.7751 }, { l: 50, a: 0, b: -82.7485 })).toBeCloseTo(2.0425, 4);
    expect(deltaE2000Lab({ l: 50, a: 0, b: 0 }, { l: 50, a: -1, b: 2 })).toBeCloseTo(2.3669, 4);
    expect(deltaE2000Lab({ l: 50, a: 2.5, b: 0 }, { l: 73, a: 25, b: -18 })).toBeCloseTo(27.1492, 4);
    // Red and green, far apart in colour vision, come close for a deuteranope; grey stays grey.
    expect(deltaE2000('#ff0000', '#00c000')).toBeGreaterThan(60);
    expect(deltaE2000(simulateDeuteranopia('#d55e00'), simulateDeuteranopia('#5e8c00'))).toBeLessThan(12);
    expect(simulateDeuteranopia('#808080')).toBe('#808080');
  });
});

describe('packing', () => {
  it('lays out R, G, B, A bytes in memory as ImageData does', () => {
    const p = packRgba(10, 20, 30, 40);
    const bytes = new Uint8Array(new Uint32Array([p]).buffer);
    expect(Array.from(bytes)).toEqual([10, 20, 30, 40]);
    expect(unpackRgba(p)).toEqual([10, 20, 30, 40]);
    expect(cssOfPacked(packCss('#ff8000'))).toBe('rgb(255, 128, 0)');
    expect(cssOfPacked(packCss('#000', 0.5))).toBe('rgba(0, 0, 0, 0.502)');
  });
});
