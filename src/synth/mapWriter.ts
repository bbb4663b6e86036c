// `perf sched map` text (perf 6.1 builtin-sched.c map_switch_event): per
// sched_switch one line, two spaces, then per CPU `*` (the CPU of the event)
// or a blank and the running task's short name as `%2s ` (three blanks for a
// CPU that has run nothing yet), then `  %12s secs ` and, when the task got a
// new short name or its comm changed, `NAME => comm:tid`. Short names run
// A0..Z0, A1..Z9 and wrap; the idle task is `.` (legend `.  => swapper:0`).
// Other events do not show in a map.

import type { HostEventSink, SwitchState } from './events';
import type { SynthHost } from './hostModel';
import type { Write } from './render';
import { usecTime } from './textLayout';

export class MapWriter implements HostEventSink {
  private readonly cells: string[];
  private readonly shortName: string[];
  private readonly legend: string[];
  private idleNamed = false;
  private nextLetter = 0;
  private nextDigit = 0;

  constructor(
    host: SynthHost,
    private readonly write: Write,
  ) {
    this.cells = new Array(host.cpus).fill('   ');
    this.shortName = new Array(host.tasks.length).fill('');
    this.legend = host.tasks.map((t) => `${t.comm}:${t.tid}`);
  }

  switch(t: number, cpu: number, _prev: number, _state: SwitchState, next: number): void {
    let suffix = '';
    if (next < 0) {
      this.cells[cpu] = '.  ';
      if (!this.idleNamed) {
        this.idleNamed = true;
        suffix = '.  => swapper:0';
      }
    } else {
      let name = this.shortName[next];
      if (name === '') {
        name = String.fromCharCode(65 + this.nextLetter) + String(this.nextDigit);
        this.shortName[next] = name;
        if (++this.nextLetter === 26) {
          this.nextLetter = 0;
          this.nextDigit = (this.nextDigit + 1) % 10;
        }
        suffix = `${name} => ${this.legend[next]}`;
      }
      this.cells[cpu] = `${name} `;
    }
    let line = '  ';
    const cells = this.cells;
    for (let c = 0; c < cells.length; c++) line += (c === cpu ? '*' : ' ') + cells[c];
    this.write(`${line}  ${usecTime(t).padStart(12)} secs ${suffix}\n`);
  }

  waking(): void {}
  migrate(): void {}
  kvmExit(): void {}
  kvmEntry(): void {}
  end(): void {}
}
