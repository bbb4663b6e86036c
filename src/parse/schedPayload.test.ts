import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../model/builder';
import { PrevState, WakeupKind, type TraceModel } from '../model/types';
import { cursorOf, type LineCursor } from './cursor';
import { readPrevState } from './prevState';
import { EventKind, eventKindOf } from '../model/eventNames';
import { classifyEvent as classifyAt, SchedEvents, type PrefixThread } from './schedPayload';

// The readers take a line's bytes: these run them on a string (ASCII, so the offsets are the same).
const parsePrevState = (s: string, start: number, end: number, plugin: boolean): PrevState =>
  readPrevState(cursorOf(s), start, end, plugin);
let lastLine: LineCursor | null = null;
const classifyEvent = (s: string, end: number): EventKind => classifyAt((lastLine = cursorOf(s)), end);
const lastNameStart = (): number | undefined => lastLine?.nameStart;

const kernel = (s: string): PrevState => parsePrevState(s, 0, s.length, false);
const plugin = (s: string): PrevState => parsePrevState(s, 0, s.length, true);

describe('parsePrevState', () => {
  it('maps every single kernel letter (>= 4.14 and older)', () => {
    expect(kernel('R')).toBe(PrevState.Runnable);
    expect(kernel('R+')).toBe(PrevState.Preempted);
    expect(kernel('S')).toBe(PrevState.Sleeping);
    expect(kernel('D')).toBe(PrevState.Uninterruptible);
    expect(kernel('T')).toBe(PrevState.Stopped);
    expect(kernel('t')).toBe(PrevState.Traced);
    expect(kernel('X')).toBe(PrevState.Dead);
    expect(kernel('x')).toBe(PrevState.Dead);
    expect(kernel('Z')).toBe(PrevState.Zombie);
    expect(kernel('P')).toBe(PrevState.Parked);
    expect(kernel('I')).toBe(PrevState.Idle);
    // Pre-4.14 lone modifier flags and unknown letters are "blocked, other".
    expect(kernel('K')).toBe(PrevState.Other);
    expect(kernel('W')).toBe(PrevState.Other);
    expect(kernel('N')).toBe(PrevState.Other);
    expect(kernel('Q')).toBe(PrevState.Other);
  });

  it('maps |-joined flag combinations of old kernels', () => {
    expect(kernel('D|K')).toBe(PrevState.Uninterruptible); // TASK_KILLABLE
    expect(kernel('S|W')).toBe(PrevState.Sleeping);
    expect(kernel('D|W')).toBe(PrevState.Uninterruptible);
    expect(kernel('T|K')).toBe(PrevState.Stopped);
    expect(kernel('D|N')).toBe(PrevState.Idle); // TASK_IDLE on 4.2 .. 4.13
    expect(kernel('S|D')).toBe(PrevState.Other); // two primary states: not a real combination
    expect(kernel('Z|X')).toBe(PrevState.Other);
    expect(kernel('K|W')).toBe(PrevState.Other);
    expect(kernel('S|Q')).toBe(PrevState.Other);
    expect(kernel('S+')).toBe(PrevState.Sleeping);
  });

  it('never fails on odd renderings', () => {
    expect(kernel('')).toBe(PrevState.Unknown);
    expect(kernel('   ')).toBe(PrevState.Unknown);
    expect(kernel('1024')).toBe(PrevState.Unknown);
    expect(kernel('0x400')).toBe(PrevState.Unknown);
    expect(kernel('sleeping')).toBe(PrevState.Other);
    expect(kernel('(S)')).toBe(PrevState.Sleeping);
    expect(kernel('(R+)')).toBe(PrevState.Preempted);
    expect(kernel(' R ')).toBe(PrevState.Runnable);
  });

  it('reads plugin letters as a >= 4.14 kernel: W idle, Z/X swapped, x parked', () => {
    expect(plugin('R')).toBe(PrevState.Runnable);
    expect(plugin('S')).toBe(PrevState.Sleeping);
    expect(plugin('D')).toBe(PrevState.Uninterruptible);
    expect(plugin('T')).toBe(PrevState.Stopped);
    expect(plugin('t')).toBe(PrevState.Traced);
    expect(plugin('W')).toBe(PrevState.Idle);
    expect(plugin('Z')).toBe(PrevState.Dead);
    expect(plugin('X')).toBe(PrevState.Zombie);
    expect(plugin('x')).toBe(PrevState.Parked);
    expect(plugin('I')).toBe(PrevState.Other);
    expect(plugin('S|W')).toBe(PrevState.Other);
    expect(plugin('D|K')).toBe(PrevState.Uninterruptible);
  });

  it('reads a range inside a longer line', () => {
    const line = 'prev_state=D|K ==> next';
    expect(parsePrevState(line, 11, 14, false)).toBe(PrevState.Uninterruptible);
  });
});

describe('classifyEvent', () => {
  const k = (s: string): EventKind => classifyEvent(`  1.000001: ${s}: x`, s.length + 12);
  it('knows the modelled events with or without a system prefix', () => {
    expect(k('sched:sched_switch')).toBe(EventKind.Switch);
    expect(k('sched_switch')).toBe(EventKind.Switch);
    expect(k('sched:sched_waking')).toBe(EventKind.Waking);
    expect(k('sched_wakeup')).toBe(EventKind.Wakeup);
    expect(k('sched:sched_wakeup_new')).toBe(EventKind.WakeupNew);
    expect(k('sched_migrate_task')).toBe(EventKind.Migrate);
    expect(k('kvm:kvm_exit')).toBe(EventKind.KvmExit);
    expect(k('kvm_entry')).toBe(EventKind.KvmEntry);
    expect(lastNameStart()).toBe(12);
    expect(classifyEvent('sched:sched_switch: x', 18)).toBe(EventKind.Switch);
    expect(lastNameStart()).toBe(0);
  });
  it('leaves everything else to be ignored', () => {
    expect(k('sched:sched_stat_runtime')).toBe(EventKind.StatRuntime);
    expect(k('sched_stat_runtime')).toBe(EventKind.StatRuntime);
    expect(k('sched:sched_stat_wait')).toBe(EventKind.Other);
    expect(k('sched_process_fork')).toBe(EventKind.Other);
    expect(k('xsched_switch')).toBe(EventKind.Other);
    expect(k('sched:xsched_switch')).toBe(EventKind.Other);
    expect(k('ksched:sched_switch')).toBe(EventKind.Other);
    expect(k('kvm:sched_switch')).toBe(EventKind.Other);
    expect(k('sched:kvm_exit')).toBe(EventKind.Other);
    expect(k('kvm:kvm_userspace_exit')).toBe(EventKind.Other);
    expect(k('probe:sched_switch')).toBe(EventKind.Other);
    expect(k('sched:sched_switcher')).toBe(EventKind.Other);
    expect(k('kvm_exits')).toBe(EventKind.Other);
  });
  it('agrees with the by-name lookup of the binary readers (one list of names)', () => {
    const events: [system: string, name: string][] = [
      ['sched', 'sched_switch'],
      ['sched', 'sched_waking'],
      ['sched', 'sched_wakeup'],
      ['sched', 'sched_wakeup_new'],
      ['sched', 'sched_migrate_task'],
      ['sched', 'sched_stat_runtime'],
      ['kvm', 'kvm_exit'],
      ['kvm', 'kvm_entry'],
      ['sched', 'sched_move_numa'],
      ['sched', 'sched_stick_numa'],
      ['sched', 'sched_swap_numa'],
      ['migrate', 'mm_migrate_pages'],
      ['sched', 'sched_stat_wait'],
      ['kvm', 'sched_switch'],
      ['sched', 'kvm_exit'],
      ['sched', 'mm_migrate_pages'],
      ['migrate', 'sched_move_numa'],
    ];
    const kinds = events.map(([system, name]) => eventKindOf(system, name));
    expect(kinds).toEqual(events.map(([system, name]) => k(`${system}:${name}`)));
    expect(kinds.filter((x) => x !== EventKind.Other)).toHaveLength(12);
    // A format without a system (old trace.dat) is looked up by its name alone.
    expect(eventKindOf('', 'sched_swap_numa')).toBe(EventKind.NumaSwap);
    expect(eventKindOf('', 'sched_process_exec')).toBe(EventKind.Other);
  });
});

/** Run payloads through SchedEvents; the prefix thread is tid 4242 "CPU 3/KVM". */
function run(lines: [kind: EventKind, payload: string][]): {
  model: TraceModel;
  errors: (string | null)[];
  events: SchedEvents;
} {
  const b = new TraceBuilder('perf-script');
  const ev = new SchedEvents(b);
  const prefix: PrefixThread = { prefixTask: (time) => b.task(4242, 'CPU 3/KVM', time) };
  const errors = lines.map(([kind, payload], i) =>
    ev.event(kind, cursorOf(payload), 0, b.time(100, i * 1000), 1, prefix),
  );
  return { model: b.finish(), errors, events: ev };
}

const tidOf = (m: TraceModel, task: number): number => m.tasks.tid[task];
const commOf = (m: TraceModel, task: number): string | undefined => m.tasks.comms[task].at(-1);

describe('sched_switch payloads', () => {
  it('kernel form: comms with spaces, negative prio, idle', () => {
    const { model: m, errors } = run([
      [
        EventKind.Switch,
        'prev_comm=CPU 0/KVM prev_pid=13766 prev_prio=120 prev_state=R+ ==> next_comm=swapper/1 next_pid=0 next_prio=120',
      ],
      [
        EventKind.Switch,
        'prev_comm=dl task prev_pid=77 prev_prio=-1 prev_state=D|K ==> next_comm=memfd:sealed-91 next_pid=2064 next_prio=120',
      ],
    ]);
    expect(errors).toEqual([null, null]);
    expect(m.switches.length).toBe(2);
    expect(tidOf(m, m.switches.prev[0])).toBe(13766);
    expect(commOf(m, m.switches.prev[0])).toBe('CPU 0/KVM');
    expect(m.switches.next[0]).toBe(0);
    expect(m.switches.prevState[0]).toBe(PrevState.Preempted);
    expect(commOf(m, m.switches.prev[1])).toBe('dl task');
    expect(m.switches.prevState[1]).toBe(PrevState.Uninterruptible);
    expect(tidOf(m, m.switches.next[1])).toBe(2064);
    expect(commOf(m, m.switches.next[1])).toBe('memfd:sealed-91');
    expect(m.switches.cpu[1]).toBe(1);
    expect(m.hasStates).toBe(true);
  });

  it('plugin form: pid after the LAST colon, plugin states', () => {
    const {
      model: m,
      errors,
      events,
    } = run([
      [EventKind.Switch, 'CPU 0/KVM:13766 [120] R ==> memfd:sealed-91:2064 [120]'],
      [EventKind.Switch, 'rcu_preempt:15 [120] W ==> :68 [120]'],
      [EventKind.Switch, 'kworker/u8:3:29810 [120] D ==> kworker/1:1H:44 [100]'],
    ]);
    expect(errors).toEqual([null, null, null]);
    expect(events.sawPlugin).toBe(true);
    expect(commOf(m, m.switches.prev[0])).toBe('CPU 0/KVM');
    expect(tidOf(m, m.switches.next[0])).toBe(2064);
    expect(commOf(m, m.switches.next[0])).toBe('memfd:sealed-91');
    expect(m.switches.prevState[0]).toBe(PrevState.Runnable);
    expect(m.switches.prevState[1]).toBe(PrevState.Idle);
    expect(tidOf(m, m.switches.next[1])).toBe(68);
    expect(commOf(m, m.switches.next[1])).toBe('');
    expect(commOf(m, m.switches.prev[2])).toBe('kworker/u8:3');
    expect(commOf(m, m.switches.next[2])).toBe('kworker/1:1H');
  });

  it('ancient `task comm:pid [prio] (S)` form', () => {
    const {
      model: m,
      errors,
      events,
    } = run([
      [EventKind.Switch, 'task swapper:0 [140] (R) ==> bash:1234 [120]'],
      [EventKind.Switch, 'task bash:1234 [120] (S) ==> swapper:0 [140]'],
    ]);
    expect(errors).toEqual([null, null]);
    expect(events.sawPlugin).toBe(false);
    expect(m.switches.prev[0]).toBe(0);
    expect(m.switches.prevState[0]).toBe(PrevState.Runnable);
    expect(commOf(m, m.switches.next[0])).toBe('bash');
    expect(m.switches.prevState[1]).toBe(PrevState.Sleeping);
  });

  it('empty state: Unknown, and hasStates stays false', () => {
    const { model: m, errors } = run([
      [EventKind.Switch, 'prev_comm=a prev_pid=1 prev_prio=120 prev_state= ==> next_comm=b next_pid=2 next_prio=120'],
    ]);
    expect(errors).toEqual([null]);
    expect(m.switches.prevState[0]).toBe(PrevState.Unknown);
    expect(m.hasStates).toBe(false);
  });

  it('malformed payloads name what was expected and add nothing', () => {
    const { model: m, errors } = run([
      [EventKind.Switch, 'prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=b'],
      [EventKind.Switch, 'prev_comm=a prev_pid=1 prev_prio=120 prev_state=S'],
      [EventKind.Switch, 'prev_comm=a prev_pid=x prev_prio=120 prev_state=S ==> next_comm=b next_pid=2 next_prio=1'],
      [EventKind.Switch, 'prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=b next_pid=23'],
      [EventKind.Switch, 'a:1 [120] S ==> b:2'],
      [EventKind.Switch, 'a:1 [120] S ==> '],
      [EventKind.Switch, 'a1 [120] S ==> b:2 [120]'],
      [EventKind.Switch, 'garbage'],
    ]);
    expect(errors[0]).toMatch(/next_pid=/);
    expect(errors[1]).toMatch(/==>/);
    expect(errors[2]).toMatch(/number after prev_pid=/);
    expect(errors[3]).toMatch(/next_prio=.*cut short/);
    expect(errors[4]).toMatch(/comm:pid \[prio\]' after/);
    expect(errors[5]).toMatch(/after ' ==> '/);
    expect(errors[6]).toMatch(/comm:pid/);
    expect(errors[7]).toMatch(/prev_comm=/);
    expect(m.switches.length).toBe(0);
  });
});

describe('wakeup and migration payloads', () => {
  it('reads current, success=, plugin and ancient wakeups', () => {
    const { model: m, errors } = run([
      [EventKind.Waking, 'comm=CPU 1/TCG pid=20747 prio=120 target_cpu=001'],
      [EventKind.Wakeup, 'comm=bash pid=99 prio=120 success=1 target_cpu=003'],
      [EventKind.WakeupNew, 'comm=qemu pid=100 prio=120 target_cpu=1024'],
      [EventKind.Wakeup, 'CPU 0/KVM:13766 [120] success=1 CPU:075'],
      [EventKind.Wakeup, 'memfd:sealed-91:2064 [120] CPU:002'],
      [EventKind.Wakeup, 'task bash:1234 [120] success=1 [002]'],
    ]);
    expect(errors).toEqual([null, null, null, null, null, null]);
    const w = m.wakeups;
    expect(w.length).toBe(6);
    expect([...w.task].map((t) => tidOf(m, t))).toEqual([20747, 99, 100, 13766, 2064, 1234]);
    expect([...w.task].map((t) => commOf(m, t))).toEqual([
      'CPU 1/TCG',
      'bash',
      'qemu',
      'CPU 0/KVM',
      'memfd:sealed-91',
      'bash',
    ]);
    expect([...w.cpu]).toEqual([1, 3, 1024, 75, 2, 2]);
    expect([...w.kind]).toEqual([
      WakeupKind.Waking,
      WakeupKind.Wakeup,
      WakeupKind.WakeupNew,
      WakeupKind.Wakeup,
      WakeupKind.Wakeup,
      WakeupKind.Wakeup,
    ]);
  });

  it('rejects wakeups without a target CPU or cut short', () => {
    const { model: m, errors } = run([
      [EventKind.Waking, 'comm=a pid=1 prio=120'],
      [EventKind.Waking, 'comm=a pid=1 prio=120 target_cpu=0'],
      [EventKind.Waking, 'comm=a pid='],
      [EventKind.Wakeup, 'a:1 [120] success=1'],
    ]);
    expect(errors[0]).toMatch(/target_cpu=/);
    expect(errors[1]).toMatch(/cut short/);
    expect(errors[2]).toMatch(/number after pid=/);
    expect(errors[3]).toMatch(/target CPU/);
    expect(m.wakeups.length).toBe(0);
  });

  it('reads sched_migrate_task', () => {
    const { model: m, errors } = run([
      [EventKind.Migrate, 'comm=CPU 0/TCG pid=20747 prio=120 orig_cpu=0 dest_cpu=1'],
      [EventKind.Migrate, 'comm=perf pid=20840 prio=120 orig_cpu=1'],
    ]);
    expect(errors[0]).toBeNull();
    expect(errors[1]).toMatch(/dest_cpu=/);
    expect(m.migrations.length).toBe(1);
    expect(commOf(m, m.migrations.task[0])).toBe('CPU 0/TCG');
    expect([m.migrations.fromCpu[0], m.migrations.toCpu[0]]).toEqual([0, 1]);
  });
});

describe('kvm payloads', () => {
  it('reads kvm_exit of every kernel era, the plugin, SVM and arm64', () => {
    const payloads = [
      'reason EXTERNAL_INTERRUPT rip 0xffffffff81c01f58 info 0 800000fd',
      'vcpu 3 reason HLT rip 0xffffffff81c01f58 info 0 0',
      'vcpu 1 reason EPT_VIOLATION rip 0xffffffff8108 info1 0x0000000000000181 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000',
      'vcpu 0 reason INVALID_STATE FAILED_VMENTRY rip 0xfff0 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000',
      'vcpu 2 reason MSR_WRITE rip 0xffffffff8107 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000',
      'reason IO_INSTRUCTION rip 0xffffffff81034b24 native_io_delay info 800040 0',
      'reason UNKNOWN (1234) rip 0x0 info 0 0',
      'vcpu 5 reason pause rip 0xffffffffa0001234 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0',
      'vcpu 6 reason GP excp rip 0xffffffffa0001234 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0',
      'reason PAUSE_INSTRUCTION rip 0xffffffff810b info 0 0 intr 0',
      'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000ffff8a6b2e48',
      'PC: 0x0000ffff8a6b2e48',
    ];
    const { model: m, errors } = run(payloads.map((p) => [EventKind.KvmExit, p]));
    expect(errors.every((e) => e === null)).toBe(true);
    const reasons = [...m.kvmExits.reason].map((r) => m.kvmExitReasons[r]);
    expect(reasons).toEqual([
      'EXTERNAL_INTERRUPT',
      'HLT',
      'EPT_VIOLATION',
      'INVALID_STATE FAILED_VMENTRY',
      'MSR_WRITE',
      'IO_INSTRUCTION',
      'UNKNOWN (1234)',
      'pause',
      'GP excp',
      'PAUSE_INSTRUCTION',
      'TRAP DABT_LOW',
      'exit',
    ]);
    expect([...m.kvmExits.vcpu]).toEqual([-1, 3, 1, 0, 2, -1, -1, 5, 6, -1, -1, -1]);
    // The task is the thread that ran the event (the prefix thread).
    expect(new Set([...m.kvmExits.task].map((t) => tidOf(m, t)))).toEqual(new Set([4242]));
    expect(m.kvmExits.cpu[0]).toBe(1);
  });

  it('rejects kvm_exit payloads cut before rip', () => {
    const { model: m, errors } = run([
      [EventKind.KvmExit, 'vcpu 1 reason EXTERNAL_INT'],
      [EventKind.KvmExit, 'vcpu 1 rip 0x0'],
      [EventKind.KvmExit, 'vcpu x reason HLT rip 0x0'],
    ]);
    expect(errors[0]).toMatch(/' rip'/);
    expect(errors[1]).toMatch(/'reason '/);
    expect(errors[2]).toMatch(/number after 'vcpu '/);
    expect(m.kvmExits.length).toBe(0);
  });

  it('reads kvm_entry with every suffix', () => {
    const payloads = [
      'vcpu 0',
      'vcpu 1, rip 0xffffffff81c01f58',
      'vcpu 2, rip 0xffffffff81c01f58[immediate exit]',
      'vcpu 3, rip 0xffffffff81c01f58 intr_info 0x00000000 error_code 0x00000000',
      'vcpu 4, rip 0xffffffff81c01f58 intr_info 0x80000b0e error_code 0x00000000[immediate exit]',
      'vcpu 5 rip 0xffffffff81c01f58',
      'PC: 0x0000ffff8a6b2e48',
    ];
    const { model: m, errors } = run(payloads.map((p) => [EventKind.KvmEntry, p]));
    expect(errors.every((e) => e === null)).toBe(true);
    expect([...m.kvmEntries.vcpu]).toEqual([0, 1, 2, 3, 4, 5, -1]);
    expect(tidOf(m, m.kvmEntries.task[0])).toBe(4242);
  });
});
