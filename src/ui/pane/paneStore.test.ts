// A pane's store holds its inputs (the lock's extent), and where its view may go is derived from them
// (paneBounds): the trace's own bounds, widened to the extent; the view is clamped whenever they change.
// The view lock sets the extents of the mounted panes (compare/viewLock).

import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/fixtures';
import { loadInputs } from '../../cli/loadFiles';
import { drawnRunOf, type DrawnRun } from '../../model/drawnRun';
import { assembleRuns } from '../../model/runs';
import { useAppStore } from '../appStore';
import { applyLockExtent, lockExtent, syncViewsFrom } from '../compare/viewLock';
import { paneBounds, traceBounds } from './paneBounds';
import { createPaneStore } from './paneStore';

let short: DrawnRun;
let long: DrawnRun;
beforeAll(async () => {
  const load = async (f: string): Promise<DrawnRun> => drawnRunOf(assembleRuns(await loadInputs([fixturePath(f)]))[0]);
  const [a, b] = [await load('qemu-tcg-2vm-x2vcpu.script-pidtid.txt'), await load('qemu-nodebug-3vm.script.txt')];
  [short, long] = a.model.t1 - a.model.t0 < b.model.t1 - b.model.t0 ? [a, b] : [b, a];
});

const span = (v: { start: number; end: number }): number => v.end - v.start;

describe('paneBounds', () => {
  it("are the trace's first to last switch without an extent, and the view starts on all of it", () => {
    const s = createPaneStore(short);
    const m = short.model;
    expect(s.getState().extent).toBeNull();
    expect(paneBounds(s.getState())).toEqual(traceBounds(short));
    expect(paneBounds(s.getState())).toMatchObject({ start: m.t0, end: m.t1 });
    expect(s.getState().view).toEqual({ start: m.t0, end: m.t1 });
  });

  it("widen to the extent, keeping the trace's zoom-in limit; an extent inside the trace changes nothing", () => {
    const own = traceBounds(short);
    const ext = { start: long.model.t0, end: long.model.t1 };
    expect(ext.end - ext.start).toBeGreaterThan(own.end - own.start);
    const wide = paneBounds({ run: short, extent: ext });
    expect(wide).toEqual({ start: Math.min(own.start, ext.start), end: Math.max(own.end, ext.end), minSpan: own.minSpan });
    const inner = { start: own.start + span(own) / 4, end: own.end - span(own) / 4 };
    expect(paneBounds({ run: short, extent: inner })).toEqual(own);
  });
});

describe('a pane store with the lock extent', () => {
  it('holds the extent it is given; views and resets go as far as the widened bounds', () => {
    const s = createPaneStore(short);
    const ext = { start: long.model.t0, end: long.model.t1 };
    s.getState().setExtent(ext);
    expect(s.getState().extent).toEqual(ext);
    // Widening leaves the view where it was.
    expect(s.getState().view).toEqual({ start: short.model.t0, end: short.model.t1 });
    const b = paneBounds(s.getState());
    const past = { start: b.end - span(b) / 3, end: b.end };
    expect(past.start).toBeGreaterThan(short.model.t1);
    s.getState().setView(past);
    expect(s.getState().view).toEqual(past);
    // Beyond the widened bounds: moved back inside them, span kept.
    s.getState().setView({ start: past.start + span(b), end: past.end + span(b) });
    expect(s.getState().view).toEqual(past);
    s.getState().resetView();
    expect(s.getState().view).toEqual({ start: b.start, end: b.end });
  });

  it("clamps the view into the trace's own bounds when the extent goes (shrinks)", () => {
    const s = createPaneStore(short);
    const own = traceBounds(short);
    s.getState().setExtent({ start: long.model.t0, end: long.model.t1 });
    const b = paneBounds(s.getState());
    // A window narrower than the trace past its end: moved (not shrunk) to end at the trace's end.
    const narrow = span(own) / 10;
    s.getState().setView({ start: b.end - narrow, end: b.end });
    s.getState().setExtent(null);
    expect(s.getState().extent).toBeNull();
    expect(paneBounds(s.getState())).toEqual(own);
    expect(s.getState().view.end).toBe(own.end);
    expect(span(s.getState().view)).toBeCloseTo(narrow, 3);
    // The whole widened window: shrunk to the whole trace.
    s.getState().setExtent({ start: long.model.t0, end: long.model.t1 });
    s.getState().resetView();
    s.getState().setExtent(null);
    expect(s.getState().view).toEqual({ start: own.start, end: own.end });
  });
});

describe('the view lock across mounted panes', () => {
  it('widens every pane to the union of the traces, moves them together, and shrinks back when a pane goes', () => {
    const [sa, sb] = [createPaneStore(short, 1), createPaneStore(long, 2)];
    const app = useAppStore.getState();
    const detachA = app.attachPane(1, sa);
    const detachB = app.attachPane(2, sb);
    applyLockExtent(true);
    const ext = lockExtent([sa, sb])!;
    expect(ext).toEqual({
      start: Math.min(short.model.t0, long.model.t0),
      end: Math.max(short.model.t1, long.model.t1),
    });
    expect(sa.getState().extent).toEqual(ext);
    expect(sb.getState().extent).toEqual(ext);
    expect(paneBounds(sa.getState())).toMatchObject(ext);
    // The long trace's last third, shown on the short trace's pane too (past its end).
    const past = { start: ext.end - (ext.end - ext.start) / 3, end: ext.end };
    sb.getState().setView(past);
    syncViewsFrom(2);
    expect(sa.getState().view).toEqual(past);
    // The long pane unmounts: the short one is alone, back inside its own trace.
    detachB();
    applyLockExtent(true);
    expect(sa.getState().extent).toBeNull();
    expect(sa.getState().view.end).toBe(short.model.t1);
    // Unlocked: no extents.
    const reattachB = app.attachPane(2, sb);
    applyLockExtent(true);
    expect(sb.getState().extent).toEqual(ext);
    applyLockExtent(false);
    expect([sa.getState().extent, sb.getState().extent]).toEqual([null, null]);
    reattachB();
    detachA();
    expect(useAppStore.getState().paneStores).toEqual({});
  });
});
