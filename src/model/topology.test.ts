// Topology lookups: SMT siblings, the trace check, which file applies to a
// run, and the lane order the map groups by.

import { cpuListText } from './cpuList';
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './builder';
import {
  describeTopology,
  indexTopology,
  laneOrder,
  makeTopology,
  siblingsOf,
  smtSiblingGroups,
  summarizeTopology,
  topologyForRun,
  topologyMismatch,
  type TopologyCpu,
} from './topology';
import { PrevState } from './types';

/** 2 sockets = 2 nodes, 2 cores each, 2 threads per core, Intel numbering (k and k + 4 are siblings). */
function intel8() {
  const cpus: TopologyCpu[] = [];
  for (let t = 0; t < 2; t++)
    for (let k = 0; k < 4; k++) cpus.push({ cpu: t * 4 + k, core: k, socket: k < 2 ? 0 : 1, node: k < 2 ? 0 : 1 });
  return makeTopology('lscpu', cpus);
}

function traceOn(cpus: number[]) {
  const b = new TraceBuilder('perf-script');
  const x = b.task(10, 'x', 0);
  cpus.forEach((c, i) => b.addSwitch(i * 1000, c, 0, PrevState.Unknown, x));
  return b.finish();
}

describe('host topology', () => {
  it('SMT siblings share (socket, core); core ids repeated on another socket are other cores', () => {
    const t = intel8();
    expect(smtSiblingGroups(t)).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    expect(siblingsOf(t, 5)).toEqual([1]);
    // AMD-style ids: core numbers restart per socket.
    const amd = makeTopology('lscpu', [
      { cpu: 0, core: 0, socket: 0, node: 0 },
      { cpu: 1, core: 0, socket: 0, node: 0 },
      { cpu: 2, core: 0, socket: 1, node: 1 },
      { cpu: 3, core: 0, socket: 1, node: 1 },
    ]);
    expect(smtSiblingGroups(amd)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const idx = indexTopology(amd, 6);
    expect(Array.from(idx.nodeOfCpu)).toEqual([0, 0, 1, 1, -1, -1]);
    expect(Array.from(idx.coreOfCpu)).toEqual([0, 0, 1, 1, -1, -1]);
    expect(idx.smt).toBe(true);
    // numactl: no cores, no siblings.
    const numa = makeTopology('numactl', [
      { cpu: 0, core: null, socket: null, node: 0 },
      { cpu: 1, core: null, socket: null, node: 1 },
    ]);
    expect(smtSiblingGroups(numa)).toEqual([]);
    expect(siblingsOf(numa, 0)).toEqual([]);
    expect(indexTopology(numa).coreCount).toBe(0);
  });

  it('summarises', () => {
    expect(summarizeTopology(intel8())).toEqual({
      source: 'lscpu',
      nodes: 2,
      sockets: 2,
      cores: 4,
      cpus: 8,
      threadsPerCore: 2,
    });
    expect(describeTopology(intel8())).toBe('lscpu: 2 nodes, 2 sockets, 4 cores, 8 CPUs (2 threads per core)');
    expect(cpuListText([8, 0, 1, 2, 3, 10, 11])).toBe('0-3,8,10-11');
  });

  it('a topology lacking some CPU of the trace does not fit, and says which', () => {
    const t = intel8();
    expect(topologyMismatch(t, traceOn([0, 7]))).toBeNull();
    const msg = topologyMismatch(t, traceOn([0, 8, 9, 12]));
    expect(msg).toBe(
      'the trace has CPUs 8-9,12 that the topology (lscpu, CPUs 0-7) does not list; it is not from this host, so it is not applied',
    );
  });

  it('a run gets the first topology file that fits it', () => {
    const small = { name: 'small.lscpu', topology: makeTopology('lscpu', [{ cpu: 0, core: 0, socket: 0, node: 0 }]) };
    const big = { name: 'big.lscpu', topology: intel8() };
    expect(topologyForRun(traceOn([0, 5]), [])).toEqual({ topology: null, file: null, error: null });
    expect(topologyForRun(traceOn([0, 5]), [small, big])).toEqual({
      topology: big.topology,
      file: 'big.lscpu',
      error: null,
    });
    const none = topologyForRun(traceOn([0, 9]), [small, big]);
    expect(none.topology).toBeNull();
    expect(none.file).toBe('small.lscpu');
    expect(none.error).toMatch(/^small\.lscpu: the trace has CPU 9 that the topology \(lscpu, CPUs 0\) does not list/);
  });

  it('orders lanes by node, socket, core: SMT siblings next to each other', () => {
    const lanes = laneOrder(intel8(), [0, 1, 2, 3, 4, 5, 6, 7, 9]);
    expect(lanes.order).toEqual([0, 4, 1, 5, 2, 6, 3, 7, 9]);
    expect(lanes.unknown).toEqual([9]);
    expect(lanes.groups.map((g) => [g.node, g.socket, g.core, g.cpus])).toEqual([
      [0, 0, 0, [0, 4]],
      [0, 0, 1, [1, 5]],
      [1, 1, 2, [2, 6]],
      [1, 1, 3, [3, 7]],
    ]);
    // Without cores: one group per node.
    const numa = makeTopology('numactl', [
      { cpu: 0, core: null, socket: null, node: 1 },
      { cpu: 1, core: null, socket: null, node: 0 },
      { cpu: 2, core: null, socket: null, node: 1 },
    ]);
    const l2 = laneOrder(numa, [0, 1, 2]);
    expect(l2.order).toEqual([1, 0, 2]);
    expect(l2.groups.map((g) => [g.node, g.cpus])).toEqual([
      [0, [1]],
      [1, [0, 2]],
    ]);
  });
});
