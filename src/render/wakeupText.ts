// The tooltip's lines about a slice's wakeup, as plain text (names are untrusted:
// the UI renders them as text nodes).

import type { SliceWakeup } from '../analysis/sliceWakeup';
import type { TraceFormat } from '../model/types';
import type { HitTask } from './hitTest';
import type { WindowTimeText } from './timeAxis';

/** Why a trace shows no wakeups: a perf sched map carries none; other inputs recorded none. */
export function noWakeupsText(format: TraceFormat): string {
  return format === 'perf-sched-map'
    ? 'no wakeups: a perf sched map carries none (drop the perf.data or a perf script of it)'
    : 'no wakeups in this trace (record sched:sched_waking for wakers and latencies)';
}

/** A task as the tooltip names it: comm, tid, and VM · vCPU when it is a VM's thread. */
export function taskText(t: HitTask, vmName: (vm: number) => string): string {
  if (t.isIdle) return 'idle (an interrupt)';
  const who = `${t.comm}${t.tid >= 0 ? ` (tid ${t.tid})` : ''}`;
  if (t.vm === null) return who;
  return `${who}, ${vmName(t.vm)}${t.vcpuIndex !== null ? ` · vCPU ${t.vcpuIndex}` : ''}`;
}

/**
 * The lines for a slice's wakeup: who woke it, where and when, and the latency to its switch-in; or its
 * runnable wait when it was preempted; or why there is nothing to say.
 */
export function wakeupLines(
  w: SliceWakeup,
  waker: HitTask | null,
  tt: WindowTimeText,
  vmName: (vm: number) => string,
): string[] {
  if (w.wakeup) {
    const by = waker ? taskText(waker, vmName) : 'a thread the trace does not name';
    const on = w.wakeup.wakerCpu !== null ? ` on CPU ${w.wakeup.wakerCpu}` : '';
    return [
      `woken by ${by}${on} at ${tt.time(w.wakeup.time)} (sched_${w.wakeup.kind})`,
      `wakeup latency ${tt.duration(w.latency ?? NaN)} (wakeup → switch-in on CPU ${w.cpu})`,
    ];
  }
  if (w.runnableWait !== null)
    return [`preempted: runnable for ${tt.duration(w.runnableWait)} before this switch-in (no wakeup)`];
  if (w.previous?.left === 'migrated') return [];
  if (w.previous) return [`no wakeup recorded since it left the CPU at ${tt.time(w.previous.end)}`];
  return ['no wakeup before its first slice in the trace'];
}
