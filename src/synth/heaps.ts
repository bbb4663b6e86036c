// Priority queues of the event loop: one keyed entry per CPU whose key moves
// (IndexedHeap), and one-shot timers (TimerHeap). Ties go to the lower id /
// the earlier insertion, so runs are deterministic.

/**
 * Min-heap over ids 0..n-1, each with a key that can be changed in place.
 * Keys are kept in heap order beside the ids (no indirection when sifting).
 */
export class IndexedHeap {
  /** Key of each id. */
  readonly key: Float64Array;
  /** Keys and ids by heap position. */
  private readonly hk: Float64Array;
  private readonly heap: Int32Array;
  private readonly pos: Int32Array;

  constructor(n: number) {
    this.key = new Float64Array(n).fill(Infinity);
    this.hk = new Float64Array(n).fill(Infinity);
    this.heap = Int32Array.from({ length: n }, (_, i) => i);
    this.pos = Int32Array.from({ length: n }, (_, i) => i);
  }

  get topId(): number {
    return this.heap[0];
  }

  get topKey(): number {
    return this.hk[0];
  }

  set(id: number, k: number): void {
    const old = this.key[id];
    if (old === k) return;
    this.key[id] = k;
    if (k < old) this.up(this.pos[id], id, k);
    else this.down(this.pos[id], id, k);
  }

  private up(i: number, id: number, k: number): void {
    const h = this.heap;
    const hk = this.hk;
    const pos = this.pos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = hk[p];
      if (pk < k || (pk === k && h[p] < id)) break;
      h[i] = h[p];
      hk[i] = pk;
      pos[h[i]] = i;
      i = p;
    }
    h[i] = id;
    hk[i] = k;
    pos[id] = i;
  }

  private down(i: number, id: number, k: number): void {
    const h = this.heap;
    const hk = this.hk;
    const pos = this.pos;
    const n = h.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ck = hk[c];
      const r = c + 1;
      if (r < n) {
        const rk = hk[r];
        if (rk < ck || (rk === ck && h[r] < h[c])) {
          c = r;
          ck = rk;
        }
      }
      if (k < ck || (k === ck && id < h[c])) break;
      h[i] = h[c];
      hk[i] = ck;
      pos[h[i]] = i;
      i = c;
    }
    h[i] = id;
    hk[i] = k;
    pos[id] = i;
  }
}

/** Min-heap of (time, payload) timers; equal times pop in insertion order. */
export class TimerHeap {
  private time = new Float64Array(64);
  private seq = new Float64Array(64);
  private payload = new Int32Array(64);
  private counter = 0;
  size = 0;

  get topTime(): number {
    return this.size > 0 ? this.time[0] : Infinity;
  }

  private less(i: number, j: number): boolean {
    return this.time[i] < this.time[j] || (this.time[i] === this.time[j] && this.seq[i] < this.seq[j]);
  }

  push(time: number, payload: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    const s = this.counter++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[p] < time || (this.time[p] === time && this.seq[p] < s)) break;
      this.time[i] = this.time[p];
      this.seq[i] = this.seq[p];
      this.payload[i] = this.payload[p];
      i = p;
    }
    this.time[i] = time;
    this.seq[i] = s;
    this.payload[i] = payload;
  }

  /** Removes the earliest timer and returns its payload (size > 0). */
  pop(): number {
    const top = this.payload[0];
    const n = --this.size;
    const t = this.time[n];
    const s = this.seq[n];
    const p = this.payload[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(c + 1, c)) c++;
      if (this.time[c] > t || (this.time[c] === t && this.seq[c] > s)) break;
      this.time[i] = this.time[c];
      this.seq[i] = this.seq[c];
      this.payload[i] = this.payload[c];
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.payload[i] = p;
    return top;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    const seq = new Float64Array(n);
    const payload = new Int32Array(n);
    time.set(this.time);
    seq.set(this.seq);
    payload.set(this.payload);
    this.time = time;
    this.seq = seq;
    this.payload = payload;
  }
}
