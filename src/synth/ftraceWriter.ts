// Raw ftrace text (the tracing `trace` file, options/record-tgid on):
// the header the kernel prints, then `%16s-%-7d (%7d) [%03d] FLAGS %5lu.%06lu: event: payload`
// (kernel/trace/trace_output.c). The idle task shows as `<idle>-0 (-------)`.
// FLAGS (irqs-off, need-resched, hardirq/softirq, preempt depth,
// migrate-disable) follow where the event is emitted, as in the recording
// test/fixtures/ftrace-qemu-3vm-x2vcpu.ftrace.txt.gz.

import type { EventContext, ExitReason, GuestSite, HostEventSink, SwitchState } from './events';
import type { SynthHost } from './hostModel';
import type { Write } from './render';
import { kvmEntryPayload, kvmExitPayload, pad3, secOf, TaskText, usecOf } from './textLayout';

const WAKING_FLAGS = ['d..3.', 'd.h2.', 'd.s3.'];
const MIGRATE_FLAGS = ['d..2.', 'd.h3.', 'dNs1.'];

export function ftraceHeader(cpus: number, entries: number): string {
  return [
    '# tracer: nop',
    '#',
    `# entries-in-buffer/entries-written: ${entries}/${entries}   #P:${cpus}`,
    '#',
    '#                                          _-----=> irqs-off/BH-disabled',
    '#                                         / _----=> need-resched',
    '#                                        | / _---=> hardirq/softirq',
    '#                                        || / _--=> preempt-depth',
    '#                                        ||| / _-=> migrate-disable',
    '#                                        |||| /     delay',
    '#           TASK-PID       TGID    CPU#  |||||  TIMESTAMP  FUNCTION',
    '#              | |           |       |   |||||     |         |',
    '',
  ].join('\n');
}

export class FtraceWriter implements HostEventSink {
  private readonly text: TaskText;
  private readonly prefix: string[];
  private readonly idle = `${'<idle>'.padStart(16)}-${'0'.padEnd(7)} (-------) `;
  private readonly cpuText: string[];
  private readonly vcpu: number[];

  /** `entries`: how many events follow (the header's count). */
  constructor(
    host: SynthHost,
    private readonly write: Write,
    entries: number,
  ) {
    this.text = new TaskText(host);
    this.prefix = host.tasks.map((t) => `${t.comm.padStart(16)}-${String(t.tid).padEnd(7)} (${String(t.tgid).padStart(7)}) `);
    this.cpuText = Array.from({ length: host.cpus }, (_, c) => `[${pad3(c)}] `);
    this.vcpu = host.tasks.map((t) => t.vcpu);
    write(ftraceHeader(host.cpus, entries));
  }

  private head(cpu: number, r: number, t: number, flags: string): string {
    return `${r < 0 ? this.idle : this.prefix[r]}${this.cpuText[cpu]}${flags} ${String(secOf(t)).padStart(5)}.${usecOf(t)}: `;
  }

  switch(t: number, cpu: number, prev: number, state: SwitchState, next: number): void {
    this.write(`${this.head(cpu, prev, t, 'd..2.')}sched_switch: ${this.text.switchPayload(cpu, prev, state, next)}\n`);
  }

  waking(t: number, cpu: number, current: number, ctx: EventContext, task: number, target: number): void {
    this.write(`${this.head(cpu, current, t, WAKING_FLAGS[ctx])}sched_waking: ${this.text.wakingPayload(task, target)}\n`);
  }

  migrate(t: number, cpu: number, current: number, ctx: EventContext, task: number, orig: number, dest: number): void {
    this.write(`${this.head(cpu, current, t, MIGRATE_FLAGS[ctx])}sched_migrate_task: ${this.text.migratePayload(task, orig, dest)}\n`);
  }

  kvmExit(t: number, cpu: number, task: number, reason: ExitReason, site: GuestSite, intrInfo: number): void {
    this.write(`${this.head(cpu, task, t, 'd....')}kvm_exit: ${kvmExitPayload(this.vcpu[task], reason, site, intrInfo)}\n`);
  }

  kvmEntry(t: number, cpu: number, task: number, site: GuestSite): void {
    this.write(`${this.head(cpu, task, t, 'd....')}kvm_entry: ${kvmEntryPayload(this.vcpu[task], site)}\n`);
  }

  end(): void {}
}
