// The wakeups behind the hovered and the pinned slice, from the model worker
// (the page has no events): one memoised job per slice.

import type { SliceWakeup } from '../../analysis/sliceWakeup';
import type { DrawnRun } from '../../model/drawnRun';
import type { WakeupTarget } from '../../render/wakeupTarget';
import type { AnalysisJob } from '../../worker/protocol';
import { useJob } from '../panel/useJob';

export interface WakeupState {
  target: WakeupTarget | null;
  /** undefined while the worker computes it; null when the slice has none there. */
  value: SliceWakeup | null | undefined;
}

function useSliceWakeup(run: DrawnRun, target: WakeupTarget | null, slot: string): WakeupState {
  const job: AnalysisJob | null =
    target && run.model.wakeupCount > 0 ? { kind: 'wakeup', task: target.task, start: target.start } : null;
  const state = useJob<SliceWakeup | null>(run, job, `${slot}:${run.id}`, 40);
  return { target, value: job && !state.loading ? (state.value ?? null) : undefined };
}

export function useWakeups(
  run: DrawnRun,
  hover: WakeupTarget | null,
  pinned: WakeupTarget | null,
): { hover: WakeupState; pinned: WakeupState } {
  return { hover: useSliceWakeup(run, hover, 'wakeup-hover'), pinned: useSliceWakeup(run, pinned, 'wakeup-pin') };
}
