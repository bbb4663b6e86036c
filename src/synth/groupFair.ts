// CFS with task groups (CONFIG_FAIR_GROUP_SCHED, kernel/sched/fair.c of Linux
// 3.x – 6.5, before EEVDF) as libvirt sets a KVM host up: each VM's QEMU
// process (vCPU threads, main loop, I/O and vhost threads) in its own cgroup
// with cpu.shares 1024, every other task at the root. Two levels:
//  - per CPU a root cfs_rq, holding the host's own tasks and one group entity
//    per VM with runnable threads there; each group entity owns a cfs_rq of
//    that VM's tasks on that CPU;
//  - a group entity weighs its group's shares split by the group's load on
//    this CPU against its load on all CPUs (calc_cfs_shares): 1024 × w_c /
//    (Σ others' published load + w_c), clamped to [MIN_SHARES, 1024];
//  - vruntime advances by delta × 1024 / weight at each level (calc_delta_fair);
//    the wakeup granularity is scaled by the weight of the entity it is
//    compared for (wakeup_gran);
//  - pick_next_task_fair picks an entity per level from the root down (skip
//    and next buddies honoured at each level as pick_next_entity does); yield()
//    and yield_to() set the skip / next buddies along the hierarchy
//    (set_skip_buddy, set_next_buddy), clear_buddies clears them upward;
//  - check_preempt_tick runs at every level with more than one entity, with
//    sched_slice computed down the hierarchy (period of that level's count,
//    times weight / load at each level up to the root);
//  - wakeup preemption compares the entities of the woken and the running
//    task at the first level they share (find_matching_se);
//  - an entity that becomes runnable is placed at its level (place_entity:
//    max(vruntime, min_vruntime − latency / 2), unscaled by weight), a group
//    entity too when its first task arrives, even by migration.
// How lazily shares follow load: each CPU's own load is read as it is at every
// enqueue, dequeue and tick of its group's entities (update_cfs_shares uses
// cfs_rq->load.weight), the other CPUs' loads as they were at the last tick
// (the kernel publishes a time average, load_contribution in 3.2 – 3.7,
// tg_load_contrib in 3.8+, that moves with the runnable load over a window of
// ms; a vCPU is runnable whenever it spins, so only halts and QEMU's helper
// threads move it). Entities of queued groups are reweighted when one of
// their tasks is enqueued or dequeued, the running path at each tick
// (entity_tick), as the kernel does.

import { CfsRunqueues, NICE_0_LOAD, removeFrom } from './cfsRunqueue';
import type { HostScheduler } from './hostScheduler';
import type { SimParams } from './params';

const MIN_SHARES = 2;

/**
 * Entities: tasks 0..T-1, then the group entity of group g on CPU c at T + g·P + c.
 * cfs_rqs: the root of CPU c at c, group g's on CPU c at P + g·P + c (the one its group entity owns).
 */
export class GroupFairScheduler extends CfsRunqueues implements HostScheduler {
  readonly sumExec: Float64Array;
  readonly execStart: Float64Array;
  readonly lastRan: Float64Array;
  readonly rq: Int32Array;
  readonly onRq: Uint8Array;
  readonly eligible: Uint8Array;
  readonly curr: Int32Array;
  readonly queue: number[][];

  /** Group of each task, -1 at the root. */
  private readonly group: Int32Array;
  private readonly groupEntityPlaced: Uint8Array;

  /** load.weight: the weights of the cfs_rq's entities, the running one included. */
  readonly load: Float64Array;
  /** Each group's load on each CPU as last published (at a tick), and their sum per group (tg->load_weight). */
  private readonly contrib: Float64Array;
  private readonly tgLoad: Float64Array;

  private readonly P: number;
  private readonly T: number;

  /** `vmOfTask[t]`: the group (VM) of each task, -1 for root tasks. */
  constructor(cpus: number, vmOfTask: readonly number[], groups: number, params: SimParams) {
    const P = cpus;
    const T = vmOfTask.length;
    const Q = P + groups * P;
    super(T + groups * P, Q, params);
    this.P = P;
    this.T = T;
    this.sumExec = this.eSum.subarray(0, T);
    this.execStart = this.eStart.subarray(0, T);
    this.onRq = this.eOnRq.subarray(0, T);
    this.lastRan = new Float64Array(T).fill(-Infinity);
    this.rq = new Int32Array(T);
    this.eligible = new Uint8Array(T).fill(1);
    this.group = Int32Array.from(vmOfTask);
    this.groupEntityPlaced = new Uint8Array(groups * P);
    this.curr = new Int32Array(P).fill(-1);
    this.queue = Array.from({ length: P }, () => []);
    this.load = new Float64Array(Q);
    this.contrib = new Float64Array(groups * P);
    this.tgLoad = new Float64Array(groups);
  }

  // ---- the hierarchy ----

  /** The group entity of group g on CPU c. */
  groupEntity(g: number, c: number): number {
    return this.T + g * this.P + c;
  }

  /** cfs_rq_of(e). */
  cfsOf(e: number): number {
    if (e >= this.T) return (e - this.T) % this.P;
    const g = this.group[e];
    return g < 0 ? this.rq[e] : this.P + g * this.P + this.rq[e];
  }

  /** parent_entity(e): a task's group entity on its CPU, -1 at the root. */
  private parentOf(e: number): number {
    if (e >= this.T) return -1;
    const g = this.group[e];
    return g < 0 ? -1 : this.T + g * this.P + this.rq[e];
  }

  /** group_cfs_rq(se) of a group entity. */
  private ownQueue(ge: number): number {
    return this.P + (ge - this.T);
  }

  private depth(e: number): number {
    return e < this.T && this.group[e] >= 0 ? 2 : 1;
  }

  /** A task picked only when eligible (gang); a group entity when one of its entities is. */
  protected entityEligible(e: number): boolean {
    if (e < this.T) return this.eligible[e] === 1;
    const q = this.ownQueue(e);
    const c = this.cfsCurr[q];
    if (c >= 0 && this.eOnRq[c] && this.entityEligible(c)) return true;
    const list = this.cfsQueue[q];
    for (let i = 0; i < list.length; i++) if (this.entityEligible(list[i])) return true;
    return false;
  }

  nrRunning(cpu: number): number {
    return this.queue[cpu].length + (this.curr[cpu] >= 0 ? 1 : 0);
  }

  // ---- time ----

  update(cpu: number, now: number): void {
    for (let e = this.curr[cpu]; e >= 0; e = this.parentOf(e)) {
      this.charge(e, now);
      this.updateMin(this.cfsOf(e));
    }
  }

  // ---- shares ----

  /** Publish every group's load on every CPU (at each tick: the other CPUs' view of it). */
  tick(): void {
    const P = this.P;
    for (let g = 0; g < this.tgLoad.length; g++) {
      let sum = 0;
      for (let c = 0; c < P; c++) {
        const w = this.load[P + g * P + c];
        this.contrib[g * P + c] = w;
        sum += w;
      }
      this.tgLoad[g] = sum;
    }
  }

  /** update_cfs_shares of cfs_rq q: reweight the group entity that owns it (the caller charged the running time). */
  private updateShares(q: number): void {
    if (q < this.P) return;
    const i = q - this.P;
    const g = Math.floor(i / this.P);
    const ge = this.T + i;
    const w = this.load[q];
    const tgWeight = this.tgLoad[g] - this.contrib[i] + w;
    let shares = tgWeight > 0 ? Math.floor((NICE_0_LOAD * w) / tgWeight) : NICE_0_LOAD * w;
    if (shares < MIN_SHARES) shares = MIN_SHARES;
    if (shares > NICE_0_LOAD) shares = NICE_0_LOAD;
    if (this.eOnRq[ge]) this.load[this.cfsOf(ge)] += shares - this.weight[ge];
    this.weight[ge] = shares;
  }

  // ---- enqueue, dequeue ----

  /** enqueue_task_fair: the task, then each level whose entity was not runnable (placed as a wakeup). */
  private enqueue(t: number, wakeup: boolean): void {
    let e = t;
    let placeIt = wakeup;
    for (; e >= 0; e = this.parentOf(e)) {
      if (this.eOnRq[e]) break;
      const q = this.cfsOf(e);
      if (placeIt) this.placeWoken(e, q);
      this.cfsQueue[q].push(e);
      this.eOnRq[e] = 1;
      this.load[q] += this.weight[e];
      this.updateShares(q);
      placeIt = true;
    }
    for (; e >= 0; e = this.parentOf(e)) this.updateShares(this.cfsOf(e));
  }

  /**
   * dequeue_task_fair: the task, and each group entity whose cfs_rq it leaves
   * empty (the running entity stays its cfs_rq's curr until put back). A task
   * going to sleep from a group that keeps other entities makes the group
   * entity the next buddy above it ("bias pick_next to pick a task from this
   * cfs_rq", Linux 3.2+).
   */
  private dequeue(t: number, sleep: boolean): void {
    let e = t;
    for (; e >= 0; e = this.parentOf(e)) {
      const q = this.cfsOf(e);
      this.clearBuddies(e);
      if (this.cfsCurr[q] !== e) removeFrom(this.cfsQueue[q], e);
      this.eOnRq[e] = 0;
      this.load[q] -= this.weight[e];
      this.updateMin(q);
      this.updateShares(q);
      if (this.load[q] > 0) {
        e = this.parentOf(e);
        if (sleep && e >= 0) this.setNextBuddy(e);
        break;
      }
    }
    for (; e >= 0; e = this.parentOf(e)) this.updateShares(this.cfsOf(e));
  }

  initial(t: number, cpu: number, lag: number): void {
    this.rq[t] = cpu;
    this.vr[t] = this.minVr[this.cfsOf(t)] + lag;
    const g = this.group[t];
    if (g >= 0 && !this.groupEntityPlaced[g * this.P + cpu]) {
      // The VM's place in its CPU's fair order: its first thread's.
      this.groupEntityPlaced[g * this.P + cpu] = 1;
      this.vr[this.groupEntity(g, cpu)] = this.minVr[cpu] + lag;
    }
  }

  enqueueInitial(t: number): void {
    this.queue[this.rq[t]].push(t);
    this.enqueue(t, false);
  }

  enqueueWakeup(t: number, cpu: number): void {
    this.queue[cpu].push(t);
    this.enqueue(t, true);
  }

  migrate(t: number, dest: number, now: number): void {
    const src = this.rq[t];
    if (src === dest) return;
    if (!this.eOnRq[t]) {
      // Asleep: task_waking_fair's vruntime − min_vruntime of the old cfs_rq, plus the new one's.
      const before = this.minVr[this.cfsOf(t)];
      this.rq[t] = dest;
      this.vr[t] += this.minVr[this.cfsOf(t)] - before;
      return;
    }
    this.update(src, now);
    this.update(dest, now);
    const before = this.minVr[this.cfsOf(t)];
    this.dequeue(t, false);
    removeFrom(this.queue[src], t);
    this.rq[t] = dest;
    this.vr[t] += this.minVr[this.cfsOf(t)] - before;
    this.queue[dest].push(t);
    this.enqueue(t, false);
  }

  // ---- buddies ----

  /** clear_buddies(cfs_rq_of(e), e): each buddy that is e, and upward while the parent's is its parent. */
  protected clearBuddies(e: number): void {
    for (const buddy of [this.next, this.skip]) {
      for (let s = e; s >= 0; s = this.parentOf(s)) {
        const q = this.cfsOf(s);
        if (buddy[q] !== s) break;
        buddy[q] = -1;
      }
    }
  }

  yieldCurr(cpu: number): void {
    const t = this.curr[cpu];
    if (t < 0 || this.queue[cpu].length === 0) return;
    this.clearBuddies(t);
    for (let e = t; e >= 0; e = this.parentOf(e)) this.skip[this.cfsOf(e)] = e;
  }

  setNextBuddy(t: number): void {
    for (let e = t; e >= 0; e = this.parentOf(e)) this.next[this.cfsOf(e)] = e;
  }

  // ---- preemption ----

  /** Eligible entities of cfs_rq q (the running one included), and their weight. */
  private eligibleCount(q: number): number {
    const c = this.cfsCurr[q];
    let n = c >= 0 && this.eOnRq[c] && this.entityEligible(c) ? 1 : 0;
    const list = this.cfsQueue[q];
    for (let i = 0; i < list.length; i++) if (this.entityEligible(list[i])) n++;
    return n;
  }

  private eligibleLoad(q: number): number {
    const c = this.cfsCurr[q];
    let w = c >= 0 && this.eOnRq[c] && this.entityEligible(c) ? this.weight[c] : 0;
    const list = this.cfsQueue[q];
    for (let i = 0; i < list.length; i++) if (this.entityEligible(list[i])) w += this.weight[list[i]];
    return w;
  }

  /** sched_slice(cfs_rq_of(e), e): the period of e's level, scaled by weight / load at each level up to the root (public for the tests). */
  sliceOf(e: number): number {
    let slice = this.period(this.eligibleCount(this.cfsOf(e)));
    for (let s = e; s >= 0; s = this.parentOf(s)) {
      const load = this.eligibleLoad(this.cfsOf(s));
      if (load > 0) slice = (slice * this.weight[s]) / load;
    }
    return slice;
  }

  /** task_tick_fair: entity_tick at each level of the running task (shares, then check_preempt_tick where there is company). */
  tickPreempts(cpu: number): boolean {
    const t = this.curr[cpu];
    if (t < 0) return false;
    if (!this.eligible[t]) return true;
    let resched = false;
    for (let e = t; e >= 0; e = this.parentOf(e)) {
      const q = this.cfsOf(e);
      this.updateShares(q);
      if (this.eligibleCount(q) > 1 && this.checkPreemptTick(q, e)) resched = true;
    }
    return resched;
  }

  wakeupPreempts(cpu: number, t: number): boolean {
    const c = this.curr[cpu];
    if (c < 0) return this.eligible[t] === 1;
    if (!this.eligible[t] || c === t) return false;
    // find_matching_se: walk both up to the first cfs_rq they share.
    let se = c;
    let pse = t;
    let ds = this.depth(se);
    let dp = this.depth(pse);
    while (ds > dp) {
      se = this.parentOf(se);
      ds--;
    }
    while (dp > ds) {
      pse = this.parentOf(pse);
      dp--;
    }
    while (this.cfsOf(se) !== this.cfsOf(pse)) {
      se = this.parentOf(se);
      pse = this.parentOf(pse);
    }
    return this.vr[se] - this.vr[pse] > this.gran(pse);
  }

  // ---- schedule ----

  schedule(cpu: number, now: number, prevRunnable: boolean): number {
    this.update(cpu, now);
    const prev = this.curr[cpu];
    if (prev >= 0) {
      this.lastRan[prev] = now;
      if (prevRunnable) this.queue[cpu].push(prev);
      else this.dequeue(prev, true);
      // put_prev_task_fair: every level's running entity goes back to its queue if still runnable.
      for (let e = prev; e >= 0; e = this.parentOf(e)) {
        const q = this.cfsOf(e);
        if (this.cfsCurr[q] !== e) continue;
        this.cfsCurr[q] = -1;
        if (this.eOnRq[e]) this.cfsQueue[q].push(e);
      }
      this.curr[cpu] = -1;
    }
    // pick_next_task_fair: an entity per level from the root down.
    let q = cpu;
    let next = -1;
    for (;;) {
      const se = this.pickEntity(q);
      if (se < 0) break;
      this.clearBuddies(se);
      removeFrom(this.cfsQueue[q], se);
      this.cfsCurr[q] = se;
      this.ePrev[se] = this.eSum[se];
      this.eStart[se] = now;
      this.updateMin(q);
      if (se < this.T) {
        next = se;
        break;
      }
      q = this.ownQueue(se);
    }
    if (next >= 0) {
      removeFrom(this.queue[cpu], next);
      this.curr[cpu] = next;
    }
    this.updateMin(cpu);
    return next;
  }
}
