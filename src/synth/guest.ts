// The guests: each vCPU runs a dbench-like loop of work and short critical
// sections under one of a few ticket spinlocks its VM's vCPUs share, and now
// and then halts. Guest time passes only while the vCPU is in guest mode on a
// host CPU. Ticket locks are FIFO: a released lock passes to the next waiter
// even when that waiter's vCPU is preempted, so a preempted waiter blocks the
// lock as a preempted holder does (the guest spinlocks of the talk's era,
// before paravirtual queued spinlocks).

import type { SimParams } from './params';
import { expRandom, type Random } from './random';

export const enum Phase {
  Work = 0,
  Spin = 1,
  Hold = 2,
  Halted = 3,
}

export interface VmStats {
  lockAcquisitions: number;
  spinNs: number;
  yieldTo: number;
  yields: number;
  pleExits: number;
}

export class Guests {
  /** Per vCPU g (VM v, vCPU k: g = v·n + k). */
  readonly phase: Uint8Array;
  /** Work or critical-section time left, while the vCPU is out of guest mode. */
  readonly rem: Float64Array;
  /** When the work or critical section ends, while in guest mode. */
  readonly end: Float64Array;
  readonly lock: Int32Array;
  readonly spinStart: Float64Array;
  readonly inGuest: Uint8Array;
  /** When the vCPU last entered guest mode. */
  readonly enteredAt: Float64Array;
  /** Guest-mode time of all vCPUs, closed stretches only (see guestTimeAt). */
  private guestNs = 0;
  readonly vmOf: Int32Array;
  /** Lock acquisitions of each vCPU since the start (not reset with the counters). */
  readonly acquired: Float64Array;

  readonly holder: Int32Array;
  readonly waiters: number[][];
  /**
   * Last write to each lock's ticket word (a waiter taking a ticket, a
   * release). The write makes every spinner's next read of the word miss the
   * cache; a cross-socket line transfer takes longer than ple_gap, so the
   * spinner's PAUSE loop starts over: PLE only fires once a lock has been
   * quiet for ple_window cycles (a preempted holder or next waiter).
   */
  readonly lockWritten: Float64Array;
  readonly stats: VmStats[];

  private readonly locks: number;
  private readonly fifo: boolean;
  private readonly workNs: number;
  private readonly sectionNs: number;
  private readonly haltChance: number;
  private readonly haltNs: number;

  constructor(
    vms: number,
    readonly perVm: number,
    params: SimParams,
    private readonly rnd: Random,
  ) {
    const n = vms * perVm;
    this.phase = new Uint8Array(n);
    this.rem = new Float64Array(n);
    this.end = new Float64Array(n);
    this.lock = new Int32Array(n).fill(-1);
    this.spinStart = new Float64Array(n);
    this.inGuest = new Uint8Array(n);
    this.enteredAt = new Float64Array(n);
    this.vmOf = Int32Array.from({ length: n }, (_, g) => Math.floor(g / perVm));
    this.acquired = new Float64Array(n);
    this.locks = params.guest.locks;
    this.fifo = params.guest.lockKind === 'ticket';
    this.holder = new Int32Array(vms * this.locks).fill(-1);
    this.waiters = Array.from({ length: vms * this.locks }, () => []);
    this.lockWritten = new Float64Array(vms * this.locks);
    this.stats = Array.from({ length: vms }, () => ({ lockAcquisitions: 0, spinNs: 0, yieldTo: 0, yields: 0, pleExits: 0 }));
    this.workNs = params.guest.workNs;
    this.sectionNs = params.guest.sectionNs;
    this.haltChance = params.guest.haltChance;
    this.haltNs = params.guest.haltNs;
    for (let g = 0; g < n; g++) this.rem[g] = this.drawWork();
  }

  /** Zero the counters at `t`; spins in progress count from `t` on. */
  resetStats(t: number): void {
    for (const s of this.stats) s.lockAcquisitions = s.spinNs = s.yieldTo = s.yields = s.pleExits = 0;
    this.guestNs = -this.openGuestNs(t);
    for (let g = 0; g < this.phase.length; g++)
      if (this.inGuest[g] && this.phase[g] === Phase.Spin) this.stats[this.vmOf[g]].spinNs -= t - this.spinStart[g];
  }

  /** Guest-mode time of all vCPUs since the last resetStats, up to `t`. */
  guestTimeAt(t: number): number {
    return this.guestNs + this.openGuestNs(t);
  }

  private openGuestNs(t: number): number {
    let open = 0;
    for (let g = 0; g < this.inGuest.length; g++) if (this.inGuest[g]) open += t - this.enteredAt[g];
    return open;
  }

  /** Spin time of all vCPUs since the last resetStats, up to `t` (spins in progress included). */
  spinTimeAt(t: number): number {
    let ns = 0;
    for (const s of this.stats) ns += s.spinNs;
    for (let g = 0; g < this.phase.length; g++) if (this.inGuest[g] && this.phase[g] === Phase.Spin) ns += t - this.spinStart[g];
    return ns;
  }

  drawWork(): number {
    return 1 + Math.round(expRandom(this.rnd, this.workNs));
  }

  /** Critical sections are short and bounded: uniform in [0.5, 1.5] × the mean. */
  private drawSection(): number {
    return Math.round(this.sectionNs * (0.5 + this.rnd()));
  }

  drawHalt(): number {
    return 1000 + Math.round(expRandom(this.rnd, this.haltNs));
  }

  /** Leave guest mode at `t`: the phase's remaining time is kept, spin time counted. */
  pause(g: number, t: number): void {
    if (!this.inGuest[g]) return;
    this.inGuest[g] = 0;
    this.guestNs += t - this.enteredAt[g];
    const p = this.phase[g];
    if (p === Phase.Spin) this.stats[this.vmOf[g]].spinNs += t - this.spinStart[g];
    else if (p !== Phase.Halted) this.rem[g] = Math.max(0, this.end[g] - t);
  }

  /** When spinner g's current PAUSE loop started (its entry to guest mode, or the lock's last write). */
  loopStart(g: number): number {
    const w = this.lockWritten[this.lock[g]];
    return w > this.spinStart[g] ? w : this.spinStart[g];
  }

  /** Enter guest mode at `t`; a spin starts a new PAUSE loop (a test-and-set waiter first tries the lock). */
  resume(g: number, t: number): void {
    this.inGuest[g] = 1;
    this.enteredAt[g] = t;
    const p = this.phase[g];
    if (p !== Phase.Spin) this.end[g] = t + this.rem[g];
    else if (!this.fifo && this.holder[this.lock[g]] < 0) {
      const l = this.lock[g];
      removeFrom(this.waiters[l], g);
      this.take(g, l, t);
    } else this.spinStart[g] = t;
  }

  private take(g: number, l: number, t: number): void {
    this.holder[l] = g;
    this.lockWritten[l] = t;
    this.stats[this.vmOf[g]].lockAcquisitions++;
    this.acquired[g]++;
    this.phase[g] = Phase.Hold;
    this.end[g] = t + this.drawSection();
  }

  /** Work is done: halt (true), or take a lock (acquired or queued and spinning). */
  afterWork(g: number, t: number): boolean {
    if (this.rnd() < this.haltChance) {
      this.pause(g, t);
      this.phase[g] = Phase.Halted;
      return true;
    }
    const v = this.vmOf[g];
    const l = v * this.locks + Math.floor(this.rnd() * this.locks);
    this.lock[g] = l;
    this.lockWritten[l] = t;
    if (this.holder[l] < 0 && (!this.fifo || this.waiters[l].length === 0)) this.take(g, l, t);
    else {
      this.waiters[l].push(g);
      this.phase[g] = Phase.Spin;
      this.spinStart[g] = t;
    }
    return false;
  }

  /** Woken from a halt: back to work (out of guest mode until it runs). */
  wake(g: number): void {
    this.phase[g] = Phase.Work;
    this.rem[g] = this.drawWork();
  }

  /**
   * The critical section of g ends at `t`: the lock passes to the next waiter
   * (returned, -1 if none) and g goes back to work.
   */
  release(g: number, t: number): number {
    const l = this.lock[g];
    const q = this.waiters[l];
    this.lockWritten[l] = t;
    let h = -1;
    if (this.fifo) {
      if (q.length > 0) h = q.shift() as number;
    } else {
      // Test-and-set: the first waiter spinning in guest mode gets it; nobody else is trying.
      for (let i = 0; i < q.length; i++)
        if (this.inGuest[q[i]]) {
          h = q[i];
          q.splice(i, 1);
          break;
        }
    }
    if (h >= 0) {
      this.holder[l] = h;
      this.stats[this.vmOf[h]].lockAcquisitions++;
      this.acquired[h]++;
      if (this.inGuest[h]) this.stats[this.vmOf[h]].spinNs += t - this.spinStart[h];
      this.phase[h] = Phase.Hold;
      const c = this.drawSection();
      if (this.inGuest[h]) this.end[h] = t + c;
      else this.rem[h] = c;
    } else this.holder[l] = -1;
    this.phase[g] = Phase.Work;
    this.end[g] = t + this.drawWork();
    return h;
  }
}

function removeFrom(list: number[], x: number): void {
  const i = list.indexOf(x);
  if (i >= 0) list.splice(i, 1);
}
