import { hcl } from 'd3';
import { describe, expect, it } from 'vitest';
import {
  OKABE_ITO,
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
import { makeRun, builder } from '../testing/models';
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

  it('offers Okabe-Ito hues for colour-blind safety', () => {
    const { run } = vmRun(9, 2);
    const c = runColors(run, { palette: 'okabe-ito' });
    c.legend.slice(0, 7).forEach((l, i) => expect(l.hue).toBeCloseTo(hcl(OKABE_ITO[i]).h, 6));
    // The 8th VM reuses the first hue with a darker ramp.
    expect(c.legend[7].hue).toBeCloseTo(c.legend[0].hue, 6);
    expect(lightness(c.legend[7].ramp[0].color)).toBeLessThan(lightness(c.legend[0].ramp[0].color));
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
