// The discrete-event host simulation. Each host CPU is in one of four modes:
//   idle   nothing runnable;
//   guest  a vCPU thread executes guest code (work, critical section, spin);
//   host   a vCPU thread is in the host kernel (a VM exit being handled, or the
//          switch into it) until a set time, then continues as `cont` says;
//   task   a host task (kernel thread, daemon, QEMU helper) runs a burst.
// Events: the next action of each CPU (an IndexedHeap keyed by CPU), a
// reschedule request per CPU (an IPI: remote wakeup preemption, yield_to's
// resched_curr, a gang slot change), and timers (ticks, wakeups, gang slots).
// Policies differ only in: whether a PAUSE loop exits (PLE), what the exit
// handler does (kvm_vcpu_on_spin's yield_to, or throttled to once a jiffy with
// plain yield() otherwise), where tasks may run, and gang slots.

import {
  EventContext,
  ExitReason,
  GuestSite,
  INTR_INFO_RESCHED,
  INTR_INFO_TIMER,
  type HostEventSink,
  type SwitchState,
} from './events';
import { Guests, Phase, type VmStats } from './guest';
import { IndexedHeap, TimerHeap } from './heaps';
import { createScheduler, type HostScheduler } from './hostScheduler';
import { emptyHostStats, SliceHistogram, type HostStats } from './hostStats';
import type { SynthHost } from './hostModel';
import type { SimParams } from './params';
import type { Placement } from './placement';
import { expRandom, type Random } from './random';
import { TicketLocks } from './ticketLocks';

/** What a policy turns on (see schedule.ts for the named policies). */
export interface Mechanisms {
  /** A vCPU spinning ple_window cycles on PAUSE exits to the host. */
  ple: boolean;
  /** PAUSE exit handling: every exit calls kvm_vcpu_on_spin, or at most one a jiffy and yield() otherwise. */
  pleHandler: 'directed' | 'throttled';
  /** A VM's vCPUs scheduled in and out together, in slots. */
  gang: boolean;
}

const enum Mode {
  Idle = 0,
  Guest = 1,
  Host = 2,
  Task = 3,
}

const enum Cont {
  Resume = 0,
  SchedPreempted = 1,
  SchedYield = 2,
  Block = 3,
  /** In kvm_vcpu_on_spin: the next candidate (or the one whose reference was just taken). */
  OnSpin = 4,
  /** In yield_to(): both runqueue locks just acquired. */
  OnSpinLocked = 5,
  /** In __schedule: this CPU's runqueue lock just acquired (the switch's state in schedState). */
  SchedLocked = 6,
}

const SWITCH_STATES: readonly SwitchState[] = ['R', 'R+', 'S', 'D', 'I'];

const enum Timer {
  Tick = 0,
  Wake = 1,
  GangSlot = 2,
  /** End of the warm-up: what the guests did so far is not counted. */
  Recording = 3,
}

export class HostSim {
  readonly fair: HostScheduler;
  readonly guests: Guests;
  private readonly cpus: number;
  private readonly mode: Uint8Array;
  private readonly until: Float64Array;
  private readonly cont: Uint8Array;
  private readonly reschedAt: Float64Array;
  private readonly cpuHeap: IndexedHeap;
  private readonly timers = new TimerHeap();
  /** vCPU index g of a task, -1 for other tasks. */
  private readonly gOf: Int32Array;
  private readonly taskOfG: Int32Array;
  private readonly burstRem: Float64Array;
  private readonly inSpinLoop: Uint8Array;
  private readonly dyEligible: Uint8Array;
  private readonly lastYieldToJiffy: Float64Array;
  private readonly lastBoosted: Int32Array;
  /** The runqueues' locks (ticket spinlocks): yield_to()'s double_rq_lock and __schedule queue on them in turn. */
  private readonly rqLocks: TicketLocks;
  /** The switch state of a schedule() waiting for its runqueue's lock (an index into SWITCH_STATES). */
  private readonly schedState: Uint8Array;
  /** Guest lock acquisitions of the vCPU running on each CPU when it was switched in. */
  private readonly acquiredAtStart: Float64Array;
  private readonly gangActive: Int32Array;
  private readonly gangSlotNs: number;
  private readonly busyBalanceJiffies: number;
  private jiffy = 0;
  /** Per CPU, the PAUSE exit handler in progress: last boosted index read on entry, steps done, -ESRCH tries left, yield_to()s tried, a reschedule seen, the candidate, the target's runqueue. */
  private readonly hLast: Int32Array;
  private readonly hStep: Int32Array;
  private readonly hTries: Int32Array;
  private readonly hTried: Int32Array;
  private readonly hResched: Uint8Array;
  private readonly hCand: Int32Array;
  private readonly hLockRq: Int32Array;
  /** The handler in progress began inside the recorded window (its outcome is counted). */
  private readonly hCounted: Uint8Array;
  /** What the host did since the recording started (CPU time is filled in at the end). */
  private hs: HostStats = emptyHostStats();
  private readonly slices = new SliceHistogram();
  /** When the running vCPU thread of each CPU was switched in. */
  private readonly sliceStart: Float64Array;
  /** Start of the recorded window, and the CPU time each task had used by then. */
  private recordFrom = 0;
  private execAtRecord: Float64Array;
  private ended = 0;

  constructor(
    readonly host: SynthHost,
    readonly params: SimParams,
    readonly mech: Mechanisms,
    readonly placement: Placement,
    private readonly rnd: Random,
    private readonly sink: HostEventSink,
    private readonly kvm: boolean,
  ) {
    const P = host.cpus;
    const T = host.tasks.length;
    this.cpus = P;
    this.fair = createScheduler(host, params);
    const perVm = host.vmVcpus[0]?.length ?? 0;
    this.guests = new Guests(host.vmVcpus.length, perVm, params, rnd);
    this.mode = new Uint8Array(P);
    this.until = new Float64Array(P).fill(Infinity);
    this.cont = new Uint8Array(P);
    this.reschedAt = new Float64Array(P).fill(Infinity);
    this.cpuHeap = new IndexedHeap(P);
    this.gOf = new Int32Array(T).fill(-1);
    this.taskOfG = new Int32Array(host.vmVcpus.length * perVm);
    host.vmVcpus.forEach((list, v) =>
      list.forEach((task, k) => {
        this.gOf[task] = v * perVm + k;
        this.taskOfG[v * perVm + k] = task;
      }),
    );
    this.burstRem = new Float64Array(T);
    this.sliceStart = new Float64Array(P);
    this.execAtRecord = new Float64Array(T);
    this.inSpinLoop = new Uint8Array(this.taskOfG.length);
    this.dyEligible = new Uint8Array(this.taskOfG.length);
    this.lastYieldToJiffy = new Float64Array(this.taskOfG.length).fill(-1);
    this.lastBoosted = new Int32Array(host.vmVcpus.length);
    this.rqLocks = new TicketLocks(P, params.costs.lockTransferNs);
    this.schedState = new Uint8Array(P);
    this.acquiredAtStart = new Float64Array(P);
    this.hLast = new Int32Array(P);
    this.hStep = new Int32Array(P);
    this.hTries = new Int32Array(P);
    this.hTried = new Int32Array(P);
    this.hResched = new Uint8Array(P);
    this.hCand = new Int32Array(P).fill(-1);
    this.hLockRq = new Int32Array(P);
    this.hCounted = new Uint8Array(P);
    this.gangActive = new Int32Array(placement.gangBlocks.length);
    const maxVmsPerBlock = Math.max(1, ...placement.gangBlocks.map((b) => b.vms.length));
    // A gang slot is the slice CFS would give each of that many tasks on one runqueue.
    const s = params.sched;
    this.gangSlotNs = Math.max(s.latencyNs, maxVmsPerBlock * s.minGranularityNs) / maxVmsPerBlock;
    const largestNode = Math.max(...placement.cpusOfNode.map((c) => c.length));
    this.busyBalanceJiffies = Math.max(1, Math.round((largestNode * s.busyFactor * 1e6) / params.jiffyNs));
  }

  get stats(): VmStats[] {
    return this.guests.stats;
  }

  /** The host's counts over the recorded window, with its CPU time split (call after run). */
  get hostStats(): HostStats {
    const t = this.ended;
    const f = this.fair;
    const exec = (task: number): number => {
      let ns = f.sumExec[task] - this.execAtRecord[task];
      const c = f.rq[task];
      if (f.curr[c] === task) ns += t - f.execStart[task];
      return ns;
    };
    let vcpu = 0;
    let tasks = 0;
    for (let i = 0; i < this.host.tasks.length; i++) {
      if (this.gOf[i] >= 0) vcpu += exec(i);
      else tasks += exec(i);
    }
    const total = (t - this.recordFrom) * this.cpus;
    const guest = this.guests.guestTimeAt(t);
    const cpuNs = { ...this.hs.cpuNs, total, guest, guestSpin: this.guests.spinTimeAt(t), vcpuHost: vcpu - guest, tasks, idle: total - vcpu - tasks };
    let unfinished = 0;
    for (let c = 0; c < this.cpus; c++) unfinished += this.hCounted[c];
    return { ...this.hs, cpuNs, pleHandler: { ...this.hs.pleHandler, unfinished }, vcpuSlices: this.slices.summary() };
  }

  private startRecording(t: number): void {
    this.guests.resetStats(t);
    this.hs = emptyHostStats();
    // Handlers under way began before the window: their outcomes are not counted.
    this.hCounted.fill(0);
    this.slices.reset();
    this.recordFrom = t;
    this.execAtRecord = Float64Array.from(this.fair.sumExec, (ns, task) => {
      const c = this.fair.rq[task];
      return this.fair.curr[c] === task ? ns + t - this.fair.execStart[task] : ns;
    });
  }

  /** Run `warmupSeconds` unrecorded (counters reset at its end), then `seconds`. */
  run(seconds: number, warmupSeconds = 0): void {
    const warm = Math.round(warmupSeconds * 1e9);
    const end = warm + Math.round(seconds * 1e9);
    this.start();
    if (warm > 0) this.timers.push(warm, Timer.Recording);
    const heap = this.cpuHeap;
    const timers = this.timers;
    for (;;) {
      const tc = heap.topKey;
      const tt = timers.topTime;
      if (tc <= tt) {
        if (tc >= end) break;
        this.cpuEvent(heap.topId, tc);
      } else {
        if (tt >= end) break;
        this.timerEvent(tt, timers.pop());
      }
    }
    this.ended = end;
    this.sink.end(end);
  }

  // ---- start ----

  private start(): void {
    const f = this.fair;
    const cpuOf = this.placement.initialCpus(this.rnd);
    // VMs were started at different times: their vCPUs' places in the fair order are spread over a period.
    this.host.tasks.forEach((task, i) => {
      f.initial(i, cpuOf[i], Math.floor(this.rnd() * this.params.sched.latencyNs));
      if (task.vcpu >= 0) {
        f.enqueueInitial(i);
        this.placement.arrive(i, cpuOf[i]);
      }
    });
    for (const t of this.host.noise) {
      const b = this.host.tasks[t].noise!;
      this.timers.push(Math.round(this.rnd() * b.periodNs), (t << 2) | Timer.Wake);
    }
    if (this.mech.gang) {
      this.placement.gangBlocks.forEach((_, b) => this.setGangActive(b, 0));
      this.timers.push(this.gangSlotNs, Timer.GangSlot);
    }
    this.timers.push(this.params.jiffyNs, Timer.Tick);
    // Each CPU picks its first task a few µs apart.
    for (let c = 0; c < this.cpus; c++) this.requestResched(c, 1000 + Math.floor(this.rnd() * 20_000));
  }

  // ---- CPU events ----

  private refresh(cpu: number): void {
    const a = this.until[cpu];
    const r = this.reschedAt[cpu];
    this.cpuHeap.set(cpu, r < a ? r : a);
  }

  private requestResched(cpu: number, t: number): void {
    if (t < this.reschedAt[cpu]) {
      this.reschedAt[cpu] = t;
      this.refresh(cpu);
    }
  }

  private cpuEvent(cpu: number, t: number): void {
    if (this.reschedAt[cpu] <= this.until[cpu]) {
      this.reschedAt[cpu] = Infinity;
      this.onResched(cpu, t);
    } else this.onAction(cpu, t);
    this.refresh(cpu);
  }

  private onResched(cpu: number, t: number): void {
    switch (this.mode[cpu]) {
      case Mode.Idle:
        this.schedule(cpu, t, 'R');
        break;
      case Mode.Guest:
        this.exitToHost(cpu, t, ExitReason.ExternalInterrupt, INTR_INFO_RESCHED, this.params.costs.vmExitNs, Cont.SchedPreempted);
        break;
      case Mode.Host:
        if (this.cont[cpu] === Cont.Resume) this.cont[cpu] = Cont.SchedPreempted;
        // In the PAUSE exit handler: need_resched is seen on the way back to the guest.
        else if (this.cont[cpu] === Cont.OnSpin || this.cont[cpu] === Cont.OnSpinLocked) this.hResched[cpu] = 1;
        break;
      case Mode.Task:
        this.burstRem[this.fair.curr[cpu]] = Math.max(0, this.until[cpu] - t);
        this.schedule(cpu, t, 'R+');
        break;
    }
  }

  private onAction(cpu: number, t: number): void {
    switch (this.mode[cpu]) {
      case Mode.Guest:
        this.guestStep(cpu, t);
        break;
      case Mode.Host:
        switch (this.cont[cpu]) {
          case Cont.Resume:
            this.enterGuest(cpu, t);
            break;
          case Cont.SchedPreempted:
            this.schedule(cpu, t, 'R+');
            break;
          case Cont.SchedYield:
            this.schedule(cpu, t, 'R');
            break;
          case Cont.Block:
            this.schedule(cpu, t, 'S');
            break;
          case Cont.OnSpin:
            this.onSpinStep(cpu, t);
            break;
          case Cont.OnSpinLocked:
            this.onSpinLocked(cpu, t);
            break;
          case Cont.SchedLocked:
            this.switchLocked(cpu, t, SWITCH_STATES[this.schedState[cpu]]);
            break;
        }
        break;
      case Mode.Task: {
        const task = this.fair.curr[cpu];
        const b = this.host.tasks[task].noise!;
        this.burstRem[task] = 0;
        this.schedule(cpu, t, b.sleepState);
        this.timers.push(t + 1000 + Math.round(expRandom(this.rnd, b.periodNs)), (task << 2) | Timer.Wake);
        break;
      }
    }
  }

  // ---- guest mode ----

  private guestAction(g: number): number {
    const gs = this.guests;
    const p = gs.phase[g];
    if (p === Phase.Spin) return this.mech.ple ? gs.loopStart(g) + this.params.pleWindowNs : Infinity;
    return gs.end[g];
  }

  private enterGuest(cpu: number, t: number): void {
    const task = this.fair.curr[cpu];
    const g = this.gOf[task];
    const gs = this.guests;
    // Back from kvm_vcpu_on_spin (if it was in it): no longer in a spin loop, not eligible next time.
    this.inSpinLoop[g] = 0;
    this.dyEligible[g] = 0;
    if (this.kvm) this.sink.kvmEntry(t, cpu, task, siteOf(gs.phase[g]));
    gs.resume(g, t);
    this.mode[cpu] = Mode.Guest;
    this.until[cpu] = this.guestAction(g);
  }

  private exitToHost(cpu: number, t: number, reason: ExitReason, intrInfo: number, cost: number, cont: Cont): void {
    const task = this.fair.curr[cpu];
    const g = this.gOf[task];
    const site = reason === ExitReason.MsrWrite ? GuestSite.IcrWrite : siteOf(this.guests.phase[g]);
    this.guests.pause(g, t);
    if (this.kvm) this.sink.kvmExit(t, cpu, task, reason, site, intrInfo);
    this.mode[cpu] = Mode.Host;
    this.until[cpu] = t + cost;
    this.cont[cpu] = cont;
  }

  private guestStep(cpu: number, t: number): void {
    const task = this.fair.curr[cpu];
    const g = this.gOf[task];
    const gs = this.guests;
    switch (gs.phase[g]) {
      case Phase.Work:
        if (gs.afterWork(g, t)) {
          // HLT: the vCPU blocks until a sibling's IPI (or its timer) wakes it.
          if (this.kvm) this.sink.kvmExit(t, cpu, task, ExitReason.Hlt, GuestSite.Halt, 0);
          this.mode[cpu] = Mode.Host;
          this.until[cpu] = t + this.params.costs.vmExitNs;
          this.cont[cpu] = Cont.Block;
          this.timers.push(t + gs.drawHalt(), (task << 2) | Timer.Wake);
          return;
        }
        break;
      case Phase.Hold: {
        const h = gs.release(g, t);
        if (h >= 0 && gs.inGuest[h]) {
          const hc = this.fair.rq[this.taskOfG[h]];
          this.until[hc] = gs.end[h];
          this.refresh(hc);
        }
        break;
      }
      case Phase.Spin: {
        // The lock word may have changed since this deadline was set: the loop started over.
        const due = gs.loopStart(g) + this.params.pleWindowNs;
        if (due > t) {
          this.until[cpu] = due;
          return;
        }
        this.pleExit(cpu, g, t);
        return;
      }
    }
    this.until[cpu] = this.guestAction(g);
  }

  // ---- PLE: the PAUSE exit handler ----

  private pleExit(cpu: number, g: number, t: number): void {
    const stats = this.guests.stats[this.guests.vmOf[g]];
    stats.pleExits++;
    this.hs.pleHandler.exits++;
    this.exitToHost(cpu, t, ExitReason.PauseInstruction, 0, this.params.costs.vmExitNs, Cont.Resume);
    const jiffy = Math.floor(t / this.params.jiffyNs);
    if (this.mech.pleHandler === 'directed' || this.lastYieldToJiffy[g] !== jiffy) {
      this.lastYieldToJiffy[g] = jiffy;
      // kvm_vcpu_on_spin, once the exit is handled: it reads the VM's last boosted vCPU now; handlers
      // of siblings that exit meanwhile read the same value until a yield_to() succeeds.
      this.inSpinLoop[g] = 1;
      this.hLast[cpu] = this.lastBoosted[this.guests.vmOf[g]];
      this.hStep[cpu] = 0;
      this.hTries[cpu] = 3;
      this.hTried[cpu] = 0;
      this.hResched[cpu] = 0;
      this.hCounted[cpu] = 1;
      this.cont[cpu] = Cont.OnSpin;
    } else {
      // The talk's throttle: past this jiffy's yield_to, a plain yield() lets the runqueue's other tasks run.
      stats.yields++;
      this.hs.pleHandler.throttledYield++;
      this.fair.update(cpu, t);
      this.fair.yieldCurr(cpu);
      this.cont[cpu] = Cont.SchedYield;
    }
  }

  /**
   * kvm_vcpu_on_spin (virt/kvm/kvm_main.c, as in the talk's kernels, 3.6 –
   * 3.8), run over time, one candidate after the other: starting after the
   * VM's last boosted vCPU as read on entry, round-robin over its vCPUs; skip
   * itself, halted ones (waitqueue_active) and, by the in-spin-loop toggle
   * (kvm_vcpu_eligible_for_directed_yield), every other look at one that is
   * itself in this handler; kvm_vcpu_yield_to takes a reference on the
   * candidate's task (a candidate's cost) and drops one running in guest
   * mode (PF_VCPU) as it is then; yield_to() the others in turn until one
   * accepts. Gives up after 3 pointless (-ESRCH) tries.
   */
  private onSpinStep(cpu: number, t: number): void {
    const me = this.fair.curr[cpu];
    const g = this.gOf[me];
    const v = this.guests.vmOf[g];
    const list = this.host.vmVcpus[v];
    const n = list.length;
    const cand = this.hCand[cpu];
    if (cand >= 0) {
      // The candidate's reference is taken: is it running in guest mode now?
      this.hCand[cpu] = -1;
      if (!this.guests.inGuest[this.gOf[cand]] && this.yieldToLock(cpu, cand, t)) return;
    }
    while (this.hStep[cpu] < n) {
      const step = ++this.hStep[cpu];
      const c = list[(this.hLast[cpu] + step) % n];
      if (c === me) continue;
      const gc = this.gOf[c];
      if (this.guests.phase[gc] === Phase.Halted || !this.mayBoost(gc)) continue;
      if (this.inSpinLoop[gc]) {
        const eligible = this.dyEligible[gc] === 1;
        this.dyEligible[gc] ^= 1;
        if (!eligible) continue;
      }
      this.hs.cpuNs.pleScan += this.params.costs.candidateNs;
      this.hs.pleHandler.candidates++;
      this.hCand[cpu] = c;
      this.until[cpu] = t + this.params.costs.candidateNs;
      return;
    }
    this.leaveOnSpin(cpu, t, this.hTried[cpu] === 0 ? 'noCandidate' : 'refused');
  }

  /** The --yield-candidates filter on a sibling's guest state (params.ts YIELD_CANDIDATES); 'all' passes everyone. */
  private mayBoost(g: number): boolean {
    const which = this.params.yieldCandidates;
    if (which === 'all') return true;
    const gs = this.guests;
    const p = gs.phase[g];
    if (p === Phase.Hold) return true;
    if (p !== Phase.Spin) return false;
    return which === 'in-lock' || gs.waiters[gs.lock[g]][0] === g;
  }

  /** Back from kvm_vcpu_on_spin without a yield: into the guest, or to schedule() if a reschedule came meanwhile. */
  private leaveOnSpin(cpu: number, t: number, outcome: 'noCandidate' | 'refused' | 'gaveUp'): void {
    if (this.hCounted[cpu]) this.hs.pleHandler[outcome]++;
    this.hCounted[cpu] = 0;
    this.until[cpu] = t;
    this.cont[cpu] = this.hResched[cpu] ? Cont.SchedPreempted : Cont.Resume;
  }

  /**
   * yield_to(p, preempt=true) (kernel/sched/core.c): pointless (-ESRCH) when
   * both runqueues hold one task; else double_rq_lock: the lower CPU's
   * runqueue lock, then the other one while holding it (ticket locks: first
   * come, first served, ticketLocks.ts), then decide under them
   * (onSpinLocked). Returns false when the scan goes on at `t`.
   */
  private yieldToLock(cpu: number, target: number, t: number): boolean {
    const f = this.fair;
    const prq = f.rq[target];
    this.hTried[cpu]++;
    if (f.nrRunning(cpu) === 1 && f.nrRunning(prq) === 1) {
      if (--this.hTries[cpu] === 0) {
        this.leaveOnSpin(cpu, t, 'gaveUp');
        return true;
      }
      return false;
    }
    // double_rq_lock: the lower CPU's runqueue lock first (runqueues are per-CPU, in CPU order), the other
    // one while holding it; one lock when both are the same runqueue.
    const locks = this.rqLocks;
    const lo = Math.min(cpu, prq);
    const hi = Math.max(cpu, prq);
    const start = lo === hi ? locks.acquire(lo, t) : locks.acquire(hi, t, locks.acquire(lo, t));
    const done = start + this.params.costs.rqLockNs;
    this.hs.cpuNs.rqLockWait += start - t;
    this.hs.cpuNs.rqLockHeld += this.params.costs.rqLockNs;
    locks.hold(lo, done);
    locks.hold(hi, done);
    this.hCand[cpu] = target;
    this.hLockRq[cpu] = prq;
    this.until[cpu] = start;
    this.cont[cpu] = Cont.OnSpinLocked;
    return true;
  }

  /**
   * Both runqueue locks held: yield_to_task_fair when the target is queued and
   * not running (and, under gang, its VM's turn): it becomes its runqueue's
   * next buddy, this vCPU the skip buddy, the target's CPU is rescheduled;
   * this vCPU schedules once the locks are dropped.
   */
  private onSpinLocked(cpu: number, t: number): void {
    const f = this.fair;
    const target = this.hCand[cpu];
    const prq = this.hLockRq[cpu];
    this.hCand[cpu] = -1;
    this.until[cpu] = t + this.params.costs.rqLockNs;
    this.cont[cpu] = Cont.OnSpin;
    if (f.rq[target] !== prq || f.curr[prq] === target || !f.onRq[target] || !f.eligible[target]) return;
    const me = f.curr[cpu];
    const g = this.gOf[me];
    const v = this.guests.vmOf[g];
    const gt = this.gOf[target];
    this.lastBoosted[v] = this.host.vmVcpus[v].indexOf(target);
    if (this.hCounted[cpu]) {
      this.hCounted[cpu] = 0;
      this.guests.stats[v].yieldTo++;
      this.hs.pleHandler.yieldTo++;
      this.countBoosted(gt);
      const victim = f.curr[prq];
      const bp = this.hs.boostPreempted;
      if (prq === cpu || victim < 0) bp.none++;
      else if (this.gOf[victim] < 0) bp.hostTask++;
      else if (this.guests.vmOf[this.gOf[victim]] === v) bp.sibling++;
      else bp.otherVm++;
    }
    f.setNextBuddy(target);
    f.update(cpu, t);
    f.yieldCurr(cpu);
    if (prq !== cpu) this.requestResched(prq, t + this.params.costs.rqLockNs + this.params.costs.ipiNs);
    this.cont[cpu] = Cont.SchedYield;
  }

  /** What a boosted vCPU was doing: holding a lock, next in its ticket queue, further back, or other work. */
  private countBoosted(g: number): void {
    const gs = this.guests;
    const b = this.hs.boosted;
    const p = gs.phase[g];
    if (p === Phase.Hold) b.holder++;
    else if (p === Phase.Spin) {
      if (gs.waiters[gs.lock[g]][0] === g) b.nextWaiter++;
      else b.waiter++;
    } else b.working++;
  }

  // ---- scheduling ----

  /**
   * __schedule: take this CPU's runqueue lock, first come first served with
   * the yield_to()s that hold it (double_rq_lock), then pick and switch. While
   * it waits the CPU spins in the host with its current task (or idle).
   */
  private schedule(cpu: number, t: number, state: SwitchState): void {
    const start = this.rqLocks.acquire(cpu, t);
    this.rqLocks.hold(cpu, start + this.params.costs.schedLockNs);
    if (start === t) {
      this.switchLocked(cpu, t, state);
      return;
    }
    this.hs.cpuNs.schedLockWait += start - t;
    this.schedState[cpu] = SWITCH_STATES.indexOf(state);
    this.mode[cpu] = Mode.Host;
    this.until[cpu] = start;
    this.cont[cpu] = Cont.SchedLocked;
  }

  /** Under the runqueue lock: the running task goes back or to sleep, the next one is picked and switched to. */
  private switchLocked(cpu: number, t: number, state: SwitchState): void {
    const f = this.fair;
    const prev = f.curr[cpu];
    const runnable = state === 'R' || state === 'R+';
    if (prev >= 0 && !runnable) this.placement.leave(prev, cpu);
    let next = f.schedule(cpu, t, runnable);
    if (next < 0 && this.idlePull(cpu, t, EventContext.Task)) next = f.schedule(cpu, t, false);
    // A yield ('R' from a vCPU: yield_to's or the throttled yield()) that CFS answered with the yielder itself.
    if (state === 'R' && next === prev && prev >= 0 && this.gOf[prev] >= 0) this.hs.pleHandler.yieldKeptCpu++;
    if (next !== prev) {
      this.sink.switch(t, cpu, prev, prev < 0 ? 'R' : state, next);
      if (prev >= 0 && this.gOf[prev] >= 0) {
        this.slices.add(t - this.sliceStart[cpu], this.guests.acquired[this.gOf[prev]] > this.acquiredAtStart[cpu]);
        const o = this.hs.vcpuSwitchOut;
        if (state === 'R') o.yield++;
        else if (state === 'R+') o.preempted++;
        else o.blocked++;
      }
      if (next >= 0 && this.gOf[next] >= 0) {
        this.sliceStart[cpu] = t;
        this.acquiredAtStart[cpu] = this.guests.acquired[this.gOf[next]];
      }
    }
    if (next < 0) {
      this.mode[cpu] = Mode.Idle;
      this.until[cpu] = Infinity;
    } else if (this.gOf[next] >= 0) {
      if (next === prev) this.enterGuest(cpu, t);
      else {
        this.mode[cpu] = Mode.Host;
        this.until[cpu] = t + this.params.costs.switchNs;
        this.cont[cpu] = Cont.Resume;
      }
    } else {
      this.mode[cpu] = Mode.Task;
      this.until[cpu] = t + this.burstRem[next];
    }
  }

  // ---- wakeups ----

  private wake(task: number, t: number, wakerCpu: number, ctx: EventContext): void {
    const f = this.fair;
    const from = f.rq[task];
    this.sink.waking(t, wakerCpu, this.fair.curr[wakerCpu], ctx, task, from);
    const target = this.selectCpu(task, from);
    if (target !== from) {
      this.sink.migrate(t, wakerCpu, this.fair.curr[wakerCpu], ctx, task, from, target);
      f.migrate(task, target, t);
    }
    f.update(target, t);
    f.enqueueWakeup(task, target);
    this.placement.arrive(task, target);
    if (f.wakeupPreempts(target, task)) this.requestResched(target, target === wakerCpu ? t : t + this.params.costs.ipiNs);
  }

  /** select_task_rq_fair in short: an idle allowed CPU (the previous one first, then its node), else the previous one if allowed. */
  private selectCpu(task: number, prev: number): number {
    const pl = this.placement;
    const f = this.fair;
    const idle = (c: number): boolean => f.curr[c] < 0 && f.queue[c].length === 0;
    const prevOk = pl.allowed(task, prev);
    if (prevOk && idle(prev)) return prev;
    if (pl.pinned[task] >= 0) return pl.pinned[task];
    const node = pl.cpusOfNode[pl.nodeOfCpu[prev]];
    const at = node.indexOf(prev);
    for (let i = 1; i <= node.length; i++) {
      const c = node[(at + i) % node.length];
      if (idle(c) && pl.allowed(task, c)) return c;
    }
    if (prevOk) return prev;
    // The previous CPU is not allowed (a sibling moved in, or another node): the least loaded allowed CPU.
    let best = -1;
    for (let i = 0; i < this.cpus; i++) {
      const c = (prev + i) % this.cpus;
      if (pl.allowed(task, c) && (best < 0 || f.nrRunning(c) < f.nrRunning(best))) best = c;
    }
    return best < 0 ? prev : best;
  }

  // ---- load balancing ----

  /** An idle CPU pulls one queued task from the busiest runqueue (its node first, then any). */
  private idlePull(cpu: number, t: number, ctx: EventContext): boolean {
    const pl = this.placement;
    const node = pl.cpusOfNode[pl.nodeOfCpu[cpu]];
    return this.pullFrom(cpu, node, t, ctx, 1, false) || (node.length < this.cpus && this.pullFrom(cpu, null, t, ctx, 1, false));
  }

  /** Periodic balancing of a busy CPU inside its node: pull when the busiest has 2 more. */
  private busyPull(cpu: number, t: number): void {
    const pl = this.placement;
    if (this.pullFrom(cpu, pl.cpusOfNode[pl.nodeOfCpu[cpu]], t, EventContext.SoftIrq, 2, true)) {
      const f = this.fair;
      f.update(cpu, t);
      const q = f.queue[cpu];
      if (f.wakeupPreempts(cpu, q[q.length - 1])) this.requestResched(cpu, t);
    }
  }

  private pullFrom(cpu: number, cpus: number[] | null, t: number, ctx: EventContext, margin: number, cacheHot: boolean): boolean {
    const f = this.fair;
    const pl = this.placement;
    const mine = f.nrRunning(cpu);
    let busiest = -1;
    let most = mine + margin - 1;
    const n = cpus ? cpus.length : this.cpus;
    for (let i = 0; i < n; i++) {
      const c = cpus ? cpus[i] : i;
      const nr = f.nrRunning(c);
      if (c !== cpu && nr > most && f.queue[c].length > 0) {
        most = nr;
        busiest = c;
      }
    }
    if (busiest < 0) return false;
    const q = f.queue[busiest];
    for (let i = 0; i < q.length; i++) {
      const task = q[i];
      if (!f.eligible[task] || !pl.allowed(task, cpu)) continue;
      if (cacheHot && t - f.lastRan[task] < this.params.sched.migrationCostNs) continue;
      this.sink.migrate(t, cpu, f.curr[cpu], ctx, task, busiest, cpu);
      pl.leave(task, busiest);
      f.migrate(task, cpu, t);
      pl.arrive(task, cpu);
      return true;
    }
    return false;
  }

  // ---- timers ----

  private timerEvent(t: number, payload: number): void {
    switch (payload & 3) {
      case Timer.Tick:
        this.tick(t);
        this.timers.push(t + this.params.jiffyNs, Timer.Tick);
        break;
      case Timer.Wake:
        this.wakeTimer(payload >> 2, t);
        break;
      case Timer.GangSlot:
        this.gangSlot(t);
        this.timers.push(t + this.gangSlotNs, Timer.GangSlot);
        break;
      case Timer.Recording:
        this.startRecording(t);
        break;
    }
  }

  /** The scheduler tick on every CPU (HZ ticks are aligned across CPUs), and periodic balancing. */
  private tick(t: number): void {
    const f = this.fair;
    const jiffy = ++this.jiffy;
    f.tick();
    for (let cpu = 0; cpu < this.cpus; cpu++) {
      const m = this.mode[cpu];
      if (m === Mode.Idle) {
        if (this.idlePull(cpu, t, EventContext.SoftIrq)) this.requestResched(cpu, t);
        continue;
      }
      f.update(cpu, t);
      const preempt = f.nrRunning(cpu) > 1 && f.tickPreempts(cpu);
      if (m === Mode.Guest) {
        const c = this.params.costs;
        this.exitToHost(cpu, t, ExitReason.ExternalInterrupt, INTR_INFO_TIMER, c.vmExitNs + c.tickNs, preempt ? Cont.SchedPreempted : Cont.Resume);
        this.refresh(cpu);
      } else if (preempt) this.requestResched(cpu, t);
      if ((jiffy + cpu) % this.busyBalanceJiffies === 0) this.busyPull(cpu, t);
    }
  }

  private wakeTimer(task: number, t: number): void {
    const g = this.gOf[task];
    if (g < 0) {
      const b = this.host.tasks[task].noise!;
      this.burstRem[task] = 2000 + Math.round(expRandom(this.rnd, b.burstNs));
      this.wake(task, t, this.fair.rq[task], EventContext.HardIrq);
      return;
    }
    if (this.fair.onRq[task]) {
      // Still on its way into the halt (the HLT exit is being handled): wake it right after.
      this.timers.push(t + this.params.costs.vmExitNs, (task << 2) | Timer.Wake);
      return;
    }
    // A halted vCPU: a running sibling sends the IPI (an x2APIC ICR write, an MSR_WRITE exit), else its timer fires.
    this.guests.wake(g);
    const v = this.guests.vmOf[g];
    const list = this.host.vmVcpus[v];
    const from = Math.floor(this.rnd() * list.length);
    for (let i = 0; i < list.length; i++) {
      const s = list[(from + i) % list.length];
      const sc = this.fair.rq[s];
      if (s !== task && this.fair.curr[sc] === s && this.mode[sc] === Mode.Guest) {
        this.exitToHost(sc, t, ExitReason.MsrWrite, 0, this.params.costs.vmExitNs, Cont.Resume);
        this.refresh(sc);
        this.wake(task, t, sc, EventContext.Task);
        return;
      }
    }
    this.wake(task, t, this.fair.rq[task], EventContext.HardIrq);
  }

  // ---- gang ----

  private setGangActive(b: number, slot: number): void {
    const block = this.placement.gangBlocks[b];
    this.gangActive[b] = slot;
    block.vms.forEach((v, i) => {
      const on = i === slot % block.vms.length ? 1 : 0;
      for (const task of this.host.vmVcpus[v]) this.fair.eligible[task] = on;
    });
  }

  /** Every block switches to its next VM at once: an IPI to each of its CPUs. */
  private gangSlot(t: number): void {
    this.placement.gangBlocks.forEach((block, b) => {
      if (block.vms.length < 2) return;
      this.setGangActive(b, this.gangActive[b] + 1);
      for (const c of block.cpus) this.requestResched(c, t + this.params.costs.ipiNs);
    });
  }
}

function siteOf(p: Phase): GuestSite {
  return p === Phase.Spin ? GuestSite.SpinLoop : p === Phase.Hold ? GuestSite.CriticalSection : p === Phase.Halted ? GuestSite.Halt : GuestSite.Work;
}
