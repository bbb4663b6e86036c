// Where a pane's view may go, derived from the pane's inputs: its run, and the
// extent the view lock widens it to (null: unlocked, or the only pane). The
// store holds the extent; the bounds are computed here, never stored.

import type { DrawnRun } from '../../model/drawnRun';
import { viewBounds, type ViewBounds } from '../../render/viewport';

/** A time range in relative ns: the union of the locked traces' bounds. */
export interface Extent {
  start: number;
  end: number;
}

/** The trace's own bounds: its first to last switch (an empty trace gets a short window at its start). */
export function traceBounds(run: DrawnRun): ViewBounds {
  const m = run.model;
  return viewBounds(m.t0, m.switchCount ? m.t1 : 1);
}

/** The trace's bounds widened to `extent` (the zoom-in limit stays the trace's own). */
export function paneBounds(s: { run: DrawnRun; extent: Extent | null }): ViewBounds {
  const own = traceBounds(s.run);
  const e = s.extent;
  return e ? viewBounds(Math.min(own.start, e.start), Math.max(own.end, e.end), own.minSpan) : own;
}

