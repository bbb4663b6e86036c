// Antagonists of a preempted vCPU on hand-made traces (times in µs; US = 1000 ns).

import { describe, expect, it } from 'vitest';
import { analyzeRun } from './analyze';
import { antagonists } from './antagonists';
import { US } from '../testing/runs';
import { runFromTimeline } from '../testing/timeline';

/**
 * VM A = {a0, a1} (+ its QEMU main thread q), VM B = {b0}, host task h (kworker/0:1). One column = 10 µs.
 *
 * a0 is switched out R+ at 100 (h preempts it) and back in at 300: one wait [100, 300) = 200 µs.
 * It ran on cpu0 and cpu1, so it could have used both: 400 µs of CPU time.
 * cpu0 during the wait: h 100, a1 100 (a sibling). cpu1: b0 [100, 250) 150, idle [250, 300) 50.
 */
const TRACE = `
  time 0         100       200       300  350  400       500
  cpu0 |a0-------|R+:h-----|a1-------|S:a0|S:q-|S:
  cpu1 |b0----------------------|S:------------|a0-------|S:
`;

/** The trace; without states, as perf sched map gives it (no prev task or state). */
function trace(hasStates = true) {
  const drawn = hasStates
    ? TRACE
    : TRACE.replace(/\|(R\+|S):(\w*)/g, (_, st: string, name: string) => `|${name}${'-'.repeat(st.length + 1)}`);
  const { run, task } = runFromTimeline(drawn, {
    unit: 10 * US,
    states: hasStates,
    comms: { h: 'kworker/0:1', q: 'qemu-system-x86' },
    tids: { q: 9 },
    others: { a: ['q'] },
  });
  return { run, v0: task.a0, v1: task.a1, q: task.q, b0: task.b0, h: task.h };
}

describe('antagonists', () => {
  it('ranks what ran on the CPUs a waiting vCPU could have used, marking its siblings', () => {
    const { run, v0, v1, b0, h } = trace();
    const r = antagonists(run, v0)!;
    expect(r.vm).toBe(0);
    expect(r.tid).toBe(10);
    expect(r.intervals).toBe(1);
    expect(r.waitingNs).toBe(200 * US);
    expect(r.longestNs).toBe(200 * US);
    expect(r.cpus).toEqual([0, 1]);
    expect(r.cpuTimeNs).toBe(400 * US);
    expect(r.unknownNs).toBe(0);
    expect(r.antagonists.map((a) => [a.task, a.relation, a.timeNs / US, a.share])).toEqual([
      [b0, 'other-vm', 150, 150 / 400],
      // h and v1 tie at 100 µs: lower tid first (v1 = 11, h = 30).
      [v1, 'sibling', 100, 0.25],
      [h, 'host', 100, 0.25],
      [0, 'idle', 50, 50 / 400],
    ]);
    expect(r.antagonists.find((a) => a.task === v1)!.slices).toBe(1);
  });

  it('waiting time equals the preempted fraction × D of the metrics', () => {
    const { run, v0 } = trace();
    const m = analyzeRun(run);
    const D = m.window.durationUs * US;
    expect(antagonists(run, v0)!.waitingNs).toBeCloseTo(m.vms[0].vcpus[0].preemptedFraction! * D, 6);
  });

  it('follows a range and a CPU subset', () => {
    const { run, v0, v1, b0, h } = trace();
    // [150, 250): the wait is clipped to 100 µs; cpu0 h [150, 200) 50, v1 [200, 250) 50; cpu1 b0 100.
    const r = antagonists(run, v0, { range: [150 * US, 250 * US] })!;
    expect(r.waitingNs).toBe(100 * US);
    expect(r.antagonists.map((a) => [a.task, a.timeNs / US])).toEqual([
      [b0, 100],
      [v1, 50],
      [h, 50],
    ]);
    // Only cpu0: v0 could use cpu0 alone.
    const c0 = antagonists(run, v0, { cpus: [0] })!;
    expect(c0.cpus).toEqual([0]);
    expect(c0.cpuTimeNs).toBe(200 * US);
    expect(c0.antagonists.map((a) => [a.task, a.timeNs / US])).toEqual([
      [v1, 100],
      [h, 100],
    ]);
    // Only cpu1: the switch-out at 100 is on cpu0, outside P, so no wait is seen.
    const c1 = antagonists(run, v0, { cpus: [1] })!;
    expect(c1.intervals).toBe(0);
    expect(c1.antagonists).toEqual([]);
  });

  it('a wait open at the window end runs to it; uncovered CPU time is unknown', () => {
    // cpu1 has no switch before 150: [100, 150) on it is unknown. a0 never comes back.
    const { run, task } = runFromTimeline(
      `
      cpu0 |a0-------|h------------------|S:
      cpu1                |a1------------|S:
    `,
      { unit: 10 * US },
    );
    const [v0, h] = [task.a0, task.h];
    const r = antagonists(run, v0)!;
    // It only ever ran on cpu0.
    expect(r.cpus).toEqual([0]);
    expect(r.waitingNs).toBe(200 * US);
    expect(r.antagonists.map((a) => [a.task, a.timeNs / US])).toEqual([[h, 200]]);
    expect(r.unknownNs).toBe(0);
    // Let it have run on cpu1 too (a later switch-in there): [100, 150) on cpu1 is unknown.
    const second = runFromTimeline(
      `
      cpu0 |a0-------|h------------------|S:
      cpu1                |a1------------|S:a0-----|S:
    `,
      { unit: 10 * US },
    );
    const [w0, w1, h2] = [second.task.a0, second.task.a1, second.task.h];
    const r2 = antagonists(second.run, w0)!;
    expect(r2.cpus).toEqual([0, 1]);
    expect(r2.waitingNs).toBe(200 * US);
    expect(r2.cpuTimeNs).toBe(400 * US);
    expect(r2.antagonists.map((a) => [a.task, a.relation, a.timeNs / US])).toEqual([
      [h2, 'host', 200],
      [w1, 'sibling', 150],
    ]);
    expect(r2.unknownNs).toBe(50 * US);
  });

  it('is null without states, for a task that is no vCPU, or out of range', () => {
    const { run: noStates, v0 } = trace(false);
    expect(antagonists(noStates, v0)).toBeNull();
    const { run, h, q } = trace();
    expect(antagonists(run, h)).toBeNull();
    expect(antagonists(run, q)).toBeNull();
    expect(antagonists(run, -1)).toBeNull();
    expect(antagonists(run, 999)).toBeNull();
  });

  it('a sleeping switch-out is no wait', () => {
    const { run, v1 } = trace();
    // v1 leaves cpu0 at 300 in S: never runnable-not-running.
    const r = antagonists(run, v1)!;
    expect(r.intervals).toBe(0);
    expect(r.waitingNs).toBe(0);
    expect(r.antagonists).toEqual([]);
  });
});
