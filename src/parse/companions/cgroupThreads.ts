// The cgroups libvirt puts a VM's threads in, captured as
//   grep -H . /sys/fs/cgroup/machine.slice/*/libvirt/vcpu*/cgroup.threads
// one `PATH:TID` line per thread. The layouts libvirt documents (libvirt docs/cgroups.rst):
//   machine.slice/machine-qemu\x2d1\x2dvm1.scope/libvirt/vcpu0   systemd, libvirt >= 7.1
//   machine.slice/machine-qemu\x2d1\x2dvm1.scope/vcpu0           systemd, libvirt < 7.1
//   machine/qemu-1-vm1.libvirt-qemu/vcpu0                        without systemd
//   …/libvirt/qemu/vm1/vcpu0                                     before libvirt 1.0.5
// `vcpuN` gives the vCPU index; `emulator` and `iothreadN` hold the VM's other threads; cgroup v1's
// `tasks` files are read like `cgroup.threads`. The VM's name comes from its scope, which libvirt may
// have shortened or stripped of characters systemd does not allow (so ps `-name guest=` beats it).

import type { LineMessage } from '../../model/types';
import type { VmFact } from '../../model/vmFacts';
import { emptyFact, onePerThread, textLines, type FactsResult } from './result';
import { thousands } from '../../model/format';

const LINE = /^(.+?)\/(vcpu(\d+)|emulator|iothread\d+)\/(?:cgroup\.threads|tasks|cgroup\.procs):\s*(\d+)\s*$/;

export function sniffCgroupThreads(lines: readonly string[]): boolean {
  const used = lines.filter((l) => l.trim() !== '');
  const good = used.filter((l) => LINE.test(l)).length;
  return good > 0 && good >= used.length / 2;
}

/** systemd's `\xHH` escapes undone. */
const unescape = (s: string): string =>
  s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The VM name a scope directory stands for. */
export function vmNameOfScope(dir: string): string {
  const parts = dir.split('/').filter((p) => p !== '');
  if (parts.length > 0 && parts[parts.length - 1] === 'libvirt') parts.pop();
  const scope = unescape(parts[parts.length - 1] ?? '');
  const m = /^machine-qemu-(?:\d+-)?(.+)\.scope$/.exec(scope) ?? /^qemu-(?:\d+-)?(.+)\.libvirt-qemu$/.exec(scope);
  return m ? m[1] : scope;
}

export function parseCgroupThreads(text: string): FactsResult {
  const warnings: LineMessage[] = [];
  const byDir = new Map<string, { vcpus: { index: number; tid: number; line: number }[]; others: number[] }>();
  let bad = 0;
  let firstBad = 0;
  textLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = LINE.exec(line);
    if (!m) {
      if (bad++ === 0) firstBad = i + 1;
      return;
    }
    const dir = m[1].replace(/\/libvirt$/, '');
    const vm = byDir.get(dir) ?? { vcpus: [], others: [] };
    byDir.set(dir, vm);
    const tid = Number(m[4]);
    if (m[3] !== undefined) vm.vcpus.push({ index: Number(m[3]), tid, line: i + 1 });
    else vm.others.push(tid);
  });
  if (bad > 0)
    warnings.push({
      line: firstBad,
      message: `${thousands(bad)} line${bad === 1 ? '' : 's'} that are no "…/vcpuN/cgroup.threads:TID" line skipped`,
    });
  const facts: VmFact[] = [];
  for (const [dir, vm] of byDir) {
    if (vm.vcpus.length === 0) continue;
    facts.push({
      ...emptyFact(),
      name: vmNameOfScope(dir),
      vcpus: onePerThread(vm.vcpus, warnings),
      otherTids: vm.others,
    });
  }
  if (facts.length === 0) warnings.push({ line: 1, message: 'no vcpuN/cgroup.threads line: no vCPU thread listed' });
  return { format: 'cgroup-threads', facts, warnings };
}
