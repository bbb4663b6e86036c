// What a lane holds over time, as one Int32 per interval (and per pixel once
// reduced by the level of detail): the values are model/vcpuTracks' (>= 0 data:
// a task on a host-CPU lane, a CPU on a vCPU lane; negative: states).

import { V_OFF, V_RUNNABLE, V_SLEEPING, V_UNKNOWN, V_WOKEN } from '../model/vcpuTracks';

export { V_OFF, V_RUNNABLE, V_SLEEPING, V_UNKNOWN, V_WOKEN };

/** Palette index of a value: palettes are Uint32Arrays indexed by value + VALUE_OFFSET. */
export const VALUE_OFFSET = 5;

export type LaneState = 'slice' | 'unknown' | 'runnable' | 'sleeping' | 'off' | 'woken';

export function stateOfValue(v: number): LaneState {
  switch (v) {
    case V_UNKNOWN:
      return 'unknown';
    case V_RUNNABLE:
      return 'runnable';
    case V_SLEEPING:
      return 'sleeping';
    case V_OFF:
      return 'off';
    case V_WOKEN:
      return 'woken';
    default:
      return 'slice';
  }
}

/** Plain-text label of a non-slice state (for legends and tooltips). */
export const STATE_LABELS: Record<Exclude<LaneState, 'slice'>, string> = {
  unknown: 'unknown (not in the trace)',
  runnable: 'runnable, preempted (waiting for a CPU)',
  sleeping: 'sleeping / blocked',
  off: 'not running (state not recorded)',
  woken: 'woken, waiting for a CPU',
};
