// What the column beside the map labels, at any vertical zoom: each lane on
// screen once it is at least LABEL_MIN_HEIGHT CSS px tall (in the part of it on
// screen, when that is as tall); below that a ruler
// (every k-th lane of each group, k from 1-2-5 steps so labels stay apart);
// and the groups of lanes (a VM's block in vCPU mode), clipped to the view so
// a group scrolled half out keeps its name on screen. CSS px throughout.

import type { Lane } from './lanes';
import type { LaneLayout } from './layout';

/** Lanes at least this tall (CSS px) get their own label. */
export const LABEL_MIN_HEIGHT = 10;
/** Ruler labels stay at least this far apart (CSS px). */
const RULER_MIN_GAP = 14;
/** Half a ruler label's height (CSS px; .lane-label.ruler is 12 px): a label is drawn from y - this, at 0 or below. */
export const RULER_LABEL_HALF = 6;
/** Drawn ruler labels' boxes may overlap this much (CSS px): their 9 px text has more than that of air. */
const RULER_OVERLAP = 1;

export interface LaneLabelPlan {
  /** Lanes labelled one by one: index, top and height (CSS px). */
  lanes: { lane: number; top: number; height: number }[];
  /** Below LABEL_MIN_HEIGHT: every `step`-th lane of each group, at its centre (CSS px). */
  ruler: { lane: number; y: number }[];
  step: number;
  /** vCPU mode: one block per VM on screen, clipped to the view. */
  groups: { vm: number; first: number; last: number; top: number; bottom: number }[];
}

/** 1, 2, 5, 10, 20, 50, ...: the smallest with step * pitch ≥ gap. */
export function rulerStep(pitch: number, gap = RULER_MIN_GAP): number {
  if (pitch >= gap) return 1;
  for (let m = 1; ; m *= 10) for (const k of [1, 2, 5]) if (k * m * pitch >= gap) return k * m;
}

/** Where a lane starts a new group: a VM's first vCPU, a NUMA node's first CPU, the first lane below the pinned band. */
function groupStart(lanes: readonly Lane[], i: number, pinned = 0): boolean {
  if (i === 0 || (pinned > 0 && i === pinned)) return true;
  const a = lanes[i - 1];
  const b = lanes[i];
  if (a.kind === 'vcpu' && b.kind === 'vcpu') return a.vm !== b.vm;
  if (a.kind === 'cpu' && b.kind === 'cpu') return a.node !== b.node;
  return true;
}

export function laneLabelPlan(lanes: readonly Lane[], layout: LaneLayout, viewHeight: number): LaneLabelPlan {
  const dpr = layout.dpr;
  const n = lanes.length;
  const top = (i: number): number => layout.top[i] / dpr;
  const height = (i: number): number => layout.laneHeight[i] / dpr;
  const onScreen = (i: number): boolean => height(i) > 0 && top(i) + height(i) > 0 && top(i) < viewHeight;
  const pinned = layout.pinned ?? 0;
  const plan: LaneLabelPlan = { lanes: [], ruler: [], step: 1, groups: [] };
  if (n === 0) return plan;
  const h = height(0);
  if (h >= LABEL_MIN_HEIGHT) {
    // A lane cut by the map's edge is labelled in the part on screen, when that holds a line of text: the
    // next VM's vCPU 0 a few pixels under a zoomed block showed the top of its letters at the bottom edge.
    for (let i = 0; i < n; i++) {
      const t = Math.max(0, top(i));
      const b = Math.min(viewHeight, top(i) + height(i));
      if (b - t >= LABEL_MIN_HEIGHT) plan.lanes.push({ lane: i, top: t, height: b - t });
    }
  } else {
    const pitch = n > 1 ? (layout.top[n - 1] - layout.top[0]) / dpr / (n - 1) : h;
    plan.step = rulerStep(pitch);
    let k = 0;
    // Marks are kept RULER_MIN_GAP apart, and apart where they are drawn: the first is pushed down to the
    // view's top (LaneLabels), so CPU 0 and CPU 5 of 3 px lanes overlapped; and the ruler restarts at each group, so
    // one group's last mark can sit just above the next group's first (vCPU 10 of a 16-vCPU block, then
    // vCPU 0). A group's first lane wins over a mark too close above it; any other mark too close to the
    // one kept before it is left out.
    const firsts: boolean[] = [];
    const drawnAt: number[] = [];
    for (let i = 0; i < n; i++) {
      const first = groupStart(lanes, i, pinned);
      k = first ? 0 : k + 1;
      if (k % plan.step !== 0 || !onScreen(i)) continue;
      const y = top(i) + height(i) / 2;
      const at = Math.max(RULER_LABEL_HALF, y);
      const last = plan.ruler.length - 1;
      const tooClose =
        last >= 0 &&
        (y - plan.ruler[last].y < RULER_MIN_GAP || at - drawnAt[last] < 2 * RULER_LABEL_HALF - RULER_OVERLAP);
      if (tooClose) {
        if (!first || firsts[last]) continue;
        plan.ruler.pop(); // the one before it is >= the gap from it, so from this one too
        firsts.pop();
        drawnAt.pop();
      }
      plan.ruler.push({ lane: i, y });
      firsts.push(first);
      drawnAt.push(at);
    }
  }
  for (let i = 0; i < n;) {
    const l = lanes[i];
    let j = i;
    while (j + 1 < n && !groupStart(lanes, j + 1, pinned)) j++;
    if (l.kind === 'vcpu') {
      const t = Math.max(0, top(i));
      const b = Math.min(viewHeight, top(j) + height(j));
      if (b > t) plan.groups.push({ vm: l.vm, first: i, last: j, top: t, bottom: b });
    }
    i = j + 1;
  }
  return plan;
}

/** A lane's label beside the map: the VM's block names the VM, so a vCPU lane says only its index. */
export function shortLaneLabel(lane: Lane): string {
  return lane.kind === 'vcpu' ? `vCPU ${lane.vcpuIndex}` : lane.label;
}
