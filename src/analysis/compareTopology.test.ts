// Topology metrics line up in a comparison like the others (catalogue entries, compareRuns with topologies).

import { describe, expect, it } from 'vitest';
import { compareRuns, matchVms, type CompareRow, type VmMatchGroup } from './compare';
import { DASH } from '../model/format';
import { relativeCell, rowFormat } from './metricText';
import type { RunMetrics, VmMetrics } from './metrics';
import type { TopologyMetrics, VmTopologyMetrics } from './topology';

// The runs' own metrics: all null except the vCPU count (so only topology rows and the host rows remain).
const bare = (names: string[]): RunMetrics => ({
  window: { startUs: 0, endUs: 1, durationUs: 1, cpus: [] },
  switchesPerSecPerCpu: null,
  perCpu: [],
  vms: names.map(
    (name) =>
      Object.fromEntries([
        ['name', name],
        ['vcpuCount', 2],
        ['vcpus', []],
        ['coRunHistogram', []],
      ]) as unknown as VmMetrics,
  ),
});

function compareTopology(topologies: (TopologyMetrics | null)[], groups: VmMatchGroup[]): CompareRow[] {
  const names = (t: TopologyMetrics | null, r: number): string[] =>
    t ? t.vms.map((v) => v.name) : groups.flatMap((g) => (g.names[r] === null ? [] : [g.names[r]!]));
  return compareRuns(
    topologies.map((t, r) => bare(names(t, r))),
    groups,
    { topologies },
  );
}

const vm = (name: string, f: Partial<VmTopologyMetrics>): VmTopologyMetrics => ({
  name,
  nodeSpread: 1,
  homeNode: 0,
  homeNodeFraction: 1,
  crossNodeMigrationsPerSec: 0,
  smtSiblingCoRunFraction: 0,
  nodeRunUs: [],
  numaBalancingPerSec: 0,
  numaBalancingEventsPerSec: { move: 0, swap: 0, stick: 0, migratePages: 0 },
  memoryByNode: null,
  memoryMb: null,
  memoryHomeNode: null,
  localRunFraction: null,
  cpuTimeByNode: [],
  vcpus: [],
  ...f,
});

const metrics = (vms: VmTopologyMetrics[], busy: number[]): TopologyMetrics => ({
  topology: { source: 'lscpu', nodes: busy.length, sockets: busy.length, cores: 4, cpus: 8, threadsPerCore: 2 },
  nodes: busy.map((b, node) => ({ node, cpus: [], topologyCpus: [], busyFraction: b, knownUs: 1, vms: [] })),
  vms,
});

describe('compareTopology', () => {
  it('gives per-VM rows with verdicts in the metrics’ directions, and node rows', () => {
    const aware = metrics([vm('A', {}), vm('B', { homeNode: 1 })], [0.5, 0.6]);
    const spread = metrics(
      [vm('A', { nodeSpread: 2, homeNodeFraction: 0.5, crossNodeMigrationsPerSec: 300, smtSiblingCoRunFraction: 0.2 })],
      [0.55, 0.55],
    );
    const groups = matchVms([['A', 'B'], ['A']]);
    const rows = compareTopology([aware, spread], groups);
    const row = (vmName: string, key: string) => rows.find((r) => r.vm === vmName && r.metric.key === key)!;
    expect(row('A', 'nodeSpread').values).toEqual([1, 2]);
    expect(row('A', 'nodeSpread').diffs[1]).toEqual({
      abs: 1,
      rel: 1,
      direction: 'lower',
      noise: null,
      verdict: 'worse',
    });
    expect(row('A', 'homeNodeFraction').diffs[1]?.verdict).toBe('worse');
    expect(row('A', 'crossNodeMigrationsPerSec').diffs[1]).toEqual({
      abs: 300,
      rel: null,
      direction: 'lower',
      noise: null,
      verdict: 'worse',
    });
    expect(row('A', 'smtSiblingCoRunFraction').diffs[1]?.verdict).toBe('none');
    // B is not in the second run.
    expect(row('B', 'homeNodeFraction').values).toEqual([1, null]);
    expect(row('B', 'homeNodeFraction').diffs).toEqual([null, null]);
    expect(rows.filter((r) => r.group === -1).map((r) => [r.metric.label, r.values])).toEqual([
      ['node 0 busy', [0.5, 0.55]],
      ['node 1 busy', [0.6, 0.55]],
    ]);
  });

  it("rows name each run's VM, also when VMs are paired by order (different names)", () => {
    const rows = compareTopology(
      [
        metrics([vm('vm10', {}), vm('vm11', {})], [0.5]),
        metrics([vm('vm20', {}), vm('vm21', { nodeSpread: 2 })], [0.5]),
      ],
      matchVms([
        ['vm10', 'vm11'],
        ['vm20', 'vm21'],
      ]),
    );
    const spread = rows.filter((r) => r.metric.key === 'nodeSpread');
    expect(spread.map((r) => [r.names, r.values])).toEqual([
      [
        ['vm10', 'vm20'],
        [1, 1],
      ],
      [
        ['vm11', 'vm21'],
        [1, 2],
      ],
    ]);
  });

  // AutoNUMA on vs off: on moved A's memory to node 1 and decided about its threads; off left it on node 0.
  it('AutoNUMA on vs off: memory home as a node that moved, balancing by kind only when a run has any', () => {
    const on = vm('A', {
      memoryByNode: [
        { node: 0, mb: 24 },
        { node: 1, mb: 2024 },
      ],
      memoryMb: 2048,
      memoryHomeNode: 1,
      localRunFraction: 0.9,
      numaBalancingPerSec: 6,
      numaBalancingEventsPerSec: { move: 3, swap: 1, stick: 1, migratePages: 1 },
    });
    const off = vm('A', {
      memoryByNode: [{ node: 0, mb: 2048 }],
      memoryMb: 2048,
      memoryHomeNode: 0,
      localRunFraction: 0.5,
    });
    const rows = compareTopology([metrics([on], [0.5, 0.5]), metrics([off], [0.5, 0.5])], matchVms([['A'], ['A']]));
    const row = (key: string) => rows.find((r) => r.vm === 'A' && r.metric.key === key)!;
    expect(row('memoryHomeNode').values).toEqual([1, 0]);
    expect(row('memoryHomeNode').diffs[1]?.verdict).toBe('none');
    const f = rowFormat(row('memoryHomeNode').metric.unit, row('memoryHomeNode').values);
    expect([f.value(1), f.delta(row('memoryHomeNode').diffs[1]!.abs), f.delta(0)]).toEqual(['node 1', 'moved', 'same']);
    expect(relativeCell('node', row('memoryHomeNode').diffs[1]!.rel)).toBe(DASH);
    expect(['move', 'swap', 'stick', 'migratePages'].map((k) => row(`numaBalancingEventsPerSec:${k}`).values)).toEqual([
      [3, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expect(row('numaBalancingEventsPerSec:move').metric.label).toBe('sched_move_numa/s');
    expect(row('memoryMb:1').values).toEqual([2024, 0]);
    // No run with a balancing event: no per-kind rows (the total's row stays, 0 in both).
    const quiet = compareTopology([metrics([off], [0.5, 0.5]), metrics([off], [0.5, 0.5])], matchVms([['A'], ['A']]));
    expect(quiet.filter((r) => r.metric.key.startsWith('numaBalancingEventsPerSec:'))).toEqual([]);
    expect(quiet.find((r) => r.metric.key === 'numaBalancingPerSec')?.values).toEqual([0, 0]);
  });

  it('a run without a topology has nulls', () => {
    const rows = compareTopology([metrics([vm('A', {})], [0.5]), null], matchVms([['A'], ['A']]));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.values[1] === null && r.diffs[1] === null)).toBe(true);
    // Without any topology, no topology rows at all.
    const none = compareRuns([bare(['A']), bare(['A'])], matchVms([['A'], ['A']]), { topologies: [null, null] });
    expect(none).toEqual([]);
  });
});
