// Render simulated events as real perf / ftrace text, byte for byte in the
// layouts of the recordings in shared/traces (perf 6.1: %5d tids, µs times).

import type { SynthHost } from './hostModel';
import type { ScheduleSink, SynthState } from './schedule';

export type SynthFormat = 'map' | 'script' | 'script-pidtid' | 'ftrace' | 'timehist';
export const SYNTH_FORMATS: readonly SynthFormat[] = ['map', 'script', 'script-pidtid', 'ftrace', 'timehist'];

export type Write = (text: string) => void;

/** Timestamp text `sec.usec` of a relative ns time, on a host up for `baseSec` seconds. */
function tsText(baseSec: number, ns: number): string {
  const sec = baseSec + Math.floor(ns / 1e9);
  const usec = Math.floor((ns % 1e9) / 1000);
  return `${sec}.${String(usec).padStart(6, '0')}`;
}

const pad3 = (n: number): string => String(n).padStart(3, '0');

export function createRenderer(format: SynthFormat, host: SynthHost, write: Write, baseSec = 52013): ScheduleSink & { end(): void } {
  switch (format) {
    case 'map':
      return mapRenderer(host, write, baseSec);
    case 'script':
    case 'script-pidtid':
      return scriptRenderer(host, write, baseSec, format === 'script-pidtid');
    case 'ftrace':
      return ftraceRenderer(host, write, baseSec);
    case 'timehist':
      return timehistRenderer(host, write, baseSec);
  }
}

function mapRenderer(host: SynthHost, write: Write, baseSec: number): ScheduleSink & { end(): void } {
  const names: string[] = new Array(host.tasks.length).fill('');
  const announcedComm: string[] = new Array(host.tasks.length).fill('');
  const cells: string[] = new Array(host.cpus).fill('   ');
  let counter = 0;
  let idleAnnounced = false;
  const nextName = (): string => {
    const name = String.fromCharCode(65 + (counter % 26)) + String(Math.floor(counter / 26) % 10);
    counter++;
    return name;
  };
  return {
    switch(time, cpu, _prev, _state, next) {
      let suffix = '';
      if (next < 0) {
        cells[cpu] = '.  ';
        if (!idleAnnounced) {
          idleAnnounced = true;
          suffix = '.  => swapper:0';
        }
      } else {
        const task = host.tasks[next];
        if (names[next] === '') names[next] = nextName();
        if (announcedComm[next] !== task.comm) {
          announcedComm[next] = task.comm;
          suffix = `${names[next]} => ${task.comm}:${task.tid}`;
        }
        cells[cpu] = names[next] + ' ';
      }
      let line = '  ';
      for (let c = 0; c < host.cpus; c++) line += (c === cpu ? '*' : ' ') + cells[c];
      write(`${line}  ${tsText(baseSec, time).padStart(12)} secs ${suffix}\n`);
    },
    waking() {},
    end() {},
  };
}

interface Current {
  comm: (cpu: number, task: number) => string;
}

function commOf(host: SynthHost): Current['comm'] {
  return (cpu, task) => (task < 0 ? `swapper/${cpu}` : host.tasks[task].comm);
}

function scriptRenderer(host: SynthHost, write: Write, baseSec: number, pidtid: boolean): ScheduleSink & { end(): void } {
  const running = new Int32Array(host.cpus).fill(-1);
  const comm = commOf(host);
  const prefix = (cpu: number, time: number): string => {
    const t = running[cpu];
    const c = t < 0 ? 'swapper' : host.tasks[t].comm;
    const tid = t < 0 ? 0 : host.tasks[t].tid;
    const ids = pidtid
      ? `${String(t < 0 ? 0 : host.tasks[t].tgid).padStart(5)}/${String(tid).padEnd(5)}`
      : String(tid).padStart(5);
    return `${c.padStart(16)} ${ids} [${pad3(cpu)}] ${tsText(baseSec, time).padStart(12)}: `;
  };
  const prio = (t: number): number => (t < 0 ? 120 : host.tasks[t].prio);
  const pid = (t: number): number => (t < 0 ? 0 : host.tasks[t].tid);
  return {
    switch(time, cpu, prev, state: SynthState, next) {
      write(
        `${prefix(cpu, time)}sched:sched_switch: prev_comm=${comm(cpu, prev)} prev_pid=${pid(prev)} prev_prio=${prio(prev)} prev_state=${state} ==> next_comm=${comm(cpu, next)} next_pid=${pid(next)} next_prio=${prio(next)}\n`,
      );
      running[cpu] = next;
    },
    waking(time, cpu, task, target) {
      write(`${prefix(cpu, time)}sched:sched_waking: comm=${comm(cpu, task)} pid=${pid(task)} prio=${prio(task)} target_cpu=${pad3(target)}\n`);
    },
    end() {},
  };
}

function ftraceRenderer(host: SynthHost, write: Write, baseSec: number): ScheduleSink & { end(): void } {
  const running = new Int32Array(host.cpus).fill(-1);
  const comm = commOf(host);
  let header = false;
  const prefix = (cpu: number, time: number, flags: string): string => {
    const t = running[cpu];
    const c = t < 0 ? '<idle>' : host.tasks[t].comm;
    const tid = t < 0 ? 0 : host.tasks[t].tid;
    const tgid = t < 0 ? '-------' : String(host.tasks[t].tgid).padStart(7);
    const ts = tsText(baseSec, time);
    const dot = ts.indexOf('.');
    return `${c.padStart(16)}-${String(tid).padEnd(7)} (${tgid}) [${pad3(cpu)}] ${flags} ${ts.slice(0, dot).padStart(5)}${ts.slice(dot)}: `;
  };
  const pid = (t: number): number => (t < 0 ? 0 : host.tasks[t].tid);
  const prio = (t: number): number => (t < 0 ? 120 : host.tasks[t].prio);
  const writeHeader = (): void => {
    header = true;
    write(
      [
        '# tracer: nop',
        '#',
        `# entries-in-buffer/entries-written: 0/0   #P:${host.cpus}`,
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
      ].join('\n'),
    );
  };
  return {
    switch(time, cpu, prev, state, next) {
      if (!header) writeHeader();
      write(
        `${prefix(cpu, time, 'd..2.')}sched_switch: prev_comm=${comm(cpu, prev)} prev_pid=${pid(prev)} prev_prio=${prio(prev)} prev_state=${state} ==> next_comm=${comm(cpu, next)} next_pid=${pid(next)} next_prio=${prio(next)}\n`,
      );
      running[cpu] = next;
    },
    waking(time, cpu, task, target) {
      if (!header) writeHeader();
      write(`${prefix(cpu, time, 'd..3.')}sched_waking: comm=${comm(cpu, task)} pid=${pid(task)} prio=${prio(task)} target_cpu=${pad3(target)}\n`);
    },
    end() {},
  };
}

function timehistRenderer(host: SynthHost, write: Write, baseSec: number): ScheduleSink & { end(): void } {
  const running = new Int32Array(host.cpus).fill(-1);
  const sliceStart = new Float64Array(host.cpus).fill(-1);
  const lastOut = new Float64Array(host.tasks.length + 1).fill(-1);
  const fmt = (ms: number): string => ms.toFixed(3).padStart(9);
  write(
    '           time    cpu  task name                       wait time  sch delay   run time\n' +
      '                        [tid/pid]                          (msec)     (msec)     (msec)\n' +
      '--------------- ------  ------------------------------  ---------  ---------  ---------\n',
  );
  return {
    switch(time, cpu, prev, _state, next) {
      // Every switch prints a line for the task switched out; a CPU's first has no known start.
      const start = sliceStart[cpu] >= 0 ? sliceStart[cpu] : time;
      {
        const t = prev;
        const name =
          t < 0 ? '<idle>' : host.tasks[t].tid === host.tasks[t].tgid ? `${host.tasks[t].comm}[${host.tasks[t].tid}]` : `${host.tasks[t].comm}[${host.tasks[t].tid}/${host.tasks[t].tgid}]`;
        const out = lastOut[t + 1];
        const wait = t >= 0 && out >= 0 ? (start - out) / 1e6 : 0;
        write(`${tsText(baseSec, time).padStart(15)} [${String(cpu).padStart(4, '0')}]  ${name.padEnd(30)}  ${fmt(wait)}  ${fmt(0)}  ${fmt((time - start) / 1e6)} \n`);
        lastOut[t + 1] = time;
      }
      running[cpu] = next;
      sliceStart[cpu] = time;
    },
    waking() {},
    end() {},
  };
}
