import { describe, expect, it } from 'vitest';
import { fileSwitchRows, fixtureText, parseTextWith, RECORDINGS, truth } from '../../test/fixtures';
import { PrevState, TaskKind, WakeupKind, type TraceModel } from '../model/types';
import { BlockSignal, createTimehistParser, TimehistParser } from './timehist';
import { TraceBuilder } from '../model/builder';
import { thousands } from '../model/format';

const parse = (text: string, chunkSize?: number): TraceModel =>
  parseTextWith(createTimehistParser, text, 'perf-sched-timehist', chunkSize);

const tid = (m: TraceModel, task: number): number => m.tasks.tid[task];
const tgid = (m: TraceModel, task: number): number => m.tasks.tgid[task];
const comm = (m: TraceModel, task: number): string | undefined => m.tasks.comms[task].at(-1);

function taskByTid(m: TraceModel, t: number): number {
  for (let i = 0; i < m.tasks.length; i++) if (m.tasks.tid[i] === t) return i;
  return -1;
}

/** Absolute time of switch i as "sec.usec" (timehist and perf script both print usec). */
function absUsec(m: TraceModel, time: number): string {
  const ns = BigInt(m.origin.sec) * 1_000_000_000n + BigInt(m.origin.ns) + BigInt(time);
  const sec = ns / 1_000_000_000n;
  const us = (ns % 1_000_000_000n) / 1000n;
  return `${sec}.${us.toString().padStart(6, '0')}`;
}

interface ScriptSwitch {
  time: string;
  cpu: number;
  prev: number;
  next: number;
  /**
   * prev_pid of the next switch on the same CPU (next_pid for the last): what a timehist,
   * which prints only switched-out tasks, can show as the task switched in. It differs from
   * next_pid where the recording lacks a switch (these recordings miss some switch-outs of
   * `tokio-rt-worker` threads).
   */
  following: number;
}

/** sched_switch events of a `perf script` text, read independently of the parser. */
function scriptSwitches(text: string): ScriptSwitch[] {
  const out: ScriptSwitch[] = [];
  const re = /\[(\d+)\]\s+(\d+\.\d+):\s+sched:sched_switch: .*? prev_pid=(-?\d+) .*? next_pid=(\d+) /;
  const lastOnCpu = new Map<number, ScriptSwitch>();
  for (const line of text.split('\n')) {
    if (!line.includes('sched:sched_switch:')) continue;
    const m = re.exec(line);
    if (!m) throw new Error(`unreadable script line: ${line}`);
    const s = { time: m[2], cpu: Number(m[1]), prev: Number(m[3]), next: Number(m[4]), following: Number(m[4]) };
    const before = lastOnCpu.get(s.cpu);
    if (before) before.following = s.prev;
    lastOnCpu.set(s.cpu, s);
    out.push(s);
  }
  return out;
}

/** tid -> tgid from the `pid/tid` column of `perf script -F comm,pid,tid,...`. */
function scriptTgids(text: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const m of text.matchAll(/ (\d+)\/(\d+)\s+\[\d+\]/g)) {
    const t = Number(m[2]);
    if (t > 0) map.set(t, Number(m[1]));
  }
  return map;
}

const DATA_LINE = /^\s*\d+\.\d+ \[\d+\]\s/;

describe('perf sched timehist: recordings', () => {
  for (const rec of RECORDINGS) {
    it(`${rec}: switches match perf script of the same recording`, () => {
      const text = fixtureText(`${rec}.timehist.txt`);
      const lines = text.split('\n');
      const dataLines = lines.filter((l) => DATA_LINE.test(l));
      const m = parse(text);
      const script = scriptSwitches(fixtureText(`${rec}.script.txt`));
      const tgids = scriptTgids(fixtureText(`${rec}.script-pidtid.txt`));

      expect(m.format).toBe('perf-sched-timehist');
      expect(m.formatDetail).toBe('perf sched timehist');
      expect(m.skippedLines).toBe(0);
      expect(m.hasStates).toBe(false);
      expect(m.switches.length).toBe(dataLines.length);
      expect(m.switches.length).toBe(script.length);
      expect(m.warnings.some((w) => /inferred from run times|step backwards/.test(w.message))).toBe(false);

      // Index of the last switch per CPU.
      const last = new Map<number, number>();
      for (let i = 0; i < script.length; i++) last.set(script[i].cpu, i);

      let exiting = 0;
      let missingInRecording = 0;
      for (let i = 0; i < script.length; i++) {
        const s = script[i];
        const sw = m.switches;
        expect(absUsec(m, sw.time[i])).toBe(s.time);
        expect(sw.cpu[i]).toBe(s.cpu);
        const prev = sw.prev[i];
        if (/\[-1\/\d+\]/.test(dataLines[i])) {
          // `:-1[-1/pid]`: perf does not give the exiting thread's tid (and the pid is stale).
          exiting++;
          expect(m.tasks.kind[prev]).toBe(TaskKind.Unknown);
          expect(comm(m, prev)).toBe('exiting thread (tid not shown)');
          expect(tgid(m, prev)).toBe(-1);
        } else {
          expect(tid(m, prev)).toBe(s.prev);
        }
        const next = sw.next[i];
        if (s.following !== s.next) missingInRecording++;
        if (last.get(s.cpu) === i) {
          expect(m.tasks.kind[next]).toBe(TaskKind.Unknown);
          expect(tid(m, next)).toBe(-1);
        } else if (tid(m, next) === -1) {
          // The next line on this CPU is an exiting thread.
          expect(comm(m, next)).toBe('exiting thread (tid not shown)');
          expect(tgids.get(s.following)).toBeGreaterThan(0);
        } else {
          // next_pid wherever the recording has the switch-out of the task switched in.
          expect(tid(m, next)).toBe(s.following);
        }
      }
      expect(exiting).toBe(dataLines.filter((l) => l.includes('[-1/')).length);
      // Few switched-in tasks lack their switch-out in the recording itself (idle on CPU 1 in startup-exit).
      expect(missingInRecording).toBeLessThan(script.length / 20);

      for (const vm of truth(rec).vms) {
        for (const v of vm.vcpus) {
          const task = taskByTid(m, v.tid);
          expect(task, `vCPU ${v.tid}`).toBeGreaterThan(0);
          expect(tgid(m, task)).toBe(vm.pid);
        }
      }
    });
  }

  it('reads the same with any chunking of the input', () => {
    const text = fixtureText('synth-4vm-x2vcpu-spin.timehist.txt');
    const a = parse(text);
    const b = parse(text, 777);
    expect(Array.from(b.switches.time)).toEqual(Array.from(a.switches.time));
    expect(Array.from(b.switches.next)).toEqual(Array.from(a.switches.next));
  });

  it('infers the switch-ins a filtered timehist (-p) does not print', () => {
    // `perf sched timehist -p 20733` prints exactly the lines of that process (checked with perf 6.1).
    const full = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n');
    const filtered = [...full.slice(0, 3), ...full.slice(3).filter((l) => /(\[|\/)20733\]\s/.test(l))].join('\n');
    const m = parse(filtered);
    const script = scriptSwitches(fixtureText('qemu-tcg-2vm-x2vcpu.script.txt'));
    const tgids = scriptTgids(fixtureText('qemu-tcg-2vm-x2vcpu.script-pidtid.txt'));
    const byKey = new Map<string, ScriptSwitch[]>();
    for (const s of script) {
      const key = `${s.cpu}|${s.time}`;
      byKey.set(key, [...(byKey.get(key) ?? []), s]);
    }
    expect(m.skippedLines).toBe(0);
    expect(m.warnings.some((w) => /step backwards/.test(w.message))).toBe(false);
    let inferred = 0;
    let firstLines = 0;
    let hiddenNext = 0;
    const inferredRows = new Set(m.inferredSwitchRows);
    for (let i = 0; i < m.switches.length; i++) {
      const cpu = m.switches.cpu[i];
      const prev = m.switches.prev[i];
      const next = m.switches.next[i];
      if (i > 0) expect(m.switches.time[i]).toBeGreaterThanOrEqual(m.switches.time[i - 1]);
      if (prev === -1) {
        // Inferred at a CPU's first line (its run time is not 0 in a filtered output): the switch to it is there too.
        expect(inferredRows.has(i)).toBe(true);
        firstLines++;
        const t = m.switches.time[i];
        const at = [...(byKey.get(`${cpu}|${absUsec(m, t)}`) ?? []), ...(byKey.get(`${cpu}|${absUsec(m, t - 1000)}`) ?? [])];
        expect(at.some((s) => s.next === tid(m, next))).toBe(true);
        continue;
      }
      expect(inferredRows.has(i)).toBe(comm(m, prev) === 'tasks not in this timehist');
      if (comm(m, prev) === 'tasks not in this timehist') {
        // Inferred: the real switch to `next` is 0 or 1 usec before the inferred time.
        inferred++;
        const t = m.switches.time[i];
        const candidates = [
          ...(byKey.get(`${cpu}|${absUsec(m, t)}`) ?? []),
          ...(byKey.get(`${cpu}|${absUsec(m, t - 1000)}`) ?? []),
        ];
        expect(candidates.some((s) => s.next === tid(m, next))).toBe(true);
        expect(tgid(m, next)).toBe(20733);
        continue;
      }
      const s = (byKey.get(`${cpu}|${absUsec(m, m.switches.time[i])}`) ?? []).find((x) => x.prev === tid(m, prev));
      expect(s).toBeDefined();
      if (comm(m, next) === 'tasks not in this timehist') {
        hiddenNext++;
        expect(tgids.get(s!.following) ?? 0).not.toBe(20733);
      } else if (m.tasks.kind[next] !== TaskKind.Unknown) {
        expect(tid(m, next)).toBe(s!.following);
      }
    }
    expect(inferred).toBeGreaterThan(50);
    expect(firstLines).toBe(2); // one per CPU
    expect(m.inferredSwitchRows.length).toBe(inferred + firstLines);
    expect(m.warningSummary.find((e) => e.kind === 'inferred-switch')?.count).toBe(inferred + firstLines);
    expect(hiddenNext).toBe(inferred);
    expect(m.warnings.some((w) => w.message.includes(`${thousands(inferred)} switch-ins inferred from run times`))).toBe(true);
  });
});

// ---- hand-made and excerpted variants -------------------------------------------------------

const HEADER = [
  '           time    cpu  task name                       wait time  sch delay   run time',
  '                        [tid/pid]                          (msec)     (msec)     (msec)',
  '--------------- ------  ------------------------------  ---------  ---------  ---------',
];

/** A data row as timehist_print_sample prints it (comm width 30). */
function row(time: string, cpu: number, task: string, run: string, extra = '', width = 30): string {
  const col = (v: string): string => {
    const [ms, us] = v.split('.');
    return `${ms.padStart(6)}.${us} `;
  };
  return `${time.padStart(15)} [${String(cpu).padStart(4, '0')}]  ${task.padEnd(width)} ${col('0.000')}${col('0.000')}${col(run)}${extra}`;
}

describe('perf sched timehist: seconds read by blockSignal', () => {
  // The driver asks blockSignal first, then gives the same line to line(), which takes the seconds it read.
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const feed = (p: TimehistParser, b: TraceBuilder, buf: Uint8Array, no: number, signal?: Uint8Array): BlockSignal => {
    const s = p.blockSignal(signal ?? buf, 0, buf.length);
    b.line = no;
    p.line(buf, 0, buf.length, no);
    return s;
  };

  it('gives each line its own time, also when the line read next is not the one blockSignal read', () => {
    const b = new TraceBuilder('perf-sched-timehist');
    const p = new TimehistParser(b);
    const rows = [
      row('100.000010', 0, 'a[10]', '0.000'),
      row('100.000020', 0, 'b[20]', '0.010'),
      row('200.000030', 0, 'c[30]', '100000.010'), // run times that reach back to the line before: no gap
      row('300.000040', 0, 'd[40]', '100000.010'),
    ].map(bytes);
    expect(feed(p, b, rows[0], 1)).toBe(BlockSignal.Other); // nothing read yet
    expect(feed(p, b, rows[1], 2)).toBe(BlockSignal.Data);
    // A different buffer of the same length than the one blockSignal read: its own seconds (200, not 300).
    expect(feed(p, b, rows[2], 3, rows[3].slice())).toBe(BlockSignal.Data);
    expect(feed(p, b, rows[3], 4)).toBe(BlockSignal.Data);
    p.finish();
    const m = b.finish();
    expect(m.skippedLines).toBe(0);
    expect(Array.from(m.switches.time)).toEqual([0, 10_000, 100_000_020_000, 200_000_030_000]);
  });
});

describe('perf sched timehist: line grammar', () => {
  it('takes the task from the bracket group that ends the name (comms with spaces and brackets)', () => {
    const m = parse(
      [
        ...HEADER,
        row('100.000010', 0, 'CPU 0/KVM[201/200]', '0.000'),
        row('100.000020', 0, 'a[1] b[300]', '0.010'),
        row('100.000030', 0, 'weird [x] 2[3][400/399]', '0.010'),
        row('100.000040', 0, '[500]', '0.010'),
        row('100.000050', 0, '<idle>', '0.010'),
        row('100.000060', 0, 'memfd:sealed-91[2124]', '0.010'),
      ].join('\n'),
    );
    const sw = m.switches;
    expect(m.skippedLines).toBe(0);
    expect(Array.from(sw.prev, (p) => tid(m, p))).toEqual([201, 300, 400, 500, 0, 2124]);
    expect(Array.from(sw.next, (p) => tid(m, p))).toEqual([300, 400, 500, 0, 2124, -1]);
    expect(Array.from(sw.prev, (p) => comm(m, p))).toEqual([
      'CPU 0/KVM',
      'a[1] b',
      'weird [x] 2[3]',
      '',
      'swapper',
      'memfd:sealed-91',
    ]);
    // comm[tid] means tid == pid; comm[tid/pid] gives the process.
    expect(tgid(m, sw.prev[0])).toBe(200);
    expect(tgid(m, sw.prev[1])).toBe(300);
    expect(tgid(m, sw.prev[2])).toBe(399);
    expect(m.switches.prevState[0]).toBe(PrevState.Unknown);
    // Exact relative times.
    expect(Array.from(sw.time)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(m.origin).toEqual({ sec: 100, ns: 10_000 });
    const unknown = m.warnings.filter((w) => w.message.includes('last switch on 1 CPU'));
    expect(unknown).toHaveLength(1);
  });

  it('links each CPU separately and emits switches in file order', () => {
    // CPU 1 has one switch early and the next one last: every switch in between waits for it.
    const m = parse(
      [
        ...HEADER,
        row('5.000001', 1, 'vcpu[11/10]', '0.000'),
        row('5.000002', 0, 'a[21]', '0.000'),
        row('5.000003', 0, 'b[22]', '0.001'),
        row('5.000004', 0, 'a[21]', '0.001'),
        row('5.000005', 1, 'c[23]', '0.004'),
        row('5.000006', 0, 'b[22]', '0.002'),
      ].join('\n'),
    );
    const sw = m.switches;
    expect(Array.from(sw.cpu)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(sw.prev, (p) => tid(m, p))).toEqual([11, 21, 22, 21, 23, 22]);
    expect(Array.from(sw.next, (p) => tid(m, p))).toEqual([23, 22, 21, 22, -1, -1]);
    expect(m.warnings.some((w) => w.message.includes('last switch on 2 CPUs'))).toBe(true);
  });

  it('reads --state (real perf 6.1 output) and maps the letters', () => {
    const m = parse(
      [
        '           time    cpu  task name                       wait time  sch delay   run time  state',
        '                        [tid/pid]                          (msec)     (msec)     (msec)       ',
        '--------------- ------  ------------------------------  ---------  ---------  ---------  -----',
        '    1420.590990 [0000]  perf[20840]                         0.000      0.000      0.000      D ',
        '    1420.591014 [0000]  migration/0[18]                     0.000      0.005      0.024      S ',
        '    1420.591095 [0000]  CPU 0/TCG[20746/20733]              0.000      0.000      0.080      R ',
        '    1420.591102 [0000]  <idle>                              0.000      0.000      0.006      I ',
        '    1420.591110 [0000]  x[7]                                0.000      0.000      0.008      Z ',
        '    1420.591120 [0000]  y[8]                                0.000      0.000      0.010      t ',
        '    1420.591130 [0000]  y[9]                                0.000      0.000      0.010      X ',
        '    1420.591140 [0000]  y[10]                               0.000      0.000      0.010      P ',
        '    1420.591150 [0000]  y[11]                               0.000      0.000      0.010      T ',
        '    1420.591160 [0000]  y[12]                               0.000      0.000      0.010      ? ',
      ].join('\n'),
    );
    expect(m.hasStates).toBe(true);
    expect(m.skippedLines).toBe(0);
    expect(Array.from(m.switches.prevState)).toEqual([
      PrevState.Uninterruptible,
      PrevState.Sleeping,
      PrevState.Runnable,
      // perf prints I for the idle task; the idle loop is TASK_RUNNING, as perf script shows.
      PrevState.Runnable,
      PrevState.Zombie,
      PrevState.Traced,
      PrevState.Dead,
      PrevState.Parked,
      PrevState.Stopped,
      PrevState.Other,
    ]);
  });

  it('reads the state letters of perf 6.1 (old letter string on a 6.18 kernel)', () => {
    // Same switches in perf script: rcu_preempt prev_state=I, kdamond.0 R+, sleep Z (exiting leader).
    const m = parse(
      [
        '           time    cpu  task name                       wait time  sch delay   run time  state',
        '                        [tid/pid]                          (msec)     (msec)     (msec)       ',
        '--------------- ------  ------------------------------  ---------  ---------  ---------  -----',
        '    1420.594916 [0000]  rcu_preempt[15]                     0.000      0.021      0.008      K ',
        '    1421.947577 [0000]  kdamond.0[77]                     510.965      0.011      0.694      W ',
        '    1422.592581 [0001]  sleep[20841]                     2000.062      0.009      0.215      X ',
        '    1422.592590 [0001]  a[1]                                0.000      0.009      0.009      Z ',
        '    1422.592600 [0001]  a[1]                                0.000      0.009      0.010      x ',
      ].join('\n'),
    );
    // (Excerpts: the gaps between them, and each CPU's first line, become inferred switches.)
    const read = fileSwitchRows(m).map((i) => m.switches.prevState[i]);
    expect(read).toEqual([PrevState.Idle, PrevState.Preempted, PrevState.Zombie, PrevState.Dead, PrevState.Parked]);
  });

  it('uses the -n column for the last switch on each CPU (real perf 6.1 output)', () => {
    const m = parse(
      [
        ...HEADER,
        '    1422.592643 [0001]  perf[20840]                      2000.230      0.010      0.061  next: migration/1[21]         ',
        '    1422.592670 [0001]  migration/1[21]                     0.000      0.004      0.027  next: CPU 1/TCG[20749]        ',
        '    1422.592672 [0000]  CPU 0/TCG[20746/20733]              0.006      0.000      1.064  next: perf[20840]             ',
        '    1422.593142 [0001]  CPU 1/TCG[20749/20735]              3.535      0.000      0.471  next: qemu-system-x86[20735]  ',
        '    1422.593157 [0001]  qemu-system-x86[20735]              3.951      0.010      0.014  next: perf[20840]             ',
        '    1422.593160 [0002]  kvm-nx-lpage-re[1234567/1234560]    0.000      0.000      0.001  next: qemu-system-x86[1234567',
      ].join('\n'),
    );
    const sw = m.switches;
    const rows = fileSwitchRows(m);
    expect(m.skippedLines).toBe(0);
    expect(rows.map((i) => tid(m, sw.next[i]))).toEqual([21, 20749, 20840, 20735, 20840, -1]);
    expect(comm(m, sw.next[rows[0]])).toBe('migration/1');
    // Each CPU's first line ran for its run time: perf[20840] from 1422.592582 on CPU 1, and so on.
    expect(Array.from(m.inferredSwitchRows, (i) => [sw.cpu[i], tid(m, sw.next[i]), absUsec(m, sw.time[i])])).toEqual([
      [0, 20746, '1422.591608'],
      [1, 20840, '1422.592582'],
      [2, 1234567, '1422.593159'],
    ]);
    // The cut `next:` of CPU 2 leaves its last switch unknown.
    expect(m.warnings.filter((w) => w.message.includes('last switch on 1 CPU'))).toHaveLength(1);
  });

  it('uses the -n column over the next line when they disagree', () => {
    const m = parse(
      [
        ...HEADER,
        row('1.000001', 0, 'a[1]', '0.000', '  next: b[2]'),
        row('1.000003', 0, 'c[3]', '0.002', '  next: <idle>[0]'),
        row('1.000005', 0, '<idle>', '0.002', '  next: swapper/0[0]'),
      ].join('\n'),
    );
    expect(Array.from(m.switches.next, (p) => tid(m, p))).toEqual([2, 0, 0]);
  });

  it('reads -w wakeup lines (real perf 6.1 output)', () => {
    const m = parse(
      [
        ...HEADER,
        '    1420.590985 [0000]  perf[20840]                                                      awakened: migration/0[18]',
        '    1420.590990 [0000]  perf[20840]                         0.000      0.000      0.000                                 ',
        '    1420.590995 [0000]  migration/0[18]                                                  awakened: perf[20840]',
        '    1420.591014 [0000]  migration/0[18]                     0.000      0.005      0.024                                 ',
        '    1420.591090 [0000]  CPU 0/TCG[20746/20733]                                           awakened: qemu-system-x86[20733]',
        '    1420.591095 [0000]  CPU 0/TCG[20746/20733]              0.000      0.000      0.080                                 ',
        '    1420.591096 [0001]  x[5/4]                                                           awakened: CPU 1/KVM[12/10]',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.switches.length).toBe(3);
    expect(Array.from(m.switches.prev, (p) => tid(m, p))).toEqual([20840, 18, 20746]);
    expect(Array.from(m.switches.next, (p) => tid(m, p)).slice(0, 2)).toEqual([18, 20746]);
    expect(m.wakeups.length).toBe(4);
    expect(Array.from(m.wakeups.task, (p) => tid(m, p))).toEqual([18, 20840, 20733, 12]);
    expect(Array.from(m.wakeups.cpu)).toEqual([0, 0, 0, 1]);
    expect(Array.from(m.wakeups.kind)).toEqual([
      WakeupKind.Waking,
      WakeupKind.Waking,
      WakeupKind.Waking,
      WakeupKind.Waking,
    ]);
    expect(absUsec(m, m.wakeups.time[0])).toBe('1420.590985');
    expect(tgid(m, m.wakeups.task[3])).toBe(10);
    expect(comm(m, m.wakeups.task[3])).toBe('CPU 1/KVM');
  });

  it('reads -M migration lines (real perf 6.1 output)', () => {
    const m = parse(
      [
        ...HEADER,
        '    1420.590990 [0000]  perf[20840]                         0.000      0.000      0.000 ',
        '    1420.590996 [0000]  migration/0[18]                                                  migrated: perf[20840] cpu 0 => 1',
        '    1420.591014 [0000]  migration/0[18]                     0.000      0.005      0.024 ',
        '    1420.594881 [0001]  CPU 0/TCG[20747/20735]                                           migrated: CPU 1/TCG[20748/20733] cpu 0 => 1',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.switches.length).toBe(2);
    expect(m.migrations.length).toBe(2);
    expect(Array.from(m.migrations.task, (p) => tid(m, p))).toEqual([20840, 20748]);
    expect(Array.from(m.migrations.fromCpu)).toEqual([0, 0]);
    expect(Array.from(m.migrations.toCpu)).toEqual([1, 1]);
    expect(tgid(m, m.migrations.task[1])).toBe(20733);
    expect(absUsec(m, m.migrations.time[1])).toBe('1420.594881');
  });

  it('reads -w -M -V --state -n together (real perf 6.1 output)', () => {
    const m = parse(
      [
        '           time    cpu  012  task name                       wait time  sch delay   run time  state',
        '                             [tid/pid]                          (msec)     (msec)     (msec)       ',
        '--------------- ------  ---  ------------------------------  ---------  ---------  ---------  -----',
        '    1420.590985 [0000]       perf[20840]                                                      awakened: migration/0[18]',
        '    1420.590990 [0000]  s    perf[20840]                         0.000      0.000      0.000      D  next: migration/0[18]         ',
        '    1420.590995 [0000]       migration/0[18]                                                  awakened: perf[20840]',
        '    1420.590996 [0000]   m     migration/0[18]                                                  migrated: perf[20840] cpu 0 => 1',
        '    1420.591014 [0000]  s    migration/0[18]                     0.000      0.005      0.024      S  next: CPU 0/TCG[20746]        ',
        '    1420.591142 [0001]       perf[20840]                                                      awakened: perf-exec[20841]',
        '    1420.591147 [0001]   s   perf[20840]                         0.000      0.000      0.000      R  next: perf-exec[20841]        ',
        '    1420.594881 [0001]    m    CPU 0/TCG[20747/20735]                                           migrated: CPU 1/TCG[20748/20733] cpu 0 => 1',
        '    1420.594890 [0000]  i    <idle>                              0.000      0.000      3.876      I  next: swapper/0[0]            ',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.hasStates).toBe(true);
    expect(m.declaredCpuCount).toBe(2);
    expect(Array.from(m.switches.prev, (p) => tid(m, p))).toEqual([20840, 18, 20840, 0]);
    expect(Array.from(m.switches.next, (p) => tid(m, p))).toEqual([18, 20746, 20841, 0]);
    expect(Array.from(m.switches.prevState)).toEqual([
      PrevState.Uninterruptible,
      PrevState.Sleeping,
      PrevState.Runnable,
      PrevState.Runnable,
    ]);
    expect(Array.from(m.switches.cpu)).toEqual([0, 0, 1, 0]);
    expect(m.wakeups.length).toBe(3);
    expect(Array.from(m.migrations.task, (p) => tid(m, p))).toEqual([20840, 20748]);
    // The running task of a migration line is read past the shifted -V block too.
    expect(comm(m, taskByTid(m, 20747))).toBe('CPU 0/TCG');
    // The excerpt leaves out CPU 0's lines after line 7 (next: CPU 0/TCG), so line 12's <idle> was never switched in.
    expect(m.warnings.map((w) => [w.line, w.kind])).toEqual([[12, 'lost-switch-in']]);
  });

  it('reads a -V block whose migration mark is in the last column', () => {
    const m = parse(
      [
        '           time    cpu  0123  task name                       wait time  sch delay   run time',
        '                              [tid/pid]                          (msec)     (msec)     (msec)',
        '--------------- ------  ----  ------------------------------  ---------  ---------  ---------',
        '       7.000001 [0003]     s  sleep[40]                           0.000      0.000      0.000 ',
        '       7.000002 [0003]      m   migration/3[41]                                                  migrated: sleep[40] cpu 3 => 0',
        '       7.000003 [0003]     s  migration/3[41]                     0.000      0.000      0.002 ',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.declaredCpuCount).toBe(3);
    expect(Array.from(m.switches.prev, (p) => comm(m, p))).toEqual(['sleep', 'migration/3']);
    expect(Array.from(m.migrations.toCpu)).toEqual([0]);
  });

  it('skips the --show-prio column', () => {
    const m = parse(
      [
        '           time    cpu  task name                       prio      wait time  sch delay   run time',
        '                        [tid/pid]                                    (msec)     (msec)     (msec)',
        '--------------- ------  ------------------------------  --------  ---------  ---------  ---------',
        '  103032.721020 [0000]  perf[47206]                      120           0.000      0.000      0.000 ',
        '  103032.721034 [0000]  migration/0[18]                  0             0.000      0.003      0.013 ',
        '  103032.721040 [0000]  rt[19]                           -1            0.000      0.003      0.006 ',
        '  103032.736716 [0000]  schbench[47229/47207]            120->100     10.664      9.231     15.676 ',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(Array.from(m.switches.prev, (p) => tid(m, p))).toEqual([47206, 18, 19, 47229]);
    expect(tgid(m, m.switches.prev[3])).toBe(47207);
  });

  it('reads -P (pre-migration column) with --state', () => {
    const m = parse(
      [
        '           time    cpu  task name                       wait time  sch delay   run time  pre-mig time  state',
        '                        [tid/pid]                          (msec)     (msec)     (msec)     (msec)',
        '--------------- ------  ------------------------------  ---------  ---------  ---------  ---------  -----',
        '  103032.721020 [0000]  perf[47206]                         0.000      0.000      0.000      0.000      S ',
        '  103032.736716 [0000]  schbench[47229/47207]              10.664      9.231     15.696      9.170      R ',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(Array.from(m.switches.prevState)).toEqual([PrevState.Sleeping, PrevState.Runnable]);
    expect(tid(m, m.switches.next[0])).toBe(47229);
  });

  it('ignores callchains appended to data lines', () => {
    const m = parse(
      [
        ...HEADER,
        row(
          '9.000001',
          0,
          'qemu-kvm[300/299]',
          '0.000',
          '  __schedule <- schedule <- kvm_vcpu_block [kvm] <- [unknown] <- [123]',
        ),
        row('9.000009', 0, 'qemu-kvm[301/299]', '0.008', '  schedule <- do_nanosleep <- hrtimer_nanosleep'),
        row('9.000010', 0, '<idle>', '0.001'),
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(Array.from(m.switches.prev, (p) => tid(m, p))).toEqual([300, 301, 0]);
    expect(Array.from(m.switches.next, (p) => tid(m, p)).slice(0, 2)).toEqual([301, 0]);
  });

  it('ignores -S summary tables after the events (real perf 6.1 output)', () => {
    const m = parse(
      [
        ...HEADER,
        '    1422.593142 [0001]  CPU 1/TCG[20749/20735]              3.535      0.000      0.471 ',
        '    1422.593157 [0001]  qemu-system-x86[20735]              3.951      0.010      0.014 ',
        '',
        'Runtime summary',
        '                          comm  parent   sched-in     run-time    min-run     avg-run     max-run  stddev  migrations',
        '                                          (count)       (msec)     (msec)      (msec)      (msec)       %',
        '---------------------------------------------------------------------------------------------------------------------',
        '        CPU 0/TCG[20746/20733]   20733       1028      985.723      0.004       0.958       4.014    4.25       0',
        '         memfd:sealed-91[2124]       1         40        1.131      0.021       0.028       0.044    2.46       0',
        '',
        'Terminated tasks:',
        '                  sleep[20841]   20840          2        1.370      0.215       0.685       1.155   68.58       0',
        '',
        'Idle stats:',
        '    CPU  0 idle entire time window',
        '    CPU  1 idle for    999.726  msec  ( 99.96%)',
        '',
        '    Total number of unique tasks: 18',
        'Total number of context switches: 6899',
        '           Total run time (msec): 4003.691 ',
        '    Total scheduling time (msec): 2002.166  (x 2)',
      ].join('\n'),
    );
    expect(fileSwitchRows(m)).toHaveLength(2);
    expect(m.inferredSwitchRows).toHaveLength(1); // CPU 1's first line
    expect(m.skippedLines).toBe(0);
    expect(m.warnings.every((w) => !w.message.startsWith('skipped'))).toBe(true);
  });

  it('follows the comm column as it grows', () => {
    const m = parse(
      [
        ...HEADER,
        row('3.000001', 0, 'a[1]', '0.000'),
        row('3.000002', 0, 'worker thread1[1234567/1234500]', '0.001', '', 31),
        row('3.000003', 0, 'CPU 12/KVM[1234600/1234500]', '0.001', '', 31),
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(Array.from(m.switches.prev, (p) => tid(m, p))).toEqual([1, 1234567, 1234600]);
    expect(tgid(m, m.switches.prev[2])).toBe(1234500);
  });

  it('accepts names perf cut at 31 characters', () => {
    // comm[tid/pid] is printed into a 32-byte buffer: a 15-character comm with 7-digit ids loses the `]`.
    const m = parse(
      [
        ...HEADER,
        row('3.000002', 0, 'qemu-system-x86[1234567/1234560', '0.000', '', 31),
        row('3.000003', 0, 'a-sixteen-chars_[1234568/123456', '0.001', '', 31),
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(tid(m, m.switches.prev[0])).toBe(1234567);
    expect(tgid(m, m.switches.prev[0])).toBe(1234560);
    expect(comm(m, m.switches.prev[0])).toBe('qemu-system-x86');
    // A longer comm would cut the pid: left unknown.
    expect(tid(m, m.switches.prev[1])).toBe(1234568);
    expect(tgid(m, m.switches.prev[1])).toBe(-1);
    expect(m.warnings.some((w) => w.line === 5 && w.message.includes('cut at 31 characters'))).toBe(true);
  });

  it('shows an exiting thread (`:-1[-1/pid]`) as a placeholder, or as the -n task', () => {
    const m = parse(
      [
        ...HEADER,
        row('1765.746764', 0, 'vmsim-vm0[12096]', '0.000'),
        row('1765.747930', 0, ':-1[-1/12096]', '1.166'),
        row('1765.750775', 0, 'CPU 1/KVM[12101/12099]', '2.845'),
      ].join('\n'),
    );
    const prev = m.switches.prev[1];
    expect(tid(m, prev)).toBe(-1);
    // perf's pid here is the first exiting thread's (one thread object for tid -1): not used.
    expect(tgid(m, prev)).toBe(-1);
    expect(m.tasks.kind[prev]).toBe(TaskKind.Unknown);
    expect(m.switches.next[0]).toBe(prev);
    expect(tid(m, m.switches.next[1])).toBe(12101);

    const n = parse(
      [
        ...HEADER,
        row('1765.746764', 0, 'vmsim-vm0[12096]', '0.000', '  next: CPU 0/KVM[12097]'),
        row('1765.747930', 0, ':-1[-1/12096]', '1.166', '  next: CPU 1/KVM[12101]'),
      ].join('\n'),
    );
    expect(tid(n, n.switches.prev[1])).toBe(12097);
    expect(n.switches.next[0]).toBe(n.switches.prev[1]);
  });

  it('reads lines without a header, guessing the optional columns', () => {
    const m = parse(
      [
        '    1420.590990 [0000]  perf[20840]                         0.000      0.000      0.000      D  next: migration/0[18]         ',
        '    1420.591014 [0000]  migration/0[18]                     0.000      0.005      0.024      S  next: CPU 0/TCG[20746]        ',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.hasStates).toBe(true);
    expect(Array.from(m.switches.prevState)).toEqual([PrevState.Uninterruptible, PrevState.Sleeping]);
    expect(Array.from(m.switches.next, (p) => tid(m, p))).toEqual([18, 20746]);
  });

  it('records lost events', () => {
    const m = parse(
      [...HEADER, row('2.000001', 0, 'a[1]', '0.000'), '       2.000002 lost 17 events on cpu 3'].join('\n'),
    );
    expect(m.lost).toEqual([{ line: 5, time: 1000, cpu: 3, count: 17, message: 'lost 17 events on CPU 3' }]);
  });

  it('skips malformed migrated and lost lines, naming the line and what was expected', () => {
    const m = parse(
      [
        ...HEADER,
        row('2.000001', 0, 'a[1]', '0.000'), // 4
        '       2.000002 [0000]  migration/0[18]                                                  migrated: perf[20840] cpu 0 =>', // 5
        '       2.000003 [0000]  migration/0[18]                                                  migrated: perf[20840] cpu x => 1', // 6
        '       2.000004 lost many events on cpu 3', // 7
        '       2.000005 lost 4 events on cpu', // 8
      ].join('\n'),
    );
    expect(m.migrations.length).toBe(0);
    expect(m.warnings.filter((w) => /skipped/.test(w.message)).map((w) => [w.line, w.message])).toEqual([
      [5, 'skipped: malformed "migrated: ... cpu A => B"'],
      [6, 'skipped: malformed "migrated: ... cpu A => B"'],
      [7, 'skipped: malformed "lost N events on cpu C" line'],
      [8, 'skipped: malformed "lost N events on cpu C" line'],
    ]);
    expect(m.lost).toEqual([]);
  });

  it('skips malformed lines with their line numbers and never throws', () => {
    const lines = [
      ...HEADER, // 1-3
      row('4.000001', 0, 'a[1]', '0.000'), // 4
      '    4.000002 [0000]', // 5: nothing after the cpu
      '    4.0000x3 [0000]  b[2]      0.000      0.000      0.001 ', // 6: bad time
      '    4.000004 (0000)  b[2]      0.000      0.000      0.001 ', // 7: no [cpu]
      '    4.000005 [0000]  b[2]      0.000      oops      0.001 ', // 8: bad columns
      '    4.000006 [0000]  no tid here         0.000      0.000      0.001 ', // 9: no comm[tid]
      'Samples do not have callchains.', // 10: stray stderr
      '    4.000007 [0000]  c[3]      0.000      0.000      0.001 ', // 11
      '    4.000008 [0000]  d[4]      0.000      0.000      0.001  next: ', // 12: empty next is no next
      '    4.000009 [0001]  e[5]                                   awakened: ', // 13: no wakee
      '    4.000010 [0001]  e[5]                                   migrated: f[6] cpu x => 1', // 14
      '    4.000011 lost many events', // 15
      '    4.000012 [99999]  e[5]      0.000      0.000      0.001 ', // 16: cpu out of range
      '\u0000\u0001garbage', // 17
    ];
    let m: TraceModel | undefined;
    expect(() => (m = parse(lines.join('\n')))).not.toThrow();
    const skipped = m!.warnings.filter((w) => w.message.startsWith('skipped')).map((w) => w.line);
    expect(skipped).toEqual([5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17]);
    expect(m!.skippedLines).toBe(11);
    // a -> (b ran unseen between) -> c: c was switched in 1 usec before its line, long after a's.
    expect(Array.from(m!.switches.prev, (p) => tid(m!, p))).toEqual([1, -1, 3, 4]);
    expect(comm(m!, m!.switches.prev[1])).toBe('tasks not in this timehist');
    expect(tid(m!, m!.switches.next[0])).toBe(-1);
    expect(tid(m!, m!.switches.next[1])).toBe(3);
    expect(tid(m!, m!.switches.next[2])).toBe(4);
    expect(m!.warnings.some((w) => w.line === 11 && w.message.includes('1 switch-ins inferred'))).toBe(true);
  });

  it('says nothing for an empty input', () => {
    const m = parse('');
    expect(m.switches.length).toBe(0);
    expect(m.warnings).toEqual([]);
  });
});
