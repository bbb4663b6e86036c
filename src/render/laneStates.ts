// The states a vCPU lane draws between its running slices, as a legend: what
// the trace can tell (prev_state gives runnable vs sleeping; wakeup events
// give the woken wait), each with the colour the map paints it.

import { THEME } from './colors';
import { STATE_LABELS, type LaneState } from './values';

export interface LaneStateEntry {
  state: Exclude<LaneState, 'slice'>;
  /** Short name for the legend. */
  name: string;
  /** The tooltip's longer text. */
  label: string;
  /** CSS colour the map paints the state in. */
  color: string;
}

const SHORT: Record<LaneStateEntry['state'], string> = {
  runnable: 'runnable (preempted)',
  woken: 'runnable (woken)',
  sleeping: 'sleeping',
  off: 'not running',
  unknown: 'unknown',
};

const COLOR: Record<LaneStateEntry['state'], string> = {
  runnable: THEME.runnable,
  woken: THEME.woken,
  sleeping: THEME.sleeping,
  off: THEME.off,
  unknown: THEME.unknown,
};

/**
 * The off-CPU states a vCPU lane of this trace can show, in the order of the legend: with prev_state, a
 * vCPU switched out runnable waits preempted, one that slept sleeps; without prev_state the trace only says
 * it was not running. With wakeup events, the time from a wakeup to the switch-in is the woken wait.
 */
export function vcpuLaneStates(model: { hasStates: boolean; wakeupCount: number }): LaneStateEntry[] {
  const woken: LaneStateEntry['state'][] = model.wakeupCount > 0 ? ['woken'] : [];
  const states: LaneStateEntry['state'][] = model.hasStates ? ['runnable', ...woken, 'sleeping'] : ['off', ...woken];
  return [...states, 'unknown' as const].map((state) => ({
    state,
    name: SHORT[state],
    label: STATE_LABELS[state],
    color: COLOR[state],
  }));
}
