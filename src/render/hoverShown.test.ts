import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';
import { fixturePath } from '../../test/fixtures';
import { FakeContext2D } from '../testing/fakeContext';
import type { HitResult } from './hitTest';
import { shownHit } from './hoverShown';
import { MapScene } from './scene';
import { sceneOfRun } from '../testing/scenes';

let run: Run;
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-spin.script-pidtid.txt')]));
});

/** Every hit of a whole-trace CPU-lane frame, one per lane and column. */
function hits(scene: MapScene, width: number, height: number): HitResult[] {
  const layout = scene.layout(width, height);
  scene.drawMap(new FakeContext2D(width, height), scene.bounds(), layout);
  const out: HitResult[] = [];
  for (let l = 0; l < scene.lanes.length; l++)
    for (let x = 0; x < width; x += 7) {
      const h = scene.hitAt(x, layout.top[l] + 1);
      if (h) out.push(h);
    }
  return out;
}

describe('the hover honours what the map hides', () => {
  it('a hidden VM’s slices and hidden host tasks have no hover; the rest keep theirs', () => {
    const scene = sceneOfRun(run, { mode: 'cpu' });
    const all = hits(scene, 400, 80);
    const ofVm0 = all.filter((h) => h.task?.vm === 0);
    const host = all.filter((h) => h.task && scene.hostTasks[h.task.task] === 1);
    expect(ofVm0.length).toBeGreaterThan(0);
    expect(host.length).toBeGreaterThan(0);
    const hidden = { hiddenVms: new Set([0]), hideHostTasks: true };
    for (const h of ofVm0) expect(shownHit(h, hidden, scene.hostTasks)).toBeNull();
    for (const h of host) expect(shownHit(h, hidden, scene.hostTasks)).toBeNull();
    const rest = all.filter((h) => !ofVm0.includes(h) && !host.includes(h));
    expect(rest.length).toBeGreaterThan(0);
    for (const h of rest) expect(shownHit(h, hidden, scene.hostTasks)).toBe(h);
    // Nothing hidden: every hit stays.
    for (const h of all) expect(shownHit(h, { hiddenVms: new Set(), hideHostTasks: false }, scene.hostTasks)).toBe(h);
  });

  it('vCPU mode leaves a hidden VM’s lanes out', () => {
    const scene = sceneOfRun(run, { mode: 'vcpu', hiddenVms: new Set([1]) });
    const shown = run.vms.reduce((n, vm, i) => n + (i === 1 ? 0 : vm.vcpus.length), 0);
    expect(scene.lanes).toHaveLength(shown);
    expect(scene.lanes.every((l) => l.kind === 'vcpu' && l.vm !== 1)).toBe(true);
  });
});
