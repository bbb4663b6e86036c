// The rules of one cfs_rq that the flat CFS (fair.ts) and the two-level CFS
// (groupFair.ts) share (kernel/sched/fair.c before EEVDF): update_curr of an
// entity, update_min_vruntime, place_entity for a wakeup, pick_next_entity with
// the skip and next buddies, wakeup_gran and check_preempt_tick. The subclass
// numbers the entities and cfs_rqs: in the flat scheduler an entity is a task
// and a cfs_rq a CPU; in the two-level one group entities and group cfs_rqs
// follow. Every weight is a nice-0 task's in the flat scheduler, so there its
// scaling by weight is exact (× 1024 / 1024).

import type { SimParams } from './params';

/** A nice-0 task's weight, and a task group's default cpu.shares. */
export const NICE_0_LOAD = 1024;

export abstract class CfsRunqueues {
  /** vruntime, weight, sum_exec_runtime, prev_sum_exec_runtime, exec_start and on_rq of each entity. */
  readonly vr: Float64Array;
  readonly weight: Float64Array;
  protected readonly eSum: Float64Array;
  protected readonly ePrev: Float64Array;
  protected readonly eStart: Float64Array;
  protected readonly eOnRq: Uint8Array;

  /** Each cfs_rq's queued entities (not its running one), its running entity (-1: none), min_vruntime and buddies. */
  protected readonly cfsQueue: number[][];
  protected readonly cfsCurr: Int32Array;
  readonly minVr: Float64Array;
  protected readonly skip: Int32Array;
  protected readonly next: Int32Array;

  protected readonly latency: number;
  protected readonly minGran: number;
  protected readonly wakeupGran: number;
  protected readonly nrLatency: number;

  constructor(entities: number, queues: number, params: SimParams) {
    this.vr = new Float64Array(entities);
    this.weight = new Float64Array(entities).fill(NICE_0_LOAD);
    this.eSum = new Float64Array(entities);
    this.ePrev = new Float64Array(entities);
    this.eStart = new Float64Array(entities);
    this.eOnRq = new Uint8Array(entities);
    this.cfsQueue = Array.from({ length: queues }, () => []);
    this.cfsCurr = new Int32Array(queues).fill(-1);
    this.minVr = new Float64Array(queues);
    this.skip = new Int32Array(queues).fill(-1);
    this.next = new Int32Array(queues).fill(-1);
    this.latency = params.sched.latencyNs;
    this.minGran = params.sched.minGranularityNs;
    this.wakeupGran = params.sched.wakeupGranularityNs;
    this.nrLatency = params.sched.nrLatency;
  }

  /** Whether pick_next_entity may take e (gang: a task off its VM's turn is not). */
  protected abstract entityEligible(e: number): boolean;

  /** clear_buddies(cfs_rq_of(e), e). */
  protected abstract clearBuddies(e: number): void;

  /** sched_slice(cfs_rq_of(e), e). */
  protected abstract sliceOf(e: number): number;

  /** update_curr of one entity: its run time up to `now`, and its vruntime by its weight (calc_delta_fair). */
  protected charge(e: number, now: number): void {
    const d = now - this.eStart[e];
    if (d > 0) {
      this.eSum[e] += d;
      this.vr[e] += (d * NICE_0_LOAD) / this.weight[e];
      this.eStart[e] = now;
    }
  }

  /** update_min_vruntime of cfs_rq q: it never goes back. */
  protected updateMin(q: number): void {
    const c = this.cfsCurr[q];
    let m = c >= 0 ? this.vr[c] : Infinity;
    const list = this.cfsQueue[q];
    for (let i = 0; i < list.length; i++) if (this.vr[list[i]] < m) m = this.vr[list[i]];
    if (m !== Infinity && m > this.minVr[q]) this.minVr[q] = m;
  }

  /** place_entity of a woken entity on cfs_rq q: max(vruntime, min_vruntime − latency / 2) (GENTLE_FAIR_SLEEPERS). */
  protected placeWoken(e: number, q: number): void {
    const floor = this.minVr[q] - this.latency / 2;
    if (this.vr[e] < floor) this.vr[e] = floor;
  }

  /** __sched_period: the scheduling period for nr runnable entities. */
  protected period(nr: number): number {
    return nr > this.nrLatency ? nr * this.minGran : this.latency;
  }

  /** wakeup_gran: wakeup_granularity in the vruntime of entity `e`. */
  protected gran(e: number): number {
    return (this.wakeupGran * NICE_0_LOAD) / this.weight[e];
  }

  /** The leftmost eligible queued entity of cfs_rq q, -1 if none. */
  protected leftmost(q: number): number {
    const list = this.cfsQueue[q];
    let best = -1;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if ((best < 0 || this.vr[e] < this.vr[best]) && this.entityEligible(e)) best = e;
    }
    return best;
  }

  /** pick_next_entity of cfs_rq q: the leftmost, the second instead of a skip buddy, the next buddy, if not unfair. */
  protected pickEntity(q: number): number {
    const list = this.cfsQueue[q];
    let left = -1;
    let second = -1;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (!this.entityEligible(e)) continue;
      if (left < 0 || this.vr[e] < this.vr[left]) {
        second = left;
        left = e;
      } else if (second < 0 || this.vr[e] < this.vr[second]) second = e;
    }
    if (left < 0) return -1;
    let se = left;
    if (this.skip[q] === left && second >= 0 && this.notUnfair(second, left)) se = second;
    const nb = this.next[q];
    if (nb >= 0 && this.eOnRq[nb] && this.entityEligible(nb) && this.notUnfair(nb, left)) se = nb;
    return se;
  }

  /** wakeup_preempt_entity(a, left) < 1: a is at most wakeup_gran right of the leftmost. */
  private notUnfair(a: number, left: number): boolean {
    return this.vr[a] - this.vr[left] <= this.gran(left);
  }

  /**
   * check_preempt_tick(cfs_rq q, its running entity e): e has run its slice, or
   * (after min_granularity) is more than a slice right of the leftmost.
   */
  protected checkPreemptTick(q: number, e: number): boolean {
    const left = this.leftmost(q);
    if (left < 0) return false;
    const ideal = this.sliceOf(e);
    const ran = this.eSum[e] - this.ePrev[e];
    if (ran > ideal) {
      this.clearBuddies(e);
      return true;
    }
    if (ran < this.minGran) return false;
    return this.vr[e] - this.vr[left] > ideal;
  }
}

/** Remove `t` from an unordered list (swap with the last). */
export function removeFrom(list: number[], t: number): void {
  const i = list.indexOf(t);
  if (i < 0) return;
  list[i] = list[list.length - 1];
  list.pop();
}
