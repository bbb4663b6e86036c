// The column beside the map: a label per lane when lanes are tall enough,
// else a ruler of every k-th lane; in vCPU mode a block per VM (its name and
// colour) at every zoom; the topology's node and core strips in CPU mode.
// Names are trace text: rendered as text only.

import { laneLabelPlan, shortLaneLabel } from '../../render/laneLabels';
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
}) {
  const { lanes, layout, viewHeight, fullLabel, vmName, vmColor } = props;
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
            className={cls}
            data-testid="lane-label"
            style={{ top, height, lineHeight: `${height}px`, fontSize: Math.min(12, Math.max(9, height - 3)) }}
            title={fullLabel(lane)}
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
            className={`${cls} ruler`}
            data-testid="lane-ruler-label"
            style={{ top: Math.max(0, y - 6) }}
            title={fullLabel(lane)}
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
    </>
  );
}
