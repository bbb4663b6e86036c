// The event stream straight into a trace model, no text in between: what
// parsing `perf script -F comm,pid,tid,cpu,time,event,trace` of the same run
// gives (µs times, tgids, states, wakeups, migrations, kvm events), at a
// fraction of the cost. For the frame benchmark's big models and for tests that
// analyse talk-scale runs; synthModel.test.ts checks it against the parser.

import { TraceBuilder } from '../model/builder';
import { PrevState, WakeupKind, type TraceModel } from '../model/types';
import { EXIT_REASON_NAME, type EventContext, type ExitReason, type HostEventSink, type SwitchState } from './events';
import type { SynthHost } from './hostModel';
import { BASE_SEC } from './textLayout';

const STATE: Record<SwitchState, PrevState> = {
  R: PrevState.Runnable,
  'R+': PrevState.Preempted,
  S: PrevState.Sleeping,
  D: PrevState.Uninterruptible,
  I: PrevState.Idle,
};

/** Thrown by the sink once it holds `maxSwitches` switches (the caller catches it to stop the simulation). */
export class EnoughSwitches extends Error {}

export class TraceModelSink implements HostEventSink {
  readonly builder = new TraceBuilder('perf-script', 'generated (synth simulation)');
  private readonly taskOf: number[];
  private readonly vcpu: number[];

  constructor(
    host: SynthHost,
    private readonly maxSwitches = Infinity,
  ) {
    const b = this.builder;
    b.hasStates = true;
    b.declaredCpuCount = host.cpus;
    this.taskOf = host.tasks.map((t) => {
      const i = b.task(t.tid, t.comm, 0);
      b.setTgid(i, t.tgid);
      return i;
    });
    this.vcpu = host.tasks.map((t) => t.vcpu);
  }

  /** µs resolution, as perf script prints it, from the same origin a parser would take. */
  private time(ns: number): number {
    return this.builder.time(BASE_SEC, Math.floor(ns / 1000) * 1000);
  }

  private idx(task: number): number {
    return task < 0 ? 0 : this.taskOf[task];
  }

  switch(t: number, cpu: number, prev: number, state: SwitchState, next: number): void {
    const b = this.builder;
    b.addSwitch(this.time(t), cpu, this.idx(prev), STATE[state], this.idx(next));
    if (b.switchCount >= this.maxSwitches) throw new EnoughSwitches();
  }

  waking(t: number, cpu: number, current: number, _ctx: EventContext, task: number, target: number): void {
    this.builder.addWakeup(this.time(t), this.idx(task), target, WakeupKind.Waking, this.idx(current), cpu);
  }

  migrate(t: number, _cpu: number, _current: number, _ctx: EventContext, task: number, orig: number, dest: number): void {
    this.builder.addMigration(this.time(t), this.idx(task), orig, dest);
  }

  kvmExit(t: number, cpu: number, task: number, reason: ExitReason): void {
    this.builder.addKvmExit(this.time(t), this.idx(task), cpu, EXIT_REASON_NAME[reason], this.vcpu[task]);
  }

  kvmEntry(t: number, cpu: number, task: number): void {
    this.builder.addKvmEntry(this.time(t), this.idx(task), cpu, this.vcpu[task]);
  }

  end(): void {}

  model(): TraceModel {
    return this.builder.finish();
  }
}
