import { describe, expect, it } from 'vitest';
import { runColors } from '../render/colors';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';
import { thousands } from '../analysis/format';
import { vmLegendOf } from './vmLegend';

describe('VM legend cache', () => {
  it('gives what runColors gives, once per run and options', () => {
    const b = builder();
    const t = [b.task(1, 'CPU 0/KVM', 0), b.task(2, 'CPU 1/KVM', 0), b.task(3, 'CPU 0/KVM', 0)];
    b.addSwitch(0, 0, -1, 0, t[0]);
    b.addSwitch(10, 0, t[0], 0, t[2]);
    const run = makeRun(b.finish(), [
      { name: 'a', vcpus: [t[0], t[1]] },
      { name: 'b', vcpus: [t[2]] },
    ]);
    const hcl = vmLegendOf(run, 'hcl', undefined);
    expect(hcl).toEqual(runColors(run, { palette: 'hcl' }).legend);
    expect(vmLegendOf(run, 'hcl', undefined)).toBe(hcl);
    const okabe = vmLegendOf(run, 'okabe-ito', undefined);
    expect(okabe).not.toBe(hcl);
    expect(okabe).toEqual(runColors(run, { palette: 'okabe-ito' }).legend);
    const slots = vmLegendOf(run, 'hcl', ['x', 'b', 'a']);
    expect(slots).toEqual(runColors(run, { palette: 'hcl', vmNames: ['x', 'b', 'a'] }).legend);
    expect(slots).not.toEqual(hcl);
  });
});

describe('thousands', () => {
  it('writes what toLocaleString("en") writes for integers', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 5_410_737, 2_147_483_647, -1234, -999, 1234.6])
      expect(thousands(n)).toBe(Math.round(n).toLocaleString('en'));
  });
});
