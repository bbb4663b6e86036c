// Long main-thread work split into slices of a few milliseconds, each its own
// macrotask, so input, rendering and the page's other work get in between
// (no slice is a long task). Used to prepare a big trace's map frames lane by
// lane (map/sceneCache.ts) and a new pane's scene and legend (RunPane.tsx).

import { nextTask } from '../worker/macrotask';

export interface SliceOptions {
  /** Work per slice, ms (default 8). */
  sliceMs?: number;
  /** Clock (tests). */
  now?: () => number;
  /** Start in a macrotask of its own too (default: the first slice runs at once). */
  defer?: boolean;
}

/**
 * Run `step` a slice at a time: each call does work until `deadline` (by `now`) and returns true while more
 * remains. The first slice runs at once (unless `defer`), the others each in a macrotask of its own; `done`
 * runs after the last slice (synchronously when the first slice finished everything). Returns a cancel
 * function: after it, no more slices run and `done` is not called.
 */
export function runSliced(step: (deadline: number) => boolean, done: () => void, opts: SliceOptions = {}): () => void {
  const sliceMs = opts.sliceMs ?? 8;
  const now = opts.now ?? (() => performance.now());
  let cancelled = false;
  let cancelNext: (() => void) | null = null;
  const slice = (): void => {
    cancelNext = null;
    if (cancelled) return;
    if (step(now() + sliceMs)) cancelNext = nextTask(slice);
    else done();
  };
  if (opts.defer) cancelNext = nextTask(slice);
  else slice();
  return () => {
    cancelled = true;
    cancelNext?.();
  };
}
