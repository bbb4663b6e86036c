// `perf script` text (perf 6.1 builtin-script.c): `%16s` comm, `%5d` tid (or
// `%5d/%-5d` pid/tid with -F comm,pid,tid,...), `[%03d]` CPU, `%12s:` time,
// then the event name right-aligned to the longest event name of the
// recording (`%*s:`). Recorded with `perf sched record` (plus
// `-e kvm:kvm_exit -e kvm:kvm_entry` for --kvm), whose longest names,
// sched:sched_stat_runtime and sched:sched_migrate_task, are 24 characters.

import type { EventContext, ExitReason, GuestSite, HostEventSink, SwitchState } from './events';
import type { SynthHost } from './hostModel';
import type { Write } from './render';
import { kvmEntryPayload, kvmExitPayload, pad3, TaskText, usecTime } from './textLayout';

export const PERF_SCHED_NAME_WIDTH = 24;

const name = (event: string): string => `${event.padStart(PERF_SCHED_NAME_WIDTH)}: `;
const SWITCH = name('sched:sched_switch');
const WAKING = name('sched:sched_waking');
const MIGRATE = name('sched:sched_migrate_task');
const KVM_EXIT = name('kvm:kvm_exit');
const KVM_ENTRY = name('kvm:kvm_entry');

export class PerfScriptWriter implements HostEventSink {
  private readonly text: TaskText;
  /** Line prefix (comm and ids) of each task; the idle task's is `idle`. */
  private readonly prefix: string[];
  private readonly idle: string;
  private readonly cpuText: string[];
  private readonly vcpu: number[];

  constructor(
    host: SynthHost,
    private readonly write: Write,
    pidtid: boolean,
  ) {
    this.text = new TaskText(host);
    const ids = (pid: number, tid: number): string =>
      pidtid ? `${String(pid).padStart(5)}/${String(tid).padEnd(5)}` : String(tid).padStart(5);
    this.prefix = host.tasks.map((t) => `${t.comm.padStart(16)} ${ids(t.tgid, t.tid)} `);
    this.idle = `${'swapper'.padStart(16)} ${ids(0, 0)} `;
    this.cpuText = Array.from({ length: host.cpus }, (_, c) => `[${pad3(c)}] `);
    this.vcpu = host.tasks.map((t) => t.vcpu);
  }

  private head(cpu: number, r: number, t: number): string {
    return `${r < 0 ? this.idle : this.prefix[r]}${this.cpuText[cpu]}${usecTime(t).padStart(12)}: `;
  }

  switch(t: number, cpu: number, prev: number, state: SwitchState, next: number): void {
    this.write(`${this.head(cpu, prev, t)}${SWITCH}${this.text.switchPayload(cpu, prev, state, next)}\n`);
  }

  waking(t: number, cpu: number, current: number, _ctx: EventContext, task: number, target: number): void {
    this.write(`${this.head(cpu, current, t)}${WAKING}${this.text.wakingPayload(task, target)}\n`);
  }

  migrate(t: number, cpu: number, current: number, _ctx: EventContext, task: number, orig: number, dest: number): void {
    this.write(`${this.head(cpu, current, t)}${MIGRATE}${this.text.migratePayload(task, orig, dest)}\n`);
  }

  kvmExit(t: number, cpu: number, task: number, reason: ExitReason, site: GuestSite, intrInfo: number): void {
    this.write(`${this.head(cpu, task, t)}${KVM_EXIT}${kvmExitPayload(this.vcpu[task], reason, site, intrInfo)}\n`);
  }

  kvmEntry(t: number, cpu: number, task: number, site: GuestSite): void {
    this.write(`${this.head(cpu, task, t)}${KVM_ENTRY}${kvmEntryPayload(this.vcpu[task], site)}\n`);
  }

  end(): void {}
}
