import { describe, expect, it } from 'vitest';
import { labelStride, pictureTitle } from './mapPicture';
import { runColors, THEME } from './colors';
import {
  GAP_ENTRY,
  HOST_ENTRY,
  IDLE_ENTRY,
  layoutLegend,
  LEGEND_METRICS,
  MIXED_ENTRY,
  pictureLegendOf,
} from './pictureLegend';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';

// A measure of 7 px per character, as a monospace font would give.
const measure = (t: string): number => t.length * 7;
const vms = Array.from({ length: 16 }, (_, i) => ({ name: `vm${i + 1}`, colors: ['#000', '#fff'] }));

describe('the picture legend', () => {
  it('puts 16 VMs in one row when the picture is wide enough, and wraps them when it is not', () => {
    // Each entry: 28 swatch + 6 gap + 21 or 28 text, 16 spacing.
    const wide = layoutLegend(vms, measure, 1600);
    expect(new Set(wide.placed.map((p) => p.y)).size).toBe(1);
    expect(wide.height).toBe(LEGEND_METRICS.pad * 2 + LEGEND_METRICS.row);
    const narrow = layoutLegend(vms, measure, 500);
    const rows = new Set(narrow.placed.map((p) => p.y));
    expect(rows.size).toBe(3);
    // No entry passes the right edge; entries on a row do not overlap.
    for (const p of narrow.placed) expect(p.x + 34 + measure(p.entry.name)).toBeLessThanOrEqual(500 - 6);
    for (let i = 1; i < narrow.placed.length; i++) {
      const [a, b] = [narrow.placed[i - 1], narrow.placed[i]];
      if (a.y === b.y) expect(b.x).toBeGreaterThanOrEqual(a.x + 34 + measure(a.entry.name));
    }
    expect(narrow.height).toBe(LEGEND_METRICS.pad * 2 + 3 * LEGEND_METRICS.row);
  });

  it('takes no room without entries', () => {
    expect(layoutLegend([], measure, 800)).toEqual({ placed: [], height: 0 });
  });
});

describe('the picture title and labels', () => {
  it('names the window with its length, to the precision of the window (as the tooltip writes times)', () => {
    // 250 ms over 1000 px: 250 µs a pixel, so 4 decimals of s (not a fixed 6).
    expect(pictureTitle('spin', { start: 1.5e9, end: 1.75e9 }, 1000)).toBe(
      'spin — 1.5000 s to 1.7500 s from the trace start (250.0 ms)',
    );
    // The whole of a 50 ms trace (8x20's) over 1200 px: ms, to the 42 µs of a pixel.
    expect(pictureTitle('8x20', { start: 0, end: 49_998_000 }, 1200)).toBe(
      '8x20 — 0.00 ms to 50.00 ms from the trace start (50.00 ms)',
    );
    // Zoomed to 7 µs at 16x16 (a pixel is 6 ns): ms to the pixel, not "0.003328 s to 0.003335 s".
    expect(pictureTitle('16x16', { start: 3_328_100, end: 3_335_100 }, 1200)).toBe(
      '16x16 — 3.328100 ms to 3.335100 ms from the trace start (7.000 µs)',
    );
  });

  it('labels every lane when lanes are tall, every k-th when they are thin', () => {
    expect(labelStride([20, 20, 20], 10)).toBe(1);
    expect(labelStride(new Float64Array(80).fill(4), 10)).toBe(3);
    // Lanes cut under a pinned band (0 and 3 px) do not change the stride of 20 px lanes.
    expect(labelStride([20, 20, 0, 0, 3, 20, 20], 30)).toBe(2);
    expect(labelStride([], 10)).toBe(1);
  });
});

describe("the picture legend's entries", () => {
  it("are the shown VMs in the map's ramps and the pane's names, then host tasks unless hidden, idle", () => {
    // Two VMs of two vCPUs (the builder's task 0 is idle).
    const b = builder();
    const groups = [0, 1].map((v) => ({
      name: `vm${v}`,
      vcpus: [0, 1].map((k) => b.task(1000 * (v + 1) + k, `CPU ${k}/KVM`, 0)),
    }));
    b.addSwitch(0, 0, -1, 0, groups[0].vcpus[0]);
    const run = makeRun(b.finish(), groups);
    expect(run.vms.length).toBe(2);
    const { legend } = runColors(run, { palette: 'hcl' });
    const name = (vm: number): string => `guest-${vm}`;
    const all = pictureLegendOf(legend, { hiddenVms: new Set(), hideHostTasks: false }, name);
    expect(all.map((e) => e.name)).toEqual(['guest-0', 'guest-1', HOST_ENTRY.name, IDLE_ENTRY.name, MIXED_ENTRY.name]);
    // The VM's base colour (what a pixel several of its threads share is drawn in), then its ramp.
    expect(all[1].colors).toEqual([legend[1].color, ...legend[1].ramp.map((r) => r.color)]);
    expect(all[1].colors.length).toBe(3);
    // vCPU lanes draw no mixed mark.
    const some = pictureLegendOf(legend, { hiddenVms: new Set([0]), hideHostTasks: true }, name, 'vcpu');
    expect(some).toEqual([{ name: 'guest-1', colors: all[1].colors }, IDLE_ENTRY]);
    // A run with gaps (a paste's elision marks) keys the band last; one without has no such entry.
    expect(all).not.toContainEqual(GAP_ENTRY);
    const cut = pictureLegendOf(legend, { hiddenVms: new Set(), hideHostTasks: false }, name, 'cpu', true);
    expect(cut.map((e) => e.name)).toEqual([...all.map((e) => e.name), 'text cut (elided)']);
    expect(cut.at(-1)!.colors).toEqual([THEME.gapStripe, THEME.gapTint, THEME.gapStripe, THEME.gapTint]);
  });
});
