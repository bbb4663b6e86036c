// A fair scheduler in the spirit of CFS before EEVDF (Linux 2.6.23 – 6.5,
// kernel/sched/fair.c), one runqueue per CPU, every task nice 0:
//  - vruntime advances with CPU time; the leftmost (smallest) runs next;
//  - a woken task is placed at max(its vruntime, min_vruntime - latency/2)
//    (GENTLE_FAIR_SLEEPERS) and preempts the running task when it is more than
//    wakeup_granularity behind it (check_preempt_wakeup);
//  - at a tick the running task is preempted once it has run its slice,
//    period / nr_running with period = max(latency, nr_running × min_granularity),
//    or is more than a slice ahead of the leftmost after min_granularity
//    (check_preempt_tick);
//  - yield() marks the task a skip buddy, yield_to() marks the target the
//    next buddy of its runqueue: pick_next_entity honours both as long as the
//    buddy is at most wakeup_granularity right of the leftmost;
//  - migration keeps a task's lag: vruntime - min_vruntime of the old queue
//    plus min_vruntime of the new one.
// A task may be made ineligible (gang: another VM's turn on this CPU): it stays
// queued, keeps its vruntime and is never picked.

import type { HostScheduler } from './hostScheduler';
import type { SimParams } from './params';

export class FairScheduler implements HostScheduler {
  readonly vr: Float64Array;
  readonly sumExec: Float64Array;
  readonly prevSumExec: Float64Array;
  readonly execStart: Float64Array;
  /** When the task last stopped running (cache hotness). */
  readonly lastRan: Float64Array;
  /** The task's CPU (for a sleeping task, the CPU it last ran on). */
  readonly rq: Int32Array;
  /** Runnable: queued or running. */
  readonly onRq: Uint8Array;
  readonly eligible: Uint8Array;

  readonly curr: Int32Array;
  /** Runnable tasks of each CPU that are not running. */
  readonly queue: number[][];
  readonly minVr: Float64Array;
  readonly skip: Int32Array;
  readonly next: Int32Array;

  private readonly latency: number;
  private readonly minGran: number;
  private readonly wakeupGran: number;
  private readonly nrLatency: number;

  constructor(cpus: number, tasks: number, params: SimParams) {
    this.vr = new Float64Array(tasks);
    this.sumExec = new Float64Array(tasks);
    this.prevSumExec = new Float64Array(tasks);
    this.execStart = new Float64Array(tasks);
    this.lastRan = new Float64Array(tasks).fill(-Infinity);
    this.rq = new Int32Array(tasks);
    this.onRq = new Uint8Array(tasks);
    this.eligible = new Uint8Array(tasks).fill(1);
    this.curr = new Int32Array(cpus).fill(-1);
    this.queue = Array.from({ length: cpus }, () => []);
    this.minVr = new Float64Array(cpus);
    this.skip = new Int32Array(cpus).fill(-1);
    this.next = new Int32Array(cpus).fill(-1);
    this.latency = params.sched.latencyNs;
    this.minGran = params.sched.minGranularityNs;
    this.wakeupGran = params.sched.wakeupGranularityNs;
    this.nrLatency = params.sched.nrLatency;
  }

  nrRunning(cpu: number): number {
    return this.queue[cpu].length + (this.curr[cpu] >= 0 ? 1 : 0);
  }

  /** update_curr: charge the running task for its time up to `now`. */
  update(cpu: number, now: number): void {
    const t = this.curr[cpu];
    if (t < 0) return;
    const d = now - this.execStart[t];
    if (d > 0) {
      this.sumExec[t] += d;
      this.vr[t] += d;
      this.execStart[t] = now;
    }
    this.updateMin(cpu);
  }

  private updateMin(cpu: number): void {
    const t = this.curr[cpu];
    let m = t >= 0 ? this.vr[t] : Infinity;
    const q = this.queue[cpu];
    for (let i = 0; i < q.length; i++) if (this.vr[q[i]] < m) m = this.vr[q[i]];
    if (m !== Infinity && m > this.minVr[cpu]) this.minVr[cpu] = m;
  }

  /** Place a task on `cpu` at the start, `lag` right of the queue's min_vruntime. */
  initial(t: number, cpu: number, lag: number): void {
    this.rq[t] = cpu;
    this.vr[t] = this.minVr[cpu] + lag;
  }

  enqueueInitial(t: number): void {
    this.onRq[t] = 1;
    this.queue[this.rq[t]].push(t);
  }

  /** A sleeping task becomes runnable on `cpu` (its rq must already be cpu). */
  enqueueWakeup(t: number, cpu: number): void {
    const floor = this.minVr[cpu] - this.latency / 2;
    if (this.vr[t] < floor) this.vr[t] = floor;
    this.onRq[t] = 1;
    this.queue[cpu].push(t);
  }

  /** Move a task's CPU (queued or sleeping, never running), keeping its lag. */
  migrate(t: number, dest: number): void {
    const src = this.rq[t];
    if (src === dest) return;
    this.vr[t] += this.minVr[dest] - this.minVr[src];
    this.clearBuddies(src, t);
    if (this.onRq[t]) {
      removeFrom(this.queue[src], t);
      this.queue[dest].push(t);
    }
    this.rq[t] = dest;
  }

  /** Nothing per jiffy: there are no group shares to update. */
  tick(): void {}

  setNextBuddy(t: number): void {
    this.next[this.rq[t]] = t;
  }

  private clearBuddies(cpu: number, t: number): void {
    if (this.skip[cpu] === t) this.skip[cpu] = -1;
    if (this.next[cpu] === t) this.next[cpu] = -1;
  }

  private period(nr: number): number {
    return schedPeriod(nr, this.latency, this.minGran, this.nrLatency);
  }

  /** The slice of one task on `cpu` (sched_slice: equal weights). */
  slice(cpu: number): number {
    const nr = this.eligibleCount(cpu);
    return this.period(nr) / Math.max(1, nr);
  }

  private eligibleCount(cpu: number): number {
    let n = this.curr[cpu] >= 0 && this.eligible[this.curr[cpu]] ? 1 : 0;
    const q = this.queue[cpu];
    for (let i = 0; i < q.length; i++) n += this.eligible[q[i]];
    return n;
  }

  /** The leftmost eligible queued task, -1 if none. */
  private leftmost(cpu: number): number {
    const q = this.queue[cpu];
    let best = -1;
    for (let i = 0; i < q.length; i++) {
      const t = q[i];
      if (this.eligible[t] && (best < 0 || this.vr[t] < this.vr[best])) best = t;
    }
    return best;
  }

  /** check_preempt_tick (call after update). */
  tickPreempts(cpu: number): boolean {
    const t = this.curr[cpu];
    if (t < 0) return false;
    if (!this.eligible[t]) return true;
    const left = this.leftmost(cpu);
    if (left < 0) return false;
    const ideal = this.slice(cpu);
    const ran = this.sumExec[t] - this.prevSumExec[t];
    if (ran > ideal) {
      this.clearBuddies(cpu, t);
      return true;
    }
    if (ran < this.minGran) return false;
    return this.vr[t] - this.vr[left] > ideal;
  }

  /** check_preempt_wakeup: does woken `t` preempt the running task of `cpu` (call after update)? */
  wakeupPreempts(cpu: number, t: number): boolean {
    const c = this.curr[cpu];
    if (c < 0) return this.eligible[t] === 1;
    if (!this.eligible[t]) return false;
    return this.vr[c] - this.vr[t] > this.wakeupGran;
  }

  /** yield_task_fair: the running task becomes the skip buddy (not when it is alone). */
  yieldCurr(cpu: number): void {
    const t = this.curr[cpu];
    if (t < 0 || this.queue[cpu].length === 0) return;
    if (this.next[cpu] === t) this.next[cpu] = -1;
    this.skip[cpu] = t;
  }

  /**
   * __schedule on `cpu` at `now`: the running task goes back to the queue
   * (runnable) or leaves it (sleeps); the next one is picked and made current.
   * Returns the new current task, -1 for idle.
   */
  schedule(cpu: number, now: number, prevRunnable: boolean): number {
    this.update(cpu, now);
    const prev = this.curr[cpu];
    if (prev >= 0) {
      this.lastRan[prev] = now;
      if (prevRunnable) this.queue[cpu].push(prev);
      else {
        this.onRq[prev] = 0;
        this.clearBuddies(cpu, prev);
      }
      this.curr[cpu] = -1;
    }
    const next = this.pick(cpu);
    if (next >= 0) {
      removeFrom(this.queue[cpu], next);
      this.clearBuddies(cpu, next);
      this.curr[cpu] = next;
      this.prevSumExec[next] = this.sumExec[next];
      this.execStart[next] = now;
    }
    this.updateMin(cpu);
    return next;
  }

  /** pick_next_entity with the skip and next buddies (every candidate is queued here). */
  private pick(cpu: number): number {
    const q = this.queue[cpu];
    let left = -1;
    let second = -1;
    for (let i = 0; i < q.length; i++) {
      const t = q[i];
      if (!this.eligible[t]) continue;
      if (left < 0 || this.vr[t] < this.vr[left]) {
        second = left;
        left = t;
      } else if (second < 0 || this.vr[t] < this.vr[second]) second = t;
    }
    if (left < 0) return -1;
    let se = left;
    if (this.skip[cpu] === left && second >= 0 && this.notUnfair(second, left)) se = second;
    const nb = this.next[cpu];
    if (nb >= 0 && this.onRq[nb] && this.eligible[nb] && this.rq[nb] === cpu && this.notUnfair(nb, left)) se = nb;
    return se;
  }

  /** wakeup_preempt_entity(a, left) < 1: a is at most wakeup_granularity right of the leftmost. */
  private notUnfair(a: number, left: number): boolean {
    return this.vr[a] - this.vr[left] <= this.wakeupGran;
  }
}

/** Remove `t` from an unordered list (swap with the last). */
export function removeFrom(list: number[], t: number): void {
  const i = list.indexOf(t);
  if (i < 0) return;
  list[i] = list[list.length - 1];
  list.pop();
}

/** __sched_period: the scheduling period for nr runnable entities. */
export function schedPeriod(nr: number, latency: number, minGran: number, nrLatency: number): number {
  return nr > nrLatency ? nr * minGran : latency;
}
