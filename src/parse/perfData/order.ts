// Events into time order the way perf itself orders them (util/ordered-events.c):
// records are written per CPU buffer, so they are queued by timestamp, and at
// each FINISHED_ROUND everything up to the newest timestamp seen before the
// previous round is delivered; what is left waits for the next round. Memory is
// bounded by two rounds of events. Equal timestamps keep their file order.
//
// The queue holds rows of numbers in one Float64Array, not an object per
// event: a big perf.data has millions of samples, and their objects were most
// of the reader's garbage-collection time.

export class RoundQueue {
  /** Row i is rows[i * width, (i + 1) * width): its time first, then the caller's fields. */
  rows: Float64Array;
  private n = 0;
  private maxTime = -Infinity;
  private nextFlush = -Infinity;
  private lastFlushed = -Infinity;
  /** Row numbers in delivery order (reused between rounds). */
  private order: number[] = [];
  /** Events that came after a round had already delivered later ones (perf: "Timestamp below last timeslice flush"). */
  late = 0;

  /** `deliver` gets the rows and where the row's time is (its fields follow it). */
  constructor(
    readonly width: number,
    private readonly deliver: (rows: Float64Array, at: number) => void,
  ) {
    this.rows = new Float64Array(width * 4096);
  }

  /** Queue an event at time t; returns where its row starts (fill rows[at + 1 .. at + width - 1]). */
  push(t: number): number {
    if (t < this.lastFlushed) this.late++;
    if (t > this.maxTime) this.maxTime = t;
    const at = this.n * this.width;
    if (at + this.width > this.rows.length) {
      const grown = new Float64Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[at] = t;
    this.n++;
    return at;
  }

  /** Rows waiting for their round. */
  get pending(): number {
    return this.n;
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
    if (this.n === 0 || limit === -Infinity) return;
    const rows = this.rows;
    const w = this.width;
    const order = this.order;
    order.length = 0;
    for (let i = 0; i < this.n; i++) if (rows[i * w] <= limit) order.push(i);
    if (order.length === 0) return;
    // Stable: equal times keep their row (file) order.
    order.sort((a, b) => rows[a * w] - rows[b * w] || a - b);
    this.lastFlushed = rows[order[order.length - 1] * w];
    for (const i of order) this.deliver(rows, i * w);
    // What is left moves to the front, in its row order.
    let to = 0;
    for (let at = 0; at < this.n * w; at += w) {
      if (rows[at] <= limit) continue;
      // A loop, not copyWithin: a builtin call per row costs more than its few numbers.
      if (to !== at) for (let c = 0; c < w; c++) rows[to + c] = rows[at + c];
      to += w;
    }
    this.n = to / w;
  }
}
