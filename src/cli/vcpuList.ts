// A VM's vCPU threads in one short line however many there are: runs of vCPUs
// whose index and tid both step by one, and whose names follow QEMU's
// `CPU n/KVM`, fold to `CPU 0-19/KVM:4003-4022`; anything else is listed as is.

interface Vcpu {
  index: number;
  tid: number;
  comm: string;
}

const qemuName = (v: Vcpu): boolean => v.comm === `CPU ${v.index}/KVM`;

export function vcpuListText(vcpus: readonly Vcpu[]): string {
  const parts: string[] = [];
  for (let i = 0; i < vcpus.length;) {
    let j = i;
    if (qemuName(vcpus[i]))
      while (
        j + 1 < vcpus.length &&
        qemuName(vcpus[j + 1]) &&
        vcpus[j + 1].index === vcpus[j].index + 1 &&
        vcpus[j + 1].tid === vcpus[j].tid + 1
      )
        j++;
    const [a, b] = [vcpus[i], vcpus[j]];
    parts.push(j === i ? `${a.comm}:${a.tid}` : `CPU ${a.index}-${b.index}/KVM:${a.tid}-${b.tid}`);
    i = j + 1;
  }
  return parts.join(', ');
}
