// Which thread names are vCPU threads, and their vCPU index
// (shared/docs/trace-formats.md §5). QEMU names vCPU threads only with
// `-name debug-threads=on` (libvirt sets it); other VMMs have their own style.

/** The accelerators of QEMU's `CPU n/ACCEL` names. */
const QEMU_ACCELS = ['KVM', 'TCG', 'HVF', 'WHPX', 'NVMM', 'HAX', 'DUMMY', 'MSHV', 'QTest'];

const VCPU_PATTERNS: RegExp[] = [
  new RegExp(`^CPU (\\d+)\\/(${QEMU_ACCELS.join('|')})$`), // QEMU, debug-threads=on
  /^fc_vcpu ?(\d+)$/, // Firecracker
  /^crosvm_vcpu ?(\d+)$/, // crosvm
  /^kvm-vcpu-(\d+)$/, // kvmtool
  /^vcpu(\d+)$/, // Cloud Hypervisor
];

/**
 * A QEMU vCPU name as the latency format prints comms (`%8.8s`): `CPU 0/KV`, `CPU 12/K`, `CPU 100/`.
 * Only at exactly 8 characters, and only a cut of a known accelerator.
 */
const QEMU_CUT = /^CPU (\d+)\/([A-Za-z]*)$/;
const CUT_WIDTH = 8;

/** Single-threaded TCG runs every vCPU on one thread. */
const ALL_CPUS = /^ALL CPUs\/TCG$/;

/** The vCPU index a thread name stands for, or null when it is no vCPU name. */
export function vcpuIndexOfName(comm: string): number | null {
  for (const re of VCPU_PATTERNS) {
    const m = re.exec(comm);
    if (m) return Number(m[1]);
  }
  if (ALL_CPUS.test(comm)) return 0;
  if (comm.length === CUT_WIDTH) {
    const m = QEMU_CUT.exec(comm);
    if (m && QEMU_ACCELS.some((a) => a.startsWith(m[2]))) return Number(m[1]);
  }
  return null;
}

export function isVcpuName(comm: string): boolean {
  return vcpuIndexOfName(comm) !== null;
}

/**
 * QEMU's process name, which every thread keeps without debug-threads=on: `qemu-system-x86` (the
 * 15-character cut of qemu-system-x86_64), `qemu-kvm` (RHEL), `qemu`, `kvm` (old Debian wrapper).
 */
const QEMU_PROCESS = /^(qemu-system-[\w.-]*|qemu-kvm|qemu|kvm)$/;

/** Whether a thread name is QEMU's process name (its main loop, or any thread without debug-threads=on). */
export function isQemuMainName(comm: string): boolean {
  return QEMU_PROCESS.test(comm);
}

/** Whether a program path (argv[0] in ps output) is a QEMU system emulator. */
export function isQemuProgram(path: string): boolean {
  return QEMU_PROCESS.test(path.replace(/^.*\//, ''));
}
