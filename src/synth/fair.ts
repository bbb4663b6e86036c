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

import { CfsRunqueues, removeFrom } from './cfsRunqueue';
import type { HostScheduler } from './hostScheduler';
import type { SimParams } from './params';

/** A task is its own entity, and each CPU's runqueue its one cfs_rq (same number as the CPU). */
export class FairScheduler extends CfsRunqueues implements HostScheduler {
  readonly sumExec: Float64Array;
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

  constructor(cpus: number, tasks: number, params: SimParams) {
    super(tasks, cpus, params);
    this.sumExec = this.eSum;
    this.execStart = this.eStart;
    this.onRq = this.eOnRq;
    this.curr = this.cfsCurr;
    this.queue = this.cfsQueue;
    this.lastRan = new Float64Array(tasks).fill(-Infinity);
    this.rq = new Int32Array(tasks);
    this.eligible = new Uint8Array(tasks).fill(1);
  }

  nrRunning(cpu: number): number {
    return this.queue[cpu].length + (this.curr[cpu] >= 0 ? 1 : 0);
  }

  /** update_curr: charge the running task for its time up to `now`. */
  update(cpu: number, now: number): void {
    const t = this.curr[cpu];
    if (t < 0) return;
    this.charge(t, now);
    this.updateMin(cpu);
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
    this.placeWoken(t, cpu);
    this.onRq[t] = 1;
    this.queue[cpu].push(t);
  }

  /** Move a task's CPU (queued or sleeping, never running), keeping its lag. */
  migrate(t: number, dest: number): void {
    const src = this.rq[t];
    if (src === dest) return;
    this.vr[t] += this.minVr[dest] - this.minVr[src];
    this.clearBuddies(t);
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

  protected clearBuddies(t: number): void {
    const cpu = this.rq[t];
    if (this.skip[cpu] === t) this.skip[cpu] = -1;
    if (this.next[cpu] === t) this.next[cpu] = -1;
  }

  protected entityEligible(t: number): boolean {
    return this.eligible[t] === 1;
  }

  /** sched_slice of a task on its CPU: equal weights, so the period over the eligible count. */
  protected sliceOf(t: number): number {
    const nr = this.eligibleCount(this.rq[t]);
    return this.period(nr) / Math.max(1, nr);
  }

  private eligibleCount(cpu: number): number {
    let n = this.curr[cpu] >= 0 && this.eligible[this.curr[cpu]] ? 1 : 0;
    const q = this.queue[cpu];
    for (let i = 0; i < q.length; i++) n += this.eligible[q[i]];
    return n;
  }

  /** check_preempt_tick (call after update). */
  tickPreempts(cpu: number): boolean {
    const t = this.curr[cpu];
    if (t < 0) return false;
    if (!this.eligible[t]) return true;
    return this.checkPreemptTick(cpu, t);
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
        this.clearBuddies(prev);
      }
      this.curr[cpu] = -1;
    }
    // A next buddy is always queued on its own CPU: migrate clears it.
    const next = this.pickEntity(cpu);
    if (next >= 0) {
      removeFrom(this.queue[cpu], next);
      this.clearBuddies(next);
      this.curr[cpu] = next;
      this.ePrev[next] = this.sumExec[next];
      this.execStart[next] = now;
    }
    this.updateMin(cpu);
    return next;
  }
}
