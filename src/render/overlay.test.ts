import { describe, expect, it } from 'vitest';
import { PrevState } from '../model/types';
import { packCss, runColors } from './colors';
import { FakeContext2D } from '../testing/fakeContext';
import { cpuLanes, vcpuLanes } from './lanes';
import { layoutLanes } from './layout';
import { allocLod } from './lod';
import { timeToX } from './mapRenderer';
import {
  DIM_OTHERS,
  DIM_SIBLINGS,
  drawMarks,
  emphasisTables,
  hostTaskMask,
  renderMaskPixels,
  taskPresence,
} from './overlay';
import { builder, rng } from '../testing/models';
import { makeRun } from '../testing/runs';
import { VALUE_OFFSET, V_UNKNOWN } from './values';
import { indexOfModel, sceneOfRun } from '../testing/scenes';

function twoVms() {
  const b = builder();
  const v = [
    b.task(10, 'CPU 0/KVM', 0),
    b.task(11, 'CPU 1/KVM', 0),
    b.task(20, 'CPU 0/KVM', 0),
    b.task(21, 'CPU 1/KVM', 0),
  ];
  const host = b.task(30, 'sshd', 0);
  b.addSwitch(0, 0, -1, PrevState.Unknown, v[0]);
  b.addSwitch(0, 1, -1, PrevState.Unknown, v[2]);
  b.addSwitch(50, 0, v[0], PrevState.Preempted, host);
  b.addSwitch(100, 1, v[2], PrevState.Sleeping, 0);
  const model = b.finish();
  const run = makeRun(model, [
    { name: 'a', vcpus: [v[0], v[1]] },
    { name: 'b', vcpus: [v[2], v[3]] },
  ]);
  return { run, model, v, host };
}

const dimOthers = packCss('#000', DIM_OTHERS);
const dimSiblings = packCss('#000', DIM_SIBLINGS);

describe('emphasis mask', () => {
  it('dims everything but the hovered VM, its hovered vCPU not at all', () => {
    const { run, model, v, host } = twoVms();
    const colors = runColors(run);
    const hostMask = hostTaskMask(model.tasks.kind, colors.vmOfTask);
    expect(Array.from(hostMask)).toEqual([0, 0, 0, 0, 0, 1]);
    const [t] = emphasisTables(cpuLanes(model), colors, hostMask, 2, { vm: 0, task: v[0] });
    const at = (value: number) => t[value + VALUE_OFFSET];
    expect(at(v[0])).toBe(0);
    expect(at(v[1])).toBe(dimSiblings);
    expect([at(v[2]), at(v[3]), at(host), at(0), at(V_UNKNOWN)]).toEqual([
      dimOthers,
      dimOthers,
      dimOthers,
      dimOthers,
      dimOthers,
    ]);
    // vCPU lanes: one colour per lane.
    const lanes = vcpuLanes(run);
    const tables = emphasisTables(lanes, colors, hostMask, 2, { vm: 0, task: v[0] });
    expect(tables.map((tb) => tb[VALUE_OFFSET])).toEqual([0, dimSiblings, dimOthers, dimOthers]);
  });

  it('covers hidden VMs and host tasks with the background', () => {
    const { run, model, v, host } = twoVms();
    const colors = runColors(run);
    const hostMask = hostTaskMask(model.tasks.kind, colors.vmOfTask);
    const [t] = emphasisTables(cpuLanes(model), colors, hostMask, 2, { hiddenVms: new Set([1]), hideHostTasks: true });
    expect(t[v[2] + VALUE_OFFSET]).toBe(colors.background);
    expect(t[host + VALUE_OFFSET]).toBe(colors.background);
    expect(t[v[0] + VALUE_OFFSET]).toBe(0);
    expect(t[0 + VALUE_OFFSET]).toBe(0);
  });

  it('paints the mask per pixel from the frame', () => {
    const lod = allocLod(3, 1);
    lod.value.set([2, 0, 1]);
    const table = new Uint32Array(VALUE_OFFSET + 3);
    table[0 + VALUE_OFFSET] = 7;
    table[1 + VALUE_OFFSET] = 9;
    const layout = {
      width: 3,
      height: 3,
      dpr: 1,
      top: Int32Array.from([1]),
      laneHeight: Int32Array.from([2]),
      contentHeight: 3,
    };
    const px = new Uint32Array(9);
    renderMaskPixels(px, 3, 3, lod, layout, [table]);
    expect(Array.from(px)).toEqual([0, 0, 0, 0, 7, 9, 0, 7, 9]);
  });

  it('draws through the scene and clears when nothing is emphasised', () => {
    const { run, v } = twoVms();
    const scene = sceneOfRun(run);
    const map = new FakeContext2D(100, 20);
    scene.drawMap(map, { start: 0, end: 100 }, scene.layout(100, 20));
    const mask = new FakeContext2D(100, 20);
    scene.drawMask(mask, { vm: 1, task: v[2] });
    expect(mask.calls.map((c) => c.op)).toEqual(['putImageData']);
    // CPU0 ran vCPU a0 at x=10: dimmed; CPU1 ran b0 at x=10: clear.
    const lanes = scene.lastLayout!;
    expect(mask.pixel(10, lanes.top[0])[3]).toBe(Math.round(255 * DIM_OTHERS));
    expect(mask.pixel(10, lanes.top[1])[3]).toBe(0);
    scene.drawMask(mask, {});
    expect(mask.calls.at(-1)?.op).toBe('clearRect');
  });
});

describe('pinned task presence', () => {
  it('marks every pixel of every lane where the task ran, as brute force does', () => {
    const r = rng(11);
    const b = builder();
    const x = b.task(100, 'x', 0);
    const others = [0, b.task(200, 'y', 0), b.task(300, 'z', 0)];
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += 1 + Math.floor(r() * 30);
      b.addSwitch(t, Math.floor(r() * 4), -1, PrevState.Unknown, r() < 0.3 ? x : others[Math.floor(r() * 3)]);
    }
    const model = b.finish();
    const idx = indexOfModel(model);
    const lanes = cpuLanes(model);
    const t0 = 5000;
    const t1 = 20000;
    const W = 3000;
    const runs = taskPresence(idx, lanes, x, t0, t1, W);
    const got = new Set<string>();
    for (const run of runs) for (let p = run.x0; p < run.x1; p++) got.add(`${run.lane}:${p}`);
    const want = new Set<string>();
    const sw = model.switches;
    for (let i = 0; i < sw.length; i++) {
      if (sw.next[i] !== x || model.slices.end[i] <= t0 || sw.time[i] >= t1) continue;
      const lane = lanes.findIndex((l) => l.cpu === sw.cpu[i]);
      const x0 = Math.max(0, Math.floor(timeToX(sw.time[i], t0, t1, W)));
      const x1 = Math.min(W, Math.max(x0 + 1, Math.ceil(timeToX(model.slices.end[i], t0, t1, W))));
      for (let p = x0; p < x1; p++) want.add(`${lane}:${p}`);
    }
    const missing = [...want].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !want.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it('reads a bounded number of slices per pixel when zoomed out', () => {
    const b = builder();
    const x = b.task(100, 'x', 0);
    for (let i = 0; i < 50_000; i++) b.addSwitch(i * 10, 0, -1, PrevState.Unknown, i % 2 === 0 ? x : 0);
    const model = b.finish();
    const runs = taskPresence(indexOfModel(model), cpuLanes(model), x, 0, 500_000, 100);
    expect(runs).toEqual([{ lane: 0, x0: 0, x1: 100 }]);
  });
});

describe('marks', () => {
  it('draws selection, pinned bars, hover outline and cursor', () => {
    const { model } = twoVms();
    const layout = layoutLanes(cpuLanes(model), 200, 40, { dpr: 2, gap: 0 });
    const ctx = new FakeContext2D(200, 40);
    drawMarks(ctx, layout, 0, 100, {
      cursorX: 50.4,
      selection: { start: 20, end: 40 },
      hover: { lane: 1, start: 10, end: 30 },
      pinned: [{ lane: 0, x0: 0, x1: 100 }],
    });
    const ops = ctx.calls.map((c) => c.op);
    expect(ops[0]).toBe('clearRect');
    const fills = ctx.calls.filter((c) => c.op === 'fillRect').map((c) => c.args);
    expect(fills).toContainEqual([40, 0, 40, 40]); // selection 20..40 ns -> 40..80 px
    expect(fills).toContainEqual([50, 0, 2, 40]); // cursor, 1 CSS px at dpr 2
    expect(fills).toContainEqual([0, 0, 100, 4]); // pinned bar on lane 0's top
    const stroke = ctx.calls.find((c) => c.op === 'strokeRect');
    expect(stroke?.args[0]).toBe(21);
  });
});
