// What a lane holds over time, as one Int32 per interval (and per pixel once
// reduced by the level of detail). Values >= 0 are data: a task index on a
// host-CPU lane, the CPU a vCPU ran on on a vCPU lane. Negative values are
// states that are not a slice.

/** Nothing known: before a CPU's first switch, after a slice ended by a migration, outside the trace. */
export const V_UNKNOWN = -1;
/** vCPU lane: switched out runnable (prev_state R or R+) and waiting to run again. */
export const V_RUNNABLE = -2;
/** vCPU lane: switched out blocked (S, D, …) and not yet woken. */
export const V_SLEEPING = -3;
/** vCPU lane: not running, and the trace does not say why (no prev_state). */
export const V_OFF = -4;
/** vCPU lane: woken (sched_waking/wakeup) after sleeping, waiting for a CPU. */
export const V_WOKEN = -5;

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
