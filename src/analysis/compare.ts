// Comparing runs (PLE on vs off, patched vs stock): match VMs across runs,
// line up each catalogue metric (catalogue.ts) per VM and per run, take absolute
// and relative differences against the reference run (the first), mark better /
// worse only where the metric's judge gives a direction, and say in one
// paragraph what changed most. Pure functions over RunMetrics (analyzeRun's
// output): the UI, the CLI and tests share them.

import type { RunMetrics } from './metrics';
import type { TopologyMetrics } from './topology';
import {
  directionOf,
  hostMetricsFor,
  vmMetricsFor,
  type Direction,
  type JudgeContext,
  type MetricDef,
} from './catalogue';
import { signedPct } from './format';
import { rowFormat } from './metricText';

/** A comparison row's metric: a catalogue entry (catalogue.ts), or a generated host row (node busy). */
export type CompareMetric = MetricDef;

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
  /** The direction judged by (the metric's judge in this row's context); null: no verdict. */
  direction: Direction | null;
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

/** Whether two values are the same within the tolerance (false when either is missing). */
export function isSame(ref: number | null, value: number | null, tolerance = SAME_TOLERANCE): boolean {
  if (ref === null || value === null || !Number.isFinite(ref) || !Number.isFinite(value)) return false;
  const abs = value - ref;
  return abs === 0 || (ref !== 0 && Math.abs(abs / ref) < tolerance);
}

export function difference(
  direction: Direction | null,
  ref: number | null,
  value: number | null,
  tolerance = SAME_TOLERANCE,
): Difference | null {
  if (ref === null || value === null || !Number.isFinite(ref) || !Number.isFinite(value)) return null;
  const abs = value - ref;
  const rel = ref !== 0 ? abs / Math.abs(ref) : null;
  let verdict: Verdict;
  if (direction === null) verdict = 'none';
  else if (isSame(ref, value, tolerance)) verdict = 'same';
  else verdict = abs > 0 === (direction === 'higher') ? 'better' : 'worse';
  return { abs, rel, direction, verdict };
}

/** Values of one VM group (or the host) per metric key and run, for rows and for context rules. */
type ValuesByKey = Map<string, (number | null)[]>;

function rowsOf(
  defs: readonly CompareMetric[],
  values: ValuesByKey,
  vcpus: (number | null)[],
  base: Pick<CompareRow, 'group' | 'vm' | 'names'>,
  tolerance: number | undefined,
): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const metric of defs) {
    const vs = values.get(metric.key)!;
    // A row with no value in any run says nothing: hidden.
    if (vs.every((v) => v === null)) continue;
    const diffs = vs.map((v, r) => {
      if (r === 0) return null;
      const ctx: JudgeContext = {
        vcpus: [vcpus[0] ?? 0, vcpus[r] ?? 0],
        same: (key) => {
          const o = values.get(key);
          return o !== undefined && isSame(o[0], o[r], tolerance);
        },
      };
      return difference(directionOf(metric.judge, ctx), vs[0], v, tolerance);
    });
    rows.push({ ...base, metric, values: vs, diffs });
  }
  return rows;
}

export interface CompareOptions {
  tolerance?: number;
  /** Each run's topology numbers for the same window (null: that run has none); adds the topology metrics. */
  topologies?: readonly (TopologyMetrics | null)[];
}

/**
 * One row per VM group × catalogue metric (then the host rows), values per run and differences against
 * run 0. Rows without a value in any run are left out.
 */
export function compareRuns(
  metrics: readonly RunMetrics[],
  groups: readonly VmMatchGroup[],
  options: CompareOptions = {},
): CompareRow[] {
  const topologies = options.topologies ?? [];
  const defs = vmMetricsFor(topologies.some((t) => t !== null && t !== undefined));
  const rows: CompareRow[] = [];
  groups.forEach((g, gi) => {
    const values: ValuesByKey = new Map();
    const vcpus = metrics.map((m, r) => {
      const j = g.members[r];
      return j === null || j === undefined ? null : (m.vms[j]?.vcpuCount ?? null);
    });
    for (const metric of defs)
      values.set(
        metric.key,
        metrics.map((m, r) => {
          const j = g.members[r];
          const vm = j === null || j === undefined ? undefined : m.vms[j];
          const v = vm ? metric.value({ vm, topology: topologies[r]?.vms[j!] ?? null }) : null;
          return typeof v === 'number' ? v : null;
        }),
      );
    rows.push(...rowsOf(defs, values, vcpus, { group: gi, vm: g.name, names: g.names }, options.tolerance));
  });
  const hostDefs = hostMetricsFor(topologies);
  const host: ValuesByKey = new Map(
    hostDefs.map((d) => [d.key, metrics.map((m, r) => d.value({ metrics: m, topology: topologies[r] ?? null }))]),
  );
  rows.push(
    ...rowsOf(
      hostDefs,
      host,
      metrics.map(() => 0),
      { group: -1, vm: HOST_ROW, names: metrics.map(() => HOST_ROW) },
      options.tolerance,
    ),
  );
  return rows;
}

// ---- the summary --------------------------------------------------------------

interface MetricChange {
  metric: CompareMetric;
  better: number;
  worse: number;
  same: number;
  /** Differences judged with a direction. */
  judged: number;
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
      c = {
        metric: row.metric,
        better: 0,
        worse: 0,
        same: 0,
        judged: 0,
        meanRel: 0,
        allRel: true,
        top: null,
        ranks: [],
      };
      byMetric.set(row.metric.key, c);
    }
    if (d.direction !== null) c.judged++;
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

function changeText(c: MetricChange): string {
  if (!c.top) return '';
  const { vm, from, to, rel } = c.top;
  const where = c.metric.scope === 'host' ? '' : `${vm} `;
  // Both values in one unit (the row's).
  const f = rowFormat(c.metric.unit, [from, to]);
  return `${where}${f.value(from)} → ${f.value(to)}${rel !== null ? `, ${signedPct(rel)}` : ''}`;
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
      .filter((c) => c.better + c.worse > 0)
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
      .filter(
        (c) => c.judged === 0 && c.metric.unit !== 'count' && c.top !== null && Math.abs(c.top.rank) >= SAME_TOLERANCE,
      )
      .sort((a, b) => Math.abs(b.top!.rank) - Math.abs(a.top!.rank))[0];
    let s = `${labels[r]} against ${labels[0]}: `;
    s += phrases.length > 0 ? `${phrases.join('; ')}.` : 'no metric with a direction changed by more than 1%.';
    if (neutral) s += ` Without a verdict, ${neutral.metric.label} changed most: ${changeText(neutral)}.`;
    parts.push(s);
  }
  return parts.join(' ');
}
