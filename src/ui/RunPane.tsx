// One run: its summary line, legend, map with minimap, and (below) the
// parser's warnings. Everything inside reads this pane's own store.

import type { Run } from '../model/runs';
import { Legend } from './Legend';
import { MapView } from './map/MapView';
import { Minimap } from './map/Minimap';
import { PaneProvider } from './pane/PaneContext';
import { usePane } from './pane/PaneContext';
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

export function RunPane({ run }: { run: Run }) {
  return (
    <PaneProvider run={run}>
      <section className="run-pane" data-testid="run-pane">
        <div className="pane-head">
          <RunSummary run={run} />
          <LaneModeSwitch />
        </div>
        <Legend />
        <MapView />
        <Minimap />
        <WarningsPanel run={run} />
      </section>
    </PaneProvider>
  );
}
