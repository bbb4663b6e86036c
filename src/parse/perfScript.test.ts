import { describe, expect, it } from 'vitest';
import { fixtureText, parseTextWith, readingWarnings, RECORDINGS, truth } from '../../test/fixtures';
import { PrevState, WakeupKind, type TraceModel } from '../model/types';
import { createPerfScriptParser } from './perfScript';

const parse = (text: string): TraceModel => parseTextWith(createPerfScriptParser, text, 'perf-script');

/** Lines of the raw text whose event field is exactly `event` (independent of the parser). */
function countEvent(text: string, event: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (line.includes(` ${event}: `)) n++;
  return n;
}

const tids = (m: TraceModel, col: Int32Array): number[] => Array.from(col, (t) => m.tasks.tid[t]);
const taskByTid = (m: TraceModel, tid: number): number => m.tasks.tid.indexOf(tid);
const commOf = (m: TraceModel, task: number): string | undefined => m.tasks.comms[task].at(-1);

describe('perf script: real recordings', () => {
  for (const rec of RECORDINGS) {
    describe(rec, () => {
      const plainText = fixtureText(`${rec}.script.txt`);
      const pidtidText = fixtureText(`${rec}.script-pidtid.txt`);
      const plain = parse(plainText);
      const pidtid = parse(pidtidText);
      const t = truth(rec);

      it('takes every switch, wakeup and migration, skips nothing', () => {
        for (const [text, m] of [
          [plainText, plain],
          [pidtidText, pidtid],
        ] as const) {
          expect(m.switches.length).toBe(countEvent(text, 'sched:sched_switch'));
          expect(m.switches.length).toBeGreaterThan(1000);
          expect(m.wakeups.length).toBe(
            countEvent(text, 'sched:sched_waking') +
              countEvent(text, 'sched:sched_wakeup') +
              countEvent(text, 'sched:sched_wakeup_new'),
          );
          expect(m.migrations.length).toBe(countEvent(text, 'sched:sched_migrate_task'));
          expect(m.skippedLines).toBe(0);
          expect(readingWarnings(m)).toEqual([]);
          expect(m.hasStates).toBe(true);
          expect(m.ignoredEvents['sched:sched_stat_runtime']).toBe(countEvent(text, 'sched:sched_stat_runtime'));
        }
        expect(plain.formatDetail).toBe('perf script');
        expect(pidtid.formatDetail).toBe('perf script (-F pid,tid)');
      });

      it('gives identical switch columns with and without -F pid,tid', () => {
        const a = plain.switches;
        const b = pidtid.switches;
        expect(Array.from(b.time)).toEqual(Array.from(a.time));
        expect(Array.from(b.cpu)).toEqual(Array.from(a.cpu));
        expect(Array.from(b.prevState)).toEqual(Array.from(a.prevState));
        expect(tids(pidtid, b.prev)).toEqual(tids(plain, a.prev));
        expect(tids(pidtid, b.next)).toEqual(tids(plain, a.next));
      });

      it('gives every vCPU thread its VM tgid and its comm (pid/tid)', () => {
        for (const vm of t.vms) {
          for (const v of vm.vcpus) {
            const task = taskByTid(pidtid, v.tid);
            expect(task, `vcpu tid ${v.tid}`).toBeGreaterThan(0);
            expect(pidtid.tasks.tgid[task], `tgid of ${v.tid}`).toBe(vm.pid);
            expect(pidtid.tasks.comms[task]).toContain(v.comm);
            // Without pid in the prefix there is no tgid.
            expect(plain.tasks.tgid[taskByTid(plain, v.tid)]).toBe(-1);
          }
        }
      });
    });
  }

  it('reads --ns timestamps exactly', () => {
    const text = fixtureText('tracecmd-qemu-2vm-x3vcpu.script-ns.txt');
    const m = parse(text);
    expect(m.formatDetail).toBe('perf script (--ns)');
    expect(m.switches.length).toBe(countEvent(text, 'sched:sched_switch'));
    expect(m.wakeups.length).toBe(countEvent(text, 'sched:sched_waking'));
    expect(m.migrations.length).toBe(countEvent(text, 'sched:sched_migrate_task'));
    expect(m.skippedLines).toBe(0);
    expect(m.origin).toEqual({ sec: 3967, ns: 217382500 });
    // First switch: 3967.217397161, a preempted perf-exec at 3967.222472728.
    expect(m.switches.time[0]).toBe(14661);
    const preempted = Array.from(m.switches.prevState).indexOf(PrevState.Preempted);
    expect(m.switches.time[preempted]).toBe(5090228);
    // perf-exec later execs into `sleep`: the task keeps both comms, in order.
    expect(m.tasks.comms[m.switches.prev[preempted]]).toEqual(['perf-exec', 'sleep']);
    const states = new Set(m.switches.prevState);
    expect(states.has(PrevState.Runnable) && states.has(PrevState.Sleeping)).toBe(true);
  });

  it('keeps the comm change of renamed, exiting vCPU threads (startup-exit)', () => {
    const m = parse(fixtureText('synth-2vm-x2vcpu-startup-exit.script-pidtid.txt'));
    const t = truth('synth-2vm-x2vcpu-startup-exit');
    const task = taskByTid(m, t.vms[0].vcpus[0].tid);
    expect(m.tasks.comms[task]).toEqual(['vmsim-vm0', 'CPU 0/KVM']);
    const dead = Array.from(m.switches.prevState).filter((s) => s === PrevState.Dead).length;
    expect(dead).toBeGreaterThan(0);
    // `:-1 12096/-1` prefixes (exited threads) put no task with tid -1 in the table.
    expect(taskByTid(m, -1)).toBe(-1);
  });
});

// ---- inline edge cases ------------------------------------------------------

const SW = (prev: string, prevPid: number, state: string, next: string, nextPid: number): string =>
  `prev_comm=${prev} prev_pid=${prevPid} prev_prio=120 prev_state=${state} ==> next_comm=${next} next_pid=${nextPid} next_prio=120`;

describe('perf script: prefix variants', () => {
  it('reads 5- and 7-wide tids, pid/tid in both widths, comms with spaces', () => {
    const m = parse(
      [
        `       CPU 0/KVM 13766 [000]   369.568200: sched:sched_switch: ${SW('CPU 0/KVM', 13766, 'R', 'swapper/0', 0)}`,
        `       CPU 1/KVM   1376699 [001]   369.568300:       sched:sched_switch: ${SW('CPU 1/KVM', 1376699, 'S', 'a b c', 5)}`,
        `       CPU 2/KVM 13763/13768 [000]   369.568400: sched:sched_switch: ${SW('CPU 2/KVM', 13768, 'R', 'x', 6)}`,
        `       CPU 3/KVM 1376300/1376900 [002]   369.568500: sched:sched_switch: ${SW('CPU 3/KVM', 1376900, 'R', 'y', 7)}`,
        `       CPU 4/KVM    18/18      [003]   369.568600: sched:sched_switch: ${SW('CPU 4/KVM', 18, 'R', 'z', 8)}`,
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.formatDetail).toBe('perf script (-F pid,tid)');
    expect(tids(m, m.switches.prev)).toEqual([13766, 1376699, 13768, 1376900, 18]);
    expect(Array.from(m.switches.cpu)).toEqual([0, 1, 0, 2, 3]);
    expect(Array.from(m.switches.time)).toEqual([0, 100000, 200000, 300000, 400000]);
    expect(commOf(m, m.switches.next[1])).toBe('a b c');
    expect(m.tasks.tgid[taskByTid(m, 13768)]).toBe(13763);
    expect(m.tasks.tgid[taskByTid(m, 1376900)]).toBe(1376300);
    expect(m.tasks.tgid[taskByTid(m, 18)]).toBe(18);
    expect(m.tasks.tgid[taskByTid(m, 13766)]).toBe(-1);
  });

  it('reads lines with missing or extra fields', () => {
    const m = parse(
      [
        // no comm (-F tid,cpu,time,event,trace)
        ` 13766 [000]   369.568200: sched:sched_switch: ${SW('a', 13766, 'R', 'b', 1)}`,
        // no tid (-F comm,cpu,...)
        `       CPU 0/KVM [001]   369.568201: sched:sched_switch: ${SW('b', 1, 'S', 'c', 2)}`,
        // cpu, time, event, trace only
        `[002]   369.568202: sched:sched_switch: ${SW('c', 2, 'D', 'd', 3)}`,
        // a sample period before the event name
        `            perf 20840 [000]  369.568203:          1 sched:sched_switch: ${SW('d', 3, 'R+', 'e', 4)}`,
        // no space after the colon of the event name padding (longest name)
        `            perf 20840 [000]  369.568204: sched:sched_waking: comm=perf pid=20840 prio=120 target_cpu=000`,
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.switches.length).toBe(4);
    expect(Array.from(m.switches.cpu)).toEqual([0, 1, 2, 0]);
    expect(Array.from(m.switches.prevState)).toEqual([
      PrevState.Runnable,
      PrevState.Sleeping,
      PrevState.Uninterruptible,
      PrevState.Preempted,
    ]);
    expect(m.wakeups.length).toBe(1);
  });

  it('skips lines without [cpu] or time, with their line numbers', () => {
    const m = parse(
      [
        `            perf 20840 [000]  369.568200: sched:sched_switch: ${SW('a', 1, 'R', 'b', 2)}`,
        `            perf 20840   369.568201: sched:sched_switch: ${SW('b', 2, 'R', 'a', 1)}`,
        `            perf 20840 [000] sched:sched_switch: ${SW('b', 2, 'R', 'a', 1)}`,
        `Welcome to the machine`,
      ].join('\n'),
    );
    expect(m.switches.length).toBe(1);
    expect(m.skippedLines).toBe(3);
    expect(m.warnings.map((w) => w.line)).toEqual([2, 3, 4]);
    expect(m.warnings[0].message).toMatch(/\[cpu\]/);
    expect(m.warnings[1].message).toMatch(/timestamp/);
  });

  it('ignores headers, blank and callchain lines; counts other events', () => {
    const m = parse(
      [
        '# ========',
        '# captured on    : Tue Nov 25 12:00:00 2026',
        '# ========',
        '#',
        `            perf 20840 [000]  369.568200: sched:sched_switch: ${SW('perf', 20840, 'S', 'b', 2)}`,
        '\tffffffff81e0a2f1 __schedule+0x301 ([kernel.kallsyms])',
        '\tffffffff81e0a8d8 schedule+0x58 ([kernel.kallsyms])',
        '\t    7f2b1c0e4d3a [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)',
        '',
        `               b     2 [000]  369.568300: sched:sched_stat_runtime: comm=b pid=2 runtime=5388 [ns]`,
        `               b     2 [000]  369.568301: sched:sched_process_fork: comm=b pid=2 child_comm=b child_pid=9`,
        `               b     2 [000]  369.568302: sched:sched_stat_runtime: comm=b pid=2 runtime=5 [ns]`,
        `               b     2 [000]  369.568303:         kvm:kvm_userspace_exit: reason KVM_EXIT_IO (2)`,
        '',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.switches.length).toBe(1);
    expect(m.ignoredEvents).toEqual({
      'sched:sched_stat_runtime': 2,
      'sched:sched_process_fork': 1,
      'kvm:kvm_userspace_exit': 1,
    });
  });

  it('reports lost records', () => {
    const m = parse(
      [
        `            perf 20840 [000]  369.568200: sched:sched_switch: ${SW('perf', 20840, 'S', 'b', 2)}`,
        `            perf 20840 [001]  369.568300: PERF_RECORD_LOST lost 37`,
        `PERF_RECORD_LOST lost 12 id 2`,
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.lost.map((l) => [l.line, l.time, l.cpu, l.count])).toEqual([
      [2, 100000, 1, 37],
      [3, 100000, null, 12],
    ]);
  });

  it('reads plugin payloads and marks the format', () => {
    const m = parse(
      [
        '       CPU 0/KVM 13766 [000]   369.568200: sched:sched_switch: CPU 0/KVM:13766 [120] R ==> memfd:sealed-91:2064 [120]',
        ' memfd:sealed-91  2064 [000]   369.568300: sched:sched_switch: memfd:sealed-91:2064 [120] S ==> rcu_preempt:15 [120]',
        '     rcu_preempt    15 [000]   369.568400: sched:sched_switch: rcu_preempt:15 [120] W ==> swapper/0:0 [120]',
        '     rcu_preempt    15 [000]   369.568500: sched:sched_wakeup: CPU 0/KVM:13766 [120] success=1 CPU:001',
        '     rcu_preempt    15 [000]   369.568600: sched:sched_waking: comm=CPU 0/KVM pid=13766 prio=120 target_cpu=001',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.formatDetail).toBe('perf script (plugin payload)');
    expect(Array.from(m.switches.prevState)).toEqual([PrevState.Runnable, PrevState.Sleeping, PrevState.Idle]);
    expect(commOf(m, m.switches.next[0])).toBe('memfd:sealed-91');
    expect(m.switches.next[2]).toBe(0);
    expect(Array.from(m.wakeups.kind)).toEqual([WakeupKind.Wakeup, WakeupKind.Waking]);
    expect(tids(m, m.wakeups.task)).toEqual([13766, 13766]);
  });

  it('reads the ancient task payloads', () => {
    const m = parse(
      [
        '            bash  1234 [000]   100.000001: sched:sched_wakeup: task bash:1234 [120] success=1 [000]',
        '         swapper     0 [000]   100.000002: sched:sched_switch: task swapper:0 [140] (R) ==> bash:1234 [120]',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.switches.prev[0]).toBe(0);
    expect(commOf(m, m.switches.next[0])).toBe('bash');
    expect(m.wakeups.cpu[0]).toBe(0);
  });

  it('takes kvm events on the prefix thread, with its comm and tgid', () => {
    const m = parse(
      [
        '       CPU 0/KVM 13763/13766 [001]   369.568200:       kvm:kvm_exit: vcpu 0 reason HLT rip 0xffffffff81c01f58 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0',
        '       CPU 0/KVM 13763/13766 [001]   369.568210:      kvm:kvm_entry: vcpu 0, rip 0xffffffff81c01f59',
        '       CPU 1/KVM 13763/13767 [002]   369.568220:       kvm:kvm_exit: reason pause rip 0xffffffffa0001234 info 0 0',
        '       CPU 1/KVM 13763/13767 [002]   369.568230:      kvm:kvm_entry:  vcpu 1 rip 0xffffffff81c01f59',
        '       CPU 1/KVM [002]   369.568240:      kvm:kvm_entry: vcpu 1, rip 0x1',
      ].join('\n'),
    );
    expect(m.kvmExits.length).toBe(2);
    expect(m.kvmEntries.length).toBe(2);
    expect(tids(m, m.kvmExits.task)).toEqual([13766, 13767]);
    expect(commOf(m, m.kvmExits.task[0])).toBe('CPU 0/KVM');
    expect(m.tasks.tgid[m.kvmExits.task[1]]).toBe(13763);
    expect(Array.from(m.kvmExits.cpu)).toEqual([1, 2]);
    expect([...m.kvmExits.reason].map((r) => m.kvmExitReasons[r])).toEqual(['HLT', 'pause']);
    expect(Array.from(m.kvmEntries.vcpu)).toEqual([0, 1]);
    expect(Array.from(m.kvmEntries.time)).toEqual([10000, 30000]);
    // The line without a tid cannot name the thread.
    expect(m.skippedLines).toBe(1);
    expect(m.warnings[0]).toMatchObject({ line: 5 });
  });

  it('does not name tasks after perf placeholder comms', () => {
    const m = parse('             :-1 12096/12097 [000]  1.000000: kvm:kvm_exit: reason HLT rip 0x0 info 0 0');
    expect(m.tasks.comms[m.kvmExits.task[0]]).toEqual([]);
    expect(m.tasks.tgid[m.kvmExits.task[0]]).toBe(12096);
  });

  it('reports malformed lines with their numbers and keeps the rest; a truncated last line is skipped', () => {
    const m = parse(
      [
        `            perf 20840 [000]  369.568200: sched:sched_switch: ${SW('perf', 20840, 'S', 'b', 2)}`,
        `            perf 20840 [000]  369.568201: sched:sched_switch: prev_comm=b prev_pid=2 prev_prio=120 prev_state=S ==> next_comm=c next_prio=120`,
        `            perf 20840 [000]  369.568202: sched:sched_waking: comm=a pid=1 prio=120`,
        `            perf 20840 [000]  369.568203: sched:sched_switch: ${SW('b', 2, 'S', 'c', 3)}`,
        `            perf 20840 [000]  369.568204: sched:sched_switch: prev_comm=c prev_pid=3 prev_prio=120 prev_state=S ==> next_comm=d next_pi`,
      ].join('\n'),
    );
    expect(m.switches.length).toBe(2);
    expect(m.skippedLines).toBe(3);
    expect(m.warnings.map((w) => w.line)).toEqual([2, 3, 5]);
    expect(m.warnings[0].message).toMatch(/next_pid=/);
    expect(m.warnings[1].message).toMatch(/target_cpu=/);
    expect(m.warnings[2].message).toMatch(/next_pid=/);
  });

  it('treats a last line cut inside next_pid as cut short', () => {
    const m = parse(
      `            perf 20840 [000]  369.568204: sched:sched_switch: ${SW('c', 3, 'S', 'd', 4567).slice(0, -14)}`,
    );
    expect(m.switches.length).toBe(0);
    expect(m.warnings[0].message).toMatch(/cut short/);
  });
});
