// Topology metrics in a comparison, like every other metric (compare.ts): rows
// per VM group and per run, differences against the reference run, verdicts
// where the metric has a direction. A run without a topology has nulls there.
// The rows have compare.ts's shape, so the UI can append them to compareRuns'.

import {
  difference,
  HOST_ROW,
  type CompareMetric,
  type CompareRow,
  type Difference,
  type VmMatchGroup,
} from './compare';
import type { TopologyMetrics, VmTopologyMetrics } from './topology';

type TopologyVmKey = 'nodeSpread' | 'homeNodeFraction' | 'crossNodeMigrationsPerSec' | 'smtSiblingCoRunFraction';

const metric = (
  key: TopologyVmKey,
  label: string,
  direction: CompareMetric['direction'],
  unit = '',
): CompareMetric => ({
  key,
  label,
  unit,
  direction,
  scope: 'vm',
});

/**
 * Per-VM topology metrics with their directions: fewer nodes, more time at
 * home and fewer node changes are better. SMT co-running has no verdict: two
 * vCPUs of one VM on one core share its caches but also its execution units.
 */
export const TOPOLOGY_COMPARE_METRICS: readonly CompareMetric[] = [
  metric('nodeSpread', 'node spread', 'lower'),
  metric('homeNodeFraction', 'home-node fraction', 'higher'),
  metric('crossNodeMigrationsPerSec', 'cross-node migrations/s', 'lower', '/s'),
  metric('smtSiblingCoRunFraction', 'SMT sibling co-running', null),
];

/** Host rows: one per node number found in any run, its busy fraction (no verdict). */
export function nodeBusyMetric(node: number): CompareMetric {
  return { key: `nodeBusy:${node}`, label: `node ${node} busy fraction`, unit: '', direction: null, scope: 'host' };
}

/**
 * Rows for the topology metrics: per VM group × metric, then per node. `metrics[r]`
 * is run r's analyzeTopology result, or null when that run has no topology.
 */
export function compareTopology(
  metrics: readonly (TopologyMetrics | null)[],
  groups: readonly VmMatchGroup[],
  options: { tolerance?: number } = {},
): CompareRow[] {
  const rows: CompareRow[] = [];
  const diffsOf = (m: CompareMetric, values: (number | null)[]): (Difference | null)[] =>
    values.map((v, r) => (r === 0 ? null : difference(m, values[0], v, options.tolerance)));
  groups.forEach((g, gi) => {
    for (const m of TOPOLOGY_COMPARE_METRICS) {
      const values = metrics.map((t, r) => {
        const j = g.members[r];
        if (t === null || j === null || j === undefined) return null;
        const vm: VmTopologyMetrics | undefined = t.vms[j];
        const v = vm?.[m.key as TopologyVmKey];
        return typeof v === 'number' ? v : null;
      });
      rows.push({ group: gi, vm: g.name, names: g.names, metric: m, values, diffs: diffsOf(m, values) });
    }
  });
  const nodes = [...new Set(metrics.flatMap((t) => (t ? t.nodes.map((n) => n.node) : [])))].sort((a, b) => a - b);
  for (const node of nodes) {
    const m = nodeBusyMetric(node);
    const values = metrics.map((t) => t?.nodes.find((n) => n.node === node)?.busyFraction ?? null);
    rows.push({ group: -1, vm: HOST_ROW, metric: m, values, diffs: diffsOf(m, values) });
  }
  return rows;
}
