// The simulated host: VM processes with QEMU-style threads, and host noise tasks.

export interface SynthTask {
  tid: number;
  tgid: number;
  comm: string;
  /** Index of the VM this thread belongs to, -1 for host tasks. */
  vm: number;
  /** vCPU index, -1 for non-vCPU threads. */
  vcpu: number;
  prio: number;
}

export interface SynthHost {
  cpus: number;
  tasks: SynthTask[];
  /** Task indices of each VM's vCPU threads, by vCPU index. */
  vmVcpus: number[][];
  /** Task indices of host noise tasks. */
  noise: number[];
}

/** QEMU allocates a process's tids in order: main loop, helpers, then vCPUs. */
export function buildHost(cpus: number, vms: number, vcpus: number, firstPid = 4000): SynthHost {
  const tasks: SynthTask[] = [];
  const vmVcpus: number[][] = [];
  let tid = firstPid;
  for (let v = 0; v < vms; v++) {
    const pid = tid;
    tasks.push({ tid: tid++, tgid: pid, comm: 'qemu-system-x86', vm: v, vcpu: -1, prio: 120 });
    tasks.push({ tid: tid++, tgid: pid, comm: 'call_rcu', vm: v, vcpu: -1, prio: 120 });
    tasks.push({ tid: tid++, tgid: pid, comm: 'IO mon_iothread', vm: v, vcpu: -1, prio: 120 });
    const list: number[] = [];
    for (let k = 0; k < vcpus; k++) {
      list.push(tasks.length);
      tasks.push({ tid: tid++, tgid: pid, comm: `CPU ${k}/KVM`, vm: v, vcpu: k, prio: 120 });
    }
    tasks.push({ tid: tid++, tgid: pid, comm: `vhost-${pid}`, vm: v, vcpu: -1, prio: 120 });
    vmVcpus.push(list);
    tid += 7;
  }
  const noise: number[] = [];
  const addNoise = (comm: string, prio = 120): void => {
    noise.push(tasks.length);
    tasks.push({ tid: tid, tgid: tid, comm, vm: -1, vcpu: -1, prio });
    tid++;
  };
  for (let c = 0; c < Math.min(cpus, 16); c++) addNoise(`kworker/${c}:1`);
  addNoise('rcu_preempt');
  addNoise('systemd-journal');
  addNoise('sshd');
  addNoise('irqbalance');
  return { cpus, tasks, vmVcpus, noise };
}
