// What the simulated host did with its CPUs over the recorded window, written
// to OUT.sim.json beside the guests' counts: where CPU time went (guest code,
// spinning, the PAUSE exit handler and its runqueue locks, host tasks, idle),
// what each PAUSE exit's handler ended in, whom directed yields boosted, and
// why vCPU threads left their CPUs. These explain each policy's figures.

export interface HostStats {
  /** CPU time in ns, summed over CPUs. */
  cpuNs: {
    total: number;
    /** vCPU threads in guest mode (work, critical sections and spinning). */
    guest: number;
    /** Of `guest`: spinning on a guest lock. */
    guestSpin: number;
    /** vCPU threads in the host: VM exits, ticks, the switch in, the PAUSE exit handler. */
    vcpuHost: number;
    /** Of `vcpuHost`: kvm_vcpu_on_spin looking at candidates. */
    pleScan: number;
    /** Of `vcpuHost`: yield_to() waiting for the two runqueue locks. */
    rqLockWait: number;
    /** Of `vcpuHost`: yield_to() holding them. */
    rqLockHeld: number;
    /** __schedule waiting for its runqueue's lock (held by yield_to()s aimed at it); any task, or idle. */
    schedLockWait: number;
    /** Host tasks that are not vCPUs (kernel threads, QEMU helpers, daemons). */
    tasks: number;
    idle: number;
  };
  /** How each PAUSE exit's handler ended. */
  pleHandler: {
    exits: number;
    /** A yield_to() succeeded. */
    yieldTo: number;
    /** No candidate to try: all running, halted or skipped by the dy_eligible toggle. */
    noCandidate: number;
    /** Every yield_to() tried returned 0 (target running, not queued, or gang-ineligible). */
    refused: number;
    /** Gave up after three yield_to()s that could not help (both runqueues with one task). */
    gaveUp: number;
    /** Throttled: a plain yield() instead (past this jiffy's yield_to). */
    throttledYield: number;
    /** Still in the handler when the window ended. */
    unfinished: number;
    /** Candidates looked at, over all exits. */
    candidates: number;
    /**
     * Of the yields (`yieldTo` and `throttledYield`): the yielder's schedule() picked it again, so it went
     * back into the guest without a switch (alone on its runqueue, or the others more than
     * wakeup_granularity right of it: CFS does not skip it then).
     */
    yieldKeptCpu: number;
  };
  /** What the vCPU a successful yield_to() boosted was doing in its guest. */
  boosted: { holder: number; nextWaiter: number; waiter: number; working: number };
  /** What a boost's reschedule preempted on the target's CPU. */
  boostPreempted: { sibling: number; otherVm: number; hostTask: number; none: number };
  /** Why a vCPU thread left its CPU (switched to another task or idle). */
  vcpuSwitchOut: { yield: number; preempted: number; blocked: number };
  /**
   * vCPU run slices on a CPU, in µs: median, the share shorter than 10 µs, and the share in which the
   * vCPU took no guest lock (switched in, spun or worked, switched out again).
   */
  vcpuSlices: { count: number; medianUs: number; under10usShare: number; withoutLockShare: number };
}

export function emptyHostStats(): HostStats {
  return {
    cpuNs: { total: 0, guest: 0, guestSpin: 0, vcpuHost: 0, pleScan: 0, rqLockWait: 0, rqLockHeld: 0, schedLockWait: 0, tasks: 0, idle: 0 },
    pleHandler: { exits: 0, yieldTo: 0, noCandidate: 0, refused: 0, gaveUp: 0, throttledYield: 0, unfinished: 0, candidates: 0, yieldKeptCpu: 0 },
    boosted: { holder: 0, nextWaiter: 0, waiter: 0, working: 0 },
    boostPreempted: { sibling: 0, otherVm: 0, hostTask: 0, none: 0 },
    vcpuSwitchOut: { yield: 0, preempted: 0, blocked: 0 },
    vcpuSlices: { count: 0, medianUs: 0, under10usShare: 0, withoutLockShare: 0 },
  };
}

/** Slice lengths in a log-spaced histogram (0.1 µs to 100 ms, 20 bins a decade): median without keeping every slice. */
export class SliceHistogram {
  private readonly bins = new Float64Array(121);
  private n = 0;
  private under10 = 0;
  private withoutLock = 0;

  add(ns: number, tookLock: boolean): void {
    if (!tookLock) this.withoutLock++;
    const us = ns / 1000;
    const i = us <= 0.1 ? 0 : Math.min(120, Math.floor(Math.log10(us / 0.1) * 20));
    this.bins[i]++;
    this.n++;
    if (us < 10) this.under10++;
  }

  reset(): void {
    this.bins.fill(0);
    this.n = this.under10 = this.withoutLock = 0;
  }

  summary(): HostStats['vcpuSlices'] {
    let seen = 0;
    let median = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i];
      if (seen >= this.n / 2) {
        // The bin's geometric middle.
        median = 0.1 * 10 ** ((i + 0.5) / 20);
        break;
      }
    }
    return { count: this.n, medianUs: this.n ? Math.round(median * 10) / 10 : 0, under10usShare: this.n ? this.under10 / this.n : 0, withoutLockShare: this.n ? this.withoutLock / this.n : 0 };
  }
}
