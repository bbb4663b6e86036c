// At whole-trace zoom every pixel of the map is a colour the legend shows: no blend of VMs' colours.
// Rendered into the fake context from a talk-scale run (8 VMs x 20 vCPUs on 80 CPUs) and a real recording.

import { describe, expect, it } from 'vitest';
import { benchRun } from '../../bench/benchModel';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';
import { fixturePath } from '../../test/fixtures';
import { FakeContext2D } from '../testing/fakeContext';
import { packRgba, unpackRgba } from './colors';
import { legendColors } from './legendColors';
import { MapScene } from './scene';

/** Every distinct colour of a whole-trace frame, packed. */
function colorsDrawn(run: Run, mode: 'cpu' | 'vcpu', width = 1500, height = 480): Set<number> {
  const scene = MapScene.fromRun(run, { mode });
  const ctx = new FakeContext2D(width, height);
  scene.drawMap(ctx, scene.bounds(), scene.layout(width, height));
  const px = ctx.pixels;
  const out = new Set<number>();
  for (let i = 0; i < px.length; i += 4) out.add(packRgba(px[i], px[i + 1], px[i + 2], px[i + 3]));
  return out;
}

function check(run: Run, mode: 'cpu' | 'vcpu'): void {
  const legend = legendColors(MapScene.fromRun(run).colors, run.model, mode);
  const known = new Set(legend.map((e) => e.packed));
  const drawn = colorsDrawn(run, mode);
  const stray = [...drawn].filter((c) => !known.has(c)).map((c) => unpackRgba(c).join(','));
  expect(stray).toEqual([]);
  expect(drawn.size).toBeGreaterThan(5);
}

describe('whole-trace map colours are the legend’s', () => {
  const talk = benchRun(200_000);
  it('8 VMs x 20 vCPUs on 80 CPUs, CPU lanes', () => check(talk, 'cpu'));
  it('8 VMs x 20 vCPUs on 80 CPUs, vCPU lanes', () => check(talk, 'vcpu'));
  it('a real QEMU recording (ftrace, 3 VMs), both lane modes', async () => {
    const [run] = assembleRuns(await loadInputs([fixturePath('ftrace-qemu-3vm-x2vcpu.ftrace.txt')]));
    check(run, 'cpu');
    check(run, 'vcpu');
  });
});
