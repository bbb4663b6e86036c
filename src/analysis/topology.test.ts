// Topology metrics on hand-made traces with a hand-made topology; the answers
// are worked out in the comments (times in µs; US = 1000 ns). The same
// example is in docs/metrics.md, "Topology".

import { describe, expect, it } from 'vitest';
import { makeTopology, type HostTopology } from '../model/topology';
import { PrevState } from '../model/types';
import { analyzeRun } from './analyze';
import { reportRun } from './report';
import { builder, makeRun, US } from '../testing/runs';
import { runFromTimeline } from '../testing/timeline';
import { analyzeTopology, TopologyMismatchError } from './topology';

const U = PrevState.Unknown;

/** 4 CPUs: node 0 = core 0 = {cpu0, cpu1}, node 1 = core 1 = {cpu2, cpu3} (SMT siblings side by side). */
const SMT4: HostTopology = makeTopology('lscpu', [
  { cpu: 0, core: 0, socket: 0, node: 0 },
  { cpu: 1, core: 0, socket: 0, node: 0 },
  { cpu: 2, core: 1, socket: 1, node: 1 },
  { cpu: 3, core: 1, socket: 1, node: 1 },
]);
/** The same nodes from numactl: no cores. */
const NUMA4: HostTopology = makeTopology(
  'numactl',
  [0, 1, 2, 3].map((cpu) => ({ cpu, core: null, socket: null, node: cpu < 2 ? 0 : 1 })),
);
/** The same nodes, every CPU its own core (no SMT). */
const NOSMT4: HostTopology = makeTopology(
  'lscpu',
  [0, 1, 2, 3].map((cpu) => ({ cpu, core: cpu, socket: cpu < 2 ? 0 : 1, node: cpu < 2 ? 0 : 1 })),
);

/**
 * VM A = {a0, a1}, VM B = {b0, b1}, h a host task (kworker/3:1); one column = 10 µs, drawn as perf sched
 * map gives it (no prev task or state). At 100, b0 is switched in on cpu1 first: the migration rule ends
 * its slice on cpu2 there. At 400 every CPU switches to idle (T1 = 400).
 */
const EXAMPLE = `
  time (µs)    0         100       200       300       400
  cpu0 n0 c0   |a0---------------------------|b0-------|
  cpu1 n0 c0   |a1-------|b0-------|---------|a1-------|
  cpu2 n1 c1   |b0-------|a1-------|b1-----------------|
  cpu3 n1 c1   |b1-----------------|h------------------|
`;

const example = () =>
  runFromTimeline(EXAMPLE, { unit: 10 * US, states: false, comms: { h: 'kworker/3:1' }, tids: { h: 99 } }).run;

describe('analyzeTopology: the worked example', () => {
  const r = analyzeTopology(example(), SMT4);
  const [A, B] = r.vms;

  it('node spread and home node', () => {
    // A: a0 cpu0 [0,300) = 300 on n0; a1 cpu1 [0,100) + [300,400) = 200 on n0, cpu2 [100,200) = 100 on n1.
    //    n0 500, n1 100, total 600. Both ≥ 5% of 600 = 30: spread 2. Home n0: 500 / 600 = 5/6.
    expect(A.nodeRunUs).toEqual([
      { node: 0, runUs: 500 },
      { node: 1, runUs: 100 },
    ]);
    expect(A.nodeSpread).toBe(2);
    expect(A.homeNode).toBe(0);
    expect(A.homeNodeFraction).toBeCloseTo(5 / 6, 12);
    // B: b0 cpu2 [0,100) n1, cpu1 [100,200) n0, cpu0 [300,400) n0; b1 cpu3 [0,200) n1, cpu2 [200,400) n1.
    //    n0 200, n1 500, total 700: spread 2, home n1, 5/7.
    expect(B.nodeRunUs).toEqual([
      { node: 0, runUs: 200 },
      { node: 1, runUs: 500 },
    ]);
    expect(B.nodeSpread).toBe(2);
    expect(B.homeNode).toBe(1);
    expect(B.homeNodeFraction).toBeCloseTo(5 / 7, 12);
  });

  it('cross-node migrations', () => {
    // a1: in on cpu1 (n0) at 0, cpu2 (n1) at 100: +1, cpu1 (n0) at 300: +1. a0: one switch-in. A: 2 / 400 µs = 5000 /s.
    expect(A.crossNodeMigrationsPerSec).toBeCloseTo(5000, 9);
    // b0: cpu2 (n1) → cpu1 (n0) at 100: +1; cpu1 → cpu0 at 300 stays on n0. b1: cpu3 → cpu2 at 200 stays on n1.
    // B: 1 / 400 µs = 2500 /s, while it migrated 3 times (7500 /s).
    expect(B.crossNodeMigrationsPerSec).toBeCloseTo(2500, 9);
    expect(analyzeRun(example()).vms[1].vcpuMigrationsPerSec).toBeCloseTo(7500, 9);
    expect(A.vcpus.map((v) => [v.homeNode, v.crossNodeMigrationsPerSec])).toEqual([
      [0, 0],
      [0, 5000],
    ]);
    // a1: 200 on n0, 100 on n1.
    expect(A.vcpus[1].homeNodeFraction).toBeCloseTo(2 / 3, 12);
  });

  it('SMT sibling co-running', () => {
    // A: [0,100) a0 cpu0 + a1 cpu1, both core 0: siblings. [100,200) a0 core 0, a1 core 1: two running, not
    //    siblings. [200,400) one at a time. 100 / 200 = 0.5.
    expect(A.smtSiblingCoRunFraction).toBe(0.5);
    // B: [0,100) b0 cpu2 + b1 cpu3, core 1: siblings. [100,200) core 0 + core 1. [200,300) b1 alone.
    //    [300,400) b0 cpu0 (core 0) + b1 cpu2 (core 1). 100 / 300 = 1/3.
    expect(B.smtSiblingCoRunFraction).toBeCloseTo(1 / 3, 12);
  });

  it('per node: busy fraction and the VMs that used it', () => {
    // n0: cpu0 + cpu1 known 800, idle cpu1 [200,300) = 100: busy 700 / 800. A 500 (500/800), B 200 (200/800).
    // n1: cpu2 + cpu3 known 800, no idle (h is busy time): busy 1. B 500, A 100.
    expect(r.nodes).toEqual([
      {
        node: 0,
        cpus: [0, 1],
        topologyCpus: [0, 1],
        busyFraction: 0.875,
        knownUs: 800,
        vms: [
          { name: 'A', runUs: 500, share: 0.625 },
          { name: 'B', runUs: 200, share: 0.25 },
        ],
      },
      {
        node: 1,
        cpus: [2, 3],
        topologyCpus: [2, 3],
        busyFraction: 1,
        knownUs: 800,
        vms: [
          { name: 'B', runUs: 500, share: 0.625 },
          { name: 'A', runUs: 100, share: 0.125 },
        ],
      },
    ]);
    expect(r.topology).toEqual({ source: 'lscpu', nodes: 2, sockets: 2, cores: 2, cpus: 4, threadsPerCore: 2 });
  });

  it('without cores (numactl) the SMT fraction is null; with one CPU per core it is 0', () => {
    const numa = analyzeTopology(example(), NUMA4);
    expect(numa.vms.map((v) => v.smtSiblingCoRunFraction)).toEqual([null, null]);
    // Node numbers do not need cores.
    expect(numa.vms.map((v) => [v.nodeSpread, v.homeNode, v.crossNodeMigrationsPerSec])).toEqual([
      [2, 0, 5000],
      [2, 1, 2500],
    ]);
    expect(numa.nodes.map((n) => n.busyFraction)).toEqual([0.875, 1]);
    const noSmt = analyzeTopology(example(), NOSMT4);
    expect(noSmt.vms.map((v) => v.smtSiblingCoRunFraction)).toEqual([0, 0]);
  });
});

describe('analyzeTopology: window, CPU subset and the 5% rule', () => {
  it('a range [50, 250) clips run time and counts only the events in it', () => {
    const r = analyzeTopology(example(), SMT4, { range: [50 * US, 250 * US] });
    const [A, B] = r.vms;
    // D = 200. A: a0 [50,250) = 200 n0; a1 cpu1 [50,100) = 50 n0, cpu2 [100,200) = 100 n1. n0 250, n1 100.
    expect(A.nodeRunUs.map((x) => x.runUs)).toEqual([250, 100]);
    expect(A.homeNodeFraction).toBeCloseTo(250 / 350, 12);
    // Switch-ins in [50, 250): a1 at 100 (n0 → n1): 1 / 200 µs = 5000 /s.
    expect(A.crossNodeMigrationsPerSec).toBeCloseTo(5000, 9);
    // [50,100) siblings, [100,200) two on different cores, [200,250) a0 alone: 50 / 150.
    expect(A.smtSiblingCoRunFraction).toBeCloseTo(1 / 3, 12);
    // B: b0 cpu2 [50,100) n1, cpu1 [100,200) n0; b1 cpu3 [50,200) n1, cpu2 [200,250) n1. n0 100, n1 250.
    expect(B.nodeRunUs.map((x) => x.runUs)).toEqual([100, 250]);
    // b0 at 100 (n1 → n0): 1 / 200 µs. b1 at 200 stays on n1.
    expect(B.crossNodeMigrationsPerSec).toBeCloseTo(5000, 9);
    expect(B.smtSiblingCoRunFraction).toBeCloseTo(1 / 3, 12);
    // n0: known 400, idle cpu1 [200,250) = 50: 350 / 400. n1: 400 busy of 400.
    expect(r.nodes.map((n) => [n.busyFraction, n.knownUs])).toEqual([
      [0.875, 400],
      [1, 400],
    ]);
  });

  it('a CPU subset counts only slices and switch-ins on its CPUs (the previous CPU may be any)', () => {
    const r = analyzeTopology(example(), SMT4, { cpus: [0, 1] });
    const [A, B] = r.vms;
    // On cpu0/cpu1 only: A ran 300 + 200 on n0: spread 1, home fraction 1.
    expect([A.nodeSpread, A.homeNode, A.homeNodeFraction]).toEqual([1, 0, 1]);
    // a1's switch-in on cpu1 at 300 follows its slice on cpu2 (n1, outside the subset): it counts. 1 / 400 µs.
    expect(A.crossNodeMigrationsPerSec).toBeCloseTo(2500, 9);
    // Two of A's vCPUs on the subset only in [0,100), on siblings: 1.
    expect(A.smtSiblingCoRunFraction).toBe(1);
    // B: b0 on cpu1 [100,200) and cpu0 [300,400): 200 on n0. Its switch-in at 100 (from cpu2, n1) counts.
    expect([B.nodeSpread, B.homeNode, B.homeNodeFraction]).toEqual([1, 0, 1]);
    expect(B.crossNodeMigrationsPerSec).toBeCloseTo(2500, 9);
    // Never two of B's vCPUs on the subset at once: 0 / 0.
    expect(B.smtSiblingCoRunFraction).toBeNull();
    // Node 1 has no CPU in P: no known time.
    expect(r.nodes[1]).toEqual({ node: 1, cpus: [], topologyCpus: [2, 3], busyFraction: null, knownUs: 0, vms: [] });
  });

  it('a node holds a VM from exactly 5% of its run time', () => {
    // v runs on cpu0 (n0) [0, x) then cpu2 (n1) [x, 1000]: n1 holds (1000 - x) / 1000.
    const spreadAt = (x: number) => {
      const b = builder();
      const v = b.task(10, 'CPU 0/KVM', 0);
      b.addSwitch(0, 0, -1, U, v);
      b.addSwitch(x * US, 2, -1, U, v);
      b.addSwitch(1000 * US, 2, -1, U, 0);
      const r = analyzeTopology(makeRun(b.finish(), [{ name: 'V', vcpus: [v] }]), SMT4);
      return r.vms[0];
    };
    expect(spreadAt(950).nodeSpread).toBe(2); // 50 of 1000: exactly 5%
    expect(spreadAt(951).nodeSpread).toBe(1); // 49 of 1000
    expect(spreadAt(951).homeNodeFraction).toBeCloseTo(0.951, 12);
    expect(spreadAt(500).homeNode).toBe(0); // a tie goes to the lower node
  });

  it('a VM that never runs has nulls; D = 0 makes rates null', () => {
    const b = builder();
    const v = b.task(10, 'CPU 0/KVM', 0);
    const w = b.task(11, 'CPU 0/KVM', 0);
    b.addSwitch(0, 0, -1, U, v);
    b.addSwitch(100 * US, 0, -1, U, 0);
    const run = makeRun(b.finish(), [
      { name: 'runs', vcpus: [v] },
      { name: 'never', vcpus: [w] },
    ]);
    const never = analyzeTopology(run, SMT4).vms[1];
    expect(never).toMatchObject({
      nodeSpread: null,
      homeNode: null,
      homeNodeFraction: null,
      crossNodeMigrationsPerSec: 0,
      smtSiblingCoRunFraction: null,
    });
    const empty = analyzeTopology(run, SMT4, { range: [50 * US, 50 * US] }).vms[0];
    expect(empty.crossNodeMigrationsPerSec).toBeNull();
    expect(empty.nodeSpread).toBeNull();
  });

  it('refuses a topology that lacks CPUs of the trace', () => {
    const b = builder();
    const v = b.task(10, 'CPU 0/KVM', 0);
    b.addSwitch(0, 4, -1, U, v);
    b.addSwitch(10 * US, 4, -1, U, 0);
    const run = makeRun(b.finish(), [{ name: 'V', vcpus: [v] }]);
    expect(() => analyzeTopology(run, SMT4)).toThrow(TopologyMismatchError);
    expect(() => analyzeTopology(run, SMT4)).toThrow(/the trace has CPU 4 that the topology/);
  });
});

describe('reportRun with a topology', () => {
  it('adds topology, nodes[] and the per-VM / per-vCPU fields; without one the report is unchanged', () => {
    const plain = reportRun(example());
    expect(plain).not.toHaveProperty('nodes');
    expect(plain).not.toHaveProperty('topology');
    expect(plain.vms[0]).not.toHaveProperty('nodeSpread');
    const rep = reportRun(example(), { topology: SMT4, topologyFile: 'host.lscpu' });
    expect(rep.topology).toEqual({
      source: 'lscpu',
      nodes: 2,
      sockets: 2,
      cores: 2,
      cpus: 4,
      threadsPerCore: 2,
      file: 'host.lscpu',
    });
    expect(rep.nodes?.map((n) => n.busyFraction)).toEqual([0.875, 1]);
    const A = rep.vms[0];
    expect(A.name).toBe('A');
    expect(A.nodeSpread).toBe(2);
    expect(A.homeNodeFraction).toBeCloseTo(5 / 6, 12);
    expect(A.crossNodeMigrationsPerSec).toBeCloseTo(5000, 9);
    expect(A.smtSiblingCoRunFraction).toBe(0.5);
    expect(A.gangScore).toBe(plain.vms[0].gangScore);
    expect(A.vcpus[1]).toMatchObject({ index: 1, tid: 11, homeNode: 0, crossNodeMigrationsPerSec: 5000 });
    expect(A.vcpus[1].runFraction).toBe(plain.vms[0].vcpus[1].runFraction);
    // Everything else is as without a topology.
    const { topology: _t, nodes: _n, vms, ...rest } = rep;
    const { vms: plainVms, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
    expect(vms.map((v) => v.gangScore)).toEqual(plainVms.map((v) => v.gangScore));
  });
});

describe('NUMA memory against run time: the worked example (docs/metrics.md, "NUMA memory")', () => {
  // A's QEMU holds 3000 MB on n0 and 1000 MB on n1; B's 2048 MB all on n0 (memory on one node, vCPUs anywhere).
  const run = example();
  run.memory = {
    vms: [
      {
        pid: 1,
        comm: 'qemu-a',
        byNode: [
          { node: 0, mb: 3000 },
          { node: 1, mb: 1000 },
        ],
        hugeByNode: null,
        file: 'f',
      },
      { pid: 2, comm: 'qemu-b', byNode: [{ node: 0, mb: 2048 }], hugeByNode: null, file: 'f' },
    ],
    hostNodes: [],
    files: ['f'],
    notes: [],
  };
  const [A, B] = analyzeTopology(run, SMT4).vms;

  it('localRunFraction per VM: Σ run share × memory share', () => {
    // A: 5/6 × 3/4 + 1/6 × 1/4 = 2/3.
    expect(A.localRunFraction).toBeCloseTo(2 / 3, 12);
    // B: run 200 of 700 on n0, where all its memory is: 2/7 (memory off its home node 1).
    expect(B.localRunFraction).toBeCloseTo(2 / 7, 12);
    expect([A.memoryHomeNode, B.memoryHomeNode, A.memoryMb, B.memoryMb]).toEqual([0, 0, 4000, 2048]);
    expect(A.cpuTimeByNode).toEqual(A.nodeRunUs);
  });

  it('per vCPU', () => {
    // a0: all 300 on n0: 3/4. a1: 200 on n0, 100 on n1: 2/3 × 3/4 + 1/3 × 1/4 = 7/12.
    expect(A.vcpus.map((v) => v.localRunFraction)).toEqual([0.75, expect.closeTo(7 / 12, 12)]);
    expect(A.vcpus[1].nodeRunUs).toEqual([
      { node: 0, runUs: 200 },
      { node: 1, runUs: 100 },
    ]);
  });

  it('with memory all on the run-time home node it equals homeNodeFraction; without memory data it is null', () => {
    run.memory!.vms[1] = { pid: 2, comm: null, byNode: [{ node: 1, mb: 10 }], hugeByNode: null, file: 'f' };
    const b = analyzeTopology(run, SMT4).vms[1];
    expect(b.localRunFraction).toBeCloseTo(b.homeNodeFraction!, 12);
    run.memory!.vms[1] = null;
    const none = analyzeTopology(run, SMT4).vms[1];
    expect([none.localRunFraction, none.memoryByNode, none.memoryHomeNode]).toEqual([null, null, null]);
  });
});
