// The tooltip's wakeup lines for the hovered slice (text only: names are untrusted).

import { describeTask } from '../../render/hitTest';
import type { WindowTimeText } from '../../render/timeAxis';
import { noWakeupsText, wakeupLines } from '../../render/wakeupText';
import { vmLabel } from '../pane/paneStore';
import { usePane } from '../pane/PaneContext';
import type { WakeupState } from './useWakeups';

export function WakeupLines({ wakeup, tt }: { wakeup: WakeupState | undefined; tt: WindowTimeText }) {
  const run = usePane((s) => s.run);
  const vmLabels = usePane((s) => s.vmLabels);
  const scene = usePane((s) => s.scene.scene);
  if (!wakeup?.target) return null;
  if (run.model.wakeupCount === 0)
    return (
      <div className="tt-note" data-testid="tt-wakeup" data-state="none">
        {noWakeupsText(run.model.format)}
      </div>
    );
  const w = wakeup.value;
  if (w === undefined)
    return (
      <div className="tt-wakeup muted" data-testid="tt-wakeup" data-state="loading">
        wakeup…
      </div>
    );
  if (w === null) return null;
  const waker =
    w.wakeup && w.wakeup.waker >= 0 ? describeTask(scene.hitContext(), w.wakeup.waker, w.wakeup.time) : null;
  const lines = wakeupLines(w, waker, tt, (vm) => vmLabel({ run, vmLabels }, vm));
  return (
    <div
      className="tt-wakeup"
      data-testid="tt-wakeup"
      data-state={w.wakeup ? 'woken' : w.runnableWait !== null ? 'preempted' : 'none'}
      data-wakeup-time={w.wakeup?.time ?? ''}
      data-waker-tid={waker?.tid ?? ''}
      data-waker-cpu={w.wakeup?.wakerCpu ?? ''}
      data-latency={w.latency ?? ''}
      data-runnable-wait={w.runnableWait ?? ''}
    >
      {lines.map((l, i) => (
        <div key={i}>{l}</div>
      ))}
    </div>
  );
}
