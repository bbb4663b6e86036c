// A frame prepared lane by lane in slices (prepareFrame) draws the same as one
// computed at once, and the preparation really is spread over several tasks.

import { describe, expect, it } from 'vitest';
import { MapScene } from '../../render/scene';
import { runColors } from '../../render/colors';
import { builder, randomModel } from '../../testing/models';
import { makeRun } from '../../testing/runs';
import { drawnRunOf } from '../../model/drawnRun';
import { VCPU_CHUNK, vcpuTracks } from '../../model/vcpuTracks';
import { PaneScene, prepareFrame, prepareVcpuLanes } from './sceneCache';
import { sceneOfRun } from '../../testing/scenes';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('prepareFrame', () => {
  // 30k switches on 3 CPUs: ~10k slices per CPU lane, enough for pyramids.
  const model = randomModel(11, 30_000, 3, 8);
  const W = 317;

  it('builds the levels a frame reads over several slices, then the frame equals a one-shot frame', async () => {
    const prepared = sceneOfRun(makeRun(model));
    const fresh = sceneOfRun(makeRun(model));
    expect(prepared.lodInputs.filter((l) => l.pyramid).length).toBe(3);
    const view = { start: prepared.index.t0 + 1234, end: prepared.index.t1 - 777 };
    // A clock that runs out after every lane: one lane per slice.
    let t = 0;
    let readyAt = -1;
    let slices = 0;
    const done = new Promise<void>((resolve) =>
      prepareFrame(
        prepared,
        view,
        W,
        () => {
          readyAt = slices;
          resolve();
        },
        {
          sliceMs: 1,
          now: () => {
            slices++;
            return (t += 1);
          },
        },
      ),
    );
    expect(readyAt).toBe(-1);
    await done;
    expect(readyAt).toBeGreaterThan(3);
    // Each lane's level for the frame is built: one level fewer left to build than on an untouched scene.
    const missing = (scene: MapScene): number[] =>
      scene.lodInputs.map((l) => {
        let n = 0;
        while (l.pyramid?.buildNext()) n++;
        return n;
      });
    const untouched = missing(sceneOfRun(makeRun(model)));
    expect(missing(prepared)).toEqual(untouched.map((n) => n - 1));
    const a = prepared.computeLod(view, W);
    const b = fresh.computeLod(view, W);
    expect(Array.from(a.levelOf)).toEqual(Array.from(b.levelOf));
    expect(Array.from(a.levelOf).every((s) => s >= 0)).toBe(true);
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
  });

  it('calls ready at once when everything fits in the first slice', () => {
    const scene = sceneOfRun(makeRun(model));
    let ready = false;
    prepareFrame(scene, scene.bounds(), W, () => (ready = true), { sliceMs: 1e9 });
    expect(ready).toBe(true);
  });

  it('never calls ready once cancelled', async () => {
    const scene = sceneOfRun(makeRun(model));
    let t = 0;
    let ready = false;
    const cancel = prepareFrame(scene, scene.bounds(), W, () => (ready = true), { sliceMs: 1, now: () => (t += 1) });
    cancel();
    for (let i = 0; i < 10; i++) await tick();
    expect(ready).toBe(false);
  });
});

describe('prepareVcpuLanes', () => {
  it("gets the vCPU lanes' tracks from the worker once, keeps them through a cancel, the same as built from the model", async () => {
    const model = randomModel(12, 2 * VCPU_CHUNK + 5000, 3, 6);
    const run = makeRun(model, [
      { name: 'a', vcpus: [1, 2] },
      { name: 'b', vcpus: [4] },
    ]);
    // The page's scene: drawn slices only, no model to build tracks from.
    const pane = new PaneScene(drawnRunOf(run, { id: 7, modelId: 1 }));
    const scene = pane.scene;
    const tasks = [1, 2, 4];
    const asked: number[][] = [];
    const fetch = (id: number, t: readonly number[]) => {
      expect(id).toBe(7);
      asked.push([...t]);
      return Promise.resolve(vcpuTracks(model, t));
    };
    let ready = 0;
    // Cancelled at once: ready is not called, but the tracks that arrive are kept.
    prepareVcpuLanes(pane, () => ready++, fetch)();
    await new Promise<void>((resolve) =>
      prepareVcpuLanes(
        pane,
        () => {
          ready++;
          resolve();
        },
        fetch,
      ),
    );
    expect(ready).toBe(1);
    expect(asked).toEqual([tasks]);
    expect(scene.index.hasVcpuTracks(tasks)).toBe(true);
    const fresh = sceneOfRun(run);
    fresh.setOptions({ mode: 'vcpu' });
    scene.setOptions({ mode: 'vcpu' });
    for (const task of tasks) {
      const a = scene.index.vcpuTrack(task);
      const b = fresh.index.vcpuTrack(task);
      expect(a.n).toBeGreaterThan(100);
      expect([Array.from(a.start), Array.from(a.end), Array.from(a.value)]).toEqual([
        Array.from(b.start),
        Array.from(b.end),
        Array.from(b.value),
      ]);
    }
    // Here already: ready at once, nothing asked.
    let now2 = false;
    prepareVcpuLanes(pane, () => (now2 = true), fetch);
    expect(now2).toBe(true);
    expect(asked).toHaveLength(1);
  });
});

describe('PaneScene.legend', () => {
  it('gives what runColors gives, once per palette and colour slots', () => {
    const b = builder();
    const t = [b.task(1, 'CPU 0/KVM', 0), b.task(2, 'CPU 1/KVM', 0), b.task(3, 'CPU 0/KVM', 0)];
    b.addSwitch(0, 0, -1, 0, t[0]);
    b.addSwitch(10, 0, t[0], 0, t[2]);
    const run = makeRun(b.finish(), [
      { name: 'a', vcpus: [t[0], t[1]] },
      { name: 'b', vcpus: [t[2]] },
    ]);
    const pane = new PaneScene(drawnRunOf(run));
    const hcl = pane.legend('hcl', undefined);
    expect(hcl).toEqual(runColors(run, { palette: 'hcl' }).legend);
    expect(pane.legend('hcl', undefined)).toBe(hcl);
    const okabe = pane.legend('okabe-ito', undefined);
    expect(okabe).not.toBe(hcl);
    expect(okabe).toEqual(runColors(run, { palette: 'okabe-ito' }).legend);
    const slots = pane.legend('hcl', ['x', 'b', 'a']);
    expect(slots).toEqual(runColors(run, { palette: 'hcl', vmNames: ['x', 'b', 'a'] }).legend);
    expect(slots).not.toEqual(hcl);
  });
});
