// A scheduler simulation that produces switch and wakeup events in time order,
// shaped by a policy (issue: big-host trace generator):
//  gang             a VM's vCPUs switch in together, multi-ms slices
//  ple-off          long spins: vCPUs run their whole ~3-6 ms timeslice, preempted (R+)
//  ple-on           ~200 us slices ended by directed yields (R) to a sibling vCPU
//  throttled-yield  yields throttled: ~1 ms slices, fewer directed yields
// In these three a vCPU sometimes halts (guest idle: HLT, state S) and is woken
// (sched_waking) a while later, so run delays have something to measure.
//  numa             ple-on slices, but NUMA-aware placement: each VM has a home
//                   node (VM v on node v mod N) and its vCPUs run only on that
//                   node's CPUs (ple-on itself places vCPUs freely on any CPU)
// Times are whole microseconds (perf prints µs), as integer nanoseconds.

import type { SynthHost } from './hostModel';
import { expRandom, type Random } from './random';

export type SynthPolicy = 'gang' | 'ple-off' | 'ple-on' | 'throttled-yield' | 'numa';
export const SYNTH_POLICIES: readonly SynthPolicy[] = ['gang', 'ple-off', 'ple-on', 'throttled-yield', 'numa'];

/** Where vCPUs may run: CPU c takes only vCPUs of VMs whose home is domainOfCpu[c]. */
export interface Placement {
  domains: number;
  domainOfCpu: ArrayLike<number>;
  homeOfVm: ArrayLike<number>;
}

export type SynthState = 'R' | 'R+' | 'S' | 'D';

export interface ScheduleSink {
  /** prev/next are task indices into host.tasks, -1 = idle (swapper). */
  switch(timeNs: number, cpu: number, prev: number, prevState: SynthState, next: number): void;
  /** `task` is woken onto `targetCpu` by whatever runs on `cpu`. */
  waking(timeNs: number, cpu: number, task: number, targetCpu: number): void;
}

interface PolicyShape {
  meanSliceUs: number;
  minSliceUs: number;
  /** Probability that a slice ends in a directed yield to a sibling (state R). */
  yieldToSibling: number;
  /** Probability that a CPU runs a short host-noise task between vCPU slices. */
  noise: number;
  /** Probability that a vCPU's slice ends in a halt (state S), and the mean time until its wakeup. */
  halt: number;
  haltUs: number;
}

const PLE_ON: PolicyShape = { meanSliceUs: 200, minSliceUs: 20, yieldToSibling: 0.7, noise: 0.02, halt: 0.05, haltUs: 300 };
const SHAPES: Record<Exclude<SynthPolicy, 'gang'>, PolicyShape> = {
  'ple-off': { meanSliceUs: 4000, minSliceUs: 1500, yieldToSibling: 0, noise: 0.04, halt: 0.1, haltUs: 1000 },
  'ple-on': PLE_ON,
  'throttled-yield': { meanSliceUs: 1000, minSliceUs: 200, yieldToSibling: 0.25, noise: 0.03, halt: 0.08, haltUs: 500 },
  numa: PLE_ON,
};

/** Every CPU takes every vCPU. */
function freePlacement(host: SynthHost): Placement {
  return { domains: 1, domainOfCpu: new Int32Array(host.cpus), homeOfVm: new Int32Array(host.vmVcpus.length) };
}

const us = (x: number): number => Math.max(1, Math.round(x)) * 1000;

/** Min-heap of CPUs keyed by their next switch time. */
class CpuHeap {
  private readonly cpu: Int32Array;
  private readonly time: Float64Array;
  size = 0;
  constructor(n: number) {
    this.cpu = new Int32Array(n);
    this.time = new Float64Array(n);
  }
  push(cpu: number, time: number): void {
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[p] <= time) break;
      this.cpu[i] = this.cpu[p];
      this.time[i] = this.time[p];
      i = p;
    }
    this.cpu[i] = cpu;
    this.time[i] = time;
  }
  /** The earliest time held (size > 0). */
  peekTime(): number {
    return this.time[0];
  }
  pop(): { cpu: number; time: number } {
    const top = { cpu: this.cpu[0], time: this.time[0] };
    const lastCpu = this.cpu[--this.size];
    const lastTime = this.time[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.time[c + 1] < this.time[c]) c++;
      if (this.time[c] >= lastTime) break;
      this.cpu[i] = this.cpu[c];
      this.time[i] = this.time[c];
      i = c;
    }
    this.cpu[i] = lastCpu;
    this.time[i] = lastTime;
    return top;
  }
}

/**
 * Simulate a policy. `numa` needs a placement (each VM's home node and each
 * CPU's node); without one it is ple-on. The other policies ignore it.
 */
export function simulate(
  host: SynthHost,
  policy: SynthPolicy,
  seconds: number,
  rnd: Random,
  sink: ScheduleSink,
  placement?: Placement,
): void {
  if (policy === 'gang') simulateGang(host, seconds, rnd, sink);
  else
    simulateFree(
      host,
      SHAPES[policy],
      seconds,
      rnd,
      sink,
      policy === 'numa' && placement ? placement : freePlacement(host),
    );
}

function simulateFree(
  host: SynthHost,
  shape: PolicyShape,
  seconds: number,
  rnd: Random,
  sink: ScheduleSink,
  placement: Placement,
): void {
  const end = seconds * 1e9;
  const running = new Int32Array(host.cpus).fill(-1);
  const isRunning = new Uint8Array(host.tasks.length);
  // Pools of vCPU tasks not running anywhere, one per placement domain (swap-remove for O(1) picks).
  const pools: number[][] = Array.from({ length: placement.domains }, () => []);
  host.vmVcpus.forEach((list, v) => pools[placement.homeOfVm[v]].push(...list));
  let pool = pools[0];
  const takeFromPool = (i: number): number => {
    const t = pool[i];
    pool[i] = pool[pool.length - 1];
    pool.pop();
    return t;
  };
  const heap = new CpuHeap(host.cpus);
  for (let c = 0; c < host.cpus; c++) heap.push(c, us(rnd() * 100));
  // Halted vCPUs keyed by their wakeup time (the heap's "cpu" is the task).
  const halted = new CpuHeap(host.tasks.length);
  // The latest event time written: perf prints events in time order, so a wakeup never goes before it.
  let written = 0;
  while (heap.size > 0) {
    const { cpu, time } = heap.pop();
    if (time >= end) continue;
    // Wakeups due by now: an interrupt on a CPU of the VM's node wakes the vCPU there; it is runnable again.
    while (halted.size > 0 && halted.peekTime() <= time) {
      const w = halted.pop();
      const vm = host.tasks[w.cpu].vm;
      const home = pools[placement.homeOfVm[vm]];
      const waker = cpuOfDomain(placement, placement.homeOfVm[vm], rnd);
      sink.waking(w.time, waker, w.cpu, waker);
      written = w.time;
      home.push(w.cpu);
    }
    pool = pools[placement.domainOfCpu[cpu]];
    const prev = running[cpu];
    const prevTask = prev >= 0 ? host.tasks[prev] : null;
    let next = -1;
    let state: SynthState = 'R+';
    let sliceUs: number;
    if (prevTask && prevTask.vcpu < 0 && prevTask.vm < 0) state = 'S';
    const halts = prevTask !== null && prevTask.vcpu >= 0 && rnd() < shape.halt;
    if (halts) state = 'S';
    if (rnd() < shape.noise) {
      const n = host.noise[Math.floor(rnd() * host.noise.length)];
      if (!isRunning[n]) {
        next = n;
        sink.waking(Math.max(written, time - 3000), cpu, n, cpu);
      }
      sliceUs = 10 + expRandom(rnd, 40);
    } else {
      sliceUs = shape.minSliceUs + expRandom(rnd, shape.meanSliceUs - shape.minSliceUs);
    }
    if (next < 0 && pool.length > 0) {
      // Directed yield: the spinning vCPU hands the CPU to a sibling of its VM.
      if (prevTask && prevTask.vcpu >= 0 && !halts && rnd() < shape.yieldToSibling) {
        state = 'R';
        const sibs = host.vmVcpus[prevTask.vm];
        for (let tries = 0; tries < 4 && next < 0; tries++) {
          const cand = sibs[Math.floor(rnd() * sibs.length)];
          if (!isRunning[cand] && cand !== prev) {
            const at = pool.indexOf(cand);
            if (at >= 0) next = takeFromPool(at);
          }
        }
      }
      if (next < 0) next = takeFromPool(Math.floor(rnd() * pool.length));
    }
    if (prev >= 0) {
      isRunning[prev] = 0;
      if (halts) halted.push(prev, time + us(expRandom(rnd, shape.haltUs)));
      else if (host.tasks[prev].vcpu >= 0) pools[placement.homeOfVm[host.tasks[prev].vm]].push(prev);
    }
    if (next >= 0) isRunning[next] = 1;
    running[cpu] = next;
    if (prev !== next) sink.switch(time, cpu, prev, prev < 0 ? 'R' : state, next);
    written = time;
    heap.push(cpu, time + us(sliceUs));
  }
}

/** A random CPU of placement domain d. */
function cpuOfDomain(placement: Placement, d: number, rnd: Random): number {
  const n = placement.domainOfCpu.length;
  const start = Math.floor(rnd() * n);
  for (let i = 0; i < n; i++) {
    const c = (start + i) % n;
    if (placement.domainOfCpu[c] === d) return c;
  }
  return start;
}

/**
 * Gang scheduling: rounds of ~4 ms. CPUs form blocks of one VM's size; the VMs
 * sharing a block take turns, and in its turn a VM's vCPUs switch in together
 * (vCPU k always on the block's k-th CPU, so no thread is ever on two CPUs).
 */
function simulateGang(host: SynthHost, seconds: number, rnd: Random, sink: ScheduleSink): void {
  const end = seconds * 1e9;
  const running = new Int32Array(host.cpus).fill(-1);
  const width = Math.max(1, ...host.vmVcpus.map((v) => v.length));
  const blocks = Math.max(1, Math.floor(host.cpus / width));
  const vmsOfBlock: number[][] = Array.from({ length: blocks }, () => []);
  host.vmVcpus.forEach((_, k) => vmsOfBlock[k % blocks].push(k));
  let round = 0;
  let t = us(50);
  while (t < end) {
    const plan = new Int32Array(host.cpus).fill(-1);
    vmsOfBlock.forEach((vms, b) => {
      if (vms.length === 0) return;
      const vm = host.vmVcpus[vms[round % vms.length]];
      vm.forEach((task, k) => {
        if (b * width + k < host.cpus) plan[b * width + k] = task;
      });
    });
    round++;
    let stagger = t;
    for (let cpu = 0; cpu < host.cpus; cpu++) {
      stagger += us(rnd() * 2);
      // Occasional host noise just before the gang slot.
      if (rnd() < 0.02) {
        const n = host.noise[Math.floor(rnd() * host.noise.length)];
        if (!running.includes(n)) {
          sink.waking(stagger, cpu, n, cpu);
          sink.switch(stagger, cpu, running[cpu], running[cpu] < 0 ? 'R' : 'R+', n);
          running[cpu] = n;
          stagger += us(20 + rnd() * 30);
        }
      }
      const next = plan[cpu];
      const prev = running[cpu];
      if (next === prev) continue;
      const prevNoise = prev >= 0 && host.tasks[prev].vm < 0;
      sink.switch(stagger, cpu, prev, prev < 0 ? 'R' : prevNoise ? 'S' : 'R+', next);
      running[cpu] = next;
    }
    t = stagger + us(3500 + rnd() * 1000);
  }
}
