import { describe, expect, it } from 'vitest';
import { PrevState } from '../model/types';
import { packRgba } from './colors';
import { FakeContext2D } from '../testing/fakeContext';
import { cpuLanes, vcpuLanes } from './lanes';
import { canvasSize, laneAtY, layoutLanes } from './layout';
import { allocLod } from './lod';
import { lostRegions } from './lost';
import { drawLostRegions, drawMap, renderMapPixels, timeToX, xToTime } from './mapRenderer';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';
import { VALUE_OFFSET, V_UNKNOWN } from './values';
import { indexOfModel, sceneOfRun } from '../testing/scenes';

const RED = packRgba(255, 0, 0);
const GREEN = packRgba(0, 255, 0);
const GREY = packRgba(40, 40, 40);
const HATCH = packRgba(90, 90, 90);
const BG = packRgba(1, 2, 3);

function palette(): Uint32Array {
  const p = new Uint32Array(VALUE_OFFSET + 2);
  p[V_UNKNOWN + VALUE_OFFSET] = GREY;
  p[0 + VALUE_OFFSET] = RED;
  p[1 + VALUE_OFFSET] = GREEN;
  return p;
}

describe('layout', () => {
  it('fills the height with equal lanes, gaps between, wider gaps between VMs', () => {
    const b = builder();
    const t = [b.task(1, 'CPU 0/KVM', 0), b.task(2, 'CPU 1/KVM', 0), b.task(3, 'CPU 0/KVM', 0)];
    const run = makeRun(b.finish(), [
      { name: 'a', vcpus: [t[0], t[1]] },
      { name: 'b', vcpus: [t[2]] },
    ]);
    const lanes = vcpuLanes(run);
    const l = layoutLanes(lanes, 100, 100, { dpr: 2, gap: 1, groupGap: 4, maxLaneHeight: 100 });
    // 100 px - 2 gaps of 2 px - one group gap of 8 px = 88 -> 29 px lanes.
    expect(Array.from(l.laneHeight)).toEqual([29, 29, 29]);
    expect(Array.from(l.top)).toEqual([0, 31, 70]);
    expect(laneAtY(l, 0)).toBe(0);
    expect(laneAtY(l, 29)).toBe(-1);
    expect(laneAtY(l, 31)).toBe(1);
    expect(laneAtY(l, 98)).toBe(2);
    expect(laneAtY(l, 99)).toBe(-1);
    expect(canvasSize(800, 450, 2)).toEqual({ width: 1600, height: 900 });
  });

  it('drops gaps when lanes get thin', () => {
    const lanes = Array.from({ length: 300 }, (_, cpu) => ({ kind: 'cpu' as const, key: `${cpu}`, label: '', cpu }));
    const l = layoutLanes(lanes, 10, 900);
    expect(l.laneHeight[0]).toBe(3);
    expect(l.top[1]).toBe(3);
  });
});

describe('map pixels', () => {
  it('writes each lane from its palette over its rows, background elsewhere, hatch on unknown', () => {
    const lod = allocLod(4, 2);
    lod.value.set([0, 1, 1, V_UNKNOWN, 1, 0, V_UNKNOWN, V_UNKNOWN]);
    const layout = {
      width: 4,
      height: 9,
      dpr: 1,
      top: Int32Array.from([0, 5]),
      laneHeight: Int32Array.from([4, 4]),
      contentHeight: 9,
    };
    const px = new Uint32Array(4 * 9);
    renderMapPixels(px, 4, 9, { lod, layout, palettes: [palette(), palette()], hatch: HATCH, background: BG });
    const at = (x: number, y: number) => px[y * 4 + x];
    for (let y = 0; y < 4; y++) {
      expect([at(0, y), at(1, y), at(2, y)]).toEqual([RED, GREEN, GREEN]);
      // Unknown: hatch lines where (x + y) % 4 == 0, else the unknown colour.
      expect(at(3, y)).toBe((3 + y) % 4 === 0 ? HATCH : GREY);
    }
    expect([at(0, 4), at(3, 4)]).toEqual([BG, BG]);
    for (let y = 5; y < 9; y++) {
      expect([at(0, y), at(1, y)]).toEqual([GREEN, RED]);
      expect(at(2, y)).toBe((2 + y) % 4 === 0 ? HATCH : GREY);
    }
  });

  it('clips lanes scrolled out of the canvas', () => {
    const lod = allocLod(2, 2);
    lod.value.set([0, 0, 1, 1]);
    const layout = {
      width: 2,
      height: 3,
      dpr: 1,
      top: Int32Array.from([-2, 2]),
      laneHeight: Int32Array.from([3, 3]),
      contentHeight: 6,
    };
    const px = new Uint32Array(2 * 3);
    renderMapPixels(px, 2, 3, { lod, layout, palettes: [palette(), palette()], hatch: 0, background: BG });
    expect(Array.from(px)).toEqual([RED, RED, BG, BG, GREEN, GREEN]);
  });

  it('puts one ImageData per frame into the context', () => {
    const ctx = new FakeContext2D(3, 2);
    const lod = allocLod(3, 1);
    lod.value.set([1, 0, 1]);
    const layout = {
      width: 3,
      height: 2,
      dpr: 1,
      top: Int32Array.from([0]),
      laneHeight: Int32Array.from([2]),
      contentHeight: 2,
    };
    drawMap(ctx, { lod, layout, palettes: [palette()], hatch: 0, background: BG });
    expect(ctx.calls.filter((c) => c.op === 'putImageData')).toHaveLength(1);
    expect(ctx.pixel(0, 1)).toEqual([0, 255, 0, 255]);
    expect(ctx.pixel(1, 0)).toEqual([255, 0, 0, 255]);
  });

  it('maps time to device pixels and back', () => {
    expect(timeToX(150, 100, 300, 400)).toBe(100);
    expect(xToTime(100, 100, 300, 400)).toBe(150);
  });
});

describe('lost events', () => {
  it('shades the slice a CPU was in when it lost events, on that CPU lane', () => {
    const b = builder();
    const x = b.task(100, 'x', 0);
    b.addSwitch(0, 0, -1, PrevState.Unknown, x);
    b.addSwitch(0, 1, -1, PrevState.Unknown, 0);
    b.addSwitch(60, 0, x, PrevState.Sleeping, 0);
    b.addSwitch(100, 1, 0, PrevState.Unknown, 0);
    b.addLost({ line: 7, time: 30, cpu: 0, count: 12, message: 'perf lost 12 events on CPU 0' });
    b.addLost({ line: 9, time: null, cpu: null, count: 3, message: 'lost 3 events' });
    const model = b.finish();
    const regions = lostRegions(model, indexOfModel(model));
    expect(regions).toEqual([
      { start: 0, end: 60, cpu: 0, count: 12, message: 'perf lost 12 events on CPU 0', line: 7 },
    ]);
    const lanes = cpuLanes(model);
    const layout = layoutLanes(lanes, 100, 20, { gap: 0 });
    const ctx = new FakeContext2D(100, 20);
    drawLostRegions(ctx, regions, lanes, layout, 0, 100);
    const rects = ctx.calls.filter((c) => c.op === 'fillRect');
    expect(rects[0].args).toEqual([0, 0, 60, 10]);
  });

  it('draws a region and says so on hover through the scene', () => {
    const b = builder();
    const x = b.task(100, 'x', 0);
    b.addSwitch(0, 0, -1, PrevState.Unknown, x);
    b.addSwitch(100, 0, x, PrevState.Sleeping, 0);
    b.addLost({ line: 3, time: 50, cpu: 0, count: null, message: 'lost' });
    const scene = sceneOfRun(makeRun(b.finish()));
    const ctx = new FakeContext2D(100, 10);
    scene.drawMap(ctx, { start: 0, end: 100 }, scene.layout(100, 10));
    expect(ctx.calls.some((c) => c.op === 'fillRect')).toBe(true);
    expect(scene.hitAt(10, 2)?.lost).toHaveLength(1);
  });
});
