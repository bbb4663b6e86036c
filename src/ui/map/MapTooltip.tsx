// What is under the pointer, as text (task names are untrusted: React renders
// them as text nodes, never as HTML).

import { gapNote } from '../../render/gapBands';
import type { HitResult } from '../../render/hitTest';
import { windowTimeText } from '../../render/timeAxis';
import { STATE_LABELS } from '../../render/values';
import { vmLabel } from '../pane/paneStore';
import { usePane } from '../pane/PaneContext';
import type { WakeupState } from './useWakeups';
import { WakeupLines } from './WakeupLines';

export function MapTooltip({
  hit,
  x,
  y,
  width,
  wakeup,
}: {
  hit: HitResult;
  x: number;
  y: number;
  width: number;
  /** The wakeup behind the hovered slice (or wait), from the worker. */
  wakeup?: WakeupState;
}) {
  const run = usePane((s) => s.run);
  const vmLabels = usePane((s) => s.vmLabels);
  const view = usePane((s) => s.view);
  // Times to the precision of the window shown (its axis' unit, decimals resolving one pixel).
  const tt = windowTimeText(view, width);
  const left = x + 16 + 300 > width ? Math.max(0, x - 316) : x + 16;
  const t = hit.task;
  const vmIndex = t?.vmName != null ? run.vms.findIndex((v) => v.name === t.vmName) : -1;
  const state = hit.state === 'slice' ? null : STATE_LABELS[hit.state];
  return (
    <div
      className="map-tooltip"
      data-testid="map-tooltip"
      data-lane={hit.lane}
      data-start={hit.start}
      data-end={hit.end}
      data-pixel-start={hit.pixelStart}
      data-pixel-end={hit.pixelEnd}
      data-vm={t?.vm ?? ''}
      data-drawn-as={hit.drawnAs ?? ''}
      style={{ left, top: y + 14 }}
    >
      {t ? (
        <div className="tt-task">
          <strong>{t.isIdle ? 'idle' : t.comm}</strong>
          {!t.isIdle && t.tid >= 0 && <span> tid {t.tid}</span>}
        </div>
      ) : (
        <div className="tt-task">
          <strong>{state ?? 'unknown'}</strong>
        </div>
      )}
      {t && vmIndex >= 0 && (
        <div>
          VM {vmLabel({ run, vmLabels }, vmIndex)}
          {t.vcpuIndex !== null && <> · vCPU {t.vcpuIndex}</>}
        </div>
      )}
      {state && t && <div>{state}</div>}
      {hit.cpu !== null && <div>CPU {hit.cpu}</div>}
      {Number.isFinite(hit.start) && (
        <div>
          from {tt.time(hit.start)} ({tt.absolute(run.model.origin, hit.start)} s)
          {Number.isFinite(hit.length) && <> for {tt.duration(hit.length)}</>}
        </div>
      )}
      <WakeupLines wakeup={wakeup} tt={tt} />
      {hit.leftState && <div>left the CPU in state {hit.leftState}</div>}
      {hit.endReason === 'migration' && <div>ended: switched in on another CPU</div>}
      {hit.switchedInInstead && <div>replaced by {hit.switchedInInstead.comm}</div>}
      {hit.unknownReason && <div className="tt-note">{hit.unknownReason}</div>}
      {hit.lost.length > 0 && <div className="tt-note">events were lost here: {hit.lost[0].message}</div>}
      {hit.gaps.slice(0, 2).map((g) => (
        <div key={g} className="tt-note" data-testid="gap-note">
          {gapNote(run.model.gaps, g)}
        </div>
      ))}
      {hit.gaps.length > 2 && <div className="tt-more">{hit.gaps.length - 2} more cuts in this pixel — zoom in</div>}
      {hit.drawnAs === 'vm' && vmIndex >= 0 && (
        <div className="tt-note">
          pixel drawn in {vmLabel({ run, vmLabels }, vmIndex)}'s colour: its threads cover half of it, none alone
        </div>
      )}
      {hit.drawnAs === 'host' && <div className="tt-note">pixel drawn as host tasks: none alone covers half of it</div>}
      {hit.drawnAs === 'mixed' && <div className="tt-note">pixel drawn as mixed: no VM has half of it</div>}
      {hit.others > 0 && <div className="tt-more">{hit.others} more in this pixel — zoom in</div>}
    </div>
  );
}
