// The legend's key to vCPU lanes' off-CPU states (vCPU lane mode): what a lane
// between its running slices says, in the map's own colours.

import { useMemo } from 'react';
import { vcpuLaneStates } from '../render/laneStates';
import { usePane } from './pane/PaneContext';

export function LaneStateKey() {
  const model = usePane((s) => s.run.model);
  const entries = useMemo(() => vcpuLaneStates(model), [model]);
  return (
    <li className="lane-states" data-testid="lane-state-key">
      <span
        className="vm-meta"
        title="vCPU lanes off CPU: a vCPU lane shows its running slices in its VM's colour, and between them:"
      >
        <span className="wide-only">vCPU lanes </span>off CPU:
      </span>
      {entries.map((e) => (
        <span key={e.state} data-state={e.state} title={e.label} className="lane-state">
          <span className={`swatch${e.state === 'unknown' ? ' hatched' : ''}`} style={{ background: e.color }} />{' '}
          {e.name}
        </span>
      ))}
    </li>
  );
}
