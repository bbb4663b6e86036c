// The switch queue of the timehist parser: a timehist line is a switch whose
// next task is only known at the next line on the same CPU, so switches wait
// here in file order (a ring, addressed by sequence number) and reach the
// builder from the head as each one's next task becomes known, merged in time
// with the switch-ins inferred from run times (see timehist.ts).

import type { TraceBuilder } from '../model/builder';
import { PrevState } from '../model/types';

type Column = Float64Array | Int32Array | Uint16Array | Uint8Array;

/** A copy of ring column `a` (mask `mask`) at capacity `cap`, the entries head..tail kept at their sequence numbers. */
function regrow<T extends Column>(a: T, cap: number, head: number, tail: number, mask: number): T {
  const out = new (a.constructor as new (n: number) => T)(cap);
  // By runs that wrap in neither ring (two when the capacity doubles), each one set() (a memcpy), not entry by entry:
  // the queue grows to tens of thousands of switches while a CPU is quiet, and a copy per entry showed.
  for (let seq = head; seq < tail;) {
    const from = seq & mask;
    const to = seq & (cap - 1);
    const n = Math.min(tail - seq, mask + 1 - from, cap - to);
    out.set(a.subarray(from, from + n), to);
    seq += n;
  }
  return out;
}

export class SwitchQueue {
  private cap = 1 << 12;
  private mask = this.cap - 1;
  private time = new Float64Array(this.cap);
  private cpu = new Uint16Array(this.cap);
  private prev = new Int32Array(this.cap);
  private state = new Uint8Array(this.cap);
  /** Task switched in; -1 while not known. */
  private next = new Int32Array(this.cap);
  /** Task of the `next:` column (-n), -1 when absent. */
  private hint = new Int32Array(this.cap);
  /** The switch's line: the builder's checks at the end (timestamp outliers) name it. */
  private line = new Int32Array(this.cap);
  private head = 0;
  private tail = 0;
  /** Sequence number of the last switch per CPU, -1 for none. */
  private lastOnCpu = new Int32Array(256).fill(-1);
  /** Inferred switches (a task switched in by a switch not in the output), sorted by time. */
  private inferred: { time: number; cpu: number; prev: number; next: number; line: number }[] = [];
  private inferredHead = 0;

  constructor(
    private readonly b: TraceBuilder,
    /** The task an inferred switch switches out (tasks not in the output). */
    private readonly hiddenTask: () => number,
  ) {}

  /** The last switch on `cpu` while it still waits for its next task, else -1. */
  waiting(cpu: number): number {
    const seq = cpu < this.lastOnCpu.length ? this.lastOnCpu[cpu] : -1;
    return seq >= this.head && this.next[seq & this.mask] < 0 ? seq : -1;
  }

  timeOf(seq: number): number {
    return this.time[seq & this.mask];
  }

  hintOf(seq: number): number {
    return this.hint[seq & this.mask];
  }

  /** The next task of waiting switch `seq` is known. */
  resolve(seq: number, next: number): void {
    this.next[seq & this.mask] = next;
  }

  push(time: number, cpu: number, prev: number, state: PrevState, hint: number, line: number): void {
    if (cpu >= this.lastOnCpu.length) {
      let len = this.lastOnCpu.length;
      while (len <= cpu) len *= 2;
      const grown = new Int32Array(len).fill(-1);
      grown.set(this.lastOnCpu);
      this.lastOnCpu = grown;
    }
    if (this.tail - this.head === this.cap) this.grow();
    const slot = this.tail & this.mask;
    this.time[slot] = time;
    this.cpu[slot] = cpu;
    this.prev[slot] = prev;
    this.state[slot] = state;
    this.next[slot] = -1;
    this.hint[slot] = hint;
    this.line[slot] = line;
    this.lastOnCpu[cpu] = this.tail;
    this.tail++;
  }

  /**
   * A switch-in at `time` on `cpu` that the output does not print, implied by line `line`'s run time; it
   * switches out the tasks not in the output (hiddenTask), or `prev` when given (-1: not known, a CPU's first).
   */
  infer(time: number, cpu: number, next: number, line: number, prev?: number): void {
    const list = this.inferred;
    let i = list.length;
    while (i > this.inferredHead && list[i - 1].time > time) i--;
    list.splice(i, 0, { time, cpu, prev: prev ?? this.hiddenTask(), next, line });
  }

  /** End of input: the last switch of each CPU gets its `next:` hint, or `unknown()`. Returns how many got the latter. */
  resolveLast(unknown: () => number): number {
    let unresolved = 0;
    for (let cpu = 0; cpu < this.lastOnCpu.length; cpu++) {
      const seq = this.waiting(cpu);
      if (seq < 0) continue;
      const h = this.hintOf(seq);
      if (h < 0) unresolved++;
      this.resolve(seq, h >= 0 ? h : unknown());
    }
    return unresolved;
  }

  /**
   * Whether resolving `seq` lets flush() hand anything on: the head is never left known (every resolve is
   * followed by a flush), so only a known head or an inferred switch can go.
   */
  mayFlush(seq: number): boolean {
    return seq === this.head || this.inferredHead < this.inferred.length;
  }

  /**
   * Hand every switch whose next task is known, from the head, to the builder, merged in time with the
   * inferred ones: the known run from the head up to the first inferred switch's time, that one, and so on.
   */
  flush(): void {
    const b = this.b;
    const list = this.inferred;
    const line = b.line;
    const next = this.next;
    const time = this.time;
    const mask = this.mask;
    const tail = this.tail;
    let head = this.head;
    for (;;) {
      // The run stops before the first switch at or after the waiting inferred one (none waits: the common case).
      const waiting = this.inferredHead < list.length;
      const stop = waiting ? this.before(head, list[this.inferredHead].time) : tail;
      for (; head < stop; head++) {
        const slot = head & mask;
        const n = next[slot];
        if (n < 0) break;
        b.line = this.line[slot];
        b.addSwitch(time[slot], this.cpu[slot], this.prev[slot], this.state[slot], n);
      }
      if (!waiting) break;
      // Safe to emit once nothing before it in time can still come: every queued switch
      // (and every later line) is at or after the queue head's time.
      const s = list[this.inferredHead];
      if (head < tail && !(s.time <= time[head & mask])) break;
      b.line = s.line;
      b.addSwitch(s.time, s.cpu, s.prev, PrevState.Unknown, s.next, true);
      this.inferredHead++;
      if (this.inferredHead === list.length) {
        list.length = 0;
        this.inferredHead = 0;
      }
    }
    this.head = head;
    b.line = line;
  }

  /** The first sequence number from `seq` on whose switch is at or after `t`, or not known yet (the tail at most). */
  private before(seq: number, t: number): number {
    while (seq < this.tail && this.next[seq & this.mask] >= 0 && !(t <= this.time[seq & this.mask])) seq++;
    return seq;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const args = [cap, this.head, this.tail, this.mask] as const;
    this.time = regrow(this.time, ...args);
    this.cpu = regrow(this.cpu, ...args);
    this.prev = regrow(this.prev, ...args);
    this.state = regrow(this.state, ...args);
    this.next = regrow(this.next, ...args);
    this.hint = regrow(this.hint, ...args);
    this.line = regrow(this.line, ...args);
    this.cap = cap;
    this.mask = cap - 1;
  }
}
