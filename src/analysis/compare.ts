// Comparing runs (PLE on vs off, patched vs stock): match VMs across runs,
// line up each catalogue metric (catalogue.ts) per VM and per run, take absolute
// and relative differences against the reference run (the first), mark better /
// worse only where the metric's judge gives a direction, and say in one
// paragraph what changed most. Pure functions over RunMetrics (analyzeRun's
// output): the UI, the CLI and tests share them.

import type { RunMetrics } from './metrics';
import type { MetricNoise } from './noise';
import type { TopologyMetrics } from './topology';
import {
  directionOf,
  hasBalancing,
  hostMetricsFor,
  nodesOf,
  vmMetricsFor,
  type Direction,
  type JudgeContext,
  type MetricDef,
} from './catalogue';
import { fixed } from '../model/format';
import { relativeText, rowFormat } from './metricText';

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
  /**
   * The noise bound the difference was held against: 2 × the larger standard error of the two runs; null
   * without noise estimates (then the relative tolerance decides) or where neither run has one.
   */
  noise: number | null;
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
  /** Per run: the standard error of its value (noise.ts); null where unknown or not estimated. */
  errors: (number | null)[];
  /** Per run against run 0: null for run 0 and wherever a value is missing. */
  diffs: (Difference | null)[];
}

/** Without noise estimates: relative changes smaller than this are "same". */
export const SAME_TOLERANCE = 0.01;

/**
 * When two values count as the same: within a relative tolerance, or, with the runs' noise estimated
 * (standard errors of each run's value), within twice the larger standard error; `errors: null` on one
 * side means that run's noise is unknown.
 */
export type SameRule = { tolerance: number } | { errors: [number | null, number | null] };

const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** The noise bound of a rule: 2 × max(SE); null for a tolerance rule or when neither SE is known. */
function noiseBound(rule: SameRule): number | null {
  if ('tolerance' in rule) return null;
  const known = rule.errors.filter(finite);
  return known.length > 0 ? 2 * Math.max(...known) : null;
}

/** Whether two values are the same under the rule: true, false, or null (the noise is unknown). */
export function isSame(ref: number | null, value: number | null, rule: SameRule): boolean | null {
  if (!finite(ref) || !finite(value)) return false;
  const abs = value - ref;
  if ('tolerance' in rule) return abs === 0 || (ref !== 0 && Math.abs(abs / ref) < rule.tolerance);
  const bound = noiseBound(rule);
  return bound === null ? null : Math.abs(abs) <= bound;
}

export function difference(
  direction: Direction | null,
  ref: number | null,
  value: number | null,
  rule: SameRule = { tolerance: SAME_TOLERANCE },
): Difference | null {
  if (!finite(ref) || !finite(value)) return null;
  const abs = value - ref;
  const rel = ref !== 0 ? abs / Math.abs(ref) : null;
  const same = direction === null ? null : isSame(ref, value, rule);
  let verdict: Verdict;
  // No verdict without a direction, or when the noise is unknown.
  if (direction === null || same === null) verdict = 'none';
  else if (same) verdict = 'same';
  else verdict = abs > 0 === (direction === 'higher') ? 'better' : 'worse';
  return { abs, rel, direction, noise: noiseBound(rule), verdict };
}

/** Values (or standard errors) of one VM group (or the host) per metric key and run. */
type ByKey = Map<string, (number | null)[]>;

function rowsOf(
  defs: readonly CompareMetric[],
  values: ByKey,
  errors: ByKey | null,
  vcpus: (number | null)[],
  base: Pick<CompareRow, 'group' | 'vm' | 'names'>,
  tolerance: number,
): CompareRow[] {
  const rows: CompareRow[] = [];
  const ruleFor = (key: string, r: number): SameRule => {
    if (!errors) return { tolerance };
    const e = errors.get(key);
    return { errors: [e?.[0] ?? null, e?.[r] ?? null] };
  };
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
          return o !== undefined && isSame(o[0], o[r], ruleFor(key, r)) === true;
        },
      };
      return difference(directionOf(metric.judge, ctx), vs[0], v, ruleFor(metric.key, r));
    });
    const errs = errors?.get(metric.key) ?? vs.map(() => null);
    rows.push({ ...base, metric, values: vs, errors: errs, diffs });
  }
  return rows;
}

export interface CompareOptions {
  /** Without `noise`: relative changes below this are "same" (default SAME_TOLERANCE). */
  tolerance?: number;
  /** Each run's topology numbers for the same window (null: that run has none); adds the topology metrics. */
  topologies?: readonly (TopologyMetrics | null)[];
  /**
   * Each run's noise over the same window (metricNoise). Given: a difference is marked only when it exceeds
   * twice the larger of the two runs' standard errors; a run without an estimate (null) leaves it unmarked.
   */
  noise?: readonly (MetricNoise | null)[];
}

const valueOf = (x: number | null | undefined): number | null => (typeof x === 'number' ? x : null);

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
  const noise = options.noise ?? null;
  const tolerance = options.tolerance ?? SAME_TOLERANCE;
  const defs = vmMetricsFor(
    topologies.some((t) => t !== null && t !== undefined),
    nodesOf(topologies),
    hasBalancing(topologies),
  );
  const rows: CompareRow[] = [];
  groups.forEach((g, gi) => {
    const member = (r: number): number | null => g.members[r] ?? null;
    const values: ByKey = new Map();
    const errors: ByKey | null = noise ? new Map() : null;
    const vcpus = metrics.map((m, r) => {
      const j = member(r);
      return j === null ? null : (m.vms[j]?.vcpuCount ?? null);
    });
    for (const metric of defs) {
      values.set(
        metric.key,
        metrics.map((m, r) => {
          const j = member(r);
          const vm = j === null ? undefined : m.vms[j];
          return vm ? valueOf(metric.value({ vm, topology: topologies[r]?.vms[j!] ?? null })) : null;
        }),
      );
      errors?.set(
        metric.key,
        metrics.map((_, r) => {
          const j = member(r);
          return j === null ? null : valueOf(noise?.[r]?.vms[j]?.[metric.key]);
        }),
      );
    }
    rows.push(...rowsOf(defs, values, errors, vcpus, { group: gi, vm: g.name, names: g.names }, tolerance));
  });
  const hostDefs = hostMetricsFor(topologies);
  const host: ByKey = new Map(
    hostDefs.map((d) => [d.key, metrics.map((m, r) => d.value({ metrics: m, topology: topologies[r] ?? null }))]),
  );
  const hostErrors: ByKey | null = noise
    ? new Map(hostDefs.map((d) => [d.key, metrics.map((_, r) => valueOf(noise[r]?.host[d.key]))]))
    : null;
  rows.push(
    ...rowsOf(
      hostDefs,
      host,
      hostErrors,
      metrics.map(() => 0),
      { group: -1, vm: HOST_ROW, names: metrics.map(() => HOST_ROW) },
      tolerance,
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
  /** Differences (VMs with a value in both runs). */
  count: number;
  /** Mean change over the VMs that have a difference (a change from 0 counts as ±100%). */
  meanRel: number;
  /** Mean absolute difference. */
  meanAbs: number;
  /** Whether every difference had a relative change (so the mean is a mean of percentages). */
  allRel: boolean;
  /** The VM with the largest change. */
  top: { vm: string; rank: number; rel: number | null; abs: number; from: number; to: number } | null;
}

/** A change's size for ranking: relative, or ±1 for a change from 0; absolute for scores. */
const rankOf = (d: Difference, m: CompareMetric): number =>
  m.unit === 'score' ? d.abs : (d.rel ?? (d.abs === 0 ? 0 : Math.sign(d.abs)));

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
        count: 0,
        meanRel: 0,
        meanAbs: 0,
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
    const rank = rankOf(d, row.metric);
    c.ranks.push(rank);
    c.meanAbs += d.abs;
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
    count: ranks.length,
    meanAbs: ranks.length > 0 ? c.meanAbs / ranks.length : 0,
    meanRel: ranks.length > 0 ? ranks.reduce((a, b) => a + b, 0) / ranks.length : 0,
  }));
}

/** Scores (co-scheduling, gang) near 0 make relative changes meaningless: their changes are absolute. */
const absoluteChange = (c: MetricChange): boolean => c.metric.unit === 'score';

function changeText(c: MetricChange): string {
  if (!c.top) return '';
  const { vm, from, to, rel, abs } = c.top;
  const where = c.metric.scope === 'host' ? '' : `${vm} `;
  // Both values in one unit (the row's).
  const f = rowFormat(c.metric.unit, [from, to]);
  const change = absoluteChange(c) ? `, ${f.delta(abs)}` : rel !== null ? `, ${relativeText(rel)}` : '';
  return `${where}${f.value(from)} → ${f.value(to)}${change}`;
}

/** "mean +12%; " (or a mean absolute change for scores), where there is more than one VM to average. */
function meanText(c: MetricChange): string {
  if (c.count < 2) return '';
  if (absoluteChange(c)) return `mean ${rowFormat(c.metric.unit, []).delta(c.meanAbs)}; `;
  return c.allRel ? `mean ${relativeText(c.meanRel)}; ` : '';
}

/** The metrics the summary leads with (the talk's point), in this order. */
export const SUMMARY_LEAD = ['coScheduling', 'pleExitsPerSec', 'siblingHandoffsPerSec'] as const;
/** Facts the summary states after them, without a verdict. */
export const SUMMARY_FACTS = ['runSliceMedianUs', 'switchInsPerSec'] as const;

const LEAD = new Set<string>(SUMMARY_LEAD);

/** A window as the summary names it: "0.000–1.000 s". */
export function windowText(w: { startUs: number; endUs: number }): string {
  return `${fixed(w.startUs / 1e6, 3)}–${fixed(w.endUs / 1e6, 3)} s`;
}

function phraseOf(c: MetricChange): string {
  const n = c.better + c.worse + c.same;
  const some = (k: number): string =>
    k === n ? (n === 1 ? 'the VM' : n === 2 ? 'both VMs' : `all ${n} VMs`) : `${k} of ${n} VMs`;
  if (n === 0) return `${c.metric.label} without a noise estimate (${changeText(c)})`;
  if (c.better + c.worse === 0) return `${c.metric.label} within noise in ${some(c.same)}`;
  const side =
    c.better > 0 && c.worse === 0
      ? `better in ${some(c.better)}`
      : c.worse > 0 && c.better === 0
        ? `worse in ${some(c.worse)}`
        : `better in ${c.better} and worse in ${c.worse} of ${n} VMs`;
  return `${c.metric.label} ${side} (${meanText(c)}${changeText(c)})`;
}

function factOf(c: MetricChange): string {
  if (c.top && c.top.abs === 0) return `${c.metric.label} unchanged`;
  return `${c.metric.label} ${meanText(c)}${changeText(c)}`;
}

/**
 * One plain paragraph per compared run (against run 0), naming the windows compared: first co-scheduling,
 * PLE exits/s and sibling handoffs/s (how many VMs got better or worse beyond noise, the mean and the
 * largest change, or "within noise"), then up to `maxOthers` other metrics marked better or worse (those
 * that moved the same way in every VM first), then slice length and switch rate as facts without a
 * verdict. Plain text: labels and VM names stay text.
 */
export function summarizeComparison(
  rows: readonly CompareRow[],
  labels: readonly string[],
  options: { windows?: readonly string[]; maxOthers?: number } = {},
): string {
  if (labels.length < 2) return '';
  const maxOthers = options.maxOthers ?? 2;
  const parts: string[] = [];
  for (let r = 1; r < labels.length; r++) {
    const changes = changesFor(rows, r);
    const byKey = new Map(changes.map((c) => [c.metric.key, c]));
    const lead = SUMMARY_LEAD.flatMap((k) => {
      const c = byKey.get(k);
      return c && c.judged > 0 ? [phraseOf(c)] : [];
    });
    const consistent = (c: MetricChange): number => (c.better > 0 !== c.worse > 0 ? 1 : 0);
    const others = changes
      .filter((c) => !LEAD.has(c.metric.key) && c.better + c.worse > 0)
      .sort((a, b) => consistent(b) - consistent(a) || Math.abs(b.meanRel) - Math.abs(a.meanRel))
      .slice(0, maxOthers)
      .map(phraseOf);
    const facts = SUMMARY_FACTS.flatMap((k) => {
      const c = byKey.get(k);
      return c && c.top ? [factOf(c)] : [];
    });
    const w = options.windows;
    let s = `${labels[r]} against ${labels[0]}`;
    if (w && w[r] && w[0]) s += ` (${w[r]} against ${w[0]})`;
    s += ': ';
    const judged = [...lead, ...others];
    s += judged.length > 0 ? `${judged.join('; ')}.` : 'no metric with a verdict to give.';
    if (facts.length > 0) s += ` Without a verdict: ${facts.join('; ')}.`;
    parts.push(s);
  }
  return parts.join(' ');
}
