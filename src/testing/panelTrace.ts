// A hand-made trace for the panel's tests (analysis/panel, render/highlight, the exports): two VMs of
// one and two vCPUs and a host task, drawn as a timeline.

import { US } from './runs';
import { runFromTimeline } from './timeline';

/**
 * One column per 5 µs: a0 [0, 100) and [300, 400) 100 µs each; a1 [110, 300) 190 µs; b0 [0, 400) 400 µs
 * (all ended by a switch; the idle slices from 400 end at T1 and are left out). h [100, 110) 10 µs.
 */
const TRACE = `
  cpu0 |a0-----------------|h|S:a1---------------------------------|S:a0---------------|S:
  cpu1 |b0-----------------------------------------------------------------------------|S:
`;

export function panelTrace() {
  const { run, task } = runFromTimeline(TRACE, { unit: 5 * US, comms: { h: '=cmd' } });
  return { run, a0: task.a0, a1: task.a1, b0: task.b0, h: task.h };
}
