// The talk's numbers from the simulator's mechanisms (8 VMs × 20 vCPUs at 2x
// overcommit on 80 CPUs, and 8 × 10 on 40), and the analysis seeing what the
// simulator did: the model is built from the event stream (TraceModelSink, the
// same model perf script text parses to: synthModel.test.ts) and analysed by
// analyzeRun; the guest work is the simulator's own count (OUT.sim.json).

import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOBS, type SimKnobs } from './params';
import type { SynthPolicy } from './schedule';
import { MEDIUM, spearman, TALK, talkRun, type TalkHost, type TalkRun } from './talkRun';

const cache = new Map<string, TalkRun>();

function run(policy: SynthPolicy, seed: number, host: TalkHost, knobs: Partial<SimKnobs> = {}): TalkRun {
  const key = `${policy}/${seed}/${host.cpus}/${host.vms}/${host.vcpus}/${JSON.stringify(knobs)}`;
  const hit = cache.get(key) ?? talkRun(policy, seed, host, knobs);
  cache.set(key, hit);
  return hit;
}

// Talk-scale runs take ~5 – 20 s each on a shared 2-core machine; a test runs up to 8 of them.
describe('the talk, from the mechanisms', { timeout: 240_000 }, () => {
  it('8 × 20 vCPUs on 80 CPUs: PLE on ≥ 5 × PLE off, gang ≥ 2 × PLE on, throttled ≥ 0.8 × gang', () => {
    const off = run('ple-off', 1, TALK);
    const on = run('ple-on', 1, TALK);
    const gang = run('gang', 1, TALK);
    const thr = run('throttled-yield', 1, TALK);
    expect(on.work / off.work).toBeGreaterThanOrEqual(5);
    expect(gang.work / on.work).toBeGreaterThanOrEqual(2);
    expect(thr.work / gang.work).toBeGreaterThanOrEqual(0.8);
  });

  it('8 × 10 vCPUs on 40 CPUs: PLE on ≥ 0.6 × gang ("PLE works well for VMs of ~10 vCPUs")', () => {
    expect(run('ple-on', 1, MEDIUM).work / run('gang', 1, MEDIUM).work).toBeGreaterThanOrEqual(0.6);
  });

  it('the analysis sees it: coScheduling ranks gang > throttled-yield > ple-on; PLE exits high for ple-on, fewer throttled', () => {
    const on = run('ple-on', 1, TALK);
    const gang = run('gang', 1, TALK);
    const thr = run('throttled-yield', 1, TALK);
    expect(gang.coScheduling).toBeGreaterThan(thr.coScheduling);
    expect(thr.coScheduling).toBeGreaterThan(on.coScheduling);
    // Every PAUSE exit the simulator counted is a kvm_exit the analysis counts (but the few before the
    // window's first switch or after its last).
    for (const r of [on, thr])
      r.simExits.forEach((n, v) => expect(Math.abs(r.seenExits[v] - n), `vm ${v}`).toBeLessThanOrEqual(Math.max(3, n / 1000)));
    expect(on.pleExitsPerSec).toBeGreaterThan(100_000);
    expect(on.pleExitsPerSec).toBeGreaterThan(1.5 * thr.pleExitsPerSec);
    expect(gang.pleExitsPerSec).toBe(0);
  });

  it("the host's diagnostics add up: CPU time splits into its parts, handler outcomes into the exits, boosts into the yield_to()s", () => {
    for (const policy of ['ple-off', 'ple-on', 'throttled-yield', 'gang'] as const) {
      const { host, simExits } = run(policy, 1, TALK);
      const c = host.cpuNs;
      expect(c.total, policy).toBe(0.1e9 * TALK.cpus);
      expect(Math.abs(c.guest + c.vcpuHost + c.tasks + c.idle - c.total), policy).toBeLessThan(1e-6 * c.total);
      expect(c.guestSpin).toBeLessThanOrEqual(c.guest);
      expect(c.pleScan + c.rqLockWait + c.rqLockHeld).toBeLessThanOrEqual(c.vcpuHost);
      const h = host.pleHandler;
      expect(h.exits).toBe(simExits.reduce((a, b) => a + b, 0));
      expect(h.yieldTo + h.noCandidate + h.refused + h.gaveUp + h.throttledYield + h.unfinished).toBe(h.exits);
      const b = host.boosted;
      expect(b.holder + b.nextWaiter + b.waiter + b.working).toBe(h.yieldTo);
      const o = host.vcpuSwitchOut;
      expect(o.yield + o.preempted + o.blocked).toBe(host.vcpuSlices.count);
      // A vCPU leaves its CPU runnable-not-preempted only after a yield that had someone to hand the CPU to:
      // a PAUSE exit whose handler yields to nobody goes back into the guest without a sched_switch.
      expect(o.yield, policy).toBeLessThanOrEqual(h.yieldTo + h.throttledYield);
      // Every yield either switches or is answered with the yielder itself (but those cut by the window's edges).
      expect(Math.abs(o.yield + h.yieldKeptCpu - (h.yieldTo + h.throttledYield)), policy).toBeLessThanOrEqual(TALK.cpus);
    }
    // Spinning is what PLE off does with its CPUs; gang spins little.
    expect(run('ple-off', 1, TALK).host.cpuNs.guestSpin / (0.1e9 * TALK.cpus)).toBeGreaterThan(0.9);
    expect(run('gang', 1, TALK).host.cpuNs.guestSpin / (0.1e9 * TALK.cpus)).toBeLessThan(0.05);
  });

  it('the diagnostics explain the figures: where ple-on loses its CPUs, and why directed yield helps less in bigger VMs', () => {
    const cpuNs = 0.1e9 * TALK.cpus;
    const on = run('ple-on', 1, TALK).host;
    const gang = run('gang', 1, TALK).host;
    const thr = run('throttled-yield', 1, TALK).host;
    // PLE on: the yield storm keeps vCPU threads in the host (exits, handler, switching in) for a third of the CPUs.
    expect(on.cpuNs.vcpuHost / cpuNs).toBeGreaterThan(0.3);
    expect(gang.cpuNs.vcpuHost / cpuNs).toBeLessThan(0.02);
    expect(thr.cpuNs.vcpuHost / cpuNs).toBeLessThan(0.1);
    // Throttled: few PAUSE exits get a yield_to(); the rest yield() to the other VM sharing the CPU, but most of
    // those yields keep the CPU (the other VM's vCPU is more than wakeup_granularity ahead): the vCPU goes
    // straight back to its spin and exits again, which is why throttled's PLE exits are not few.
    expect(thr.pleHandler.yieldTo / thr.pleHandler.exits).toBeLessThan(0.1);
    expect(thr.pleHandler.yieldKeptCpu / (thr.pleHandler.yieldTo + thr.pleHandler.throttledYield)).toBeGreaterThan(0.5);
    // PLE on: nearly every yield_to() hands the CPU over (the storm's switches).
    expect(on.pleHandler.yieldKeptCpu / on.pleHandler.yieldTo).toBeLessThan(0.1);
    // With twice the vCPUs, a round-robin boost lands on the lock holder or its next waiter at most half as often.
    const share = (h: typeof on): number => (h.boosted.holder + h.boosted.nextWaiter) / h.pleHandler.yieldTo;
    const medium = run('ple-on', 1, MEDIUM).host;
    expect(share(medium)).toBeGreaterThan(1.8 * share(on));
    // Why ple-on's slices are µs, not 100s of µs: nearly all are probes, switched in (boosted, or handed the
    // CPU by a yielder) and out again without taking the guest lock; gang's slots take it hundreds of times.
    expect(on.vcpuSlices.withoutLockShare).toBeGreaterThan(0.9);
    expect(gang.vcpuSlices.withoutLockShare).toBeLessThan(0.1);
  });

  // The sweep's settings where every ratio holds (docs/simulator.md, the sweep table). At ple_window × 0.5 and
  // sections × 2 throttled / gang is ~0.4: PLE fires behind running holders and throttled's yield()s ping-pong,
  // a missed target listed there, not asserted here. With each VM in its own cgroup (two-level CFS, the per-VM
  // cgroups table) the defaults' ratios hold too.
  it.each([
    ['ple_window × 2', { pleWindow: DEFAULT_KNOBS.pleWindow * 2 }],
    ['sections × 0.5', { sectionUs: DEFAULT_KNOBS.sectionUs / 2 }],
    ['the defaults with --cgroups vm', { cgroups: 'vm' }],
  ] as const)('the ratios hold at %s', (_, knobs) => {
    const off = run('ple-off', 1, TALK, knobs);
    const on = run('ple-on', 1, TALK, knobs);
    const gang = run('gang', 1, TALK, knobs);
    const thr = run('throttled-yield', 1, TALK, knobs);
    expect(on.work / off.work).toBeGreaterThanOrEqual(5);
    expect(gang.work / on.work).toBeGreaterThanOrEqual(2);
    expect(thr.work / gang.work).toBeGreaterThanOrEqual(0.8);
    expect(run('ple-on', 1, MEDIUM, knobs).work / run('gang', 1, MEDIUM, knobs).work).toBeGreaterThanOrEqual(0.6);
    expect(gang.coScheduling).toBeGreaterThan(thr.coScheduling);
    expect(thr.coScheduling).toBeGreaterThan(on.coScheduling);
  });

  it('guest work and coScheduling rank alike across the four policies × 3 seeds (Spearman ≥ 0.8)', () => {
    const work: number[] = [];
    const co: number[] = [];
    for (const seed of [1, 2, 3])
      for (const policy of ['ple-off', 'ple-on', 'throttled-yield', 'gang'] as const) {
        const r = run(policy, seed, TALK);
        work.push(r.work);
        // To 0.01: PLE off and PLE on both run their vCPUs independently (coScheduling 0.001 and 0.000);
        // ordering them by the third decimal would rank noise.
        co.push(Math.round(r.coScheduling * 100) / 100);
      }
    expect(spearman(work, co)).toBeGreaterThanOrEqual(0.8);
  });
});
