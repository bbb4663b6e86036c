// The comparison of two or more runs: layout and view lock, a one-paragraph
// summary of the biggest changes, the VM pairing (re-pairable), and the table
// of every metric per VM and per run with absolute and relative differences
// against the first run and better/worse marks where the metric has a
// direction. Labels and VM names are untrusted text: React text only.

import { useState } from 'react';
import { compareRuns, summarizeComparison, windowText, type CompareRow, type Verdict } from '../../analysis/compare';
import { judgeText } from '../../analysis/catalogue';
import { relativeCell, rowFormat } from '../../analysis/metricText';
import type { RunMetrics } from '../../analysis/metrics';
import { runKey, runLabel, useAppStore } from '../appStore';
import { Segmented } from '../Segmented';
import { useNoiseResults, usePanelResults } from '../panel/useJob';
import { cpuListText } from '../../model/cpuList';
import { attr, ns, sec } from '../../model/format';
import { applyLockExtent, syncSelectionFrom, syncViewsFrom } from './viewLock';
import { useVmGroups } from './useComparison';

const VERDICT_TEXT: Record<Verdict, string> = { better: '▲ better', worse: '▼ worse', same: '≈ noise', none: '' };

export function CompareBar() {
  const layout = useAppStore((s) => s.layout);
  const setLayout = useAppStore((s) => s.setLayout);
  const lockViews = useAppStore((s) => s.lockViews);
  const setLockViews = useAppStore((s) => s.setLockViews);
  const runs = useAppStore((s) => s.runs);
  const labels = useAppStore((s) => s.labels);
  return (
    <div className="compare-bar" data-testid="compare-bar">
      <strong>Comparing {runs.length} runs</strong>
      <span className="muted">{runs.map((r) => runLabel(labels, r)).join(' · ')}</span>
      <Segmented
        label="Layout"
        value={layout}
        onChange={setLayout}
        options={[
          { value: 'side', text: 'side by side', testId: 'layout-side' },
          { value: 'stacked', text: 'stacked', testId: 'layout-stacked' },
        ]}
      />
      <label title="Zoom, pan and ranges of every map together, by time from each trace's first event (past a shorter trace's end its pane is empty)">
        <input
          type="checkbox"
          data-testid="lock-views"
          checked={lockViews}
          onChange={(e) => {
            setLockViews(e.target.checked);
            applyLockExtent(e.target.checked);
            const first = runs[0] ? runKey(runs[0]) : null;
            if (e.target.checked && first !== null && first in useAppStore.getState().paneStores) {
              syncViewsFrom(first);
              syncSelectionFrom(first);
            }
          }}
        />{' '}
        lock zoom and pan
      </label>
    </div>
  );
}

/** Which window each run's numbers cover: each pane's own range and CPUs. */
function CompareWindows() {
  const runs = useAppStore((s) => s.runs);
  const panes = useAppStore((s) => s.panes);
  const labelMap = useAppStore((s) => s.labels);
  const results = usePanelResults(
    runs,
    runs.map((r) => panes[runKey(r)]?.query ?? null),
  );
  return (
    <p className="compare-windows muted" data-testid="compare-windows">
      Each run as its panel shows it:{' '}
      {runs.map((r, i) => {
        const w = results[i]?.metrics.window;
        const q = results[i]?.query;
        const text = !w
          ? 'computing…'
          : `${q?.range ? `selection ${sec(w.startUs * 1000)} – ${sec(w.endUs * 1000)}` : 'whole trace'} (${ns(w.durationUs * 1000)}), ${q?.cpus ? `CPUs ${cpuListText(q.cpus)}` : 'all CPUs'}`;
        return (
          <span key={runKey(r)}>
            {i > 0 ? ' · ' : ''}
            <strong>{runLabel(labelMap, r)}</strong> {text}
          </span>
        );
      })}
      . Select a range in a pane to compare steady states.
    </p>
  );
}

function useCompareRows(): {
  rows: CompareRow[] | null;
  labels: string[];
  windows: string[];
  ready: boolean;
  noiseReady: boolean;
} {
  const { runs, groups } = useVmGroups();
  const panes = useAppStore((s) => s.panes);
  const labelMap = useAppStore((s) => s.labels);
  const queries = runs.map((r) => panes[runKey(r)]?.query ?? null);
  const results = usePanelResults(runs, queries);
  const noise = useNoiseResults(runs, queries);
  const metrics = results.map((res) => res?.metrics ?? null);
  const ready = metrics.every((m) => m !== null);
  const labels = runs.map((r) => runLabel(labelMap, r));
  const windows = metrics.map((m) => (m ? windowText(m.window) : ''));
  // Cheap (VMs × metrics): no memo needed.
  // Topology rows (node spread, home node, …, per node) when some run has a topology; nulls for the others.
  const topologies = runs.map((r, i) => (r.topology ? (results[i]?.topology ?? null) : null));
  // Verdicts only beyond each run's noise; until it is estimated, none.
  const rows = ready ? compareRuns(metrics as RunMetrics[], groups, { topologies, noise }) : null;
  return { rows, labels, windows, ready, noiseReady: noise.every((n) => n !== null) };
}

export function CompareSummary() {
  const { rows, labels, windows, noiseReady } = useCompareRows();
  const text = !rows
    ? 'Computing…'
    : !noiseReady
      ? `${summarizeComparison(rows, labels, { windows })} (Estimating each run's noise for the verdicts…)`
      : summarizeComparison(rows, labels, { windows });
  return (
    <p className="compare-summary" data-testid="compare-summary">
      {text}
    </p>
  );
}

function Pairing() {
  const { runs, names, groups } = useVmGroups();
  const labelMap = useAppStore((s) => s.labels);
  const setPair = useAppStore((s) => s.setPair);
  const pairOverrides = useAppStore((s) => s.pairOverrides);
  const ref = names[0] ?? [];
  return (
    <details className="pairing" data-testid="pairing">
      <summary>
        VM pairing <span className="muted">(by name, else by order; change it here)</span>
      </summary>
      <table className="small-table">
        <thead>
          <tr>
            <th>{runs[0] ? runLabel(labelMap, runs[0]) : ''}</th>
            {runs.slice(1).map((r) => (
              <th key={runKey(r)}>
                {runLabel(labelMap, r)}{' '}
                {pairOverrides[runKey(r)] && (
                  <button className="link" onClick={() => setPair(runKey(r), null)}>
                    reset
                  </button>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ref.map((name, i) => (
            <tr key={i}>
              <td>{name}</td>
              {runs.slice(1).map((r, k) => {
                const ri = k + 1;
                const g = groups[i];
                const cur = g?.members[ri] ?? null;
                return (
                  <td key={runKey(r)}>
                    <select
                      data-testid="pair-select"
                      data-run={ri}
                      data-ref-vm={i}
                      aria-label={`VM of ${runLabel(labelMap, r)} paired with ${name}`}
                      value={cur === null ? '-1' : String(cur)}
                      onChange={(e) => setPair(runKey(r), i, Number(e.target.value))}
                    >
                      <option value="-1">(none)</option>
                      {names[ri].map((n, j) => (
                        <option key={j} value={j}>
                          {n}
                        </option>
                      ))}
                    </select>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

type Filter = 'all' | 'verdict' | 'changed';

export function CompareTable() {
  const { rows, labels, noiseReady } = useCompareRows();
  const [filter, setFilter] = useState<Filter>('all');
  if (!rows) return <p className="panel-note">Computing the runs' metrics…</p>;
  const shown = rows.filter((r) =>
    filter === 'all'
      ? true
      : filter === 'verdict'
        ? r.diffs.some((d) => d?.direction)
        : r.diffs.some(
            (d) =>
              d &&
              (d.verdict === 'better' ||
                d.verdict === 'worse' ||
                (d.verdict === 'none' && d.rel !== null && Math.abs(d.rel) >= 0.01)),
          ),
  );
  const others = labels.slice(1);
  let lastGroup: number | null = null;
  return (
    <div className="compare-table-wrap">
      <CompareWindows />
      <Pairing />
      <div className="compare-filter">
        show{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} aria-label="Rows shown">
          <option value="all">every metric</option>
          <option value="verdict">metrics with a direction</option>
          <option value="changed">changes of 1% or more</option>
        </select>
        <span className="muted" data-testid="verdict-rule">
          {' '}
          Δ against {labels[0]}; ▲/▼ only where higher or lower is better and the difference exceeds twice the larger
          standard error of the two runs (10 sub-windows each); ≈ within that noise
          {noiseReady ? '' : ' (estimating the noise…)'}
        </span>
      </div>
      <div className="table-scroll">
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th>VM</th>
              <th>metric</th>
              {labels.map((l, i) => (
                <th key={i} className="num">
                  {l}
                </th>
              ))}
              {others.map((l, i) => (
                <th key={`d${i}`} colSpan={3} className="num">
                  Δ {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const newGroup = r.group !== lastGroup;
              lastGroup = r.group;
              const names = r.names ?? r.values.map(() => r.vm);
              const distinct = [...new Set(names.filter((n): n is string => n !== null))];
              // One unit for the whole row: its values and its differences.
              const f = rowFormat(r.metric.unit, r.values);
              const direction = r.diffs[1]?.direction ?? null;
              return (
                <tr
                  key={`${r.group}:${r.metric.key}`}
                  data-testid="compare-row"
                  data-vm-name={r.vm}
                  data-vm-names={JSON.stringify(names)}
                  data-metric={r.metric.key}
                  data-direction={direction ?? 'none'}
                  data-judge={r.metric.judge.kind}
                  data-values={JSON.stringify(r.values)}
                  data-abs={attr(r.diffs[1]?.abs ?? null)}
                  data-rel={attr(r.diffs[1]?.rel ?? null)}
                  data-verdict={r.diffs[1]?.verdict ?? ''}
                  data-verdicts={JSON.stringify(r.diffs.slice(1).map((d) => d?.verdict ?? null))}
                  data-errors={JSON.stringify(r.errors)}
                  className={newGroup ? 'group-start' : undefined}
                >
                  <td className="vm-cell" title={distinct.join(' ↔ ')}>
                    {newGroup ? distinct.join(' ↔ ') : ''}
                  </td>
                  <td title={`${r.metric.description} ${judgeText(r.metric.judge)}.`}>{r.metric.label}</td>
                  {r.values.map((v, i) => (
                    <td
                      key={i}
                      className="num"
                      title={
                        v === null
                          ? undefined
                          : `${v}${r.errors[i] !== null ? ` (standard error ${f.delta(r.errors[i]!).slice(1)})` : ''}`
                      }
                    >
                      {f.value(v)}
                    </td>
                  ))}
                  {r.diffs.slice(1).flatMap((d, i) => [
                    <td key={`a${i}`} className="num">
                      {d ? f.delta(d.abs) : ''}
                    </td>,
                    <td key={`r${i}`} className="num">
                      {d ? relativeCell(r.metric.unit, d.rel) : ''}
                    </td>,
                    <td
                      key={`v${i}`}
                      className={`verdict verdict-${d?.verdict ?? 'none'}`}
                      title={d && d.noise !== null ? `noise bound ±${f.delta(d.noise).slice(1)}` : undefined}
                      data-noise={attr(d?.noise ?? null)}
                    >
                      {d ? VERDICT_TEXT[d.verdict] : ''}
                    </td>,
                  ])}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
