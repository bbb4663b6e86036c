// `schedmap analyze A B`: the comparison the app shows, as text (and as JSON
// rows): the same VM pairing, rows, units, noise rule, verdicts and summary
// (analysis/compare.ts, analysis/noise.ts).

import {
  compareRuns,
  HOST_ROW,
  matchVms,
  summarizeComparison,
  windowText,
  type CompareRow,
  type Verdict,
} from '../analysis/compare';
import { metricNoise } from '../analysis/noise';
import type { RunReport } from '../analysis/report';
import { analyzeTopology } from '../analysis/topology';
import type { AnalysisOptions } from '../analysis/window';
import { relativeCell, rowFormat } from '../analysis/metricText';
import type { Run } from '../model/runs';

const VERDICT: Record<Verdict, string> = { better: 'better', worse: 'worse', same: '≈ noise', none: '' };

export interface CliComparison {
  labels: string[];
  windows: string[];
  summary: string;
  rows: CompareRow[];
}

/** Compare the runs (the first is the reference) over the window the options give, noise included. */
export function compareForCli(
  runs: readonly Run[],
  reports: readonly RunReport[],
  options: AnalysisOptions,
): CliComparison {
  const labels = reports.map((r) => r.file);
  const groups = matchVms(reports.map((r) => r.vms.map((v) => v.name)));
  const topologies = runs.map((r) => (r.topology ? analyzeTopology(r, r.topology, options) : null));
  const noise = runs.map((r) => metricNoise(r, options));
  const rows = compareRuns(reports, groups, { topologies, noise });
  const windows = reports.map((r) => windowText(r.window));
  return { labels, windows, rows, summary: summarizeComparison(rows, labels, { windows }) };
}

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));
const lpad = (s: string, n: number): string => ' '.repeat(Math.max(0, n - [...s].length)) + s;

/** The comparison table: per VM group and metric, each run's value, then Δ, Δ% and the verdict per other run. */
export function formatComparisonText(c: CliComparison): string {
  const head = ['VM', 'metric', ...c.labels.map((_, i) => `run ${i + 1}`)];
  for (let i = 1; i < c.labels.length; i++) head.push(`Δ ${i + 1}`, `Δ% ${i + 1}`, `verdict ${i + 1}`);
  let lastGroup: number | null = null;
  const body = c.rows.map((r) => {
    const f = rowFormat(r.metric.unit, r.values);
    const names = [...new Set((r.names ?? [r.vm]).filter((n): n is string => n !== null))];
    const vm = r.group === lastGroup ? '' : r.vm === HOST_ROW ? HOST_ROW : names.join(' ↔ ');
    lastGroup = r.group;
    const cells = [vm, r.metric.label, ...r.values.map((v) => f.value(v))];
    for (const d of r.diffs.slice(1))
      cells.push(d ? f.delta(d.abs) : '', d ? relativeCell(r.metric.unit, d.rel) : '', d ? VERDICT[d.verdict] : '');
    return cells;
  });
  const widths = head.map((h, i) => Math.max([...h].length, ...body.map((row) => [...row[i]].length)));
  const line = (cells: string[]): string =>
    '  ' +
    cells
      .map((x, i) =>
        i < 2 || (i >= 2 + c.labels.length && (i - 2 - c.labels.length) % 3 === 2)
          ? pad(x, widths[i])
          : lpad(x, widths[i]),
      )
      .join('  ')
      .trimEnd();
  const out = ['comparison (run 1 is the reference):'];
  c.labels.forEach((l, i) => out.push(`  run ${i + 1}: ${l}, window ${c.windows[i]}`));
  out.push(
    '  better/worse only where a direction applies and the difference exceeds twice the larger standard error of',
    '  the two runs (10 sub-windows each); "≈ noise" within it. Rows without a value in any run are left out.',
    '',
    line(head),
    ...body.map(line),
    '',
    `  ${c.summary}`,
  );
  return out.join('\n');
}

/** The comparison in `--json`: rows by VM and metric key, with values, standard errors and differences. */
export function comparisonJson(c: CliComparison): object {
  return {
    labels: c.labels,
    windows: c.windows,
    summary: c.summary,
    rows: c.rows.map((r) => ({
      vm: r.vm,
      names: r.names ?? null,
      metric: r.metric.key,
      label: r.metric.label,
      unit: r.metric.unit,
      values: r.values,
      standardErrors: r.errors,
      diffs: r.diffs,
    })),
  };
}
