import { describe, expect, it } from 'vitest';
import {
  MOTION_REST,
  centerOn,
  clampView,
  fitRange,
  panBy,
  panByFraction,
  resetView,
  stepMotion,
  viewBounds,
  wheelZoomFactor,
  zoomAt,
  type Motion,
  type MotionKeys,
  type Viewport,
} from './viewport';

const B = viewBounds(0, 1_000_000, 100);
const NONE: MotionKeys = { zoomIn: false, zoomOut: false, left: false, right: false };

describe('viewport math', () => {
  it('zooms about a point, keeping the time under it fixed', () => {
    const v = { start: 200_000, end: 600_000 };
    const z = zoomAt(v, 0.5, 0.25, B);
    expect(z.end - z.start).toBe(200_000);
    // The anchor at 1/4 of the window: time 300000 stays at 1/4.
    expect(z.start + 0.25 * (z.end - z.start)).toBe(300_000);
    const out = zoomAt(v, 2, 0.5, B);
    expect(out).toEqual({ start: 0, end: 800_000 });
  });

  it('clamps zoom to the minimum span and the whole trace, and keeps the window inside', () => {
    expect(zoomAt({ start: 500, end: 700 }, 0.01, 0.5, B)).toEqual({ start: 550, end: 650 });
    expect(zoomAt({ start: 0, end: 900_000 }, 10, 0.9, B)).toEqual({ start: 0, end: 1_000_000 });
    expect(zoomAt({ start: 950_000, end: 1_000_000 }, 1.5, 1, B)).toEqual({ start: 925_000, end: 1_000_000 });
    expect(clampView({ start: -50, end: 50 }, B)).toEqual({ start: 0, end: 100 });
    expect(clampView({ start: NaN, end: NaN }, B)).toEqual({ start: 0, end: 1_000_000 });
  });

  it('pans by ns or by a fraction of the window, stopping at the ends', () => {
    const v = { start: 100_000, end: 200_000 };
    expect(panBy(v, 50_000, B)).toEqual({ start: 150_000, end: 250_000 });
    expect(panByFraction(v, -0.5, B)).toEqual({ start: 50_000, end: 150_000 });
    expect(panBy(v, -1e9, B)).toEqual({ start: 0, end: 100_000 });
    expect(panBy(v, 1e9, B)).toEqual({ start: 900_000, end: 1_000_000 });
  });

  it('fits a selection with padding, resets, centres', () => {
    expect(fitRange(400_000, 300_000, B, 0.1)).toEqual({ start: 290_000, end: 410_000 });
    expect(resetView(B)).toEqual({ start: 0, end: 1_000_000 });
    expect(centerOn({ start: 0, end: 1000 }, 5000, B)).toEqual({ start: 4500, end: 5500 });
    expect(viewBounds(5, 5)).toEqual({ start: -495, end: 505, minSpan: 100 });
  });

  it('turns wheel deltas into ratio zooms', () => {
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
    expect(wheelZoomFactor(-100)).toBeLessThan(1);
    expect(wheelZoomFactor(1, 1)).toBeCloseTo(wheelZoomFactor(16), 12);
  });
});

describe('WASD motion', () => {
  it('accelerates while a key is held, then glides to a stop', () => {
    let motion: Motion = MOTION_REST;
    let view: Viewport = { start: 0, end: 10_000 };
    const speeds: number[] = [];
    const starts: number[] = [];
    for (let i = 0; i < 30; i++) {
      ({ motion, view } = stepMotion(motion, { ...NONE, right: true }, 16, view, B));
      speeds.push(motion.pan);
      starts.push(view.start);
    }
    for (let i = 1; i < speeds.length; i++) {
      expect(speeds[i]).toBeGreaterThanOrEqual(speeds[i - 1]);
      expect(starts[i]).toBeGreaterThan(starts[i - 1]);
    }
    expect(speeds[29]).toBeGreaterThan(speeds[0] * 2);
    // Released: slows every frame, then stops.
    let moving = true;
    let frames = 0;
    let last = motion.pan;
    while (moving && frames < 200) {
      ({ motion, view, moving } = stepMotion(motion, NONE, 16, view, B));
      expect(motion.pan).toBeLessThanOrEqual(last);
      last = motion.pan;
      frames++;
    }
    expect(moving).toBe(false);
    expect(motion).toEqual({ pan: 0, zoom: 0 });
    expect(frames).toBeLessThan(60);
  });

  it('zooms in with W and out with S about the anchor, and reverses from the start speed', () => {
    let motion: Motion = MOTION_REST;
    let view: Viewport = { start: 0, end: 1_000_000 };
    for (let i = 0; i < 10; i++)
      ({ motion, view } = stepMotion(motion, { ...NONE, zoomIn: true }, 16, view, B, undefined, 0.5));
    expect(view.end - view.start).toBeLessThan(1_000_000);
    expect((view.start + view.end) / 2).toBeCloseTo(500_000, 6);
    const zin = motion.zoom;
    ({ motion } = stepMotion(motion, { ...NONE, zoomOut: true }, 16, view, B));
    expect(motion.zoom).toBeLessThan(0);
    expect(Math.abs(motion.zoom)).toBeLessThan(zin);
  });

  it('stands still with opposite keys held', () => {
    const r = stepMotion(
      MOTION_REST,
      { zoomIn: false, zoomOut: false, left: true, right: true },
      16,
      { start: 0, end: 100 },
      B,
    );
    expect(r.motion.pan).toBe(0);
  });
});
