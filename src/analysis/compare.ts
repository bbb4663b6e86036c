// Comparing runs (PLE on vs off, patched vs stock): match VMs across runs,
// line up each metric per VM and per run, take absolute and relative
// differences against the reference run (the first), mark better / worse only
// where the metric has a direction, and say in one paragraph what changed most.
// Pure functions over RunMetrics (analyzeRun's output): the UI and tests share them.

import type { RunMetrics, VmMetrics } from './metrics';
import { shortNumber, signedPct } from './format';

export type Direction = 'higher' | 'lower' | null;

export interface CompareMetric {
  key: string;
  label: string;
  /** Unit shown after values ('' for ratios and counts). */
  unit: string;
  /** Which way is better; null: shown without a verdict (slice lengths, switch rates). */
  direction: Direction;
  scope: 'vm' | 'host';
  /** A fraction, shown as a percentage. */
  percent?: boolean;
}

type VmKey = keyof Omit<VmMetrics, 'name' | 'vcpus' | 'coRunHistogram' | 'exitReasons' | 'vcpuCount' | 'k'>;

const vmMetric = (key: VmKey, label: string, direction: Direction, unit = ''): CompareMetric => ({
  key,
  label,
  unit,
  direction,
  scope: 'vm',
  ...(unit === '%' ? { unit: '', percent: true } : {}),
});

/** The per-VM metrics a comparison lines up, with the issue's directions. */
export const VM_COMPARE_METRICS: readonly CompareMetric[] = [
  vmMetric('gangScore', 'gang score', 'higher'),
  vmMetric('allRunningFraction', 'all-running fraction', 'higher', '%'),
  vmMetric('cpuShare', 'CPU share', 'higher', '%'),
  vmMetric('siblingHandoffs', 'sibling handoffs', 'lower'),
  vmMetric('preemptedVcpusMean', 'preempted vCPUs', 'lower'),
  vmMetric('runDelayP50Us', 'run delay p50', 'lower', 'µs'),
  vmMetric('runDelayP99Us', 'run delay p99', 'lower', 'µs'),
  vmMetric('hostNoiseShare', 'host noise', 'lower', '%'),
  vmMetric('vcpuMigrationsPerSec', 'migrations/s', 'lower', '/s'),
  vmMetric('pleExitsPerSec', 'PLE exits/s', 'lower', '/s'),
  vmMetric('runSliceMedianUs', 'run slice median', null, 'µs'),
  vmMetric('runSliceP90Us', 'run slice p90', null, 'µs'),
  vmMetric('runSliceP99Us', 'run slice p99', null, 'µs'),
  vmMetric('runSliceMaxUs', 'run slice max', null, 'µs'),
  vmMetric('switchInsPerSec', 'switch-ins/s', null, '/s'),
];

/** Host-wide metrics: no verdict (a switch rate and an idle share are not good or bad by themselves). */
export const HOST_COMPARE_METRICS: readonly CompareMetric[] = [
  { key: 'switchesPerSecPerCpu', label: 'switches/s per CPU', unit: '/s', direction: null, scope: 'host' },
  {
    key: 'idleFraction',
    label: 'idle fraction (mean of CPUs)',
    unit: '',
    direction: null,
    scope: 'host',
    percent: true,
  },
];

/** Name of the host pseudo-VM in rows (not a possible VM name: VM names never start with a parenthesis here). */
export const HOST_ROW = '(host)';

// ---- matching VMs -------------------------------------------------------------

export interface VmMatchGroup {
  /** Shown name: the reference run's VM name, else the first member's. */
  name: string;
  /** VM index in each run (null: the run has no VM in this group). */
  members: (number | null)[];
  /** VM name in each run (null where no member). */
  names: (string | null)[];
}

/** Per run r ≥ 1: reference VM index → this run's VM index (-1: leave unpaired). */
export type PairOverrides = Record<number, number>;

/**
 * Pair each run's VMs with the reference run's (run 0): by name (the names the user sees: a VM map's, or
 * a rename), else by order when no name is shared at all (e.g. names from process ids); then the user's
 * overrides. One group per reference VM, then one per VM of another run that stayed unpaired.
 */
export function matchVms(
  names: readonly (readonly string[])[],
  overrides: readonly (PairOverrides | undefined)[] = [],
): VmMatchGroup[] {
  if (names.length === 0) return [];
  const ref = names[0];
  const pairs: number[][] = names.map((own, r) => {
    if (r === 0) return ref.map((_, i) => i);
    const pair = ref.map(() => -1);
    const used = new Set<number>();
    ref.forEach((name, i) => {
      const j = own.findIndex((x, k) => x === name && !used.has(k));
      if (j >= 0) {
        pair[i] = j;
        used.add(j);
      }
    });
    if (used.size === 0) for (let i = 0; i < ref.length && i < own.length; i++) pair[i] = i;
    const o = overrides[r];
    if (o)
      for (const [si, j] of Object.entries(o)) {
        const i = Number(si);
        if (!(i >= 0 && i < ref.length)) continue;
        if (j >= 0 && j < own.length) {
          for (let k = 0; k < pair.length; k++) if (pair[k] === j) pair[k] = -1;
          pair[i] = j;
        } else pair[i] = -1;
      }
    return pair;
  });
  const groups: VmMatchGroup[] = ref.map((name, i) => {
    const members = pairs.map((p) => (p[i] >= 0 ? p[i] : null));
    return { name, members, names: members.map((j, r) => (j === null ? null : names[r][j])) };
  });
  names.forEach((own, r) => {
    if (r === 0) return;
    const paired = new Set(pairs[r].filter((j) => j >= 0));
    own.forEach((name, j) => {
      if (paired.has(j)) return;
      const members = names.map((_, q) => (q === r ? j : null));
      groups.push({ name, members, names: members.map((x, q) => (x === null ? null : names[q][x])) });
    });
  });
  return groups;
}

/**
 * ColorOptions.vmNames for run r of a comparison: slot g holds the run's VM (by its grouping name) of
 * group g, so VMs paired across runs share a colour slot; an empty slot gets a name no VM has.
 */
export function colorVmNames(groups: readonly VmMatchGroup[], runVmNames: readonly string[], r: number): string[] {
  return groups.map((g, i) => {
    const j = g.members[r];
    return j === null || j === undefined ? `\u0000unpaired:${i}` : runVmNames[j];
  });
}

// ---- lining up metrics --------------------------------------------------------

export type Verdict = 'better' | 'worse' | 'same' | 'none';

export interface Difference {
  /** value − reference. */
  abs: number;
  /** (value − reference) / |reference|; null when the reference is 0. */
  rel: number | null;
  verdict: Verdict;
}

export interface CompareRow {
  /** Group index (VM), -1 for host rows. */
  group: number;
  vm: string;
  /** The VM's name in each run (null: none there); absent: `vm` in every run. */
  names?: (string | null)[];
  metric: CompareMetric;
  /** One value per run (null: no such VM in that run, or the metric is null there). */
  values: (number | null)[];
  /** Per run against run 0: null for run 0 and wherever a value is missing. */
  diffs: (Difference | null)[];
}

/** Relative changes smaller than this are "same": no verdict for noise. */
export const SAME_TOLERANCE = 0.01;

export function difference(
  metric: CompareMetric,
  ref: number | null,
  value: number | null,
  tolerance = SAME_TOLERANCE,
): Difference | null {
  if (ref === null || value === null || !Number.isFinite(ref) || !Number.isFinite(value)) return null;
  const abs = value - ref;
  const rel = ref !== 0 ? abs / Math.abs(ref) : null;
  let verdict: Verdict;
  if (metric.direction === null) verdict = 'none';
  else if (abs === 0 || (rel !== null && Math.abs(rel) < tolerance)) verdict = 'same';
  else verdict = abs > 0 === (metric.direction === 'higher') ? 'better' : 'worse';
  return { abs, rel, verdict };
}

function hostValue(m: RunMetrics, key: string): number | null {
  if (key === 'switchesPerSecPerCpu') return m.switchesPerSecPerCpu;
  if (key === 'idleFraction') {
    const xs = m.perCpu.map((c) => c.idleFraction).filter((x): x is number => x !== null);
    return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  }
  return null;
}

/** One row per VM group × metric (then the host rows), values per run and differences against run 0. */
export function compareRuns(
  metrics: readonly RunMetrics[],
  groups: readonly VmMatchGroup[],
  options: { tolerance?: number } = {},
): CompareRow[] {
  const rows: CompareRow[] = [];
  const diffsOf = (metric: CompareMetric, values: (number | null)[]): (Difference | null)[] =>
    values.map((v, r) => (r === 0 ? null : difference(metric, values[0], v, options.tolerance)));
  groups.forEach((g, gi) => {
    for (const metric of VM_COMPARE_METRICS) {
      const values = metrics.map((m, r) => {
        const j = g.members[r];
        if (j === null || j === undefined) return null;
        const v = m.vms[j]?.[metric.key as VmKey];
        return typeof v === 'number' ? v : null;
      });
      rows.push({ group: gi, vm: g.name, names: g.names, metric, values, diffs: diffsOf(metric, values) });
    }
  });
  for (const metric of HOST_COMPARE_METRICS) {
    const values = metrics.map((m) => hostValue(m, metric.key));
    rows.push({
      group: -1,
      vm: HOST_ROW,
      names: metrics.map(() => HOST_ROW),
      metric,
      values,
      diffs: diffsOf(metric, values),
    });
  }
  return rows;
}

// ---- the summary --------------------------------------------------------------

interface MetricChange {
  metric: CompareMetric;
  better: number;
  worse: number;
  same: number;
  /** Mean change over the VMs that have a difference (a change from 0 counts as ±100%). */
  meanRel: number;
  /** Whether every difference had a relative change (so the mean is a mean of percentages). */
  allRel: boolean;
  /** The VM with the largest change. */
  top: { vm: string; rank: number; rel: number | null; abs: number; from: number; to: number } | null;
}

/** A change's size for ranking: relative, or ±1 for a change from 0. */
const rankOf = (d: Difference): number => d.rel ?? (d.abs === 0 ? 0 : Math.sign(d.abs));

function changesFor(rows: readonly CompareRow[], r: number): MetricChange[] {
  const byMetric = new Map<string, MetricChange & { ranks: number[] }>();
  for (const row of rows) {
    const d = row.diffs[r];
    if (!d) continue;
    let c = byMetric.get(row.metric.key);
    if (!c) {
      c = { metric: row.metric, better: 0, worse: 0, same: 0, meanRel: 0, allRel: true, top: null, ranks: [] };
      byMetric.set(row.metric.key, c);
    }
    if (d.verdict === 'better') c.better++;
    else if (d.verdict === 'worse') c.worse++;
    else if (d.verdict === 'same') c.same++;
    const rank = rankOf(d);
    c.ranks.push(rank);
    if (d.rel === null && d.abs !== 0) c.allRel = false;
    // Largest change; ties (e.g. two changes from 0) go to the larger absolute one.
    const t = c.top;
    if (
      !t ||
      Math.abs(rank) > Math.abs(t.rank) ||
      (Math.abs(rank) === Math.abs(t.rank) && Math.abs(d.abs) > Math.abs(t.abs))
    )
      c.top = { vm: row.vm, rank, rel: d.rel, abs: d.abs, from: row.values[0]!, to: row.values[r]! };
  }
  return [...byMetric.values()].map(({ ranks, ...c }) => ({
    ...c,
    meanRel: ranks.length > 0 ? ranks.reduce((a, b) => a + b, 0) / ranks.length : 0,
  }));
}

/** A metric's value for the summary: fractions as percentages, µs with their unit. */
function valueText(m: CompareMetric, x: number): string {
  if (m.percent) return `${shortNumber(x * 100)}%`;
  return m.unit === 'µs' ? `${shortNumber(x)} µs` : shortNumber(x);
}

function changeText(c: MetricChange): string {
  if (!c.top) return '';
  const { vm, from, to, rel } = c.top;
  const where = c.metric.scope === 'host' ? '' : `${vm} `;
  return `${where}${valueText(c.metric, from)} → ${valueText(c.metric, to)}${rel !== null ? `, ${signedPct(rel)}` : ''}`;
}

/**
 * One plain paragraph per compared run (against run 0): the directional metrics that changed most
 * (those that moved the same way in every VM first, then by the mean change; how many VMs got better
 * or worse, the mean and the largest change), then the largest change among metrics without a
 * verdict. Plain text: labels and VM names stay text.
 */
export function summarizeComparison(rows: readonly CompareRow[], labels: readonly string[], maxItems = 3): string {
  if (labels.length < 2) return '';
  const parts: string[] = [];
  for (let r = 1; r < labels.length; r++) {
    const changes = changesFor(rows, r);
    const consistent = (c: MetricChange): number => (c.better > 0 !== c.worse > 0 ? 1 : 0);
    const directional = changes
      .filter((c) => c.metric.direction !== null && c.better + c.worse > 0)
      .sort((a, b) => consistent(b) - consistent(a) || Math.abs(b.meanRel) - Math.abs(a.meanRel));
    const phrases = directional.slice(0, maxItems).map((c) => {
      const n = c.better + c.worse + c.same;
      const some = (k: number): string =>
        k === n ? (n === 1 ? 'the VM' : n === 2 ? 'both VMs' : `all ${n} VMs`) : `${k} of ${n} VMs`;
      const side =
        c.better > 0 && c.worse === 0
          ? `better in ${some(c.better)}`
          : c.worse > 0 && c.better === 0
            ? `worse in ${some(c.worse)}`
            : `better in ${c.better} and worse in ${c.worse} of ${n} VMs`;
      const mean = c.allRel && n > 1 ? `mean ${signedPct(c.meanRel)}; ` : '';
      return `${c.metric.label} ${side} (${mean}${changeText(c)})`;
    });
    const neutral = changes
      .filter((c) => c.metric.direction === null && c.top !== null && Math.abs(c.top.rank) >= SAME_TOLERANCE)
      .sort((a, b) => Math.abs(b.top!.rank) - Math.abs(a.top!.rank))[0];
    let s = `${labels[r]} against ${labels[0]}: `;
    s += phrases.length > 0 ? `${phrases.join('; ')}.` : 'no metric with a direction changed by more than 1%.';
    if (neutral) s += ` Without a verdict, ${neutral.metric.label} changed most: ${changeText(neutral)}.`;
    parts.push(s);
  }
  return parts.join(' ');
}
