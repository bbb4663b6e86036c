import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './builder';
import { assembleRuns } from './runs';
import { PrevState, type TraceModel } from './types';
import { groupVms } from './vms';

/** A model where each [tid, comm, tgid?] thread is switched in once on CPU 0. */
function model(threads: [number, string, number?][], kvm: [number, number][] = []): TraceModel {
  const b = new TraceBuilder('perf-script');
  let t = 0;
  for (const [tid, comm, tgid] of threads) {
    const task = b.task(tid, comm, t);
    if (tgid !== undefined) b.setTgid(task, tgid);
    b.addSwitch(t, 0, -1, PrevState.Unknown, task);
    t += 1000;
  }
  for (const [tid, vcpu] of kvm) b.addKvmExit(t++, b.task(tid, null, t), 0, 'HLT', vcpu);
  return b.finish();
}

const sets = (vms: ReturnType<typeof groupVms>) =>
  vms.map((vm) => vm.vcpus.map((v) => `${v.index}:${v.tid}`).join(' '));

describe('groupVms', () => {
  it('groups by tgid, keeps the VM process other threads, names VMs vm<tgid>', () => {
    const vms = groupVms(
      model([
        [100, 'qemu-system-x86', 100],
        [101, 'IO iothread1', 100],
        [102, 'CPU 0/KVM', 100],
        [103, 'CPU 1/KVM', 100],
        [104, 'vhost-100', 100],
        [200, 'qemu-system-x86', 200],
        [205, 'CPU 0/KVM', 200],
        [300, 'bash', 300],
      ]),
    );
    expect(vms.map((v) => [v.name, v.tgid, v.grouping, v.ambiguous])).toEqual([
      ['vm100', 100, 'tgid', false],
      ['vm200', 200, 'tgid', false],
    ]);
    expect(sets(vms)).toEqual(['0:102 1:103', '0:205']);
    expect(vms[0].otherThreads.map((t) => t.comm)).toEqual(['qemu-system-x86', 'IO iothread1', 'vhost-100']);
  });

  it('a thread renamed to a vCPU name after it started is a vCPU for the whole trace', () => {
    const b = new TraceBuilder('perf-script');
    const x = b.task(12097, 'vmsim-vm0', 0);
    b.addSwitch(0, 0, -1, PrevState.Unknown, x);
    b.task(12097, 'CPU 0/KVM', 5000);
    b.addSwitch(5000, 1, -1, PrevState.Unknown, x);
    const [vm] = groupVms(b.finish());
    expect(vm.vcpus).toEqual([{ index: 0, tid: 12097, task: x, comm: 'CPU 0/KVM' }]);
  });

  it('by name: sequential tids are one VM per run of distinct indices, not ambiguous', () => {
    const vms = groupVms(
      model([
        [10, 'CPU 0/KVM'],
        [11, 'CPU 1/KVM'],
        [12, 'CPU 2/KVM'],
        [20, 'CPU 0/KVM'],
        [21, 'CPU 1/KVM'],
        [22, 'CPU 2/KVM'],
      ]),
    );
    expect(sets(vms)).toEqual(['0:10 1:11 2:12', '0:20 1:21 2:22']);
    expect(vms.map((v) => [v.name, v.grouping, v.ambiguous])).toEqual([
      ['vm0', 'name', false],
      ['vm1', 'name', false],
    ]);
  });

  it('by name: interleaved tids (VMs started together) are grouped by rank and flagged ambiguous', () => {
    const vms = groupVms(
      model([
        [10, 'CPU 0/TCG'],
        [11, 'CPU 0/TCG'],
        [12, 'CPU 1/TCG'],
        [13, 'CPU 1/TCG'],
      ]),
    );
    expect(sets(vms)).toEqual(['0:10 1:12', '0:11 1:13']);
    expect(vms.every((v) => v.ambiguous && /interleave/.test(v.ambiguityReason ?? ''))).toBe(true);
  });

  it('by name: VMs of different sizes in clean tid runs are not ambiguous', () => {
    const vms = groupVms(
      model([
        [10, 'CPU 0/KVM'],
        [11, 'CPU 1/KVM'],
        [12, 'CPU 2/KVM'],
        [20, 'CPU 0/KVM'],
      ]),
    );
    expect(sets(vms)).toEqual(['0:10 1:11 2:12', '0:20']);
    expect(vms.some((v) => v.ambiguous)).toBe(false);
  });

  it('unnamed threads that ran KVM exits are vCPUs, indexed by their vcpu id, and flagged', () => {
    const vms = groupVms(
      model(
        [
          [40, 'qemu-kvm'],
          [41, 'qemu-kvm'],
          [39, 'qemu-kvm'],
        ],
        [
          [40, 1],
          [41, 0],
        ],
      ),
    );
    expect(sets(vms)).toEqual(['0:41 1:40']);
    expect(vms[0].ambiguous).toBe(true);
  });

  it('a VM-map CSV wins for the threads it lists, even against tgids', () => {
    const m = model([
      [102, 'CPU 0/KVM', 100],
      [103, 'CPU 1/KVM', 100],
      [205, 'CPU 0/KVM', 200],
    ]);
    const vms = groupVms(m, {
      vmMap: [
        { tid: 103, vm: 'db', vcpu: 0 },
        { tid: 205, vm: 'db', vcpu: 1 },
        { tid: 999, vm: 'db', vcpu: 2 },
      ],
    });
    expect(vms.map((v) => [v.name, v.grouping])).toEqual([
      ['db', 'vm-map'],
      ['vm100', 'tgid'],
    ]);
    expect(vms[0].vcpus.map((v) => [v.index, v.tid, v.task >= 0])).toEqual([
      [0, 103, true],
      [1, 205, true],
      [2, 999, false],
    ]);
    expect(sets([vms[1]])).toEqual(['0:102']);
  });

  it('ps output dropped with a map gives tgids ("companion")', () => {
    const m = model([
      [10, 'CPU 0/TCG'],
      [11, 'CPU 0/TCG'],
      [12, 'CPU 1/TCG'],
      [13, 'CPU 1/TCG'],
    ]);
    const runs = assembleRuns([
      { name: 'map.txt', kind: 'trace', model: m },
      {
        name: 'ps.txt',
        kind: 'ps',
        threads: [
          { pid: 5, tid: 10, comm: 'CPU 0/TCG' },
          { pid: 5, tid: 13, comm: 'CPU 1/TCG' },
          { pid: 6, tid: 11, comm: 'CPU 0/TCG' },
          { pid: 6, tid: 12, comm: 'CPU 1/TCG' },
        ],
      },
    ]);
    expect(runs).toHaveLength(1);
    expect(runs[0].companions).toEqual(['ps.txt']);
    // The truth differs from the rank guess: only the companion can say so.
    expect(sets(runs[0].vms)).toEqual(['0:10 1:13', '0:11 1:12']);
    expect(runs[0].vms.map((v) => [v.name, v.grouping, v.ambiguous])).toEqual([
      ['vm5', 'companion', false],
      ['vm6', 'companion', false],
    ]);
  });

  it("a VM map's and a ps listing's unusable lines are said in vmNotes, by file and line", () => {
    const m = model([
      [10, 'CPU 0/TCG'],
      [11, 'CPU 1/TCG'],
    ]);
    const runs = assembleRuns([
      { name: 'map.txt', kind: 'trace', model: m },
      {
        name: 'vms.csv',
        kind: 'vm-csv',
        rows: [{ tid: 10, vm: 'alpha', vcpu: 0 }],
        warnings: [{ line: 3, message: 'row skipped: tid "xx" is not a number' }],
      },
      { name: 'ps.txt', kind: 'ps', threads: [], warnings: [{ line: 2, message: 'not a thread line' }] },
    ]);
    expect(runs[0].vmNotes).toEqual(
      expect.arrayContaining([
        'vms.csv line 3: row skipped: tid "xx" is not a number',
        'ps.txt line 2: not a thread line',
      ]),
    );
  });
});
