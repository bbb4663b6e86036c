// Where tasks may run, and where they start.
//  free        any CPU; vCPUs start spread evenly in a seeded random order
//              (the balancer keeps runqueue lengths even, not VMs apart)
//  restricted  no two vCPUs of one VM on the same runqueue (the talk's
//              placement for throttled yield); VM v's vCPU k starts on CPU
//              (v·n + k) mod P, so with 2x overcommit two VMs share each set
//              of n CPUs
//  numa        a VM's threads stay on its home node (VM v on node v mod N);
//              inside the node as `free`
//  gang        vCPU k of VM v is bound to CPU k of its block (blocks of
//              min(n, P) CPUs; VM v in block v mod blocks)
// Per-CPU kernel threads are bound to their CPU whatever the rule.

import type { SynthHost } from './hostModel';
import type { Random } from './random';

export type PlacementRule = 'free' | 'restricted' | 'numa' | 'gang';

export class Placement {
  readonly nodeOfCpu: Int32Array;
  readonly cpusOfNode: number[][];
  /** CPU a task is bound to, -1 for none. */
  readonly pinned: Int32Array;
  /** Node a task must stay on, -1 for any. */
  readonly nodeOfTask: Int32Array;
  /** Runnable vCPUs of VM v on CPU c: vmOnCpu[c * vms + v] (restricted rule). */
  private readonly vmOnCpu: Int32Array;
  private readonly restricted: boolean;
  /** Most vCPUs of one VM a runqueue may hold under the restricted rule. */
  private readonly perCpuLimit: number;
  private readonly vms: number;
  readonly gangBlocks: { cpus: number[]; vms: number[] }[];

  constructor(
    readonly host: SynthHost,
    nodeOfCpu: ArrayLike<number>,
    readonly rule: PlacementRule,
  ) {
    const cpus = host.cpus;
    this.vms = host.vmVcpus.length;
    this.nodeOfCpu = Int32Array.from(nodeOfCpu);
    const nodes = Math.max(...this.nodeOfCpu) + 1;
    this.cpusOfNode = Array.from({ length: nodes }, () => []);
    for (let c = 0; c < cpus; c++) this.cpusOfNode[this.nodeOfCpu[c]].push(c);
    this.pinned = new Int32Array(host.tasks.length).fill(-1);
    this.nodeOfTask = new Int32Array(host.tasks.length).fill(-1);
    host.tasks.forEach((t, i) => {
      if (t.noise && t.noise.pinnedCpu >= 0) this.pinned[i] = t.noise.pinnedCpu;
      if (rule === 'numa' && t.vm >= 0) this.nodeOfTask[i] = this.homeNode(t.vm);
    });
    this.vmOnCpu = new Int32Array(cpus * this.vms);
    this.restricted = rule === 'restricted';
    const n = Math.max(1, ...host.vmVcpus.map((l) => l.length));
    this.perCpuLimit = Math.ceil(n / cpus);
    this.gangBlocks = [];
    // The talk's runs pinned each vCPU (VM v's vCPU k to CPU (v·n + k) mod P): two VMs share each set of n CPUs.
    if (rule === 'restricted')
      host.vmVcpus.forEach((list, v) => list.forEach((task, k) => (this.pinned[task] = (v * n + k) % cpus)));
    if (rule === 'gang') {
      const width = Math.min(n, cpus);
      const blocks = Math.max(1, Math.floor(cpus / width));
      for (let b = 0; b < blocks; b++)
        this.gangBlocks.push({ cpus: Array.from({ length: width }, (_, k) => b * width + k), vms: [] });
      host.vmVcpus.forEach((list, v) => {
        const block = this.gangBlocks[v % blocks];
        block.vms.push(v);
        list.forEach((task, k) => (this.pinned[task] = block.cpus[k % width]));
      });
    }
  }

  homeNode(vm: number): number {
    return vm % this.cpusOfNode.length;
  }

  allowed(task: number, cpu: number): boolean {
    const p = this.pinned[task];
    if (p >= 0) return p === cpu;
    const node = this.nodeOfTask[task];
    if (node >= 0 && this.nodeOfCpu[cpu] !== node) return false;
    if (this.restricted) {
      const t = this.host.tasks[task];
      if (t.vcpu >= 0 && this.vmOnCpu[cpu * this.vms + t.vm] >= this.perCpuLimit) return false;
    }
    return true;
  }

  /** A vCPU became runnable on `cpu` (counts for the restricted rule). */
  arrive(task: number, cpu: number): void {
    const t = this.host.tasks[task];
    if (t.vcpu >= 0) this.vmOnCpu[cpu * this.vms + t.vm]++;
  }

  leave(task: number, cpu: number): void {
    const t = this.host.tasks[task];
    if (t.vcpu >= 0) this.vmOnCpu[cpu * this.vms + t.vm]--;
  }

  /** The CPU each task starts on. */
  initialCpus(rnd: Random): Int32Array {
    const host = this.host;
    const cpuOf = new Int32Array(host.tasks.length);
    const n = host.vmVcpus[0]?.length ?? 0;
    if (this.rule === 'restricted' || this.rule === 'gang') {
      host.vmVcpus.forEach((list, v) =>
        list.forEach((task, k) => (cpuOf[task] = this.pinned[task] >= 0 ? this.pinned[task] : (v * n + k) % host.cpus)),
      );
    } else {
      // Per node (one node unless numa): the node's vCPUs in a seeded random order, dealt round-robin.
      const byNode: number[][] = this.cpusOfNode.map(() => []);
      host.vmVcpus.forEach((list, v) => byNode[this.rule === 'numa' ? this.homeNode(v) : 0].push(...list));
      byNode.forEach((tasks, node) => {
        shuffle(tasks, rnd);
        const cpus = this.rule === 'numa' ? this.cpusOfNode[node] : range(host.cpus);
        tasks.forEach((task, i) => (cpuOf[task] = cpus[i % cpus.length]));
      });
    }
    host.tasks.forEach((t, i) => {
      if (t.vcpu >= 0) return;
      if (this.pinned[i] >= 0) cpuOf[i] = this.pinned[i];
      else {
        const node = this.nodeOfTask[i];
        const cpus = node >= 0 ? this.cpusOfNode[node] : null;
        cpuOf[i] = cpus ? cpus[Math.floor(rnd() * cpus.length)] : Math.floor(rnd() * host.cpus);
      }
    });
    return cpuOf;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function shuffle(list: number[], rnd: Random): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const x = list[i];
    list[i] = list[j];
    list[j] = x;
  }
}
