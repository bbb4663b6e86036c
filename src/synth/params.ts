// The simulator's parameters: the kernel's defaults (cited in docs/simulator.md,
// fixed before any result was measured) and the model's own choices, each a knob.

/** Knobs a user can set (`schedmap synth --ple-window ... --section-us ... --hz ...`). */
export interface SimKnobs {
  /** Timer interrupts per second (CONFIG_HZ); a jiffy is 1/hz s. */
  hz: number;
  /** KVM's ple_window: PAUSE-loop cycles before a PLE exit (kvm_intel ple_window, 4096). */
  pleWindow: number;
  /** KVM's ple_gap: the most cycles between two PAUSEs of one loop (kvm_intel ple_gap, 128). */
  pleGap: number;
  /** Guest critical section mean length, µs (exponential). */
  sectionUs: number;
  /** Guest work between two lock acquisitions, mean µs (exponential). */
  workUs: number;
  /** Guest spinlocks per VM, shared by its vCPUs. */
  locks: number;
  /**
   * 'ticket': FIFO ticket spinlocks (x86 Linux 2.6.25 – 4.1): a released lock
   * passes to the next waiter even if its vCPU is preempted. 'tas':
   * test-and-set: a released lock goes to a waiter that is spinning right
   * now; a preempted waiter holds nothing up.
   */
  lockKind: 'ticket' | 'tas';
  /**
   * Which preempted siblings kvm_vcpu_on_spin may boost (YIELD_CANDIDATES).
   * 'all' is the talk's kernels (3.6 – 3.8); the others are what-ifs.
   */
  yieldCandidates: YieldCandidates;
  /**
   * The host's CPU cgroups (CONFIG_FAIR_GROUP_SCHED): 'none' puts every task at
   * the root; 'vm' puts each VM's QEMU process in its own task group with
   * cpu.shares 1024, as libvirt does (two-level CFS, groupFair.ts).
   */
  cgroups: Cgroups;
}

export const CGROUPS = ['none', 'vm'] as const;
export type Cgroups = (typeof CGROUPS)[number];

/**
 * 'all': every runnable sibling not running in guest mode and not halted (KVM 3.6 – 3.8).
 * 'in-lock': only siblings preempted inside a guest lock (holding it or waiting on it): the best a filter
 * on the guest's mode (kvm_arch_vcpu_in_kernel, KVM >= 4.15) could do, if the guest ran its lock-free work in
 * user mode. 'lock-chain': only a lock's holder or its next ticket waiter, an oracle (what a paravirtual
 * ticket lock's unlock kicks).
 */
export const YIELD_CANDIDATES = ['all', 'in-lock', 'lock-chain'] as const;
export type YieldCandidates = (typeof YIELD_CANDIDATES)[number];

export const DEFAULT_KNOBS: SimKnobs = {
  hz: 1000,
  pleWindow: 4096,
  pleGap: 128,
  sectionUs: 1,
  workUs: 39,
  locks: 1,
  lockKind: 'ticket',
  yieldCandidates: 'all',
  cgroups: 'none',
};

/** Everything the simulation reads, in nanoseconds where it is a time. */
export interface SimParams extends SimKnobs {
  /** Clock the cycle counts are converted at (an 80-CPU host of the talk's era: 4 × 10-core Xeon E7-4870, 2.4 GHz). */
  cpuGHz: number;
  jiffyNs: number;
  pleWindowNs: number;
  /** CFS tunables after the kernel's log2 scaling for the CPU count (sysctl_sched_tunable_scaling = LOG). */
  sched: {
    factor: number;
    latencyNs: number;
    minGranularityNs: number;
    wakeupGranularityNs: number;
    /** sched_nr_latency = latency / min_granularity: above it the period stretches. */
    nrLatency: number;
    /** sysctl_sched_migration_cost: a task that ran this recently is cache-hot and not pulled by periodic balancing. */
    migrationCostNs: number;
    /** sd busy_factor: a busy CPU balances this many times less often than an idle one. */
    busyFactor: number;
  };
  /** Model costs (not kernel tunables): CPU time the host spends in each path. */
  costs: {
    /** One VM exit plus the entry back (VMX round trip). */
    vmExitNs: number;
    /** Host timer-tick handler. */
    tickNs: number;
    /** yield_to()'s double_rq_lock section: both runqueue locks held. */
    rqLockNs: number;
    /** kvm_vcpu_on_spin looking at one candidate: a reference taken and dropped on its task (two remote atomics). */
    candidateNs: number;
    /** A reschedule IPI reaching another CPU (and an idle CPU waking up to take it). */
    ipiNs: number;
    /** Switching the host CPU to a vCPU thread (schedule + vcpu_load) before it enters the guest. */
    switchNs: number;
    /**
     * Of a switch: __schedule's section under its runqueue's lock (pick_next_task, the switch itself,
     * kvm_sched_out); vcpu_load (kvm_sched_in) runs after finish_task_switch drops it. A yield_to()
     * aimed at this runqueue waits for it, and schedule() waits for yield_to()s holding it.
     */
    schedLockNs: number;
    /**
     * A cache-line transfer between CPUs: a ticket spinlock's handoff takes one for each CPU spinning on
     * it (ticketLocks.ts).
     */
    lockTransferNs: number;
  };
  guest: {
    sectionNs: number;
    workNs: number;
    locks: number;
    lockKind: 'ticket' | 'tas';
    /** Chance that a vCPU halts (HLT) after a piece of work instead of taking a lock. */
    haltChance: number;
    /** Mean time a halted vCPU stays halted before a sibling's IPI (or its timer) wakes it. */
    haltNs: number;
  };
}

/** CFS's scaling factor for the CPU count: 1 + ilog2(min(cpus, 8)) (kernel/sched/fair.c get_update_sysctl_factor). */
export function cfsFactor(cpus: number): number {
  return 1 + Math.floor(Math.log2(Math.max(1, Math.min(cpus, 8))));
}

export function simParams(cpus: number, knobs: Partial<SimKnobs> = {}): SimParams {
  const k: SimKnobs = { ...DEFAULT_KNOBS };
  for (const key of Object.keys(DEFAULT_KNOBS) as (keyof SimKnobs)[]) {
    const v = knobs[key];
    if (v !== undefined) (k as unknown as Record<string, unknown>)[key] = v;
  }
  const cpuGHz = 2.4;
  const factor = cfsFactor(cpus);
  const latencyNs = 6e6 * factor;
  const minGranularityNs = 0.75e6 * factor;
  return {
    ...k,
    cpuGHz,
    jiffyNs: Math.round(1e9 / k.hz),
    pleWindowNs: Math.round(k.pleWindow / cpuGHz),
    sched: {
      factor,
      latencyNs,
      minGranularityNs,
      wakeupGranularityNs: 1e6 * factor,
      nrLatency: Math.round(latencyNs / minGranularityNs),
      migrationCostNs: 500_000,
      busyFactor: 16,
    },
    costs: {
      vmExitNs: Math.round(1000 / cpuGHz),
      tickNs: 1000,
      rqLockNs: 500,
      candidateNs: 250,
      ipiNs: 1000,
      switchNs: 3000,
      schedLockNs: 1000,
      lockTransferNs: 100,
    },
    guest: {
      sectionNs: k.sectionUs * 1000,
      workNs: k.workUs * 1000,
      locks: k.locks,
      lockKind: k.lockKind,
      haltChance: 0.002,
      haltNs: 500_000,
    },
  };
}
