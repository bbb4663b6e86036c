// The text timelines tests draw their inputs with: a drawn timeline gives the
// model the builder calls it stands for.

import { describe, expect, it } from 'vitest';
import { PrevState as S, WakeupKind } from '../model/types';
import { builder, makeRun, US } from './runs';
import { runFromTimeline } from './timeline';

describe('runs drawn as text', () => {
  it('gives the same model and VMs as the builder calls of the same trace', () => {
    const { run, task } = runFromTimeline(
      `
      cpu0 |a0-----------------|h|S:a1---------------------------------|S:a0---------------|S:
      cpu1 |b0-----------------------------------------------------------------------------|S:
      `,
      { unit: 5 * US, comms: { h: '=cmd' } },
    );
    const b = builder();
    const a0 = b.task(10, 'CPU 0/KVM', 0);
    const b0 = b.task(20, 'CPU 0/KVM', 0);
    const h = b.task(30, '=cmd', 0);
    const a1 = b.task(11, 'CPU 1/KVM', 0);
    b.addSwitch(0, 0, 0, S.Runnable, a0);
    b.addSwitch(0, 1, 0, S.Runnable, b0);
    b.addSwitch(100 * US, 0, a0, S.Runnable, h);
    b.addSwitch(110 * US, 0, h, S.Sleeping, a1);
    b.addSwitch(300 * US, 0, a1, S.Sleeping, a0);
    b.addSwitch(400 * US, 0, a0, S.Sleeping, 0);
    b.addSwitch(400 * US, 1, b0, S.Sleeping, 0);
    const want = makeRun(b.finish(), [
      { name: 'A', vcpus: [a0, a1] },
      { name: 'B', vcpus: [b0] },
    ]);
    expect(task).toEqual({ a0, b0, h, a1 });
    expect(run.model).toEqual(want.model);
    expect(run.vms).toEqual(want.vms);
  });

  it('rows may start later than others, and a state can end any slice', () => {
    const { model, task } = runFromTimeline(
      `
      cpu0 |x---|D:y--|
      cpu1    |z--|R+:
      `,
      { unit: 1 },
    );
    expect(Array.from(model.switches.time)).toEqual([0, 3, 5, 7, 11]);
    expect(Array.from(model.switches.cpu)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(model.switches.next)).toEqual([task.x, task.z, task.y, 0, 0]);
    expect(Array.from(model.switches.prevState)).toEqual([S.Runnable, S.Runnable, S.Uninterruptible, S.Preempted, S.Runnable]);
  });

  it('without states: the perf sched map form (no prev task, state unknown)', () => {
    const drawn = `
      cpu0 |a0------|h-------|
      cpu1 |b0---------------|
      `;
    const { run, task } = runFromTimeline(drawn, { unit: 10 * US, states: false });
    const b = builder('perf-sched-map', false);
    const a0 = b.task(10, 'CPU 0/KVM', 0);
    const b0 = b.task(20, 'CPU 0/KVM', 0);
    const h = b.task(30, 'h', 0);
    b.addSwitch(0, 0, -1, S.Unknown, a0);
    b.addSwitch(0, 1, -1, S.Unknown, b0);
    b.addSwitch(90 * US, 0, -1, S.Unknown, h);
    b.addSwitch(180 * US, 0, -1, S.Unknown, 0);
    b.addSwitch(180 * US, 1, -1, S.Unknown, 0);
    expect(task).toEqual({ a0, b0, h });
    expect(run.model).toEqual(b.finish());
    expect(run.model.hasStates).toBe(false);
    expect(() => runFromTimeline('cpu0 |a0---|S:', { unit: US, states: false })).toThrow(/state mark/);
  });

  it('gives a drawn task another tid, and makes host tasks other threads of a VM', () => {
    const { run, task } = runFromTimeline(
      `
      cpu0 |a0---|q---|h---|S:
      `,
      { unit: US, tids: { q: 9, a0: 77 }, others: { a: ['q'] }, comms: { q: 'qemu-system-x86' } },
    );
    expect(Array.from(run.model.tasks.tid)).toEqual([0, 77, 9, 30]);
    const vms = run.vms.map((v) => [v.name, v.vcpus.map((x) => x.tid), v.otherThreads.map((o) => [o.tid, o.comm])]);
    expect(vms).toEqual([['A', [77], [[9, 'qemu-system-x86']]]]);
    expect(task).toEqual({ a0: 1, q: 2, h: 3 });
    expect(() => runFromTimeline('cpu0 |a0---|', { unit: US, others: { a: ['q'] } })).toThrow(/q is not drawn/);
  });

  it('draws wakeups onto a CPU (waking, wakeup, wakeup_new) and tasks that never run', () => {
    const { run, task } = runFromTimeline(
      `
      cpu0  |a0-------|S:---------|a0---|S:
      cpu1  |h----------------------------|
      wake0  ^n:a0          ^a0
      wake0                   ^u:a0
      `,
      { unit: 10 * US, tasks: ['a1'] },
    );
    const b = builder();
    const a1 = b.task(11, 'CPU 1/KVM', 0);
    const a0 = b.task(10, 'CPU 0/KVM', 0);
    const h = b.task(30, 'h', 0);
    b.addSwitch(0, 0, 0, S.Runnable, a0);
    b.addSwitch(0, 1, 0, S.Runnable, h);
    b.addSwitch(100 * US, 0, a0, S.Sleeping, 0);
    b.addSwitch(220 * US, 0, 0, S.Runnable, a0);
    b.addSwitch(280 * US, 0, a0, S.Sleeping, 0);
    b.addSwitch(300 * US, 1, h, S.Runnable, 0);
    b.addWakeup(10 * US, a0, 0, WakeupKind.WakeupNew);
    b.addWakeup(160 * US, a0, 0, WakeupKind.Waking);
    b.addWakeup(180 * US, a0, 0, WakeupKind.Wakeup);
    const want = makeRun(b.finish(), [{ name: 'A', vcpus: [a0, a1] }]);
    expect(task).toEqual({ a0, a1, h });
    expect(run.model).toEqual(want.model);
    expect(run.vms).toEqual(want.vms);
  });

  it('refuses names that would be one task or a host task read as a vCPU', () => {
    // c0 is tid 10 + 10 * 2 = 30, the first host task's; a10 is tid 20, b0's: before, each pair was one task.
    expect(() => runFromTimeline('cpu0 |h---|c0---|', { unit: US })).toThrow(/h and c0 would both be tid 30/);
    expect(() => runFromTimeline('cpu0 |b0---|a10---|', { unit: US })).toThrow(/b0 and a10 would both be tid 20/);
    // h2 is a vCPU of VM H (the naming rule); drawn beside a host task h it is taken for a mistake.
    expect(() => runFromTimeline('cpu0 |h---|h2---|', { unit: US })).toThrow(/host task h beside vCPUs of VM H/);
    const { run, task } = runFromTimeline('cpu0 |h---|c0---|', { unit: US, tids: { h: 99 } });
    expect(task.h).not.toBe(task.c0);
    expect(run.vms.map((v) => [v.name, v.vcpus.map((x) => x.tid)])).toEqual([['C', [30]]]);
  });
});
