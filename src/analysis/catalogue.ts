// The metric catalogue: every per-VM and host-wide number SchedMap shows, once,
// with its key (the JSON / CSV field name), its label (the one name the VM
// table, the CSV, the comparison and the CLI table use), unit, description,
// accessor, and how a comparison may judge it. Add a metric here and it shows
// up in all four places. docs/metrics.md defines each number.

import { NUMA_EVENT_NAMES } from '../model/eventNames';
import { NUMA_EVENT_KEYS, NumaEventKind } from '../model/types';
import { num as numText } from '../model/format';
import type { CpuMetrics, RunMetrics, VcpuMetrics, VmMetrics } from './metrics';
import type { TopologyMetrics, VcpuTopologyMetrics, VmTopologyMetrics } from './topology';

/**
 * What a value is, which decides how it is written:
 * score: a dimensionless number (gang score); fraction: a ratio shown as a percentage;
 * µs: a duration; /s: a rate; count: a whole number; vCPUs: a mean number of vCPUs; MB: memory (2^20 bytes,
 * as numastat prints it); node: a NUMA node's number (a difference only says whether it moved).
 */
export type Unit = 'score' | 'fraction' | 'µs' | '/s' | 'count' | 'vCPUs' | 'MB' | 'node';

export type Direction = 'higher' | 'lower';

/** What a context rule may look at: this VM (or the host) in the two runs compared. */
export interface JudgeContext {
  /** The VM's vCPU count in the reference run and in the other (host rows: 0). */
  vcpus: [number, number];
  /**
   * Whether another metric of the same VM (host rows: of the host) is the same in both runs:
   * within the comparison's noise rule (see compare.ts). False when either value is missing.
   */
  same: (key: string) => boolean;
}

/**
 * How a comparison may judge a change of the metric: a direction (which way is better), `none` (shown
 * without a verdict, with the reason), or a rule that depends on context and gives a direction or none.
 */
export type Judge =
  | { kind: 'direction'; better: Direction }
  | { kind: 'none'; why: string }
  | { kind: 'context'; rule: string; direction: (ctx: JudgeContext) => Direction | null };

/** Where a VM metric's value comes from: the run's metrics and, with a host topology, its topology numbers. */
export interface VmSource {
  vm: Omit<VmMetrics, 'name' | 'vcpus'>;
  /** The topology fields of the VM; null or undefined without a host topology. */
  topology?: Partial<Omit<VmTopologyMetrics, 'name' | 'vcpus'>> | null;
}

export interface VcpuSource {
  vcpu: Omit<VcpuMetrics, 'index' | 'tid' | 'comm'>;
  topology?: Partial<Omit<VcpuTopologyMetrics, 'index' | 'tid'>> | null;
  /** P: the CPUs counted. */
  cpus: number;
}

/** A VM metric's per-vCPU counterpart, shown in the VM metric's column on a vCPU row. */
export interface VcpuPart {
  /** The vCPU field's JSON / CSV name (may equal the VM metric's key). */
  key: string;
  /** Its name in per-vCPU tables (the CLI's --vcpus). */
  label: string;
  /** The vCPU field's own unit (its CSV value); the column shows `inColumn` in the VM metric's unit. */
  unit: Unit;
  description: string;
  value: (s: VcpuSource) => number | null;
  /** The value shown in the VM metric's column (default: `value`). */
  inColumn?: (s: VcpuSource) => number | null;
}

interface MetricBase {
  /** JSON field name, CSV column, data-* attribute, comparison row key. */
  key: string;
  /** The one name shown everywhere (VM table header, comparison row, CLI table head). */
  label: string;
  unit: Unit;
  /** One or two sentences: what it counts (tooltips, docs). */
  description: string;
  judge: Judge;
  /** Needs a host topology: shown only for runs that have one. */
  topology?: boolean;
}

export interface VmMetricDef extends MetricBase {
  scope: 'vm';
  value: (s: VmSource) => number | null;
  vcpu?: VcpuPart;
  /** More than the value, for the cell's tooltip (the balancing rate's kinds); null: nothing to add. */
  detail?: (s: VmSource) => string | null;
}

/** Where a host metric's value comes from. */
export interface HostSource {
  metrics: RunMetrics;
  topology?: TopologyMetrics | null;
}

export interface HostMetricDef extends MetricBase {
  scope: 'host';
  value: (s: HostSource) => number | null;
}

export type MetricDef = VmMetricDef | HostMetricDef;

const higher: Judge = { kind: 'direction', better: 'higher' };
const lower: Judge = { kind: 'direction', better: 'lower' };
const none = (why: string): Judge => ({ kind: 'none', why });

const vm = (def: Omit<VmMetricDef, 'scope'>): VmMetricDef => ({ scope: 'vm', ...def });
const num = (x: number | null | undefined): number | null => (typeof x === 'number' ? x : null);

/** The kinds of numaBalancingEventsPerSec, by the tracepoint each counts (docs/metrics.md, "NUMA memory"). */
const BALANCING_KINDS = [
  { numa: NumaEventKind.Move, what: 'a task moved to its preferred node' },
  { numa: NumaEventKind.Swap, what: 'two tasks swapped between nodes' },
  { numa: NumaEventKind.Stick, what: 'a move or swap that failed: the task stayed' },
  { numa: NumaEventKind.MigratePages, what: 'page migrations with reason numa_misplaced' },
].map(({ numa, what }) => ({ kind: NUMA_EVENT_KEYS[numa], event: NUMA_EVENT_NAMES[numa], what }));
const BALANCING_EVENTS = BALANCING_KINDS.map((k) => k.event);

/** Per-VM metrics, in the order of the VM table, the CSV, the comparison and the CLI table. */
export const VM_METRICS: readonly VmMetricDef[] = [
  vm({
    key: 'coScheduling',
    label: 'co-scheduling',
    unit: 'score',
    description:
      '(gang score − independent gang score) / (1 − independent): 0 = its vCPUs ran as if scheduled independently, ' +
      '1 = perfect gang, below 0 = siblings kept apart.',
    judge: {
      kind: 'context',
      rule: 'higher is better for a VM whose vCPUs share locks (every SMP guest kernel: two or more vCPUs)',
      direction: (c) => (c.vcpus[0] >= 2 && c.vcpus[1] >= 2 ? 'higher' : null),
    },
    value: (s) => s.vm.coScheduling,
  }),
  vm({
    key: 'gangScore',
    label: 'gang score',
    unit: 'score',
    description: 'Gang score: ∫r(t) / (k × time with r > 0). 1 = its vCPUs always run together; 1/k = one at a time.',
    judge: {
      kind: 'context',
      rule:
        'higher is better only when the independent gang score (its baseline, set by the CPU shares) is the same ' +
        'in both runs; otherwise read co-scheduling',
      direction: (c) => (c.same('gangScoreIndependent') ? 'higher' : null),
    },
    value: (s) => s.vm.gangScore,
  }),
  vm({
    key: 'gangScoreIndependent',
    label: 'independent gang',
    unit: 'score',
    description:
      'The gang score its vCPUs would get at the same run shares if they ran independently: Σp / (k (1 − Π(1 − p))).',
    judge: none('a baseline, not a result: it follows the CPU shares'),
    value: (s) => s.vm.gangScoreIndependent,
  }),
  vm({
    key: 'allRunningFraction',
    label: 'all running',
    unit: 'fraction',
    description: 'Time with all k vCPUs running / time with any running.',
    judge: higher,
    value: (s) => s.vm.allRunningFraction,
  }),
  vm({
    key: 'pleExitsPerSec',
    label: 'PLE exits/s',
    unit: '/s',
    description: 'kvm_exit with a PAUSE reason on its vCPUs, per second (spinning on a lock). Needs kvm:kvm_exit.',
    judge: lower,
    value: (s) => s.vm.pleExitsPerSec,
  }),
  vm({
    key: 'siblingHandoffsPerSec',
    label: 'sibling handoffs/s',
    unit: '/s',
    description:
      'Switches from one of its vCPUs directly to a sibling vCPU, per second (a CPU passed to a sibling, not run ' +
      'beside it).',
    judge: lower,
    value: (s) => s.vm.siblingHandoffsPerSec,
  }),
  vm({
    key: 'siblingHandoffs',
    label: 'sibling handoffs',
    unit: 'count',
    description: 'Switches from one of its vCPUs directly to a sibling vCPU in the window (a count: compare the rate).',
    judge: none('a count depends on the window length: the rate is judged'),
    value: (s) => s.vm.siblingHandoffs,
  }),
  vm({
    key: 'runSliceMedianUs',
    label: 'slice p50',
    unit: 'µs',
    description: 'Median run-slice length of its vCPUs (slices inside the window, ended by a switch).',
    judge: none('long slices are not better by themselves: with PLE off vCPUs spin through them'),
    value: (s) => s.vm.runSliceMedianUs,
    vcpu: {
      key: 'runSliceMedianUs',
      label: 'slice p50',
      unit: 'µs',
      description: 'Median run-slice length of this vCPU.',
      value: (s) => s.vcpu.runSliceMedianUs,
    },
  }),
  vm({
    key: 'runSliceP90Us',
    label: 'slice p90',
    unit: 'µs',
    description: 'Run-slice length, 90th percentile.',
    judge: none('long slices are not better by themselves: with PLE off vCPUs spin through them'),
    value: (s) => s.vm.runSliceP90Us,
  }),
  vm({
    key: 'runSliceP99Us',
    label: 'slice p99',
    unit: 'µs',
    description: 'Run-slice length, 99th percentile.',
    judge: none('long slices are not better by themselves: with PLE off vCPUs spin through them'),
    value: (s) => s.vm.runSliceP99Us,
  }),
  vm({
    key: 'runSliceMaxUs',
    label: 'slice max',
    unit: 'µs',
    description: 'Longest run slice.',
    judge: none('long slices are not better by themselves: with PLE off vCPUs spin through them'),
    value: (s) => s.vm.runSliceMaxUs,
  }),
  vm({
    key: 'switchInsPerSec',
    label: 'switch-ins/s',
    unit: '/s',
    description: 'Switches to one of its vCPU threads per second.',
    judge: none('a switch rate alone is neither good nor bad'),
    value: (s) => s.vm.switchInsPerSec,
    vcpu: {
      key: 'switchInsPerSec',
      label: 'switch-ins/s',
      unit: '/s',
      description: 'Switches to this vCPU thread per second.',
      value: (s) => s.vcpu.switchInsPerSec,
    },
  }),
  vm({
    key: 'cpuShare',
    label: 'CPU share',
    unit: 'fraction',
    description: 'Run time of its vCPUs / (D × P).',
    judge: higher,
    value: (s) => s.vm.cpuShare,
    vcpu: {
      key: 'runFraction',
      label: 'run fraction',
      unit: 'fraction',
      description: 'Its run time / D (the column shows its run time / (D × P)).',
      value: (s) => s.vcpu.runFraction,
      inColumn: (s) => (s.vcpu.runFraction === null || s.cpus === 0 ? null : s.vcpu.runFraction / s.cpus),
    },
  }),
  vm({
    key: 'hostNoiseShare',
    label: 'host noise',
    unit: 'fraction',
    description: 'Time host tasks ran on the CPUs its vCPUs used / known time of those CPUs.',
    judge: lower,
    value: (s) => s.vm.hostNoiseShare,
  }),
  vm({
    key: 'vcpuMigrationsPerSec',
    label: 'migrations/s',
    unit: '/s',
    description: 'vCPU switch-ins on another CPU than its previous one, per second.',
    judge: lower,
    value: (s) => s.vm.vcpuMigrationsPerSec,
    vcpu: {
      key: 'migrationsPerSec',
      label: 'migrations/s',
      unit: '/s',
      description: 'Switch-ins of this vCPU on another CPU than its previous one, per second.',
      value: (s) => s.vcpu.migrationsPerSec,
    },
  }),
  vm({
    key: 'preemptedVcpusMean',
    label: 'preempted vCPUs',
    unit: 'vCPUs',
    description: 'Mean number of its vCPUs runnable but not running (switched out R/R+). Needs states.',
    judge: lower,
    value: (s) => s.vm.preemptedVcpusMean,
    vcpu: {
      key: 'preemptedFraction',
      label: 'preempted',
      unit: 'fraction',
      description: 'Fraction of D it was runnable but not running.',
      value: (s) => s.vcpu.preemptedFraction,
    },
  }),
  vm({
    key: 'runDelayP50Us',
    label: 'delay p50',
    unit: 'µs',
    description: 'Run delay (wakeup → switch-in), median. Needs wakeup events.',
    judge: lower,
    value: (s) => s.vm.runDelayP50Us,
  }),
  vm({
    key: 'runDelayP99Us',
    label: 'delay p99',
    unit: 'µs',
    description: 'Run delay (wakeup → switch-in), 99th percentile. Needs wakeup events.',
    judge: lower,
    value: (s) => s.vm.runDelayP99Us,
    vcpu: {
      key: 'runDelayP99Us',
      label: 'delay p99',
      unit: 'µs',
      description: 'Run delay of this vCPU, 99th percentile.',
      value: (s) => s.vcpu.runDelayP99Us,
    },
  }),
  // With a host topology (docs/metrics.md, "Topology").
  vm({
    key: 'nodeSpread',
    label: 'node spread',
    unit: 'count',
    description: 'NUMA nodes that held at least 5% of its vCPU run time.',
    judge: lower,
    topology: true,
    value: (s) => num(s.topology?.nodeSpread),
  }),
  vm({
    key: 'homeNodeFraction',
    label: 'on home node',
    unit: 'fraction',
    description: 'Share of its vCPU run time on the node where it ran most.',
    judge: higher,
    topology: true,
    value: (s) => num(s.topology?.homeNodeFraction),
    vcpu: {
      key: 'homeNodeFraction',
      label: 'on home node',
      unit: 'fraction',
      description: 'Share of its run time on the node where it ran most.',
      value: (s) => num(s.topology?.homeNodeFraction),
    },
  }),
  vm({
    key: 'crossNodeMigrationsPerSec',
    label: 'cross-node migrations/s',
    unit: '/s',
    description: 'A vCPU starting a slice on another node than its previous slice, per second.',
    judge: lower,
    topology: true,
    value: (s) => num(s.topology?.crossNodeMigrationsPerSec),
    vcpu: {
      key: 'crossNodeMigrationsPerSec',
      label: 'cross-node migrations/s',
      unit: '/s',
      description: 'This vCPU starting a slice on another node than its previous slice, per second.',
      value: (s) => num(s.topology?.crossNodeMigrationsPerSec),
    },
  }),
  vm({
    key: 'smtSiblingCoRunFraction',
    label: 'SMT co-run',
    unit: 'fraction',
    description: 'Time two of its vCPUs ran on SMT siblings of one core / time two or more of its vCPUs ran.',
    judge: none('two vCPUs on one core share its caches but also its execution units'),
    topology: true,
    value: (s) => num(s.topology?.smtSiblingCoRunFraction),
  }),
  // With a host topology and a memory file (docs/metrics.md, "NUMA memory").
  vm({
    key: 'localRunFraction',
    label: 'run next to memory',
    unit: 'fraction',
    description:
      'Σ over nodes of (its vCPU run time there / its run time) × (its memory there / its memory): the share of ' +
      'run time next to its memory under uniform access. 1 = all vCPUs ran where all the memory is.',
    judge: higher,
    topology: true,
    value: (s) => num(s.topology?.localRunFraction),
    vcpu: {
      key: 'localRunFraction',
      label: 'run next to memory',
      unit: 'fraction',
      description: "This vCPU's run time next to its VM's memory, weighted as for the VM.",
      value: (s) => num(s.topology?.localRunFraction),
    },
  }),
  vm({
    key: 'memoryMb',
    label: 'memory',
    unit: 'MB',
    description: "Its QEMU process's memory on all nodes, from the memory file dropped (numastat -p, numa_maps).",
    judge: none('the memory a guest touched is its workload, not the scheduler'),
    topology: true,
    value: (s) => num(s.topology?.memoryMb),
  }),
  vm({
    key: 'memoryHomeNode',
    label: 'memory home',
    unit: 'node',
    description: 'The node holding most of its memory (the lower node on a tie), from the memory file dropped.',
    judge: none('where memory sits is judged by run next to memory'),
    topology: true,
    value: (s) => num(s.topology?.memoryHomeNode),
  }),
  vm({
    key: 'numaBalancingPerSec',
    label: 'NUMA balancing/s',
    unit: '/s',
    description:
      `AutoNUMA's decisions about its threads per second: ${BALANCING_EVENTS.slice(0, -1).join(', ')} ` +
      `and ${BALANCING_EVENTS[BALANCING_EVENTS.length - 1]} (reason numa_misplaced); 0 also when the recording did not enable them.`,
    judge: none('many decisions may be a VM being placed well, or one that never settles'),
    topology: true,
    value: (s) => num(s.topology?.numaBalancingPerSec),
    detail: (s) => {
      const r = s.topology?.numaBalancingEventsPerSec;
      if (!r) return null;
      return BALANCING_KINDS.map((k) => `${k.event} ${numText(r[k.kind])}/s`).join(', ');
    },
  }),
];

/**
 * Per VM, its NUMA balancing events per second by kind (numaBalancingEventsPerSec.move …): rows of the
 * comparison (when a run has any) and columns of the CSV; the VM table shows them in the tooltip of
 * "NUMA balancing/s".
 */
export const VM_BALANCING_METRICS: readonly VmMetricDef[] = BALANCING_KINDS.map((k) =>
  vm({
    key: `numaBalancingEventsPerSec:${k.kind}`,
    label: `${k.event}/s`,
    unit: '/s',
    description: `${k.event} events about its threads per second: ${k.what}. 0 also when the recording did not enable it.`,
    judge: none('many decisions may be a VM being placed well, or one that never settles'),
    topology: true,
    value: (s) => num(s.topology?.numaBalancingEventsPerSec?.[k.kind]),
  }),
);

function meanIdle(cpus: readonly CpuMetrics[]): number | null {
  const xs = cpus.map((c) => c.idleFraction).filter((x): x is number => x !== null);
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** Host-wide metrics (the comparison's host rows). */
export const HOST_METRICS: readonly HostMetricDef[] = [
  {
    scope: 'host',
    key: 'switchesPerSecPerCpu',
    label: 'switches/s per CPU',
    unit: '/s',
    description: 'Context switches per second and CPU, over the CPUs counted.',
    judge: none('a switch rate alone is neither good nor bad'),
    value: (s) => s.metrics.switchesPerSecPerCpu,
  },
  {
    scope: 'host',
    key: 'idleFraction',
    label: 'idle (mean of CPUs)',
    unit: 'fraction',
    description: 'Idle time / known time, averaged over the CPUs counted.',
    judge: none('idle time is neither good nor bad by itself'),
    value: (s) => meanIdle(s.metrics.perCpu),
  },
];

/** A host row per NUMA node (node numbers differ between hosts, so these are made from the topologies). */
export function nodeBusyMetric(node: number): HostMetricDef {
  return {
    scope: 'host',
    key: `nodeBusy:${node}`,
    label: `node ${node} busy`,
    unit: 'fraction',
    description: `Non-idle known time / known time of node ${node}'s CPUs counted.`,
    judge: none('a busy node is neither good nor bad by itself'),
    topology: true,
    value: (s) => s.topology?.nodes.find((n) => n.node === node)?.busyFraction ?? null,
  };
}

/** The host rows for runs with these topologies: the catalogue's, then one per node found in any of them. */
export function hostMetricsFor(topologies: readonly (TopologyMetrics | null | undefined)[]): HostMetricDef[] {
  return [...HOST_METRICS, ...nodesOf(topologies).map(nodeBusyMetric)];
}

/**
 * Per VM and NUMA node: its memory there (MB) beside the share of its vCPU run time there, so a comparison
 * (AutoNUMA on vs off) and the CSV show where memory and vCPUs went, node by node.
 */
export function vmNodeMetrics(node: number): VmMetricDef[] {
  return [
    vm({
      key: `memoryMb:${node}`,
      label: `memory on node ${node}`,
      unit: 'MB',
      description: `Its QEMU process's memory on node ${node} (memoryByNode).`,
      judge: none('where memory sits is judged by run next to memory'),
      topology: true,
      value: (s) => {
        const byNode = s.topology?.memoryByNode;
        return byNode ? (byNode.find((n) => n.node === node)?.mb ?? 0) : null;
      },
    }),
    vm({
      key: `runShare:${node}`,
      label: `vCPU run on node ${node}`,
      unit: 'fraction',
      description: `Its vCPU run time on node ${node}'s CPUs / its vCPU run time (cpuTimeByNode); shown beside its memory, so only with memory data.`,
      judge: none('where vCPUs run is judged by run next to memory'),
      topology: true,
      value: (s) => {
        const byNode = s.topology?.cpuTimeByNode;
        if (!byNode || !s.topology?.memoryByNode) return null;
        let total = 0;
        for (const n of byNode) total += n.runUs;
        const here = byNode.find((n) => n.node === node);
        return total > 0 && here ? here.runUs / total : null;
      },
    }),
  ];
}

/**
 * The catalogue's VM metrics for a run with (or without) a host topology; with `nodes`, then the per-node
 * memory and run-share rows of those nodes (the comparison and the CSV; the VM table draws them as bars).
 */
export function vmMetricsFor(
  withTopology: boolean,
  nodes: readonly number[] = [],
  withBalancing = false,
): readonly VmMetricDef[] {
  if (!withTopology) return VM_METRICS.filter((m) => !m.topology);
  return [...VM_METRICS, ...(withBalancing ? VM_BALANCING_METRICS : []), ...nodes.flatMap(vmNodeMetrics)];
}

/** Whether any of these runs counted a NUMA balancing event for a VM (then the comparison has the kinds' rows). */
export function hasBalancing(topologies: readonly (TopologyMetrics | null | undefined)[]): boolean {
  return topologies.some((t) => t?.vms.some((v) => (v.numaBalancingPerSec ?? 0) > 0) ?? false);
}

/** The nodes of any of these topologies, ascending. */
export function nodesOf(topologies: readonly (TopologyMetrics | null | undefined)[]): number[] {
  return [...new Set(topologies.flatMap((t) => (t ? t.nodes.map((n) => n.node) : [])))].sort((a, b) => a - b);
}

export function vmMetric(key: string): VmMetricDef | undefined {
  return VM_METRICS.find((m) => m.key === key);
}

/** The direction a comparison judges by in this context; null: no verdict. */
export function directionOf(judge: Judge, ctx: JudgeContext): Direction | null {
  if (judge.kind === 'direction') return judge.better;
  if (judge.kind === 'none') return null;
  return judge.direction(ctx);
}

/** One line saying how the metric is judged (tooltips, docs). */
export function judgeText(judge: Judge): string {
  if (judge.kind === 'direction') return `${judge.better} is better`;
  if (judge.kind === 'none') return `no verdict: ${judge.why}`;
  return judge.rule;
}
