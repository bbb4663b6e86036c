// One run: its label (editable), summary line, legend, map with the switch-rate
// timeline under it and the minimap, the analysis panel and (below) the
// parser's warnings. Everything inside reads this pane's own store. Close and
// replace act on this run alone: the other panes keep their state.

import type { Run } from '../model/runs';
import { labelOfFile, runKey, useAppStore } from './appStore';
import { Legend } from './Legend';
import { MapView } from './map/MapView';
import { Minimap } from './map/Minimap';
import { PaneProvider } from './pane/PaneContext';
import { usePane } from './pane/PaneContext';
import { AnalysisPanel } from './panel/AnalysisPanel';
import { SwitchTimeline } from './panel/SwitchTimeline';
import { RunSummary } from './RunSummary';
import { WarningsPanel } from './WarningsPanel';

function LaneModeSwitch() {
  const mode = usePane((s) => s.laneMode);
  const setMode = usePane((s) => s.setLaneMode);
  return (
    <div className="lane-mode" role="group" aria-label="Lanes">
      <button className={mode === 'cpu' ? 'active' : ''} onClick={() => setMode('cpu')}>
        host CPUs
      </button>
      <button className={mode === 'vcpu' ? 'active' : ''} onClick={() => setMode('vcpu')}>
        vCPU threads
      </button>
    </div>
  );
}

function RunLabel({ run }: { run: Run }) {
  const key = runKey(run);
  const label = useAppStore((s) => s.labels[key]) ?? labelOfFile(run.name);
  const setLabel = useAppStore((s) => s.setLabel);
  return (
    <input
      className="run-label"
      data-testid="run-label"
      aria-label="Run label"
      title="Label of this run (e.g. PLE on): used in the comparison and exports"
      value={label}
      size={Math.max(8, Math.min(28, label.length + 1))}
      onChange={(e) => setLabel(key, e.target.value)}
    />
  );
}

function RunActions({ run }: { run: Run }) {
  const replaceRun = useAppStore((s) => s.replaceRun);
  const closeRun = useAppStore((s) => s.closeRun);
  return (
    <span className="run-actions">
      <label className="file-button small" title="Open another trace in place of this one (the other runs stay)">
        replace…
        <input
          type="file"
          multiple
          data-testid="replace-input"
          onChange={(e) => {
            void replaceRun(run, Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </label>
      <button className="close-run" data-testid="close-run" title="Close this run" onClick={() => closeRun(run)}>
        ×
      </button>
    </span>
  );
}

export function RunPane({ run, colorVmNames }: { run: Run; colorVmNames?: readonly string[] }) {
  return (
    <PaneProvider run={run} paneId={runKey(run)} colorVmNames={colorVmNames}>
      <section className="run-pane" data-testid="run-pane" data-run-name={run.name}>
        <div className="pane-head">
          <div className="pane-title">
            <RunLabel run={run} />
            <LaneModeSwitch />
            <RunActions run={run} />
          </div>
          <RunSummary run={run} />
        </div>
        <Legend />
        <MapView />
        <SwitchTimeline />
        <Minimap />
        <AnalysisPanel />
        <WarningsPanel run={run} />
      </section>
    </PaneProvider>
  );
}
