import { describe, expect, it } from 'vitest';
import { PrevState } from '../model/types';
import { hitTest } from './hitTest';
import { MapScene } from './scene';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';
import { wakeupTargetOfHit, wakeupTargetOfPinned } from './wakeupTarget';
import { sceneOfRun } from '../testing/scenes';

// CPU 0: vCPU v runs [0, 10), is preempted (R) by host task h [10, 20), runs again [20, 30), then idle.
// CPU 1: h [0, 5) then idle.
function scenes() {
  const b = builder();
  const v = b.task(1001, 'CPU 0/KVM', 0);
  const h = b.task(2000, 'kworker/0:1', 0);
  b.addSwitch(0, 0, -1, PrevState.Unknown, v);
  b.addSwitch(0, 1, -1, PrevState.Unknown, h);
  b.addSwitch(5, 1, h, PrevState.Sleeping, 0);
  b.addSwitch(10, 0, v, PrevState.Preempted, h);
  b.addSwitch(20, 0, h, PrevState.Sleeping, v);
  b.addSwitch(30, 0, v, PrevState.Sleeping, 0);
  b.addSwitch(40, 0, 0, PrevState.Unknown, h);
  const run = makeRun(b.finish(), [{ name: 'vm', vcpus: [v] }]);
  return { v, h, cpu: sceneOfRun(run, { mode: 'cpu' }), vcpu: sceneOfRun(run, { mode: 'vcpu' }) };
}

describe('wakeup targets', () => {
  const { v, cpu, vcpu } = scenes();
  // 40 px over [0, 40): 1 px per ns.
  const hit = (scene: MapScene, lane: number, x: number) => hitTest(scene.hitContext(), lane, x, 0, 40, 40);

  it('a running slice is its own switch-in; idle and nothing are no target', () => {
    expect(wakeupTargetOfHit(hit(cpu, 0, 25))).toEqual({ task: v, start: 20, lane: 0 });
    const idle = hit(cpu, 1, 8);
    expect(idle?.task?.isIdle).toBe(true);
    expect(wakeupTargetOfHit(idle)).toBeNull();
    expect(wakeupTargetOfHit(null)).toBeNull();
  });

  it("a vCPU lane's wait for a CPU is the switch-in that ends it", () => {
    const wait = hit(vcpu, 0, 15);
    expect(wait?.state).toBe('runnable');
    expect(wakeupTargetOfHit(wait)).toEqual({ task: v, start: 20, lane: 0 });
    // Sleeping after its last slice: no switch-in ends it in the trace.
    const asleep = hit(vcpu, 0, 35);
    expect(asleep?.state).toBe('sleeping');
    expect(wakeupTargetOfHit(asleep)).toBeNull();
  });

  it("the pinned slice on the lane that shows it: its CPU's lane, or the vCPU's own", () => {
    const row = hit(cpu, 0, 25)!.slice;
    expect(cpu.index.slices.start[row]).toBe(20);
    // CPU lanes in CPU order: CPU 0 is lane 0; vCPU lanes: v's lane.
    expect(wakeupTargetOfPinned(cpu, cpu.lanes, { task: v, slice: row })).toEqual({ task: v, start: 20, lane: 0 });
    expect(wakeupTargetOfPinned(cpu, [...cpu.lanes].reverse(), { task: v, slice: row })?.lane).toBe(1);
    expect(wakeupTargetOfPinned(vcpu, vcpu.lanes, { task: v, slice: row })).toEqual({ task: v, start: 20, lane: 0 });
    expect(wakeupTargetOfPinned(cpu, cpu.lanes, null)).toBeNull();
    expect(wakeupTargetOfPinned(cpu, cpu.lanes, { task: v, slice: -1 })).toBeNull();
    expect(wakeupTargetOfPinned(cpu, cpu.lanes, { task: v, slice: 1e6 })).toBeNull();
  });
});
