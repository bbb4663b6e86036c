// What the simulator asks of the host's fair scheduler: the flat CFS of fair.ts
// (every task at the root, `--cgroups none`) or the two-level CFS of
// groupFair.ts (each VM's QEMU threads in their own task group, `--cgroups vm`).
// Task-level state is in plain arrays indexed by task; both keep, per CPU, the
// running task and the runnable tasks that are not running (`queue`), whatever
// level of the hierarchy they sit at.

import { FairScheduler } from './fair';
import { GroupFairScheduler } from './groupFair';
import type { SynthHost } from './hostModel';
import type { SimParams } from './params';

export interface HostScheduler {
  readonly sumExec: Float64Array;
  readonly execStart: Float64Array;
  /** When the task last stopped running (cache hotness). */
  readonly lastRan: Float64Array;
  /** The task's CPU (for a sleeping task, the CPU it last ran on). */
  readonly rq: Int32Array;
  /** Runnable: queued or running. */
  readonly onRq: Uint8Array;
  /** 0: the task stays queued but is never picked (gang: another VM's turn on this CPU). */
  readonly eligible: Uint8Array;
  /** The running task of each CPU, -1 when idle. */
  readonly curr: Int32Array;
  /** Runnable tasks of each CPU that are not running. */
  readonly queue: number[][];
  /** rq->nr_running: the CPU's runnable tasks, at every level. */
  nrRunning(cpu: number): number;
  /** update_curr: charge the running task (and its group entities) for the time up to `now`. */
  update(cpu: number, now: number): void;
  /** Place a task on `cpu` at the start, `lag` right of its queue's min_vruntime. */
  initial(t: number, cpu: number, lag: number): void;
  /** A task placed by `initial` is runnable from the start. */
  enqueueInitial(t: number): void;
  /** A sleeping task becomes runnable on `cpu` (its rq must already be cpu; call after update). */
  enqueueWakeup(t: number, cpu: number): void;
  /** Move a task's CPU (queued or sleeping, never running), keeping its lag. */
  migrate(t: number, dest: number, now: number): void;
  /** Per-jiffy bookkeeping, once for all CPUs before their ticks. */
  tick(): void;
  /** check_preempt_tick (call after update). */
  tickPreempts(cpu: number): boolean;
  /** check_preempt_wakeup: does woken `t` preempt the running task of `cpu` (call after update)? */
  wakeupPreempts(cpu: number, t: number): boolean;
  /** yield_task_fair: the running task becomes the skip buddy (not when it is alone on its CPU). */
  yieldCurr(cpu: number): void;
  /** set_next_buddy: yield_to_task_fair's target becomes the next buddy of its runqueue. */
  setNextBuddy(t: number): void;
  /** __schedule on `cpu`: the running task goes back (runnable) or to sleep; returns the next one, -1 for idle. */
  schedule(cpu: number, now: number, prevRunnable: boolean): number;
}

/** `--cgroups none`: every task at the root; `vm`: each VM's threads (the QEMU process) in a task group. */
export function createScheduler(host: SynthHost, params: SimParams): HostScheduler {
  if (params.cgroups === 'none') return new FairScheduler(host.cpus, host.tasks.length, params);
  return new GroupFairScheduler(
    host.cpus,
    host.tasks.map((t) => t.vm),
    host.vmVcpus.length,
    params,
  );
}
