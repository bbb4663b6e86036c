import { describe, expect, it } from 'vitest';
import { fixtureText, parseTextWith, readingWarnings, truth } from '../../test/fixtures';
import { TraceBuilder } from '../model/builder';
import { PrevState, WakeupKind, type TraceModel } from '../model/types';
import { createFtraceParser } from './ftrace';

const parse = (text: string): TraceModel => parseTextWith(createFtraceParser, text, 'ftrace');

/** Lines of the raw text with `: <event>:` (independent of the parser). */
function countEvent(text: string, event: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (!line.startsWith('#') && line.includes(`: ${event}: `)) n++;
  return n;
}

const tids = (m: TraceModel, col: Int32Array): number[] => Array.from(col, (t) => m.tasks.tid[t]);
const taskByTid = (m: TraceModel, tid: number): number => m.tasks.tid.indexOf(tid);
const commOf = (m: TraceModel, task: number): string | undefined => m.tasks.comms[task].at(-1);
const allComms = (m: TraceModel): string[] => m.tasks.comms.flat();

describe('ftrace: real trace file with TGID column', () => {
  const text = fixtureText('ftrace-qemu-3vm-x2vcpu.ftrace.txt');
  const m = parse(text);
  const t = truth('ftrace-qemu-3vm-x2vcpu');

  it('takes every event, reads the header, skips nothing', () => {
    expect(m.switches.length).toBe(countEvent(text, 'sched_switch'));
    expect(m.switches.length).toBeGreaterThan(9000);
    expect(m.wakeups.length).toBe(countEvent(text, 'sched_waking') + countEvent(text, 'sched_wakeup'));
    expect(m.migrations.length).toBe(countEvent(text, 'sched_migrate_task'));
    expect(m.skippedLines).toBe(0);
    expect(readingWarnings(m)).toEqual([]);
    expect(m.lost).toEqual([]); // entries-in-buffer 19424 == entries-written
    expect(m.declaredCpuCount).toBe(2);
    expect(m.hasStates).toBe(true);
    expect(m.formatDetail).toBe('ftrace');
    const kinds = new Set(m.wakeups.kind);
    expect(kinds).toEqual(new Set([WakeupKind.Waking, WakeupKind.Wakeup]));
  });

  it('gives every vCPU thread its VM tgid from the TGID column, and its payload comm', () => {
    for (const vm of t.vms) {
      for (const v of vm.vcpus) {
        const task = taskByTid(m, v.tid);
        expect(task, `vcpu tid ${v.tid}`).toBeGreaterThan(0);
        expect(m.tasks.tgid[task], `tgid of ${v.tid}`).toBe(vm.pid);
        expect(m.tasks.comms[task]).toContain(v.comm);
      }
    }
  });

  it('never names a task after the <idle> prefix', () => {
    expect(allComms(m)).not.toContain('<idle>');
    expect(m.tasks.tgid[0]).toBe(0);
    // The first line: run_ftrace_qemu-29784 (29784) [001] d..2. 3636.699271 S ==> CPU 1/TCG 29812.
    expect(m.origin).toEqual({ sec: 3636, ns: 699271000 });
    expect(tids(m, m.switches.prev.subarray(0, 1))).toEqual([29784]);
    expect(m.switches.prevState[0]).toBe(PrevState.Sleeping);
    expect(commOf(m, m.switches.next[0])).toBe('CPU 1/TCG');
    const idle = Array.from(m.switches.prevState).filter((s) => s === PrevState.Idle).length;
    expect(idle).toBe((text.match(/prev_state=I /g) ?? []).length);
  });
});

describe('trace-cmd report: real file', () => {
  const text = fixtureText('tracecmd-qemu-2vm-x3vcpu.tracecmd.txt');
  const m = parse(text);
  const t = truth('tracecmd-qemu-2vm-x3vcpu');

  it('takes every event, reads cpus=N, skips nothing', () => {
    expect(m.switches.length).toBe(countEvent(text, 'sched_switch'));
    expect(m.switches.length).toBeGreaterThan(5000);
    expect(m.wakeups.length).toBe(countEvent(text, 'sched_waking'));
    expect(m.migrations.length).toBe(countEvent(text, 'sched_migrate_task'));
    expect(m.skippedLines).toBe(0);
    expect(m.declaredCpuCount).toBe(2);
    expect(m.hasStates).toBe(true);
    expect(m.formatDetail).toBe('trace-cmd report');
  });

  it('maps the plugin state letters (W = idle kthread, X = zombie)', () => {
    const letters: string[] = [];
    for (const line of text.split('\n')) {
      const s = / sched_switch: .* \[-?\d+\] (\S+) ==> /.exec(line);
      if (s) letters.push(s[1]);
    }
    expect(letters.length).toBe(m.switches.length);
    const expected: Record<string, PrevState> = {
      R: PrevState.Runnable,
      S: PrevState.Sleeping,
      D: PrevState.Uninterruptible,
      W: PrevState.Idle,
      X: PrevState.Zombie,
    };
    expect(new Set(letters)).toEqual(new Set(Object.keys(expected)));
    expect(Array.from(m.switches.prevState)).toEqual(letters.map((l) => expected[l]));
    // rcu_preempt is the idle kthread the W lines are about.
    const w = letters.indexOf('W');
    expect(commOf(m, m.switches.prev[w])).toMatch(/^rcu_|^kworker/);
  });

  it('reads plugin comms with spaces and colons; no tgid without a TGID column', () => {
    for (const vm of t.vms) {
      for (const v of vm.vcpus) {
        const task = taskByTid(m, v.tid);
        expect(task).toBeGreaterThan(0);
        expect(m.tasks.comms[task]).toContain(v.comm);
        expect(m.tasks.tgid[task]).toBe(-1);
      }
    }
    expect(m.tasks.comms[taskByTid(m, 29810)]).toEqual(['kworker/u8:3']);
  });
});

// ---- inline edge cases ------------------------------------------------------

const SW = (prev: string, prevPid: number, state: string, next: string, nextPid: number): string =>
  `prev_comm=${prev} prev_pid=${prevPid} prev_prio=120 prev_state=${state} ==> next_comm=${next} next_pid=${nextPid} next_prio=120`;

describe('ftrace: line variants', () => {
  it('reads 5- and 7-wide pids, TGID columns of both widths, 4- and 5-char flags, no flags', () => {
    const m = parse(
      [
        '# tracer: nop',
        '#',
        '# entries-in-buffer/entries-written: 6/6   #P:8',
        `            bash-1234  [000] d..2  100.000001: sched_switch: ${SW('bash', 1234, 'S', 'a', 11)}`,
        `            bash-1234567 [001] d..2. 100.000002: sched_switch: ${SW('bash', 1234567, 'R+', 'b', 12)}`,
        `       CPU 0/KVM-2046  (  2040) [002] d..2 100.000003: sched_switch: ${SW('CPU 0/KVM', 2046, 'R', 'c', 13)}`,
        `       CPU 1/KVM-2047    (   2040) [003] d..2. 100.000004: sched_switch: ${SW('CPU 1/KVM', 2047, 'D', 'd', 14)}`,
        `          <idle>-0       (-------) [004] d..2. 100.000005: sched_switch: ${SW('swapper/4', 0, 'R', 'e', 15)}`,
        `          <idle>-0     (-----) [005] 100.000006: sched_switch: ${SW('swapper/5', 0, 'R', 'f', 16)}`,
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.declaredCpuCount).toBe(8);
    expect(tids(m, m.switches.prev)).toEqual([1234, 1234567, 2046, 2047, 0, 0]);
    expect(Array.from(m.switches.cpu)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(m.switches.time)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(m.tasks.tgid[taskByTid(m, 2046)]).toBe(2040);
    expect(m.tasks.tgid[taskByTid(m, 2047)]).toBe(2040);
    expect(m.tasks.tgid[taskByTid(m, 1234)]).toBe(-1);
    expect(Array.from(m.switches.prevState).slice(0, 4)).toEqual([
      PrevState.Sleeping,
      PrevState.Preempted,
      PrevState.Runnable,
      PrevState.Uninterruptible,
    ]);
    expect(allComms(m)).not.toContain('<idle>');
  });

  it('reads comms with dashes and spaces, and never names a task <...>', () => {
    const m = parse(
      [
        `  qemu-system-x86-18971 [000] d..2.  50.000001: sched_switch: ${SW('qemu-system-x86', 18971, 'S', 'memfd:sealed-91', 2064)}`,
        `  memfd:sealed-91-2064  [000] d..2.  50.000002: sched_switch: ${SW('memfd:sealed-91', 2064, 'S', 'x-y z', 7)}`,
        `           <...>-4242  [001] d..2.  50.000003: kvm_exit: vcpu 1 reason HLT rip 0xffffffff81c01f58 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0`,
        `           <...>-4242  [001] d..2.  50.000004: kvm_entry: vcpu 1, rip 0xffffffff81c01f59`,
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(commOf(m, m.switches.next[0])).toBe('memfd:sealed-91');
    expect(commOf(m, m.switches.next[1])).toBe('x-y z');
    expect(tids(m, m.kvmExits.task)).toEqual([4242]);
    expect(m.tasks.comms[m.kvmExits.task[0]]).toEqual([]);
    expect(m.kvmExits.vcpu[0]).toBe(1);
    expect(m.kvmEntries.length).toBe(1);
    expect(allComms(m)).not.toContain('<...>');
  });

  it('takes kvm events on the prefix thread and names it from the prefix when new', () => {
    const m = parse(
      [
        `       CPU 0/KVM-2046    (   2040) [002] d..2. 100.000003: kvm_exit: reason EXTERNAL_INTERRUPT rip 0xffffffff81c01f58 info 0 800000fd`,
        `       CPU 0/KVM-2046    (   2040) [002] ..... 100.000004: kvm_entry: vcpu 0`,
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(tids(m, m.kvmExits.task)).toEqual([2046]);
    expect(commOf(m, m.kvmExits.task[0])).toBe('CPU 0/KVM');
    expect(m.tasks.tgid[m.kvmExits.task[0]]).toBe(2040);
    expect(m.kvmExitReasons).toEqual(['EXTERNAL_INTERRUPT']);
    expect(m.kvmEntries.vcpu[0]).toBe(0);
  });

  it('reads trace-cmd report: cpus=, version lines, plugin payloads, event padding, -l latency lines', () => {
    const m = parse(
      [
        'version = 6',
        'cpus=4',
        'CPU 3 is empty',
        '           sleep-8453  [000]  3942.218016: sched_waking:         comm=qemu-system-x86 pid=5600 prio=120 target_cpu=000',
        '           sleep-8453  [000]  3942.218115: sched_switch:         sleep:8453 [120] R ==> qemu-system-x86:5600 [120]',
        '     rcu_preempt-15    [001]  3942.218200: sched_switch:         rcu_preempt:15 [120] W ==> swapper/1:0 [120]',
        '           sleep-8453  [000]  3942.218300: sched_wakeup:         CPU 0/KVM:5611 [120] success=1 CPU:002',
        '    bash-14207   0d..2.  3942.218400: sched_switch:         bash:14207 [120] S ==> bash:14209 [120]',
        '           <...>-3979  [003]  3942.218500: sched_stat_runtime:   comm=Thread-103 pid=3979 runtime=5014167 [ns] vruntime=244334517704 [ns]',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.formatDetail).toBe('trace-cmd report');
    expect(m.declaredCpuCount).toBe(4);
    expect(m.switches.length).toBe(3);
    expect(Array.from(m.switches.prevState)).toEqual([PrevState.Runnable, PrevState.Idle, PrevState.Sleeping]);
    expect(Array.from(m.switches.cpu)).toEqual([0, 1, 0]);
    expect(tids(m, m.switches.next)).toEqual([5600, 0, 14209]);
    expect(tids(m, m.wakeups.task)).toEqual([5600, 5611]);
    expect(Array.from(m.wakeups.cpu)).toEqual([0, 2]);
    expect(m.ignoredEvents).toEqual({ sched_stat_runtime: 1 });
    expect(m.switches.time[2]).toBe(384000);
  });

  it('marks plugin payloads without a cpus= line as trace-cmd report', () => {
    const m = parse(
      '           sleep-8453  [000]  3942.218115: sched_switch:         sleep:8453 [120] R ==> a:1 [120]',
    );
    expect(m.formatDetail).toBe('trace-cmd report');
  });

  it('keeps a trace-cmd report detail the driver detected', () => {
    const b = new TraceBuilder('ftrace', 'trace-cmd report');
    createFtraceParser(b);
    expect(b.formatDetail).toBe('trace-cmd report');
  });
});

describe('ftrace: lost events', () => {
  it('reports entries-in-buffer < entries-written without a time', () => {
    const m = parse(
      [
        '# tracer: nop',
        '# entries-in-buffer/entries-written: 100/175   #P:2',
        `            bash-1234  [000] d..2.  100.000001: sched_switch: ${SW('bash', 1234, 'S', 'a', 11)}`,
      ].join('\n'),
    );
    expect(m.lost).toHaveLength(1);
    expect(m.lost[0]).toMatchObject({ line: 2, time: null, cpu: null, count: 75 });
    expect(m.lost[0].message).toMatch(/ring buffer overwrote the oldest 75 events/);
    expect(m.declaredCpuCount).toBe(2);
  });

  it('reports [LOST n EVENTS] and trace-cmd DROPPED lines at the previous event time', () => {
    const m = parse(
      [
        `            bash-1234  [000] d..2.  100.000001: sched_switch: ${SW('bash', 1234, 'S', 'a', 11)}`,
        'CPU:3 [LOST 1234 EVENTS]',
        `            bash-1234  [000] d..2.  100.000501: sched_waking: comm=a pid=11 prio=120 target_cpu=000`,
        'CPU:7 [204600 EVENTS DROPPED]',
        'CPU:1 [EVENTS DROPPED]',
      ].join('\n'),
    );
    expect(m.skippedLines).toBe(0);
    expect(m.lost.map((l) => [l.line, l.time, l.cpu, l.count])).toEqual([
      [2, 0, 3, 1234],
      [4, 500000, 7, 204600],
      [5, 500000, 1, null],
    ]);
  });
});

describe('ftrace: bad input', () => {
  it('reports malformed lines with their numbers and keeps everything parsable', () => {
    const m = parse(
      [
        `            bash-1234  [000] d..2.  100.000001: sched_switch: ${SW('bash', 1234, 'S', 'a', 11)}`,
        `            bash-1234  [000] d..2.  100.000002: sched_switch: prev_comm=a prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=bash next_prio=120`,
        `            bash [000] d..2.  100.000003: sched_switch: ${SW('a', 11, 'S', 'bash', 1234)}`,
        `            bash-1234  [000] d..2.  0x1f3a: sched_switch: ${SW('a', 11, 'S', 'bash', 1234)}`,
        'hello world',
        `            bash-1234  [000] d..2.  100.000004: sched_migrate_task: comm=a pid=11 prio=120 orig_cpu=0 dest_cpu=1`,
        `            bash-1234  [000] d..2.  100.000005: do_sys_open <-__x64_sys_openat`,
        `            bash-1234  [000] d..2.  100.000006: sched_switch: prev_comm=bash prev_pid=1234 prev_prio=120 prev_state=S ==> next_co`,
      ].join('\n'),
    );
    expect(m.switches.length).toBe(1);
    expect(m.migrations.length).toBe(1);
    expect(m.ignoredEvents).toEqual({ function: 1 });
    expect(m.warnings.map((w) => w.line)).toEqual([2, 3, 4, 5, 8]);
    expect(m.skippedLines).toBe(5);
    expect(m.warnings[0].message).toMatch(/next_pid=/);
    expect(m.warnings[1].message).toMatch(/comm-pid/);
    expect(m.warnings[2].message).toMatch(/timestamp/);
    expect(m.warnings[3].message).toMatch(/not an ftrace event line/);
    expect(m.warnings[4].message).toMatch(/next_comm=/);
  });

  it('skips a last line cut inside the prefix or the timestamp', () => {
    const m = parse(
      [
        `            bash-1234  [000] d..2.  100.000001: sched_switch: ${SW('bash', 1234, 'S', 'a', 11)}`,
        '            bash-1234  [000] d..2.  100.00',
      ].join('\n'),
    );
    expect(m.switches.length).toBe(1);
    expect(m.warnings).toEqual([{ line: 2, message: expect.stringMatching(/timestamp/), kind: 'skipped-line' }]);
  });
});
