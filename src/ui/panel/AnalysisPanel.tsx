// The analysis panel of a pane: the engine's numbers for the pane's time range
// (the map's Shift+drag selection, or typed) and visible CPUs, computed in the
// model worker and memoised per run + range + CPUs. It says which range it
// covers; a selection also gets the time per VM and per task; the pinned vCPU
// gets the lock-holder-preemption view; markers A and B give a time
// difference; exports go to CSV, JSON and PNG.

import { useEffect, useMemo, type ReactNode } from 'react';
import { runKey, runLabel, useAppStore } from '../appStore';
import { MARKER_COLORS } from '../../render/mapMarks';
import { usePane, usePaneStore } from '../pane/PaneContext';
import type { AnalysisJob } from '../../worker/protocol';
import { AntagonistView } from './AntagonistView';
import { metricsJson, vmTableCsv } from '../../analysis/metricsExport';
import { canvasPng, download, safeFileName } from './exportData';
import { cpuListText, parseCpuList } from '../../model/cpuList';
import { DASH, ns, parseSeconds, sec, secondsField } from '../../model/format';
import { CoRunHistograms, SliceHistograms } from './Histograms';
import { HostCpus } from './HostCpus';
import { NodeMemoryTable } from './NodeMemoryTable';
import { NodeTable } from './NodeTable';
import type { PanelResult } from '../../analysis/panel';
import { SelectionTables } from './SelectionTables';
import { useJob, usePanelResults } from './useJob';
import { histogramAxes, type HistogramAxes } from '../../analysis/histogramAxes';
import { usePanelQuery, useVmColors, useVmNames } from './usePaneBits';
import { VmTable } from './VmTable';

function Section({
  title,
  note,
  children,
  testId,
}: {
  title: string;
  note?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <details className="panel-section" open data-testid={testId}>
      <summary>
        <h4>{title}</h4>
        {note && <span className="muted section-note">{note}</span>}
      </summary>
      {children}
    </details>
  );
}

function RangeControls() {
  const store = usePaneStore();
  const run = usePane((s) => s.run);
  const selection = usePane((s) => s.selection);
  const hiddenCpus = usePane((s) => s.hiddenCpus);
  const rangeKey = selection ? `${Math.round(selection.start)}:${Math.round(selection.end)}` : 'all';
  const cpus = run.model.cpus;
  const visible = cpus.filter((c) => !hiddenCpus.has(c));
  const apply = (form: HTMLFormElement): void => {
    const a = parseSeconds((form.elements.namedItem('from') as HTMLInputElement).value);
    const b = parseSeconds((form.elements.namedItem('to') as HTMLInputElement).value);
    if (a !== null && b !== null && b > a) store.getState().setSelection({ start: a, end: b });
  };
  const applyCpus = (text: string): void => {
    const t = text.trim().toLowerCase();
    if (t === '' || t === 'all') return store.getState().setHiddenCpus(new Set());
    const list = parseCpuList(t);
    if (!list) return;
    const keep = new Set(list.filter((c) => cpus.includes(c)));
    if (keep.size === 0) return;
    store.getState().setHiddenCpus(new Set(cpus.filter((c) => !keep.has(c))));
  };
  return (
    <div className="range-controls">
      <form
        key={rangeKey}
        onSubmit={(e) => {
          e.preventDefault();
          apply(e.currentTarget);
        }}
      >
        <label>
          range{' '}
          <input
            name="from"
            data-testid="range-start"
            size={12}
            placeholder="from (s)"
            defaultValue={selection ? secondsField(selection.start) : ''}
          />
        </label>
        <label>
          –{' '}
          <input
            name="to"
            data-testid="range-end"
            size={12}
            placeholder="to (s)"
            defaultValue={selection ? secondsField(selection.end) : ''}
          />
        </label>{' '}
        <button type="submit" data-testid="range-apply">
          Apply
        </button>
        <button
          type="button"
          data-testid="range-clear"
          disabled={!selection}
          onClick={() => store.getState().setSelection(null)}
          title="Analyse the whole trace (Esc on the map clears too)"
        >
          Whole trace
        </button>
      </form>
      <label className="cpu-filter" title="CPUs shown on the map and analysed, e.g. 0-3,8">
        CPUs{' '}
        <input
          key={visible.join(',')}
          data-testid="cpu-filter"
          size={10}
          placeholder="all"
          defaultValue={hiddenCpus.size ? cpuListText(visible) : ''}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applyCpus(e.currentTarget.value);
          }}
          onBlur={(e) => applyCpus(e.currentTarget.value)}
        />
      </label>
    </div>
  );
}

function Markers() {
  const store = usePaneStore();
  const markers = usePane((s) => s.markers);
  const view = usePane((s) => s.view);
  const { a, b } = markers;
  const delta = a !== null && b !== null ? b - a : null;
  const drop = (which: 'a' | 'b'): void => store.getState().setMarker(which, Math.round((view.start + view.end) / 2));
  return (
    <div className="markers" data-testid="markers">
      <span className="marker-chip" style={{ borderColor: MARKER_COLORS.a }} data-testid="marker-a" data-t={a ?? ''}>
        A {a !== null ? sec(a) : DASH}
      </span>
      <span className="marker-chip" style={{ borderColor: MARKER_COLORS.b }} data-testid="marker-b" data-t={b ?? ''}>
        B {b !== null ? sec(b) : DASH}
      </span>
      <span data-testid="marker-delta" data-delta-ns={delta ?? ''}>
        B − A = <strong>{delta !== null ? `${delta < 0 ? '−' : ''}${ns(Math.abs(delta))}` : DASH}</strong>
      </span>
      <span className="muted">press [ or ] over the map to drop A or B at the cursor</span>
      <button onClick={() => drop('a')} title="Drop A in the middle of the window">
        A here
      </button>
      <button onClick={() => drop('b')} title="Drop B in the middle of the window">
        B here
      </button>
      <button
        disabled={delta === null || delta === 0}
        onClick={() => {
          if (a !== null && b !== null) store.getState().setSelection({ start: Math.min(a, b), end: Math.max(a, b) });
        }}
      >
        analyse A–B
      </button>
      <button
        disabled={a === null && b === null}
        onClick={() => {
          store.getState().setMarker('a', null);
          store.getState().setMarker('b', null);
        }}
      >
        clear
      </button>
    </div>
  );
}

/**
 * The small multiples' axes: this run's, or, when runs are compared, shared with every run's current
 * result (read from the memo), so side-by-side histograms read on the same scales.
 */
function useSharedAxes(result: PanelResult | undefined): HistogramAxes | null {
  const runs = useAppStore((s) => s.runs);
  const panes = useAppStore((s) => s.panes);
  const others = usePanelResults(
    runs,
    runs.map((r) => panes[runKey(r)]?.query ?? null),
  );
  if (!result) return null;
  const all = runs.length > 1 ? [result, ...others.filter((o): o is PanelResult => o !== undefined)] : [result];
  return histogramAxes(all);
}

export function AnalysisPanel() {
  const run = usePane((s) => s.run);
  const paneId = usePane((s) => s.paneId);
  const mapSnapshot = usePane((s) => s.mapSnapshot);
  const labels = useAppStore((s) => s.labels);
  const publish = useAppStore((s) => s.publish);
  const query = usePanelQuery();
  const names = useVmNames();
  const colors = useVmColors();
  const job = useMemo<AnalysisJob>(() => ({ kind: 'panel', query }), [query]);
  const { value: result, loading, error } = useJob<PanelResult>(run, job, `${paneId}:panel`, 120);
  const axes = useSharedAxes(result);

  // The comparison follows the query (and reads its result from the memo).
  useEffect(() => {
    if (paneId) publish(paneId, { query });
  }, [query, paneId, publish]);

  const label = runLabel(labels, run);
  const w = result?.metrics.window;
  const covers = result ? (
    <>
      {result.query.range ? 'selection' : 'whole trace'} {sec(w!.startUs * 1000)} – {sec(w!.endUs * 1000)} (
      {ns(w!.durationUs * 1000)}) ·{' '}
      {result.query.cpus
        ? `CPUs ${cpuListText(result.query.cpus)} of ${run.model.cpus.length}`
        : `all ${run.model.cpus.length} CPUs`}
    </>
  ) : null;

  return (
    <section
      className="analysis-panel"
      data-testid="analysis-panel"
      data-state={loading || !result ? 'loading' : 'ready'}
      data-range-start-ns={result?.query.range ? result.query.range[0] : ''}
      data-range-end-ns={result?.query.range ? result.query.range[1] : ''}
      data-cpus={result?.query.cpus ? result.query.cpus.join(',') : 'all'}
    >
      <header className="panel-head">
        <h3>Analysis</h3>
        <span className="covers" data-testid="analysis-range">
          {covers ?? 'computing…'}
          {loading && result && <span className="updating"> · updating…</span>}
        </span>
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
        <span className="export-buttons">
          <button
            data-testid="export-csv"
            disabled={!result}
            title="The VM table (and its vCPU rows) as CSV"
            onClick={() => {
              if (!result) return;
              download(
                new Blob([vmTableCsv(result.metrics, names, result.topology, label)], { type: 'text/csv' }),
                `${safeFileName(label)}-vms.csv`,
              );
            }}
          >
            CSV
          </button>
          <button
            data-testid="export-json"
            disabled={!result}
            title="Every metric of this window as JSON"
            onClick={() => {
              if (!result) return;
              const json = metricsJson(result, {
                file: run.name,
                label,
                vmNames: names,
                recordedOn: run.model.recordedOn,
              });
              download(new Blob([json], { type: 'application/json' }), `${safeFileName(label)}-metrics.json`);
            }}
          >
            JSON
          </button>
          <button
            data-testid="export-png"
            disabled={!mapSnapshot}
            title="The map as it is on screen, as PNG"
            onClick={async () => {
              const canvas = mapSnapshot?.();
              const blob = canvas ? await canvasPng(canvas) : null;
              if (blob) download(blob, `${safeFileName(label)}-map.png`);
            }}
          >
            PNG
          </button>
        </span>
      </header>
      <RangeControls />
      <Markers />
      {result && (
        <div className={loading ? 'panel-body stale' : 'panel-body'}>
          <Section title="VMs" note="click a column to sort, ▸ for its vCPUs; full values in each cell's tooltip">
            <VmTable
              metrics={result.metrics}
              names={names}
              colors={colors}
              topology={result.topology}
              withMemory={!!run.memory}
            />
          </Section>
          {result.topology ? (
            <Section
              title="NUMA nodes"
              note={`busy fraction of each node's CPUs and the VMs that ran there (${result.topology.topology.source})`}
              testId="node-section"
            >
              <NodeTable topology={result.topology} />
            </Section>
          ) : (
            <p className="panel-note muted" data-testid="panel-topology-unknown">
              {run.topologyError
                ? `Topology not applied: ${run.topologyError}`
                : 'Topology unknown — drop an lscpu -p file of this host for NUMA node and SMT numbers.'}
            </p>
          )}
          {run.memory && (
            <Section
              title="Memory per node"
              note={`${run.memory.files.join(', ')}: one snapshot; the VM table's bars show each VM's memory per node over its vCPU run time per node`}
              testId="memory-section"
            >
              {!result.topology && (
                <p className="panel-note muted">
                  Run next to memory and the VM bars need the host topology: drop `lscpu -p` or `numactl -H`.
                </p>
              )}
              <NodeMemoryTable memory={run.memory} />
            </Section>
          )}
          {result.selection && (
            <Section title="Selection" note="CPU time per VM and per task" testId="selection-section">
              <SelectionTables sel={result.selection} names={names} colors={colors} />
            </Section>
          )}
          <Section
            title="Run-slice lengths"
            note="log axis, share of each VM's slices; dashed: median. Hover a bar to mark its slices on the map"
          >
            <SliceHistograms
              axes={axes!}
              hist={result.sliceHist}
              metrics={result.metrics}
              names={names}
              colors={colors}
              query={result.query}
            />
          </Section>
          <Section
            title="vCPUs running at once"
            note="share of the window with r(t) = 0…n of the VM's vCPUs running; white steps: if they ran independently at the same run shares"
          >
            <CoRunHistograms metrics={result.metrics} names={names} colors={colors} axes={axes!} />
          </Section>
          <Section title="Host CPUs" note="click a bar to hide or show that CPU">
            <HostCpus metrics={result.metrics} />
          </Section>
          <Section title="Lock-holder preemption" note="who ran while the pinned vCPU was runnable but not running">
            <AntagonistView query={result.query} names={names} colors={colors} />
          </Section>
        </div>
      )}
    </section>
  );
}
