import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { groupSlicesByCpu, type CpuSlices } from '../model/cpuSlices';
import { assembleRuns, type Run } from '../model/runs';
import { FakeContext2D } from '../testing/fakeContext';
import { packCss } from './colors';
import { lanePalette } from './lanes';
import { perfShortNames } from './shortNames';
import { sliceLabelPlan, textColorOn, type SliceNames } from './sliceLabels';
import { sceneOfRun } from '../testing/scenes';

let run: Run;
let slices: CpuSlices;
let names: SliceNames;
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt')]));
  slices = groupSlicesByCpu(run.model);
  const short = perfShortNames(run.model.tasks, slices);
  names = { comm: (t) => (t === 0 ? '' : (run.model.tasks.comms[t].at(-1) ?? '')), short: (t) => short[t] };
});

/** 6 device px a character. */
const measure = (t: string): number => 6 * t.length;

/** The task running on `cpu` at time t, from the drawn slices (-1: none). */
function taskAt(cpu: number, t: number): number {
  for (let r = slices.offset[cpu]; r < slices.offset[cpu + 1]; r++)
    if (slices.start[r] <= t && t < slices.end[r]) return slices.value[r];
  return -1;
}

function frame(mode: 'cpu' | 'vcpu', laneHeight: number, view: { start: number; end: number }) {
  const scene = sceneOfRun(run, { mode });
  const layout = scene.layout(1000, 400, { laneHeight });
  scene.drawMap(new FakeContext2D(1000, 400), view, layout);
  const palettes = scene.lanes.map((l) => lanePalette(l, scene.colors, scene.index.cpuDomain));
  return { scene, layout, plan: sliceLabelPlan(scene.lastLod!, layout, scene.lanes, palettes, names, measure) };
}

describe('sliceLabelPlan', () => {
  it('names wide slices of CPU lanes with the comm that ran there, or the short name where only it fits', () => {
    const t1 = run.model.switches.time[run.model.switches.length - 1];
    const view = { start: t1 * 0.4, end: t1 * 0.4 + 3_000_000 };
    const { scene, plan } = frame('cpu', 20, view);
    expect(plan.length).toBeGreaterThanOrEqual(3);
    const ns = (view.end - view.start) / 1000;
    for (const l of plan) {
      const lane = scene.lanes[l.lane];
      expect(lane.kind).toBe('cpu');
      // The thread under the name's first pixel is the one named.
      const task = taskAt(lane.kind === 'cpu' ? lane.cpu : -1, view.start + (l.x + 0.5) * ns);
      expect(task).toBeGreaterThan(0);
      expect([names.comm(task), names.short(task)]).toContain(l.text);
      expect(l.y).toBeCloseTo(scene.lastLayout!.top[l.lane] + 10, 5);
    }
    // Every name fits the run of its value in the frame's columns.
    const lod = scene.lastLod!;
    for (const l of plan) {
      const row = l.lane * lod.width;
      const v = lod.value[row + Math.floor(l.x)];
      let e = Math.floor(l.x);
      while (e < lod.width && lod.value[row + e] === v) e++;
      expect(l.x + measure(l.text)).toBeLessThanOrEqual(e);
    }
    // Zoomed out 10 times: slices too narrow for their comm show the short name.
    const wide = frame('cpu', 20, { start: view.start, end: view.start + 30_000_000 }).plan;
    const short = wide.filter((l) => /^[A-Z][0-9]$/.test(l.text));
    expect(short.length).toBeGreaterThan(0);
    expect(wide.length).toBeGreaterThan(short.length);
  });

  it("names vCPU lanes' slices by the CPU they ran on, and nothing on lanes under 12 px or at the whole trace", () => {
    const t1 = run.model.switches.time[run.model.switches.length - 1];
    const view = { start: t1 * 0.4, end: t1 * 0.4 + 3_000_000 };
    const { plan } = frame('vcpu', 20, view);
    expect(plan.length).toBeGreaterThan(0);
    for (const l of plan) expect(l.text).toMatch(/^(CPU )?[01]$/);
    expect(frame('cpu', 11, view).plan).toEqual([]);
  });
});

describe('textColorOn', () => {
  it('is dark on light slices and light on dark ones', () => {
    expect(textColorOn(packCss('#f0e442'))).toBe('#0b0d10');
    expect(textColorOn(packCss('#ffffff'))).toBe('#0b0d10');
    expect(textColorOn(packCss('#0072b2'))).toBe('#f4f6f8');
    expect(textColorOn(packCss('#111418'))).toBe('#f4f6f8');
  });
});
