// The simulated host's tasks: per VM a QEMU process (main loop, helpers, vCPU
// threads), and the host's own threads. Tasks that are not vCPUs run in short
// bursts and sleep between them ("host noise"): how often and how long is
// their `noise` behaviour (model choices, listed in docs/simulator.md).

import type { SwitchState } from './events';

export interface NoiseBehaviour {
  /** Mean time asleep between two bursts (exponential). */
  periodNs: number;
  /** Mean CPU time of one burst (exponential, plus 2 µs). */
  burstNs: number;
  /** CPU the task is bound to (per-CPU kernel threads), -1 for any. */
  pinnedCpu: number;
  /** prev_state when it goes to sleep: 'I' for idle kernel threads, else 'S'. */
  sleepState: SwitchState;
}

export interface SynthTask {
  tid: number;
  tgid: number;
  comm: string;
  /** Index of the VM this thread belongs to, -1 for host tasks. */
  vm: number;
  /** vCPU index, -1 for non-vCPU threads. */
  vcpu: number;
  prio: number;
  /** Null for vCPU threads and for threads that never wake in the simulation. */
  noise: NoiseBehaviour | null;
}

export interface SynthHost {
  cpus: number;
  tasks: SynthTask[];
  /** Task indices of each VM's vCPU threads, by vCPU index. */
  vmVcpus: number[][];
  /** Task indices of the tasks that wake, run a burst and sleep. */
  noise: number[];
}

const ms = 1e6;
const us = 1e3;

/**
 * Host kernel threads get low tids (as on a booted host), VMs start at
 * `firstPid`: QEMU allocates a process's tids in order: main loop, helpers,
 * then vCPUs.
 */
export function buildHost(cpus: number, vms: number, vcpus: number, firstPid = 4000): SynthHost {
  const tasks: SynthTask[] = [];
  const noise: number[] = [];
  const add = (task: SynthTask): number => {
    if (task.noise) noise.push(tasks.length);
    tasks.push(task);
    return tasks.length - 1;
  };
  const kernel = (tid: number, comm: string, behaviour: NoiseBehaviour): void => {
    add({ tid, tgid: tid, comm, vm: -1, vcpu: -1, prio: 120, noise: behaviour });
  };
  kernel(15, 'rcu_preempt', { periodNs: 4 * ms, burstNs: 8 * us, pinnedCpu: -1, sleepState: 'I' });
  let tid = 20;
  for (let c = 0; c < cpus; c++) {
    kernel(tid, `ksoftirqd/${c}`, { periodNs: 50 * ms, burstNs: 15 * us, pinnedCpu: c, sleepState: 'S' });
    kernel(tid + 2, `kworker/${c}:1`, { periodNs: 4 * ms, burstNs: 8 * us, pinnedCpu: c, sleepState: 'I' });
    tid += 6;
  }
  const daemon = (comm: string, periodNs: number, burstNs: number): void => {
    add({ tid, tgid: tid, comm, vm: -1, vcpu: -1, prio: 120, noise: { periodNs, burstNs, pinnedCpu: -1, sleepState: 'S' } });
    tid += 3;
  };
  daemon('systemd-journal', 200 * ms, 60 * us);
  daemon('irqbalance', 1000 * ms, 80 * us);
  daemon('sshd', 500 * ms, 40 * us);

  tid = Math.max(firstPid, Math.ceil((tid + 1) / 1000) * 1000);
  const vmVcpus: number[][] = [];
  for (let v = 0; v < vms; v++) {
    const pid = tid;
    const thread = (comm: string, behaviour: NoiseBehaviour | null, vcpu = -1): number =>
      add({ tid: tid++, tgid: pid, comm, vm: v, vcpu, prio: 120, noise: behaviour });
    thread('qemu-system-x86', { periodNs: 2 * ms, burstNs: 15 * us, pinnedCpu: -1, sleepState: 'S' });
    thread('call_rcu', null);
    thread('IO mon_iothread', { periodNs: 1 * ms, burstNs: 10 * us, pinnedCpu: -1, sleepState: 'S' });
    const list: number[] = [];
    for (let k = 0; k < vcpus; k++) list.push(thread(`CPU ${k}/KVM`, null, k));
    thread(`vhost-${pid}`, null);
    vmVcpus.push(list);
    tid += 7;
  }
  return { cpus, tasks, vmVcpus, noise };
}
