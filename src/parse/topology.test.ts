// Topology files: lscpu -p in its layouts, numactl -H, sniffing, and bad input
// with line numbers.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { sniffCompanion } from './companions';
import { detectFormat } from './detect';
import { parseLscpu, parseNumactl, parseTopology, sniffTopology, TopologyError } from './topology';

const PREAMBLE = [
  '# The following is the parsable format, which can be fed to other',
  '# programs. Each different item in every column has an unique ID',
  '# starting from zero.',
];

/** The error a parse throws (fails the test when it throws none). */
function errorOf(f: () => unknown): TopologyError {
  try {
    f();
  } catch (e) {
    if (e instanceof TopologyError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('lscpu -p', () => {
  it('reads the default columns (CPU,Core,Socket,Node,,L1d,L1i,L2,L3) of a 2-socket SMT host', () => {
    // Intel numbering: CPU k and k + 4 are the two threads of core k; cores 0-1 on socket/node 0.
    const text = [
      ...PREAMBLE,
      '# CPU,Core,Socket,Node,,L1d,L1i,L2,L3',
      '0,0,0,0,,0,0,0,0',
      '1,1,0,0,,1,1,1,0',
      '2,2,1,1,,2,2,2,1',
      '3,3,1,1,,3,3,3,1',
      '4,0,0,0,,0,0,0,0',
      '5,1,0,0,,1,1,1,0',
      '6,2,1,1,,2,2,2,1',
      '7,3,1,1,,3,3,3,1',
      '',
    ].join('\n');
    const t = parseLscpu(text);
    expect(t.source).toBe('lscpu');
    expect(t.nodes).toEqual([0, 1]);
    expect(t.hasCores).toBe(true);
    expect(t.hasSockets).toBe(true);
    expect(t.cpus.map((c) => [c.cpu, c.core, c.socket, c.node])).toEqual([
      [0, 0, 0, 0],
      [1, 1, 0, 0],
      [2, 2, 1, 1],
      [3, 3, 1, 1],
      [4, 0, 0, 0],
      [5, 1, 0, 0],
      [6, 2, 1, 1],
      [7, 3, 1, 1],
    ]);
  });

  it('reads `lscpu -p=CPU,CORE,SOCKET,NODE` headers in any case and any column order', () => {
    const upper = parseLscpu('# CPU,CORE,SOCKET,NODE\n0,0,0,0\n1,0,0,0\n');
    const mixed = parseLscpu([...PREAMBLE, '# CPU,Core,Socket,Node', '0,0,0,0', '1,0,0,0'].join('\n'));
    expect(upper.cpus).toEqual(mixed.cpus);
    expect(upper.cpus[1]).toEqual({ cpu: 1, core: 0, socket: 0, node: 0 });
    // Reordered, with columns it does not need (Online is Y/N).
    const r = parseLscpu('# Node,Socket,CPU,Online,Core\n1,1,3,Y,7\n0,0,2,Y,5\n');
    expect(r.cpus).toEqual([
      { cpu: 2, node: 0, socket: 0, core: 5 },
      { cpu: 3, node: 1, socket: 1, core: 7 },
    ]);
  });

  it('an empty Node field (no NUMA) is node 0; no Node column is one node; no Core column: no cores', () => {
    const t = parseLscpu(
      [...PREAMBLE, '# CPU,Core,Socket,Node,,L1d,L1i,L2', '0,0,0,,,0,0,0', '1,1,0,,,1,1,1'].join('\n'),
    );
    expect(t.nodes).toEqual([0]);
    expect(t.cpus.map((c) => c.node)).toEqual([0, 0]);
    const noNode = parseLscpu('# CPU,Core,Socket\n0,0,0\n1,1,0\n');
    expect(noNode.nodes).toEqual([0]);
    const noCore = parseLscpu('# CPU,Node\n0,0\n1,1\n');
    expect(noCore.hasCores).toBe(false);
    expect(noCore.hasSockets).toBe(false);
    expect(noCore.cpus[1]).toEqual({ cpu: 1, node: 1, socket: null, core: null });
  });

  it('without a column header, data lines are read as CPU,Core,Socket,Node', () => {
    const t = parseLscpu('0,0,0,0,,0,0,0,0\n1,0,0,1,,0,0,0,0\n');
    expect(t.cpus.map((c) => c.node)).toEqual([0, 1]);
  });

  it('takes CRLF line ends, a BOM, blank lines and trailing spaces', () => {
    const t = parseLscpu('\ufeff# CPU,Core,Socket,Node\r\n\r\n0,0,0,0  \r\n1,1,0,0\r\n');
    expect(t.cpus.map((c) => c.cpu)).toEqual([0, 1]);
  });

  it('an offline CPU listed with -a (empty core and socket) has no siblings, the others keep theirs', () => {
    const t = parseLscpu('# CPU,Core,Socket,Node\n0,0,0,0\n1,0,0,0\n2,-,-,\n');
    expect(t.hasCores).toBe(true);
    expect(t.cpus[2]).toEqual({ cpu: 2, core: null, socket: null, node: 0 });
  });

  it('a sparse node list (nodes 0 and 2 online)', () => {
    const t = parseNumactl('available: 2 nodes (0,2)\nnode 0 cpus: 0 1\nnode 2 cpus: 2 3\n');
    expect(t.nodes).toEqual([0, 2]);
    expect(t.cpus.map((c) => c.node)).toEqual([0, 0, 2, 2]);
  });

  it('bad lines are errors with their line numbers', () => {
    const head = [...PREAMBLE, '# CPU,Core,Socket,Node'];
    // line 5 is the first data line
    let e = errorOf(() => parseLscpu([...head, '0,0,0,0', 'x,1,0,0'].join('\n')));
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/^line 6: CPU "x" is not a number/);
    e = errorOf(() => parseLscpu([...head, '0,0,0'].join('\n')));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/3 fields but the columns \(line 4\) need 4/);
    e = errorOf(() => parseLscpu([...head, '0,0,0,0', '1,1,0,0', '0,1,0,0'].join('\n')));
    expect(e.message).toBe('line 7: CPU 0 is listed again (first on line 5)');
    e = errorOf(() => parseLscpu([...head, '0,0,0,zero'].join('\n')));
    expect(e.message).toBe('line 5: node "zero" is not a number');
    e = errorOf(() => parseLscpu([...head, '0,0,0,0', ...head].join('\n')));
    expect(e.line).toBe(9);
    expect(e.message).toMatch(/more than one lscpu output/);
    e = errorOf(() => parseLscpu([...head, ''].join('\n')));
    expect(e.line).toBeNull();
    expect(e.message).toMatch(/no CPU lines/);
  });
});

describe('numactl -H', () => {
  const TWO_NODES = [
    'available: 2 nodes (0-1)',
    'node 0 cpus: 0 1 2 3 8 9 10 11',
    'node 0 size: 64326 MB',
    'node 0 free: 60123 MB',
    'node 1 cpus: 4 5 6 7 12 13 14 15',
    'node 1 size: 64507 MB',
    'node 1 free: 61234 MB',
    'node distances:',
    'node   0   1 ',
    '  0:  10  21 ',
    '  1:  21  10 ',
  ];

  it('reads each node’s CPUs; no sockets or cores', () => {
    const t = parseNumactl(TWO_NODES.join('\n'));
    expect(t.source).toBe('numactl');
    expect(t.nodes).toEqual([0, 1]);
    expect(t.hasCores).toBe(false);
    expect(t.hasSockets).toBe(false);
    expect(t.cpus.filter((c) => c.node === 1).map((c) => c.cpu)).toEqual([4, 5, 6, 7, 12, 13, 14, 15]);
    expect(t.cpus[0]).toEqual({ cpu: 0, node: 0, socket: null, core: null });
  });

  it('a memory-only node (no CPUs) stays a node', () => {
    const t = parseNumactl(
      'available: 3 nodes (0-2)\nnode 0 cpus: 0 1\nnode 1 cpus: 2 3\nnode 2 cpus:\nnode 2 size: 128 MB\n',
    );
    expect(t.nodes).toEqual([0, 1, 2]);
    expect(t.cpus).toHaveLength(4);
  });

  it('bad lines are errors with their line numbers', () => {
    let e = errorOf(() => parseNumactl('available: 2 nodes (0-1)\nnode 0 cpus: 0 x\nnode 1 cpus: 1\n'));
    expect(e.message).toBe('line 2: CPU "x" of node 0 is not a number');
    e = errorOf(() => parseNumactl('available: 2 nodes (0-1)\nnode 0 cpus: 0 1\n'));
    expect(e.message).toMatch(/^line 1: node 1 has no "node N cpus:" line/);
    e = errorOf(() => parseNumactl('available: 3 nodes (0-1)\nnode 0 cpus: 0\nnode 1 cpus: 1\n'));
    expect(e.message).toBe('line 1: says 3 nodes but lists 2: (0-1)');
    e = errorOf(() => parseNumactl('available: 2 nodes (0-1)\nnode 0 cpus: 0 1\nnode 1 cpus: 1 2\n'));
    expect(e.message).toBe('line 3: CPU 1 is listed again (first on line 2)');
    e = errorOf(() => parseNumactl('available: 2 nodes (0-x)\nnode 0 cpus: 0\nnode 1 cpus: 1\n'));
    expect(e.message).toBe('line 1: node list "(0-x)" is not a list like 0-1 or 0,2');
    e = errorOf(() => parseNumactl('available: 2 nodes ()\nnode 0 cpus: 0\nnode 1 cpus: 1\n'));
    expect(e.message).toBe('line 1: node list "()" is not a list like 0-1 or 0,2');
    e = errorOf(() => parseNumactl('available: 1 nodes (0)\nnode 3 cpus: 0\n'));
    expect(e.message).toMatch(/^line 2: node 3 is not among the available nodes/);
    e = errorOf(() => parseNumactl('\nNo NUMA available on this system\n'));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/use `lscpu -p` output instead/);
    e = errorOf(() => parseNumactl('node 0 cpus: 0 1\n'));
    expect(e.message).toMatch(/^line 1: a "node N cpus:" line before/);
  });
});

describe('telling topology files apart', () => {
  it('sniffs lscpu by its header, its preamble or its numeric rows; numactl by its first line', () => {
    expect(sniffTopology([...PREAMBLE, '# CPU,Core,Socket,Node,,L1d,L1i,L2,L3', '0,0,0,0,,0,0,0,0'])).toBe('lscpu');
    expect(sniffTopology(['# CPU,CORE,SOCKET,NODE', '0,0,0,0'])).toBe('lscpu');
    expect(sniffTopology(['0,0,0,0,,0,0,0,0', '1,1,0,0,,1,1,1,0'])).toBe('lscpu');
    expect(sniffTopology(['available: 2 nodes (0-1)', 'node 0 cpus: 0'])).toBe('numactl');
  });

  it('does not claim companions, traces or prose', () => {
    expect(sniffTopology(['tid,vm,vcpu', '7427,alpha,0'])).toBeNull();
    expect(sniffTopology(['7427,1,0', '7428,1,1'])).toBeNull(); // a headerless VM map: three fields
    expect(sniffTopology(['  PID   TID COMMAND', ' 4000  4003 CPU 0/KVM'])).toBeNull();
    expect(sniffTopology(['# tracer: nop', '#', '# entries-in-buffer/entries-written: 0/0   #P:2'])).toBeNull();
    expect(sniffTopology(['hello, world'])).toBeNull();
    expect(sniffTopology([])).toBeNull();
    const e = errorOf(() => parseTopology('tid,vm\n1,a\n'));
    expect(e.line).toBeNull();
    expect(e.message).toMatch(/not a topology file/);
  });

  it('no trace format or companion claims a topology file (the sniffers can run in any order)', () => {
    for (const f of ['host-2cpu.lscpu', 'host-2cpu-2node.lscpu', 'host-2cpu-smt.lscpu', 'host-2cpu-2node.numactl']) {
      const lines = fixtureText(f).split('\n');
      expect(detectFormat(lines), f).toBeNull();
      expect(sniffCompanion(lines), f).toBeNull();
      expect(sniffTopology(lines), f).toBe(f.endsWith('.numactl') ? 'numactl' : 'lscpu');
    }
  });

  it('reads the fixtures written for the recordings’ 2-CPU host', () => {
    const one = parseTopology(fixtureText('host-2cpu.lscpu'));
    expect(one.nodes).toEqual([0]);
    expect(one.cpus.map((c) => c.core)).toEqual([0, 1]);
    const two = parseTopology(fixtureText('host-2cpu-2node.lscpu'));
    expect(two.cpus.map((c) => [c.cpu, c.node, c.socket])).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    const smt = parseTopology(fixtureText('host-2cpu-smt.lscpu'));
    expect(smt.cpus.map((c) => c.core)).toEqual([0, 0]);
    const numa = parseTopology(fixtureText('host-2cpu-2node.numactl'));
    expect(numa.source).toBe('numactl');
    expect(numa.cpus.map((c) => c.node)).toEqual([0, 1]);
  });
});
