// The column beside the map: a label per lane when lanes are tall enough,
// else a ruler of every k-th lane; in vCPU mode a block per VM (its name and
// colour) at every zoom; the topology's node and core strips in CPU mode.
// Names are trace text: rendered as text only.

import { RULER_LABEL_HALF, laneLabelPlan, shortLaneLabel } from '../../render/laneLabels';
import type { Lane } from '../../render/lanes';
import type { LaneLayout } from '../../render/layout';
import { TopologyGroupLabels } from './TopologyLanes';

export function LaneLabels(props: {
  lanes: readonly Lane[];
  layout: LaneLayout;
  viewHeight: number;
  /** Full name of a lane (tooltips): the VM's shown name and vCPU index, or the CPU. */
  fullLabel: (lane: Lane) => string;
  vmName: (vm: number) => string;
  vmColor: (vm: number) => string;
  /** Pinned lanes' labels are marked; a right-click on a label pins or unpins its lane. */
  isPinned?: (lane: Lane) => boolean;
  onLaneContext?: (lane: Lane) => void;
}) {
  const { lanes, layout, viewHeight, fullLabel, vmName, vmColor, isPinned, onLaneContext } = props;
  const context = (lane: Lane) => (e: { preventDefault: () => void }) => {
    if (!onLaneContext) return;
    e.preventDefault();
    onLaneContext(lane);
  };
  const pinCls = (lane: Lane): string => (isPinned?.(lane) ? ' pinned' : '');
  const band = (layout.band ?? 0) / layout.dpr;
  const plan = laneLabelPlan(lanes, layout, viewHeight);
  // A VM block or node strip takes the column's left part; lane labels sit right of it.
  const hasStrip = plan.groups.length > 0 || lanes.some((l) => l.kind === 'cpu' && l.node !== undefined);
  const cls = hasStrip ? 'lane-label beside-strip' : 'lane-label';
  return (
    <>
      {plan.lanes.map(({ lane: i, top, height }) => {
        const lane = lanes[i];
        return (
          <div
            key={lane.key}
            className={cls + pinCls(lane)}
            data-testid="lane-label"
            data-pinned={isPinned?.(lane) ? 'yes' : undefined}
            style={{
              top,
              height,
              lineHeight: `${height}px`,
              fontSize: Math.min(hasStrip ? 11 : 12, Math.max(9, height - 3)),
            }}
            title={`${fullLabel(lane)}${isPinned?.(lane) ? ' (pinned)' : ''} · right-click or P: pin / unpin`}
            onContextMenu={context(lane)}
          >
            {shortLaneLabel(lane)}
          </div>
        );
      })}
      {plan.ruler.map(({ lane: i, y }) => {
        const lane = lanes[i];
        return (
          <div
            key={lane.key}
            className={`${cls} ruler${pinCls(lane)}`}
            data-testid="lane-ruler-label"
            style={{ top: Math.max(0, y - RULER_LABEL_HALF) }}
            title={`${fullLabel(lane)} · right-click or P: pin / unpin`}
            onContextMenu={context(lane)}
          >
            {lane.kind === 'vcpu' ? `vCPU ${lane.vcpuIndex}` : lane.label}
          </div>
        );
      })}
      {plan.groups.map((g) => (
        <div
          key={`vm-${g.vm}-${g.first}`}
          className="lane-group-label vm-block"
          data-testid="lane-vm-label"
          data-vm={g.vm}
          style={{ top: g.top, height: g.bottom - g.top, borderColor: vmColor(g.vm) }}
          title={`${vmName(g.vm)}: ${g.last - g.first + 1} vCPUs`}
        >
          {g.bottom - g.top >= 9 && <span>{vmName(g.vm)}</span>}
        </div>
      ))}
      <TopologyGroupLabels lanes={lanes} layout={layout} viewHeight={viewHeight} />
      {band > 0 && <div className="pinned-band-edge" data-testid="pinned-band" style={{ top: band - 3 }} />}
    </>
  );
}
