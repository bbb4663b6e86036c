// How the files of one drop combine (README "Companion files"): which wins on a conflict.

import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './builder';
import { PrevState, type TraceModel } from './types';
import { resolveFacts, vmNameOfFile, type FactFile, type VmFact } from './vmFacts';
import { discoverVms } from './vms';

const fact = (over: Partial<VmFact>): VmFact => ({
  name: null,
  pid: null,
  vcpus: [],
  otherTids: [],
  vcpuCount: null,
  pins: [],
  ...over,
});

/** Threads [tid, comm, tgid?, runUs] each switched in once on CPU 0 for runUs µs, one after the other. */
function model(threads: [number, string, number | undefined, number][]): TraceModel {
  const b = new TraceBuilder('perf-script');
  let t = 0;
  for (const [tid, comm, tgid, runUs] of threads) {
    const task = b.task(tid, comm, t);
    if (tgid !== undefined) b.setTgid(task, tgid);
    b.addSwitch(t, 0, -1, PrevState.Unknown, task);
    t += runUs * 1000;
  }
  b.addSwitch(t, 0, -1, PrevState.Unknown, b.task(0, 'swapper/0', t));
  return b.finish();
}

describe('vmNameOfFile', () => {
  it('takes the domain out of the usual file names', () => {
    expect(
      ['web01.json', 'web01.txt', 'web01.hmp.txt', 'web01.qmp.json.gz', '/tmp/x/web01.cpus'].map(vmNameOfFile),
    ).toEqual(['web01', 'web01', 'web01', 'web01', 'web01']);
    expect(vmNameOfFile('db.example.com.json')).toBe('db.example.com');
  });
});

describe('resolveFacts', () => {
  it('files that share a thread are one VM; QMP beats HMP beats cgroup on an index; a content name beats a file name', () => {
    const files: FactFile[] = [
      {
        file: 'cg.txt',
        format: 'cgroup-threads',
        facts: [fact({ name: 'web', vcpus: [{ index: 1, tid: 11 }], otherTids: [9] })],
      },
      {
        file: 'web-qmp.json',
        format: 'qmp-cpus',
        facts: [
          fact({
            vcpus: [
              { index: 0, tid: 11 },
              { index: 1, tid: 12 },
            ],
          }),
        ],
      },
      { file: 'other.txt', format: 'hmp-cpus', facts: [fact({ vcpus: [{ index: 0, tid: 21 }] })] },
    ];
    const r = resolveFacts(files);
    expect(r.listed.map((l) => [l.name, l.nameFrom, l.vcpus.map((v) => `${v.index}:${v.tid}`), l.otherTids])).toEqual([
      ['web', 'cg.txt', ['0:11', '1:12'], [9]],
      ['other', 'other.txt', ['0:21'], []],
    ]);
    expect(r.notes).toEqual([
      'web-qmp.json, cg.txt list the same threads: read as one VM',
      'thread 11 is vCPU 0 in web-qmp.json but vCPU 1 in cg.txt: web-qmp.json wins',
    ]);
  });

  it('ps processes by pid and domains by name; a later file wins, said so', () => {
    const r = resolveFacts([
      { file: 'a.txt', format: 'ps-args', facts: [fact({ pid: 5, name: 'x', vcpuCount: 2 })] },
      { file: 'b.txt', format: 'ps-args', facts: [fact({ pid: 5, name: 'y', vcpuCount: 2 })] },
      {
        file: 'd.xml',
        format: 'domain-xml',
        facts: [fact({ name: 'y', vcpuCount: 4, pins: [{ vcpu: 0, cpus: [3] }] })],
      },
    ]);
    expect(r.processes.get(5)).toEqual({ pid: 5, name: 'y', vcpuCount: 2, file: 'b.txt' });
    expect(r.domains.get('y')?.pins).toEqual([{ vcpu: 0, cpus: [3] }]);
    expect(r.notes).toEqual(['QEMU pid 5 is described in a.txt and b.txt: b.txt is used']);
  });
});

describe('discoverVms with companions', () => {
  // Process 100: main 100 (runs 50 µs), helpers 101 (1 µs) and 102, vCPUs 103..105 (3, 2, 1 ms).
  const qemu = (): TraceModel =>
    model([
      [100, 'qemu-system-x86', 100, 50],
      [101, 'qemu-system-x86', 100, 1],
      [103, 'qemu-system-x86', 100, 3000],
      [104, 'qemu-system-x86', 100, 2000],
      [105, 'qemu-system-x86', 100, 1000],
      [106, 'vhost-100', 100, 4000],
      [200, 'bash', 200, 5000],
    ]);

  it('a ps name beats a cgroup scope name; a domain XML of that name pins it; a domain of no VM is said so', () => {
    const { vms, notes } = discoverVms(qemu(), {
      facts: [
        {
          file: 'cg.txt',
          format: 'cgroup-threads',
          facts: [
            fact({
              name: 'scope-name',
              vcpus: [
                { index: 0, tid: 103 },
                { index: 1, tid: 104 },
              ],
            }),
          ],
        },
        { file: 'ps.txt', format: 'ps-args', facts: [fact({ pid: 100, name: 'web', vcpuCount: 2 })] },
        {
          file: 'web.xml',
          format: 'domain-xml',
          facts: [fact({ name: 'web', vcpuCount: 2, pins: [{ vcpu: 0, cpus: [0] }] })],
        },
        { file: 'gone.xml', format: 'domain-xml', facts: [fact({ name: 'gone', vcpuCount: 1 })] },
      ],
    });
    expect(
      vms.map((vm) => [vm.name, vm.nameFrom, vm.tgid, vm.vcpuSource, vm.vcpus.map((v) => v.tid), vm.pins]),
    ).toEqual([['web', 'ps.txt', 100, 'companion', [103, 104], [{ vcpu: 0, cpus: [0] }]]]);
    // The thread the cgroup did not list stays with the process, not as a vCPU.
    expect(vms[0].otherThreads.map((o) => o.tid)).toEqual([100, 101, 105, 106]);
    expect(notes).toEqual([
      'domain gone (gone.xml) matches no VM by name: drop `ps -eo pid,args` (its -name guest=) or a QMP answer named gone.json to link it',
    ]);
  });

  it('the estimate: the threads that ran most, at most the domain XML count; kernel threads of the process are no candidates', () => {
    const { vms } = discoverVms(qemu(), {
      facts: [
        { file: 'ps.txt', format: 'ps-args', facts: [fact({ pid: 100, name: 'web' })] },
        { file: 'web.xml', format: 'domain-xml', facts: [fact({ name: 'web', vcpuCount: 2 })] },
      ],
    });
    expect(vms.map((vm) => [vm.name, vm.vcpuSource, vm.vcpus.map((v) => `${v.index}:${v.tid}`)])).toEqual([
      ['web', 'estimate', ['0:103', '1:104']],
    ]);
    expect(vms[0].estimateReason).toMatch(/at most 2, from web\.xml \(<vcpu>\)/);
    expect(vms[0].otherThreads.map((o) => o.tid)).toEqual([100, 101, 105, 106]);
  });

  it('without a count: threads that ran at least 1% of the busiest', () => {
    const [vm] = discoverVms(qemu()).vms;
    // 101 ran 1 µs (0.03% of 3 ms): a helper; 103..105 ran 1-3 ms.
    expect(vm.vcpus.map((v) => v.tid)).toEqual([103, 104, 105]);
    expect(vm.name).toBe('vm100');
  });

  it('a QMP answer none of whose threads is in the trace makes no VM, and says so', () => {
    const { vms, notes } = discoverVms(qemu(), {
      facts: [{ file: 'far.json', format: 'qmp-cpus', facts: [fact({ vcpus: [{ index: 0, tid: 9999 }] })] }],
    });
    expect(vms.map((vm) => vm.name)).toEqual(['vm100']);
    expect(notes).toEqual([
      'none of the 1 vCPU threads of far (far.json) appear in this trace: not the same host or time?',
    ]);
  });

  it('named vCPU threads are not estimated; a process renamed after start is QEMU by its earlier name', () => {
    const b = new TraceBuilder('perf-script');
    const main = b.task(300, 'qemu-system-x86', 0);
    b.setTgid(main, 300);
    b.addSwitch(0, 0, -1, PrevState.Unknown, main);
    const v = b.task(301, 'qemu-system-x86', 1000);
    b.setTgid(v, 300);
    b.addSwitch(1000, 0, -1, PrevState.Unknown, v);
    b.task(300, 'myvm', 2000);
    b.task(301, 'myvm', 2000);
    b.addSwitch(500000, 0, -1, PrevState.Unknown, b.task(0, 'swapper/0', 500000));
    const [vm] = discoverVms(b.finish()).vms;
    expect([vm.tgid, vm.vcpuSource, vm.vcpus.map((x) => [x.tid, x.comm])]).toEqual([300, 'estimate', [[301, 'myvm']]]);
  });

  it('the VM map beats a QMP answer, and a QMP index beats a thread name; both said', () => {
    const m = model([
      [10, 'CPU 1/KVM', undefined, 100],
      [11, 'CPU 0/KVM', undefined, 100],
    ]);
    const { vms, notes } = discoverVms(m, {
      vmMap: [{ tid: 11, vm: 'mapped', vcpu: 0 }],
      facts: [
        {
          file: 'web.json',
          format: 'qmp-cpus',
          facts: [
            fact({
              vcpus: [
                { index: 0, tid: 10 },
                { index: 1, tid: 11 },
              ],
            }),
          ],
        },
      ],
    });
    expect(vms.map((vm) => [vm.name, vm.vcpus.map((v) => `${v.index}:${v.tid}`)])).toEqual([
      ['mapped', ['0:11']],
      ['web', ['0:10']],
    ]);
    expect(notes).toEqual([
      '1 vCPU threads of web (web.json) are in the VM map: the map wins for them',
      'thread 10 is named vCPU 1 but web.json says vCPU 0: the file wins',
    ]);
  });
});
