// What a CPU-lane pixel shows when no one thread covers half of it (issue 18:
// at whole-trace zoom a pixel shows its dominant VM's colour, or a mark for
// mixed, never the colour of a thread that only happened to be the largest of
// many). Values are grouped in classes: each VM's threads (vCPUs and the rest)
// are one, the host's own tasks one; idle, placeholders and unknown time are
// classes of their own. The rule, for a pixel (or a pyramid bucket) of length L:
//   1. the value covering most of it, if it covers at least L / 2: that value;
//   2. else the class covering most of it, if it covers at least L / 2: the
//      class's value (a VM's base colour, the legend's VM swatch; the host's grey);
//   3. else MIXED (a dotted mark, in the legend as "mixed").
// Half is the threshold because it is the least share that no other class can
// also have: a pixel shown in a VM's colour is that VM's more than anything else's.
// Class values follow the task values: first + g for class g, first + count for mixed.

import { TaskKind } from '../model/types';

/** The share of a pixel a value or a class must cover to be shown (rule above). */
export const DOMINANT_SHARE = 0.5;

export interface ValueClasses {
  /** Class of each value (a task index): 0 .. count - 1, or -1 for a value that is a class of its own. */
  ofValue: Int32Array;
  /** The value drawn for class g is first + g; for a mixed pixel first + count. */
  first: number;
  count: number;
}

/**
 * The classes of a CPU lane's values (tasks): VM i's threads are class i, the host's normal tasks class
 * vms; idle and placeholder tasks stand alone. Class values start after the last task.
 */
export function cpuLaneClasses(vmOfTask: Int32Array, kind: Uint8Array, vms: number): ValueClasses {
  const n = vmOfTask.length;
  const ofValue = new Int32Array(n);
  for (let t = 0; t < n; t++) ofValue[t] = vmOfTask[t] >= 0 ? vmOfTask[t] : kind[t] === TaskKind.Normal ? vms : -1;
  return { ofValue, first: n, count: vms + 1 };
}

/** The value drawn for a mixed pixel. */
export function mixedValue(c: Pick<ValueClasses, 'first' | 'count'>): number {
  return c.first + c.count;
}

/** What a value drawn on a CPU lane stands for: a task, a class (a VM, or the host's tasks), or mixed. */
export function classOfDrawn(
  c: Pick<ValueClasses, 'first' | 'count'>,
  v: number,
): { kind: 'value' } | { kind: 'class'; g: number } | { kind: 'mixed' } {
  if (v < c.first) return { kind: 'value' };
  const g = v - c.first;
  return g < c.count ? { kind: 'class', g } : { kind: 'mixed' };
}

// Per-class coverage of one pixel or bucket (shared: JS is single-threaded per realm).
let classCov = new Float64Array(64);
let classTouched = new Int32Array(64);

/**
 * Rule 2 and 3 for a pixel or bucket whose largest value covers less than half: add up `cov[i]` of
 * values `vals[i]` (i < n) per class; returns the class value when one class covers at least
 * `DOMINANT_SHARE * length`, else the mixed value. `shareOut[0]` gets the winning class's coverage
 * (for mixed: the largest class's).
 */
export function classWinner(
  c: ValueClasses,
  vals: ArrayLike<number>,
  cov: ArrayLike<number>,
  n: number,
  length: number,
  shareOut: Float64Array,
): number {
  if (classCov.length < c.count) {
    classCov = new Float64Array(c.count);
    classTouched = new Int32Array(c.count);
  }
  let nt = 0;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    const g = v >= 0 && v < c.ofValue.length ? c.ofValue[v] : -1;
    if (g < 0) continue;
    if (classCov[g] === 0) classTouched[nt++] = g;
    classCov[g] += cov[i];
  }
  let best = -1;
  let bestCov = 0;
  for (let i = 0; i < nt; i++) {
    const g = classTouched[i];
    if (classCov[g] > bestCov) {
      bestCov = classCov[g];
      best = g;
    }
    classCov[g] = 0;
  }
  shareOut[0] = bestCov;
  return best >= 0 && bestCov >= DOMINANT_SHARE * length ? c.first + best : c.first + c.count;
}
