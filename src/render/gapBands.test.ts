// The bands where a paste's text was cut, drawn over a real recording with a stretch of lines replaced by
// `[...]`: on the map and the minimap, across every lane, at the gap's columns and nowhere else; the hit
// test names the gap under the pointer and the tooltip's note says it as text.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { parseTrace, textSource } from '../parse/parseInput';
import { FakeContext2D } from '../testing/fakeContext';
import { makeRun } from '../testing/runs';
import { sceneOfRun } from '../testing/scenes';
import type { GapTable, TraceModel } from '../model/types';
import { GAP_COLORS, gapColumns, gapNote, gapsIn } from './gapBands';
import { timeToX } from './mapRenderer';

const W = 800;
const H = 120;

async function cutTrace(): Promise<TraceModel> {
  const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
  return parseTrace(textSource([...lines.slice(0, 400), '[...]', ...lines.slice(1400)].join('\n')));
}

const noGaps: GapTable = {
  length: 0,
  start: new Float64Array(0),
  end: new Float64Array(0),
  line: new Int32Array(0),
  mark: [],
};

/** The map of the whole trace as packed pixels, drawn by the scene (or its minimap). */
function drawn(model: TraceModel, minimap = false): { px: Uint32Array; t0: number; t1: number; tops: number[] } {
  const scene = sceneOfRun(makeRun(model));
  const ctx = new FakeContext2D(W, H);
  const layout = scene.layout(W, H);
  const b = scene.bounds();
  const view = { start: b.start, end: b.end };
  if (minimap) scene.drawMinimap(ctx, layout);
  else scene.drawMap(ctx, view, layout);
  return { px: new Uint32Array(ctx.pixels.buffer), t0: view.start, t1: view.end, tops: [...layout.top] };
}

/** Stripe pixels of column x, over all rows. */
const stripes = (px: Uint32Array, x: number): number => {
  let n = 0;
  for (let y = 0; y < H; y++) if (px[y * W + x] === GAP_COLORS.stripe) n++;
  return n;
};

describe('the band where the text was cut', () => {
  it.each([false, true])('is drawn at the gap across every lane, and nowhere else (minimap %s)', async (minimap) => {
    const m = await cutTrace();
    expect(m.gaps.length).toBe(1);
    const { px, t0, t1, tops } = drawn(m, minimap);
    const x0 = Math.floor(timeToX(m.gaps.start[0], t0, t1, W));
    const x1 = Math.ceil(timeToX(m.gaps.end[0], t0, t1, W));
    expect(x1 - x0).toBeGreaterThan(20); // a third of the trace is cut
    // Inside: a stripe every PERIOD rows of each column, in every lane's rows.
    for (let x = x0 + 1; x < x1 - 1; x++) expect(stripes(px, x)).toBe(H / 3);
    for (const top of tops) {
      const row = [...px.subarray(top * W + x0 + 1, top * W + x1 - 1)];
      expect(row.filter((p) => p === GAP_COLORS.stripe).length).toBeGreaterThan(0);
    }
    // Outside, the same trace drawn without its gap table: the same pixels, no stripe.
    const plain = drawn({ ...m, gaps: noGaps }, minimap).px;
    for (const x of [0, x0 - 3, x1 + 3, W - 1])
      for (let y = 0; y < H; y++) expect(px[y * W + x], `${x},${y}`).toBe(plain[y * W + x]);
    for (let x = x0 + 1; x < x1 - 1; x++) expect(stripes(plain, x)).toBe(0);
  });

  it('the hit test names the gap under the pointer, the note says where and how long, as text', async () => {
    const m = await cutTrace();
    const scene = sceneOfRun(makeRun(m));
    const b = scene.bounds();
    const view = { start: b.start, end: b.end };
    const layout = scene.layout(W, H);
    scene.drawMap(new FakeContext2D(W, H), view, layout);
    const mid = Math.round(timeToX((m.gaps.start[0] + m.gaps.end[0]) / 2, view.start, view.end, W));
    const hit = scene.hitAt(mid, layout.top[0] + 1);
    expect(hit?.gaps).toEqual([0]);
    expect(hit?.state).toBe('unknown');
    expect(hit?.unknownReason).toBe('the pasted text was cut here: its events are not in the trace');
    expect(scene.hitAt(5, layout.top[0] + 1)?.gaps).toEqual([]);
    // Over 100 ms: three significant digits are whole milliseconds.
    const ms = (m.gaps.end[0] - m.gaps.start[0]) / 1e6;
    expect(ms).toBeGreaterThan(100);
    expect(gapNote(m.gaps, 0)).toBe(
      `text cut here: line 401 \`[...]\`; ${Math.round(ms)} ms between the events around it`,
    );
  });

  it('gapsIn and gapColumns: overlap, zero-long gaps, minimum width, clipping', () => {
    const g: GapTable = {
      length: 3,
      start: Float64Array.from([10, 50, 50]),
      end: Float64Array.from([20, 50, 90]),
      line: Int32Array.from([3, 7, 8]),
      mark: ['[...]', '<snip>', '…'],
    };
    expect(gapsIn(g, 0, 10)).toEqual([]);
    expect(gapsIn(g, 15, 16)).toEqual([0]);
    expect(gapsIn(g, 20, 50)).toEqual([]);
    expect(gapsIn(g, 50, 51)).toEqual([1, 2]);
    expect(gapsIn(g, 60, 200)).toEqual([2]);
    // 100 ns over 100 px: the zero-long one is 4 px wide around its time; the last is clipped at 80.
    expect(gapColumns(g, 0, 80, 80, 4)).toEqual([
      [10, 20],
      [48, 52],
      [50, 80],
    ]);
  });

  it('a row inside another (chunks pasted out of time order) does not hide the outer one', async () => {
    // Chunks in the order mid, early, late: the first mark's end is the early chunk's first time, so its row
    // is empty at the mid chunk's last time; the second spans the early chunk's end to the late one's start.
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const text = [...lines.slice(1000, 1400), '[...]', ...lines.slice(0, 400), '[...]', ...lines.slice(2000, 2600)];
    const g = (await parseTrace(textSource(text.join('\n')))).gaps;
    expect(g.length).toBe(2);
    expect(g.start[0]).toBeLessThan(g.start[1]);
    expect(g.end[1]).toBe(g.start[1]); // the empty row, inside the first
    expect(g.end[0]).toBeGreaterThan(g.end[1]);
    const t = (g.end[1] + g.end[0]) / 2;
    expect(gapsIn(g, t, t + 1)).toEqual([0]);
    expect(gapColumns(g, t, g.end[0], 100, 2)).toEqual([[0, 100]]);
  });
});
