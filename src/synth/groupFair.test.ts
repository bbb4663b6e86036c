// Two-level CFS (groupFair.ts) against hand-worked cases, beside the flat
// scheduler (fair.ts) on the same tasks where the two differ. One CPU's CFS
// tunables unscaled (factor 1): sched_latency 6 ms, min_granularity 0.75 ms,
// wakeup_granularity 1 ms.

import { describe, expect, it } from 'vitest';
import { CountingSink } from './events';
import { FairScheduler } from './fair';
import { simulateHost } from './generate';
import { GroupFairScheduler } from './groupFair';
import type { HostScheduler } from './hostScheduler';
import { simParams } from './params';

const us = 1e3;
const ms = 1e6;

/** Tasks of `vmOfTask` (-1: root) each placed on its CPU at its lag and runnable, in that order. */
function setUp(kind: 'group' | 'flat', cpuOf: number[], vmOfTask: number[], lags: number[] = []): HostScheduler {
  const cpus = Math.max(...cpuOf) + 1;
  const params = simParams(1);
  const s =
    kind === 'group'
      ? new GroupFairScheduler(cpus, vmOfTask, Math.max(0, ...vmOfTask) + 1, params)
      : new FairScheduler(cpus, vmOfTask.length, params);
  vmOfTask.forEach((_, t) => {
    s.initial(t, cpuOf[t], lags[t] ?? 0);
    s.enqueueInitial(t);
  });
  return s;
}

/** Every CPU picks at 0, then ticks every ms: shares published, check_preempt_tick, a switch when it says so. */
function runTicks(s: HostScheduler, cpus: number, ticks: number): void {
  for (let c = 0; c < cpus; c++) s.schedule(c, 0, true);
  for (let i = 1; i <= ticks; i++) {
    const t = i * ms;
    s.tick();
    for (let c = 0; c < cpus; c++) {
      s.update(c, t);
      if (s.nrRunning(c) > 1 && s.tickPreempts(c)) s.schedule(c, t, true);
    }
  }
  for (let c = 0; c < cpus; c++) s.update(c, ticks * ms);
}

const share = (s: HostScheduler, t: number, ticks: number): number => s.sumExec[t] / (ticks * ms);

describe('two-level CFS (--cgroups vm)', () => {
  it('two VMs with 1 and 3 runnable vCPUs on one CPU get equal CPU shares (flat: each vCPU a quarter)', () => {
    const vms = [0, 1, 1, 1];
    const g = setUp('group', [0, 0, 0, 0], vms) as GroupFairScheduler;
    runTicks(g, 1, 3000);
    expect(share(g, 0, 3000)).toBeCloseTo(0.5, 1);
    for (const t of [1, 2, 3]) expect(share(g, t, 3000)).toBeCloseTo(1 / 6, 1);
    expect(Math.abs(share(g, 0, 3000) - 0.5)).toBeLessThan(0.01);
    // A group whose load is all on this CPU weighs its full shares.
    expect(g.weight[g.groupEntity(0, 0)]).toBe(1024);
    expect(g.weight[g.groupEntity(1, 0)]).toBe(1024);
    const f = setUp('flat', [0, 0, 0, 0], vms);
    runTicks(f, 1, 3000);
    for (const t of [0, 1, 2, 3]) expect(Math.abs(share(f, t, 3000) - 0.25)).toBeLessThan(0.01);
  });

  it("splits a group's shares by its load on each CPU: 1 task on CPU 0 and 2 on CPU 1 weigh 341 and 682", () => {
    // VM 0: task 0 on CPU 0, tasks 1 and 2 on CPU 1; a root task (3) shares CPU 0 with it.
    const g = setUp('group', [0, 1, 1, 0], [0, 0, 0, -1]) as GroupFairScheduler;
    runTicks(g, 2, 3000);
    expect(g.weight[g.groupEntity(0, 0)]).toBe(Math.floor((1024 * 1024) / 3072));
    expect(g.weight[g.groupEntity(0, 1)]).toBe(Math.floor((1024 * 2048) / 3072));
    // On CPU 0 the VM's entity (341) against a nice-0 task (1024): a quarter of the CPU.
    expect(Math.abs(share(g, 0, 3000) - 341 / 1365)).toBeLessThan(0.01);
    expect(Math.abs(share(g, 3, 3000) - 1024 / 1365)).toBeLessThan(0.01);
    // Flat: the VM's thread and the host task halve CPU 0.
    const f = setUp('flat', [0, 1, 1, 0], [0, 0, 0, -1]);
    runTicks(f, 2, 3000);
    expect(Math.abs(share(f, 0, 3000) - 0.5)).toBeLessThan(0.01);
  });

  it('yield() makes the skip buddy at every level: the whole VM steps aside for another VM within wakeup_granularity', () => {
    // VM 0: a1 (lag 0), a2 (200 µs); VM 1: b1 (500 µs). a1 runs 100 µs and yields.
    const lags = [0, 200 * us, 500 * us];
    for (const [kind, expected] of [
      ['group', 2],
      ['flat', 1],
    ] as const) {
      const s = setUp(kind, [0, 0, 0], [0, 0, 1], lags);
      expect(s.schedule(0, 0, true)).toBe(0);
      s.update(0, 100 * us);
      s.yieldCurr(0);
      // Grouped: VM 0's entity (100 µs) is the root's skip buddy, VM 1's (500 µs) is within 1 ms: b1 runs.
      // Flat: a1 is the skip buddy and a2 (200 µs) the second: a2 runs.
      expect(s.schedule(0, 100 * us, true)).toBe(expected);
    }
  });

  it('a skip buddy refused at the root (the other VM too far right) is still honoured inside the VM', () => {
    const s = setUp('group', [0, 0, 0], [0, 0, 1], [0, 200 * us, 2 * ms]);
    expect(s.schedule(0, 0, true)).toBe(0);
    s.update(0, 100 * us);
    s.yieldCurr(0);
    // VM 1 is 1.9 ms right of VM 0 (> 1 ms): VM 0 keeps the CPU; inside it a1 is skipped for a2.
    expect(s.schedule(0, 100 * us, true)).toBe(1);
  });

  it("yield_to() sets the next buddy along the target's hierarchy: its VM at the root, the target inside it", () => {
    // VM 0: a1; VM 1: b1 (300 µs, the leftmost of its VM), b2 (600 µs).
    const s = setUp('group', [0, 0, 0], [0, 1, 1], [0, 300 * us, 600 * us]);
    expect(s.schedule(0, 0, true)).toBe(0);
    s.update(0, 100 * us);
    s.setNextBuddy(2);
    s.yieldCurr(0);
    expect(s.schedule(0, 100 * us, true)).toBe(2);
    // Picked: the buddies are cleared; the next pick in VM 1 goes by vruntime (b1), VM 1 still left of VM 0.
    s.update(0, 200 * us);
    expect(s.schedule(0, 200 * us, true)).toBe(1);
  });

  it('check_preempt_tick computes the slice down the hierarchy: 6 ms × ½ × ½ for one of two vCPUs of a VM beside a host task', () => {
    // VM 0: a1, a2; a root task r. Root: VM 0's entity and r (period 6 ms, half each); a1 half of VM 0's.
    const at = (kind: 'group' | 'flat', t: number): boolean => {
      const s = setUp(kind, [0, 0, 0], [0, 0, -1]);
      expect(s.schedule(0, 0, true)).toBe(0);
      s.update(0, t);
      return s.tickPreempts(0);
    };
    expect(at('group', 1.4 * ms)).toBe(false);
    expect(at('group', 1.6 * ms)).toBe(true);
    // Flat: three tasks, a 2 ms slice each, and 1.6 ms of vruntime lead is less than it.
    expect(at('flat', 1.6 * ms)).toBe(false);
  });

  it("a group entity's vruntime runs at 1024 / weight: against a host task it is preempted well before its slice of real time", () => {
    // VM 0: a1 on CPU 0, a2 on CPU 1 (its entity weighs 512 on each); a root task r queued on CPU 0.
    const at = (kind: 'group' | 'flat', t: number): { preempts: boolean; s: HostScheduler } => {
      const s = setUp(kind, [0, 1, 0], [0, 0, -1]);
      s.tick();
      expect(s.schedule(0, 0, true)).toBe(0);
      s.schedule(1, 0, true);
      // The tick at 0 reweights the running VM's entity (entity_tick's update_cfs_shares).
      expect(s.tickPreempts(0)).toBe(false);
      s.update(0, t);
      return { preempts: s.tickPreempts(0), s };
    };
    const g = at('group', 0.8 * ms).s as GroupFairScheduler;
    expect(g.weight[g.groupEntity(0, 0)]).toBe(512);
    // sched_slice: 6 ms × 512 / (512 + 1024) = 2 ms; after 0.8 ms VM 0's entity is 1.6 ms of vruntime ahead of r.
    expect(g.sliceOf(g.groupEntity(0, 0))).toBe(2 * ms);
    expect(at('group', 0.8 * ms).preempts).toBe(false);
    // After 1.1 ms: 2.2 ms ahead, more than the slice (flat: 1.1 ms against a 3 ms slice).
    expect(at('group', 1.1 * ms).preempts).toBe(true);
    expect(at('flat', 1.1 * ms).preempts).toBe(false);
  });

  it('wakeup preemption compares at the first level the woken and the running task share (find_matching_se)', () => {
    // VM 0: a1 on CPU 0, a2 on CPU 1 (each VM 0 entity weighs 512); a root task r wakes on CPU 0 after 0.6 ms.
    const g = new GroupFairScheduler(2, [0, 0, -1], 1, simParams(1));
    const f = new FairScheduler(2, 3, simParams(1));
    for (const s of [g, f]) {
      s.initial(0, 0, 0);
      s.initial(1, 1, 0);
      s.initial(2, 0, 0);
      s.enqueueInitial(0);
      s.enqueueInitial(1);
      s.tick();
      s.schedule(0, 0, true);
      s.schedule(1, 0, true);
      s.tickPreempts(0);
      s.update(0, 0.6 * ms);
      s.enqueueWakeup(2, 0);
    }
    // Root level: VM 0's entity has 1.2 ms of vruntime (0.6 ms at weight 512), r 0: more than 1 ms behind, r preempts.
    expect(g.wakeupPreempts(0, 2)).toBe(true);
    // Flat: a1 is 0.6 ms ahead of r, within the granularity.
    expect(f.wakeupPreempts(0, 2)).toBe(false);
  });

  it('a woken vCPU of the running VM is compared with its running sibling inside the VM, not at the root', () => {
    // VM 0: a1 runs, a2 sleeps; VM 1: b1 queued far left (lag 0, VM 0's entity placed 5 ms right of it).
    const g = new GroupFairScheduler(1, [0, 0, 1], 2, simParams(1));
    g.initial(0, 0, 5 * ms);
    g.initial(1, 0, 0);
    g.initial(2, 0, 0);
    g.enqueueInitial(2);
    g.enqueueInitial(0);
    g.tick();
    // VM 1 is leftmost: b1 runs first; then it sleeps and a1 runs.
    expect(g.schedule(0, 0, true)).toBe(2);
    expect(g.schedule(0, 0, false)).toBe(0);
    g.update(0, 0.5 * ms);
    g.enqueueWakeup(1, 0);
    // a2 placed at min_vruntime − 3 ms = 2.5 ms against a1's 5.5 ms inside VM 0: it preempts (compared at the root,
    // it would be VM 0's entity against itself).
    expect(g.wakeupPreempts(0, 1)).toBe(true);
  });

  it('a vCPU that sleeps leaves its VM the next buddy at the root while the VM has other runnable threads there', () => {
    // VM 0: a1, a2 on CPU 0; VM 1: b1, left of VM 0 but within the granularity.
    const g = setUp('group', [0, 0, 0], [0, 0, 1], [0, 100 * us, 300 * us]);
    expect(g.schedule(0, 0, true)).toBe(0);
    g.update(0, 500 * us);
    // a1 blocks: VM 0 (500 µs) is right of VM 1 (300 µs) but its next buddy: a2 runs.
    expect(g.schedule(0, 500 * us, false)).toBe(1);
  });
});

describe('the simulator with --cgroups vm', () => {
  const run = (cgroups: 'none' | 'vm') => {
    const sink = new CountingSink();
    const options = {
      cpus: 16,
      vms: 2,
      vcpus: 16,
      seconds: 0.03,
      warmup: 0.02,
      policy: 'ple-on',
      format: 'script',
      seed: 1,
      cgroups,
    } as const;
    const r = simulateHost(options, sink);
    return { switches: sink.switches, stats: r.stats, cgroups: r.params.cgroups };
  };

  it('runs the two-level scheduler deterministically, and differently from the flat one', () => {
    const a = run('vm');
    expect(a.cgroups).toBe('vm');
    expect(a.switches).toBeGreaterThan(1000);
    expect(run('vm')).toEqual(a);
    expect(run('none').switches).not.toBe(a.switches);
  });
});
