// Events into time order the way perf itself orders them (util/ordered-events.c):
// records are written per CPU buffer, so they are queued by timestamp, and at
// each FINISHED_ROUND everything up to the newest timestamp seen before the
// previous round is delivered; what is left waits for the next round. Memory is
// bounded by two rounds of events. Equal timestamps keep their file order.

export interface Timed {
  /** Nanoseconds relative to the reader's base (exact: see readPerfData). */
  t: number;
}

export class RoundQueue<E extends Timed> {
  private pending: E[] = [];
  private maxTime = -Infinity;
  private nextFlush = -Infinity;
  private lastFlushed = -Infinity;
  /** Events that came after a round had already delivered later ones (perf: "Timestamp below last timeslice flush"). */
  late = 0;

  constructor(private readonly deliver: (e: E) => void) {}

  push(e: E): void {
    if (e.t < this.lastFlushed) this.late++;
    if (e.t > this.maxTime) this.maxTime = e.t;
    this.pending.push(e);
  }

  /** A FINISHED_ROUND record. */
  round(): void {
    this.flushUpTo(this.nextFlush);
    this.nextFlush = this.maxTime;
  }

  /** The end of the data: everything. */
  finish(): void {
    this.flushUpTo(Infinity);
  }

  private flushUpTo(limit: number): void {
    if (this.pending.length === 0 || limit === -Infinity) return;
    const all = this.pending.sort((a, b) => a.t - b.t);
    let n = 0;
    while (n < all.length && all[n].t <= limit) n++;
    if (n === 0) return;
    this.pending = all.slice(n);
    this.lastFlushed = all[n - 1].t;
    for (let i = 0; i < n; i++) this.deliver(all[i]);
  }
}
