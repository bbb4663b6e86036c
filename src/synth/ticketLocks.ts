// The host's runqueue locks as the ticket spinlocks they were on x86 Linux
// 2.6.25 – 4.1 (arch/x86/include/asm/spinlock.h): first come, first served,
// and a handoff that gets slower the more CPUs spin on the lock. Every waiter
// reads the lock's cache line; the release writes it, invalidating all of
// them, and the waiters' re-reads are served one after the other, so the next
// ticket holder learns of its turn after about one cache-line transfer per
// spinning CPU (Boyd-Wickizer, Kaashoek, Morris, Zeldovich, "Non-scalable
// locks are dangerous", Linux Symposium 2012: ticket-lock handoff time is
// linear in the number of waiters, which collapses throughput on 48- and
// 80-core machines).
//
// A lock is reserved when a CPU asks for it (the simulation knows, at that
// moment, who asked before): `acquire` says when it is granted, `hold` when
// it will be released.

export class TicketLocks {
  /** When each lock is released by the last CPU that reserved it. */
  private readonly free: Float64Array;
  /** Per lock, grant times of reservations not yet known to be granted (FIFO, increasing). */
  private readonly pending: number[][];

  constructor(
    locks: number,
    /** One cache-line transfer between CPUs: what each spinning CPU adds to a handoff. */
    private readonly transferNs: number,
  ) {
    this.free = new Float64Array(locks);
    this.pending = Array.from({ length: locks }, () => []);
  }

  /**
   * A CPU asks for `lock` at `t` (event time; `at` ≥ t when it will ask, as
   * for the second lock of a nested pair): when it gets it. A busy lock is
   * handed over after its release, one transfer for each CPU spinning on it
   * then (those queued ahead and this one). Call `hold` next.
   */
  acquire(lock: number, t: number, at = t): number {
    const q = this.pending[lock];
    let done = 0;
    while (done < q.length && q[done] <= t) done++;
    if (done > 0) q.splice(0, done);
    const free = this.free[lock];
    if (free <= at) {
      q.push(at);
      return at;
    }
    let spinning = 1;
    for (let i = 0; i < q.length; i++) if (q[i] > at) spinning++;
    const grant = free + spinning * this.transferNs;
    q.push(grant);
    return grant;
  }

  /** The CPU granted `lock` last releases it at `until`. */
  hold(lock: number, until: number): void {
    this.free[lock] = until;
  }
}
