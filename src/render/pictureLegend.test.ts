import { describe, expect, it } from 'vitest';
import { labelStride, pictureTitle } from './mapPicture';
import { layoutLegend, LEGEND_METRICS } from './pictureLegend';

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
  it('names the window with its length', () => {
    expect(pictureTitle('spin', { start: 1.5e9, end: 1.75e9 })).toBe(
      'spin — 1.500000 s to 1.750000 s from the trace start (250 ms)',
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
