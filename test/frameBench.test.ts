import { describe, expect, it } from 'vitest';
import { benchRun } from '../bench/benchModel';
import { benchFrames, benchView } from '../bench/frameBench';
import { FakeContext2D } from '../src/testing/fakeContext';
import { sceneOfRun } from '../src/testing/scenes';

describe('frame benchmark', () => {
  it('generates a run of the requested size with VMs', () => {
    const run = benchRun(20_000, { cpus: 16, vms: 4, vcpus: 4 });
    expect(run.model.switches.length).toBe(20_000);
    expect(run.vms).toHaveLength(4);
    expect(run.vms.every((vm) => vm.vcpus.length === 4)).toBe(true);
    expect(run.model.hasStates).toBe(true);
  });

  it('draws N frames and reports the median', () => {
    const run = benchRun(5000, { cpus: 8, vms: 2, vcpus: 4 });
    const r = benchFrames(run, { frames: 6, width: 160, height: 90 });
    expect(r.samples).toHaveLength(6);
    expect(r.lanes).toBe(8);
    expect(r.switches).toBe(5000);
    expect(r.medianMs).toBeGreaterThanOrEqual(0);
    expect(r.p90Ms).toBeGreaterThanOrEqual(r.medianMs);
  });

  it('walks windows that stay inside the trace', () => {
    for (let i = 0; i < 40; i++) {
      const v = benchView(i, 100, 1100);
      expect(v.start).toBeGreaterThanOrEqual(100);
      expect(v.end).toBeLessThanOrEqual(1100 + 1e-9);
    }
  });
});

describe('scene', () => {
  it('switches lane modes and prebuilds pyramids in slices of time', () => {
    const run = benchRun(30_000, { cpus: 4, vms: 2, vcpus: 2 });
    const scene = sceneOfRun(run, { mode: 'cpu' });
    expect(scene.lanes.map((l) => l.kind)).toEqual(['cpu', 'cpu', 'cpu', 'cpu']);
    let clock = 0;
    let calls = 0;
    while (scene.prebuildSome(1, () => clock++)) calls++;
    expect(calls).toBeGreaterThan(0);
    scene.setOptions({ mode: 'vcpu', hiddenVms: new Set([0]) });
    expect(scene.lanes).toHaveLength(2);
    const ctx = new FakeContext2D(300, 60);
    const lod = scene.drawMap(ctx, scene.bounds(), scene.layout(300, 60));
    expect(lod.lanes).toBe(2);
    const pinned = scene.presence(scene.lanes[0].kind === 'vcpu' ? scene.lanes[0].task : -1);
    expect(pinned.length).toBeGreaterThan(0);
    expect(pinned.every((p) => p.lane === 0)).toBe(true);
  });
});
