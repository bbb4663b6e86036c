// --yield-candidates: which preempted siblings kvm_vcpu_on_spin may boost. The
// host's `boosted` counts (what each boosted vCPU was doing in its guest when
// its yield_to() succeeded) show the filter at work, on a 2x overcommitted host
// whose VMs' vCPUs spin on their hot lock.

import { describe, expect, it } from 'vitest';
import { CountingSink } from './events';
import { simulateHost } from './generate';
import type { YieldCandidates } from './params';

function boosted(yieldCandidates: YieldCandidates) {
  const options = { cpus: 16, vms: 2, vcpus: 16, seconds: 0.03, warmup: 0.02, policy: 'ple-on', format: 'script', seed: 1, yieldCandidates } as const;
  return simulateHost(options, new CountingSink()).host;
}

describe('--yield-candidates', () => {
  it("'all' (KVM 3.6 – 3.8) boosts siblings in every guest state, lock-free work included", () => {
    const h = boosted('all');
    const b = h.boosted;
    expect(h.pleHandler.yieldTo).toBeGreaterThan(100);
    expect(b.working).toBeGreaterThan(0);
    expect(b.waiter).toBeGreaterThan(0);
    expect(b.holder + b.nextWaiter).toBeGreaterThan(0);
  });

  it("'in-lock' boosts only siblings preempted holding or waiting on a guest lock", () => {
    const h = boosted('in-lock');
    const b = h.boosted;
    expect(h.pleHandler.yieldTo).toBeGreaterThan(100);
    expect(b.working).toBe(0);
    expect(b.waiter).toBeGreaterThan(0);
  });

  it("'lock-chain' boosts only a lock's holder or its next ticket waiter", () => {
    const h = boosted('lock-chain');
    const b = h.boosted;
    expect(h.pleHandler.yieldTo).toBeGreaterThan(100);
    expect(b.working + b.waiter).toBe(0);
    expect(b.holder).toBeGreaterThan(0);
    expect(b.nextWaiter).toBeGreaterThan(0);
  });
});
