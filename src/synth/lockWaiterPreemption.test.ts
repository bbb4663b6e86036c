// Lock-waiter preemption: a ticket lock passes to its next waiter even when that
// waiter's vCPU is preempted, so without PAUSE exits a VM's vCPUs queue behind
// it and spin (the talk's PLE off collapse); a test-and-set lock goes to a
// waiter that is spinning right now, so a preempted waiter holds nothing up.
// Both on a 2x overcommitted host: 2 VMs x 16 vCPUs on 16 CPUs.

import { describe, expect, it } from 'vitest';
import { CountingSink } from './events';
import { simulateHost } from './generate';
import type { SynthPolicy } from './schedule';

function run(policy: SynthPolicy, lockKind: 'ticket' | 'tas'): { work: number; spinShare: number } {
  const options = { cpus: 16, vms: 2, vcpus: 16, seconds: 0.05, warmup: 0.05, policy, format: 'script', seed: 1, lockKind } as const;
  const { stats, host } = simulateHost(options, new CountingSink());
  return { work: stats.reduce((a, s) => a + s.lockAcquisitions, 0), spinShare: host.cpuNs.guestSpin / host.cpuNs.total };
}

describe('lock-waiter preemption', () => {
  it('ticket locks: PLE off stalls (its CPUs spin, almost no work), PLE on gets part of the way to gang', () => {
    const off = run('ple-off', 'ticket');
    const on = run('ple-on', 'ticket');
    const gang = run('gang', 'ticket');
    expect(off.spinShare).toBeGreaterThan(0.9);
    expect(off.work).toBeLessThan(0.01 * gang.work);
    expect(on.work).toBeGreaterThan(10 * off.work);
    expect(on.work).toBeLessThan(0.8 * gang.work);
  });

  it('test-and-set locks: a preempted waiter holds nothing up, so PLE off works and PLE on matches gang', () => {
    const off = run('ple-off', 'tas');
    const on = run('ple-on', 'tas');
    const gang = run('gang', 'tas');
    expect(off.spinShare).toBeLessThan(0.3);
    expect(off.work).toBeGreaterThan(0.5 * gang.work);
    expect(on.work).toBeGreaterThan(0.9 * gang.work);
  });
});
