// At whole-trace zoom every pixel of the map is a colour the legend shows: no blend of VMs' colours.
// Rendered into the fake context from a talk-scale run (8 VMs x 20 vCPUs on 80 CPUs) and a real recording.

import { describe, expect, it } from 'vitest';
import { benchRun } from '../../bench/benchModel';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';
import { fixturePath } from '../../test/fixtures';
import { FakeContext2D } from '../testing/fakeContext';
import { packCss, packRgba, THEME, unpackRgba } from './colors';
import { legendColors } from './legendColors';
import { classOfDrawn } from './pixelClasses';
import { sceneOfRun } from '../testing/scenes';

/** Every distinct colour of a whole-trace frame, packed. */
function colorsDrawn(run: Run, mode: 'cpu' | 'vcpu', width = 1500, height = 480): Set<number> {
  const scene = sceneOfRun(run, { mode });
  const ctx = new FakeContext2D(width, height);
  scene.drawMap(ctx, scene.bounds(), scene.layout(width, height));
  const px = ctx.pixels;
  const out = new Set<number>();
  for (let i = 0; i < px.length; i += 4) out.add(packRgba(px[i], px[i + 1], px[i + 2], px[i + 3]));
  return out;
}

function check(run: Run, mode: 'cpu' | 'vcpu'): Set<number> {
  const legend = legendColors(sceneOfRun(run).colors, run.model, mode);
  const known = new Set(legend.map((e) => e.packed));
  const drawn = colorsDrawn(run, mode);
  const stray = [...drawn].filter((c) => !known.has(c)).map((c) => unpackRgba(c).join(','));
  expect(stray).toEqual([]);
  expect(drawn.size).toBeGreaterThan(5);
  return drawn;
}

describe('whole-trace map colours are the legend’s', () => {
  const talk = benchRun(200_000);
  it('8 VMs x 20 vCPUs on 80 CPUs, CPU lanes: some pixels in a VM’s base colour, some mixed', () => {
    const drawn = check(talk, 'cpu');
    // Pixels no thread covers half of: the VM's legend colour, or the mixed mark (pixelClasses.ts).
    const bases = sceneOfRun(talk).colors.legend.map((l) => packCss(l.color));
    expect(bases.filter((c) => drawn.has(c)).length).toBeGreaterThan(2);
    expect(drawn.has(packCss(THEME.mixed))).toBe(true);
  });
  it('8 VMs x 20 vCPUs on 80 CPUs, vCPU lanes', () => check(talk, 'vcpu'));
  it('names, under a pixel drawn in a VM’s colour, a thread of that VM (the one covering most of it)', () => {
    const scene = sceneOfRun(talk, { mode: 'cpu' });
    const W = 1500;
    const layout = scene.layout(W, 480);
    const lod = scene.drawMap(new FakeContext2D(W, 480), scene.bounds(), layout);
    let checked = 0;
    const kinds = new Set<string>();
    for (let l = 0; l < lod.lanes; l++)
      for (let x = 0; x < W; x++) {
        const drawn = classOfDrawn(scene.classes, lod.value[l * W + x]);
        const hit = scene.hitAt(x, layout.top[l] + 1);
        // The hit says how the pixel is painted: a VM's colour, the host's, mixed, or (null) one thread.
        const as =
          drawn.kind === 'value' ? null : drawn.kind === 'mixed' ? 'mixed' : drawn.g < talk.vms.length ? 'vm' : 'host';
        expect(hit?.drawnAs ?? null).toBe(as);
        if (as !== null) kinds.add(as);
        if (drawn.kind !== 'class' || drawn.g >= talk.vms.length) continue;
        expect(hit?.task?.vm).toBe(drawn.g);
        checked++;
      }
    expect(checked).toBeGreaterThan(20);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['mixed', 'vm']));
  });
  it('a real QEMU recording (ftrace, 3 VMs), both lane modes', async () => {
    const [run] = assembleRuns(await loadInputs([fixturePath('ftrace-qemu-3vm-x2vcpu.ftrace.txt')]));
    check(run, 'cpu');
    check(run, 'vcpu');
  });
});
