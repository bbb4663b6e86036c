// The switch timeline's readout at the cursor: the time, every switch's rate in the cursor's bin, and the
// VMs whose vCPUs were switched in most often there (at most three, busiest first); over a bin wholly in a
// gap of the pasted text, that the text was cut there; outside the trace's switches, that it is.

import { num, sec } from '../model/format';
import type { Timeline } from './panel';

/** The readout at time `t` (ns, trace-relative), or null when `t` is outside the timeline's bins. */
export function timelineReadout(tl: Timeline, t: number, names: readonly string[]): string | null {
  const k = Math.floor((t - tl.start) / tl.binNs);
  if (!(k >= 0 && k < tl.bins)) return null;
  if (t > tl.traceEnd) return `${sec(t)}: after the trace's last switch (${sec(tl.traceEnd)})`;
  if (t < tl.traceStart) return `${sec(t)}: before the trace's first switch (${sec(tl.traceStart)})`;
  const total = tl.total[k];
  if (total === null) return `${sec(t)}: the pasted text was cut here, its switches are not in the trace`;
  const top = tl.vms
    .map((s, v) => [v, s[k]] as const)
    .filter((e): e is readonly [number, number] => e[1] !== null && e[1] > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([v, r]) => `${names[v]} ${num(r)}`);
  return `${sec(t)}: ${num(total)} switches/s${top.length ? ` · vCPU switch-ins/s ${top.join(', ')}` : ''}`;
}
