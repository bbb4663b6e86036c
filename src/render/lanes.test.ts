import { describe, expect, it } from 'vitest';
import { PrevState, WakeupKind } from '../model/types';
import { cpuPalette, runColors } from './colors';
import { cpuLanes, lanePalette, laneTrack, vcpuLanes } from './lanes';
import { computeLod } from './lod';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';
import { VALUE_OFFSET, V_OFF, V_RUNNABLE, V_SLEEPING, V_UNKNOWN, V_WOKEN } from './values';
import { indexOfModel } from '../testing/scenes';

const U = PrevState.Unknown;

/** vCPU v: cpu0 [0,10), preempted, cpu1 [30,50), sleeps, woken at 70, cpu0 [80,100). */
function vcpuModel(hasStates: boolean) {
  const b = builder(hasStates);
  const v = b.task(500, 'CPU 0/KVM', 0);
  const v2 = b.task(501, 'CPU 1/KVM', 0);
  const h = b.task(600, 'sshd', 0);
  const st = (s: PrevState) => (hasStates ? s : U);
  b.addSwitch(0, 0, -1, U, v);
  b.addSwitch(10, 0, v, st(PrevState.Preempted), h);
  b.addSwitch(30, 1, -1, U, v);
  b.addSwitch(50, 1, v, st(PrevState.Sleeping), 0);
  b.addWakeup(70, v, 0, WakeupKind.Waking);
  b.addSwitch(80, 0, h, st(PrevState.Preempted), v);
  b.addSwitch(100, 0, v, st(PrevState.Sleeping), 0);
  const model = b.finish();
  return { model, v, v2, h, run: makeRun(model, [{ name: 'guest', vcpus: [v, v2] }]) };
}

describe('lanes', () => {
  it('lists host CPUs in order, declared idle ones on request', () => {
    const { model } = vcpuModel(true);
    expect(cpuLanes(model).map((l) => l.cpu)).toEqual([0, 1]);
    expect(cpuLanes({ ...model, declaredCpuCount: 4 }, true).map((l) => l.label)).toEqual([
      'CPU 0',
      'CPU 1',
      'CPU 2',
      'CPU 3',
    ]);
  });

  it('lists vCPU threads grouped by VM in VM order, leaving hidden VMs out', () => {
    const b = builder();
    const t = Array.from({ length: 5 }, (_, i) => b.task(700 + i, `CPU ${i}/KVM`, 0));
    const run = makeRun(b.finish(), [
      { name: 'b-vm', vcpus: [t[3], t[4]] },
      { name: 'a-vm', vcpus: [t[0], t[1], t[2]] },
    ]);
    const lanes = vcpuLanes(run);
    expect(lanes.map((l) => [l.vmName, l.vcpuIndex, l.tid])).toEqual([
      ['b-vm', 0, 703],
      ['b-vm', 1, 704],
      ['a-vm', 0, 700],
      ['a-vm', 1, 701],
      ['a-vm', 2, 702],
    ]);
    // Hiding VM 0 (b-vm) leaves its lanes out; the others keep their VM index into run.vms.
    expect(vcpuLanes(run, new Set([0])).map((l) => [l.vmName, l.vm])).toEqual([
      ['a-vm', 1],
      ['a-vm', 1],
      ['a-vm', 1],
    ]);
  });

  it('shows where a vCPU runs, when it waits preempted, sleeps and is woken', () => {
    const { run, model } = vcpuModel(true);
    const idx = indexOfModel(model);
    const lanes = vcpuLanes(run).map((l) => ({ track: laneTrack(idx, l), pyramid: null }));
    const lod = computeLod(lanes, 0, 100, 10);
    expect(Array.from(lod.value.subarray(0, 10))).toEqual([
      0,
      V_RUNNABLE,
      V_RUNNABLE,
      1,
      1,
      V_SLEEPING,
      V_SLEEPING,
      V_WOKEN,
      0,
      0,
    ]);
    // The second vCPU never ran: unknown throughout.
    expect(Array.from(lod.value.subarray(10, 20))).toEqual(new Array(10).fill(V_UNKNOWN));
  });

  it('says only "not running" where the trace has no states', () => {
    const { run, model } = vcpuModel(false);
    const idx = indexOfModel(model);
    const lod = computeLod([{ track: laneTrack(idx, vcpuLanes(run)[0]), pyramid: null }], 0, 100, 10);
    expect(Array.from(lod.value)).toEqual([0, V_OFF, V_OFF, 1, 1, V_OFF, V_OFF, V_WOKEN, 0, 0]);
  });

  it('colours a vCPU lane with its ramp colour, or by CPU', () => {
    const { run, model, v } = vcpuModel(true);
    const colors = runColors(run);
    const lane = vcpuLanes(run)[0];
    const byVm = lanePalette(lane, colors, 2, 'vm');
    expect(byVm[0 + VALUE_OFFSET]).toBe(colors.taskPalette[v + VALUE_OFFSET]);
    expect(byVm[1 + VALUE_OFFSET]).toBe(colors.taskPalette[v + VALUE_OFFSET]);
    expect(byVm[V_RUNNABLE + VALUE_OFFSET]).not.toBe(byVm[V_SLEEPING + VALUE_OFFSET]);
    const byCpu = lanePalette(lane, colors, 2, 'cpu');
    const cp = cpuPalette(2);
    expect([byCpu[VALUE_OFFSET], byCpu[1 + VALUE_OFFSET]]).toEqual([cp[0], cp[1]]);
    expect(cp[0]).not.toBe(cp[1]);
    // Host-CPU lanes use the run's task colours.
    expect(lanePalette(cpuLanes(model)[0], colors, 2)).toBe(colors.taskPalette);
  });
});
