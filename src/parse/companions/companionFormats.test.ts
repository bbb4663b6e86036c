// The companion formats of a KVM host, read through the streaming driver (sniffing included) from
// public samples (test/fixtures/companions/public, origins in TRACES.md) and from what this
// machine's QEMU printed (test/fixtures/companions/qemu-nodebug-3vm).

import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText, truth } from '../../../test/fixtures';
import type { VmFact } from '../../model/vmFacts';
import { bytesSource, parseInput, textSource } from '../parseInput';
import { cpuset } from './domainXml';
import { vmNameOfScope } from './cgroupThreads';

async function companion(file: string) {
  const r = await parseInput(bytesSource(fixtureBytes(file)));
  if (r.kind !== 'companion' || r.companion.kind !== 'vm-facts') throw new Error(`${file} not read as a VM companion`);
  return r.companion;
}

async function fromText(text: string) {
  const r = await parseInput(textSource(text));
  if (r.kind !== 'companion' || r.companion.kind !== 'vm-facts') throw new Error('not read as a VM companion');
  return r.companion;
}

const pairs = (f: VmFact): string[] => f.vcpus.map((v) => `${v.index}:${v.tid}`);
const PUBLIC = 'companions/public';
const OWN = 'companions/qemu-nodebug-3vm';

describe('QMP query-cpus-fast', () => {
  it('libvirt test data (x86, 11 vCPUs, pretty-printed with an id)', async () => {
    const c = await companion(`${PUBLIC}/libvirt-x86-full-fast-cpus.json`);
    expect(c.format).toBe('qmp-cpus');
    expect(c.warnings).toEqual([]);
    expect(c.facts).toHaveLength(1);
    expect(pairs(c.facts[0])).toEqual(['0:895040', ...Array.from({ length: 10 }, (_, i) => `${i + 1}:${895056 + i}`)]);
    expect(c.facts[0].name).toBeNull();
  });

  it('the removed query-cpus answer (CPU, thread_id) gives the same threads', async () => {
    const fast = await companion(`${PUBLIC}/libvirt-x86-full-fast-cpus.json`);
    const old = await companion(`${PUBLIC}/libvirt-x86-full-cpus.json`);
    expect(old.format).toBe('qmp-cpus');
    expect(pairs(old.facts[0])).toEqual(pairs(fast.facts[0]));
  });

  it('s390 answer (tab inside, cpu-state)', async () => {
    const c = await companion(`${PUBLIC}/libvirt-s390-fast-cpus.json`);
    expect(pairs(c.facts[0])).toEqual(['0:89504', '1:89505']);
  });

  it("this machine's QEMU 7.2 answers, one line each, are the truth's vCPU threads", async () => {
    const t = truth('qemu-nodebug-3vm');
    for (const vm of t.vms) {
      const c = await companion(`${OWN}/${vm.name}.json`);
      expect(c.warnings).toEqual([]);
      expect(pairs(c.facts[0])).toEqual(vm.vcpus.map((v) => `${v.vcpu}:${v.tid}`));
    }
  });

  it('a raw QMP session (greeting, capabilities, answer) and info cpus through human-monitor-command', async () => {
    const session = [
      '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}',
      '{"return": {}}',
      '{"return": [{"thread-id": 14601, "props": {"core-id": 0, "thread-id": 0, "socket-id": 0}, "qom-path": "/machine/unattached/device[0]", "cpu-index": 0, "target": "x86_64"}]}',
    ].join('\n');
    expect(pairs((await fromText(session)).facts[0])).toEqual(['0:14601']);
    const hmp = await fromText(
      '{"return": "* CPU #0: thread_id=5132\\r\\n  CPU #1: thread_id=5133\\r\\n", "id": "libvirt-12"}',
    );
    expect(pairs(hmp.facts[0])).toEqual(['0:5132', '1:5133']);
  });

  it('bad entries and broken JSON are warned with their line, the rest kept', async () => {
    const c = await fromText(
      '{"return": [\n {"cpu-index": 0, "thread-id": 10},\n {"cpu-index": 1},\n {"cpu-index": 2, "thread-id": 12}\n]}',
    );
    expect(pairs(c.facts[0])).toEqual(['0:10', '2:12']);
    expect(c.warnings).toEqual([{ line: 3, message: 'return[1] has no thread-id number: skipped' }]);
    const cut = await fromText('{"return": [{"cpu-index": 0, "thread-id": 10},\n {"cpu-index": 1, "thread-id"');
    expect(cut.facts).toEqual([]);
    expect(cut.warnings[0].message).toMatch(/^not valid JSON/);
  });
});

describe('HMP info cpus', () => {
  it('QEMU 10.0.50 transcript from qemu-devel: four vCPUs on one thread read as one vCPU, said so', async () => {
    const c = await companion(`${PUBLIC}/qemu-devel-2025-07-info-cpus.txt`);
    expect(c.format).toBe('hmp-cpus');
    expect(pairs(c.facts[0])).toEqual(['0:42916']);
    // The shell command, banner and prompts of the transcript are no answer lines and no fault.
    expect(c.warnings).toEqual([
      {
        line: 4,
        message:
          'thread 42916 runs vCPUs 0, 1, 2, 3 (one thread for several vCPUs: single-threaded TCG): it is read as vCPU 0',
      },
    ]);
  });

  it('the pc= form of QEMU before 2.12 (libvirt 0.10.2) and CRLF answers of virsh (kvmtop blog)', async () => {
    const old = await companion(`${PUBLIC}/libvirt-0.10.2-info-cpus.txt`);
    expect(pairs(old.facts[0])).toEqual(['0:30019', '1:30020', '2:30021']);
    expect(old.warnings).toEqual([]);
    const crlf = await companion(`${PUBLIC}/kvmtop-blog-info-cpus.txt`);
    expect(pairs(crlf.facts[0])).toEqual(
      [4031, 4032, 4037, 4038, 4039, 4040, 4041, 4042].map((tid, i) => `${i}:${tid}`),
    );
  });

  it("this machine's answers equal the QMP ones", async () => {
    for (const vm of truth('qemu-nodebug-3vm').vms) {
      const hmp = await companion(`${OWN}/${vm.name}.hmp.txt`);
      const qmp = await companion(`${OWN}/${vm.name}.json`);
      expect(hmp.format).toBe('hmp-cpus');
      expect(pairs(hmp.facts[0])).toEqual(pairs(qmp.facts[0]));
    }
  });

  it('a CPU line without thread_id is warned', async () => {
    const c = await fromText('* CPU #0: pc=0x00000000fffffff0\n  CPU #1: pc=0x0 thread_id=77\n');
    expect(pairs(c.facts[0])).toEqual(['1:77']);
    expect(c.warnings).toEqual([
      { line: 1, message: 'CPU #0 has no thread_id= (QEMU before 1.1 does not print it): skipped' },
    ]);
  });
});

describe('ps -eo pid,args', () => {
  it('ps auxww of a libvirt host (0xdf, HTB Fulcrum): three QEMU processes with their names and -smp', async () => {
    const c = await companion(`${PUBLIC}/0xdf-fulcrum-ps-auxww.txt`);
    expect(c.format).toBe('ps-args');
    expect(c.facts.map((f) => [f.pid, f.name, f.vcpuCount])).toEqual([
      [1328, 'WEB01', 1],
      [1484, 'FILE', 1],
      [1522, 'DC', 1],
    ]);
    expect(c.warnings).toEqual([{ line: 2, message: '4 lines that are no "PID … COMMAND" process line skipped' }]);
  });

  it("this machine's ps -o pid,args: guest=, a bare -name, process= renamed and -smp", async () => {
    const c = await companion(`${OWN}/ps-args.txt`);
    const t = truth('qemu-nodebug-3vm');
    expect(c.facts.map((f) => [f.pid, f.name, f.vcpuCount])).toEqual(
      t.vms.map((vm) => [vm.pid, vm.name, vm.vcpus.length]),
    );
  });

  it('-smp forms and other programs', async () => {
    const c = await fromText(
      [
        '    PID COMMAND',
        '      1 /sbin/init',
        '    100 /usr/libexec/qemu-kvm -name guest=a,,b,debug-threads=on -smp 4,maxcpus=8',
        '    200 qemu-system-aarch64 -smp sockets=2,cores=4,threads=2 -name process=x,guest=arm',
        '    300 /usr/bin/qemu-img convert -O raw a b',
        '    400 qemu-system-x86_64 -smp cpus=lots',
      ].join('\n'),
    );
    expect(c.facts.map((f) => [f.pid, f.name, f.vcpuCount])).toEqual([
      [100, 'a,b', 4],
      [200, 'arm', 16],
      [400, null, null],
    ]);
    expect(c.warnings).toEqual([{ line: 6, message: '-smp cpus=lots: no vCPU count read from it' }]);
  });
});

describe('virsh dumpxml', () => {
  it('libvirt test data (cputune): name, vCPU count, vcpupin', async () => {
    const c = await companion(`${PUBLIC}/libvirt-cputune.xml`);
    expect(c.format).toBe('domain-xml');
    expect(c.warnings).toEqual([]);
    expect(c.facts).toEqual([
      {
        name: 'QEMUGuest1',
        pid: null,
        vcpus: [],
        otherTids: [],
        vcpuCount: 4,
        pins: [
          { vcpu: 0, cpus: [0] },
          { vcpu: 1, cpus: [1] },
        ],
      },
    ]);
  });

  it('two dumps one after the other, current= and a default cpuset, entities in names', async () => {
    const one = fixtureText(`${PUBLIC}/libvirt-cputune.xml`);
    const two = `<?xml version="1.0"?>\n<domain type='kvm' id='7'>\n  <name>R&amp;D</name>\n  <vcpu placement='static' cpuset='2-5,^3' current='2'>4</vcpu>\n  <cputune><vcpupin vcpu='1' cpuset='7'/></cputune>\n</domain>\n`;
    const c = await fromText(one + two);
    expect(c.facts.map((f) => [f.name, f.vcpuCount, f.pins])).toEqual([
      [
        'QEMUGuest1',
        4,
        [
          { vcpu: 0, cpus: [0] },
          { vcpu: 1, cpus: [1] },
        ],
      ],
      [
        'R&D',
        2,
        [
          { vcpu: 0, cpus: [2, 4, 5] },
          { vcpu: 1, cpus: [7] },
        ],
      ],
    ]);
  });

  it('not well-formed XML names its line', async () => {
    const c = await fromText("<domain type='kvm'>\n  <name>x</name>\n  <vcpu>2</vcpu\n</domain>\n");
    expect(c.facts).toEqual([]);
    // The line where the parser notices the unclosed tag.
    expect(c.warnings[0].line).toBe(4);
    expect(c.warnings[0].message).toMatch(/^not well-formed XML/);
  });

  it("libvirt's cpuset syntax", () => {
    expect(cpuset('1-4,^3,6')).toEqual([1, 2, 4, 6]);
    expect(cpuset('0')).toEqual([0]);
    expect(cpuset('1-x')).toBeNull();
  });
});

describe('cgroup.threads', () => {
  // Hand-made from the layouts libvirt documents (docs/cgroups.rst): no public capture of this grep exists.
  const lines = [
    '/sys/fs/cgroup/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu0/cgroup.threads:4101',
    '/sys/fs/cgroup/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu1/cgroup.threads:4102',
    '/sys/fs/cgroup/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator/cgroup.threads:4090',
    '/sys/fs/cgroup/machine.slice/machine-qemu\\x2d2\\x2dweb\\x2d01.scope/vcpu0/cgroup.threads:4201',
    '/sys/fs/cgroup/cpu,cpuacct/machine/qemu-3-db.libvirt-qemu/vcpu0/tasks:4301',
    '/sys/fs/cgroup/cpu/system/libvirtd.service/libvirt/qemu/old/vcpu0/tasks:4401',
  ];

  it('reads the layouts of every libvirt version, names from the scopes', async () => {
    const c = await fromText(lines.join('\n'));
    expect(c.format).toBe('cgroup-threads');
    expect(c.facts.map((f) => [f.name, pairs(f), f.otherTids])).toEqual([
      ['vm1', ['0:4101', '1:4102'], [4090]],
      ['web-01', ['0:4201'], []],
      ['db', ['0:4301'], []],
      ['old', ['0:4401'], []],
    ]);
  });

  it('a stray line is counted, not taken', async () => {
    const c = await fromText([...lines, 'grep: /sys/fs/cgroup/x: Permission denied'].join('\n'));
    expect(c.facts).toHaveLength(4);
    expect(c.warnings).toEqual([{ line: 7, message: '1 line that are no "…/vcpuN/cgroup.threads:TID" line skipped' }]);
  });

  it('scope names', () => {
    expect(vmNameOfScope('/sys/fs/cgroup/machine.slice/machine-qemu\\x2d3\\x2dvirthub\\x2d42.scope/libvirt')).toBe(
      'virthub-42',
    );
    expect(vmNameOfScope('machine.slice/machine-qemu\\x2dinstance\\x2d00000001.scope')).toBe('instance-00000001');
    expect(vmNameOfScope('/machine/qemu-1-instance-00000003.libvirt-qemu')).toBe('instance-00000003');
  });
});

describe('sniffing', () => {
  it('scheduler traces and the other companions are not taken for these formats', async () => {
    for (const name of [
      'qemu-nodebug-3vm.script-pidtid.txt',
      'qemu-nodebug-3vm.map.txt',
      'qemu-nodebug-3vm.timehist.txt',
    ]) {
      const r = await parseInput(bytesSource(fixtureBytes(name)));
      expect(r.kind, name).toBe('trace');
    }
    const ps = await parseInput(bytesSource(fixtureBytes(`${OWN}/ps-threads.txt`)));
    expect(ps.kind === 'companion' && ps.companion.kind).toBe('ps');
  });
});
