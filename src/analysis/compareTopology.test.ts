// Topology metrics line up in a comparison like the others (catalogue entries, compareRuns with topologies).

import { describe, expect, it } from 'vitest';
import { compareRuns, matchVms, type CompareRow, type VmMatchGroup } from './compare';
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

  it('a run without a topology has nulls', () => {
    const rows = compareTopology([metrics([vm('A', {})], [0.5]), null], matchVms([['A'], ['A']]));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.values[1] === null && r.diffs[1] === null)).toBe(true);
    // Without any topology, no topology rows at all.
    const none = compareRuns([bare(['A']), bare(['A'])], matchVms([['A'], ['A']]), { topologies: [null, null] });
    expect(none).toEqual([]);
  });
});
