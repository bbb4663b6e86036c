// What the pointer may describe: a slice the map hides (a hidden VM's threads, host tasks when hidden)
// is covered with the background by the emphasis mask, so it has no tooltip, outline or pin either.

import type { HitResult } from './hitTest';

export interface Hidden {
  /** VM indices (into run.vms) hidden by the legend. */
  hiddenVms: ReadonlySet<number>;
  hideHostTasks: boolean;
}

/** The hit as the map shows it: null where the pixel belongs to something hidden. */
export function shownHit(hit: HitResult | null, hidden: Hidden, hostTask: Uint8Array): HitResult | null {
  const t = hit?.task;
  if (!hit || !t) return hit;
  if (t.vm !== null && hidden.hiddenVms.has(t.vm)) return null;
  if (hidden.hideHostTasks && hostTask[t.task] === 1) return null;
  return hit;
}
