// `perf sched timehist` text (perf 6.1 builtin-sched.c): the three header
// lines, then per sched_switch a line for the task switched out:
// `%15s [%04d] ` time and CPU, ` %-*s ` its name (`comm[tid]`, or
// `comm[tid/pid]` for a thread; `<idle>`; the column starts 30 wide and
// widens to the longest name seen), then wait time, scheduling delay and run
// time, each `%6llu.%03llu ` in ms (truncated). As perf computes them: run =
// this switch - the previous switch on this CPU; wait = that previous switch -
// when the task last switched out; delay = that previous switch - its first
// wakeup since then. A CPU's first switch prints zeros.

import type { EventContext, HostEventSink, SwitchState } from './events';
import type { SynthHost } from './hostModel';
import type { Write } from './render';
import { usecTime } from './textLayout';

export const TIMEHIST_HEADER =
  '           time    cpu  task name                       wait time  sch delay   run time\n' +
  '                        [tid/pid]                          (msec)     (msec)     (msec)\n' +
  '--------------- ------  ------------------------------  ---------  ---------  ---------\n';

const msText = (ns: number): string => {
  const us = Math.floor(ns / 1000);
  return `${String(Math.floor(us / 1000)).padStart(6)}.${String(us % 1000).padStart(3, '0')} `;
};

export class TimehistWriter implements HostEventSink {
  private readonly names: string[];
  private width = 30;
  /** Time of the last switch on each CPU, NaN before the first (times may be negative). */
  private readonly lastSwitch: Float64Array;
  /** Per task (index + cpus: the CPUs' idle tasks come first): last switch-out, first wakeup since. */
  private readonly lastOut: Float64Array;
  private readonly ready: Float64Array;
  private readonly cpus: number;

  constructor(
    host: SynthHost,
    private readonly write: Write,
  ) {
    this.cpus = host.cpus;
    this.names = host.tasks.map((t) => (t.tid === t.tgid ? `${t.comm}[${t.tid}]` : `${t.comm}[${t.tid}/${t.tgid}]`));
    this.lastSwitch = new Float64Array(host.cpus).fill(NaN);
    this.lastOut = new Float64Array(host.cpus + host.tasks.length).fill(NaN);
    this.ready = new Float64Array(host.cpus + host.tasks.length).fill(NaN);
    write(TIMEHIST_HEADER);
  }

  switch(t: number, cpu: number, prev: number, _state: SwitchState, _next: number): void {
    const k = prev < 0 ? cpu : this.cpus + prev;
    const name = prev < 0 ? '<idle>' : this.names[prev];
    if (name.length > this.width) this.width = name.length;
    const tprev = this.lastSwitch[cpu];
    let run = 0;
    let wait = 0;
    let delay = 0;
    if (tprev === tprev) {
      run = t - tprev;
      const r = this.ready[k];
      if (r <= tprev) delay = tprev - r;
      const out = this.lastOut[k];
      if (out <= tprev) wait = tprev - out;
    }
    this.write(`${usecTime(t).padStart(15)} [${String(cpu).padStart(4, '0')}]  ${name.padEnd(this.width)} ${msText(wait)}${msText(delay)}${msText(run)}\n`);
    this.lastOut[k] = t;
    this.ready[k] = NaN;
    this.lastSwitch[cpu] = t;
  }

  waking(t: number, _cpu: number, _current: number, _ctx: EventContext, task: number): void {
    const k = this.cpus + task;
    if (this.ready[k] !== this.ready[k]) this.ready[k] = t;
  }

  migrate(): void {}
  kvmExit(): void {}
  kvmEntry(): void {}
  end(): void {}
}
