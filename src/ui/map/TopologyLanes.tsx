// The topology beside and across a pane's map when CPU lanes are ordered by
// it: a coloured strip with "node N" per node group and core labels for SMT
// siblings beside the lanes, thin lines between node groups and cores across.

import { laneRuns, nodeColorCss, type Lane } from '../../render/lanes';
import type { LaneLayout } from '../../render/layout';

/** Node labels beside CPU lanes ordered by topology: a coloured strip with "node N" per node group. */
export function TopologyGroupLabels({
  lanes,
  layout,
  viewHeight,
}: {
  lanes: readonly Lane[];
  layout: LaneLayout;
  viewHeight: number;
}) {
  const { dpr } = layout;
  const nodes = laneRuns(lanes, (l) => (l.node === undefined ? undefined : String(l.node)));
  const cores = laneRuns(lanes, (l) =>
    l.core !== undefined && (l.coreSize ?? 1) > 1 ? `${l.node}/${l.core}` : undefined,
  );
  if (nodes.length === 0) return null;
  return (
    <>
      {nodes.map((g) => {
        // Clipped to the view: a node scrolled half out keeps its name on screen.
        const top = Math.max(0, layout.top[g.first] / dpr);
        const bottom = Math.min(viewHeight, (layout.top[g.last] + layout.laneHeight[g.last]) / dpr);
        if (bottom <= top) return null;
        const node = Number(g.key);
        return (
          <div
            key={`node-${g.key}-${g.first}`}
            className="lane-group-label"
            data-testid="lane-group-label"
            data-node={node}
            data-cpus={lanes
              .slice(g.first, g.last + 1)
              .map((l) => (l.kind === 'cpu' ? l.cpu : ''))
              .join(',')}
            style={{ top, height: bottom - top, borderColor: nodeColorCss(node) }}
            title={`NUMA node ${node}`}
          >
            <span>node {node}</span>
          </div>
        );
      })}
      {cores.map((g) => {
        const top = layout.top[g.first] / dpr;
        const bottom = (layout.top[g.last] + layout.laneHeight[g.last]) / dpr;
        if (bottom <= 0 || top >= viewHeight) return null;
        const core = g.key.split(':')[1];
        return (
          <div
            key={`core-${g.key}-${g.first}`}
            className="lane-core-label"
            data-testid="lane-core-label"
            style={{ top, height: bottom - top }}
            title={`core ${core}: SMT siblings`}
          >
            {bottom - top >= 12 && <span>core {core}</span>}
          </div>
        );
      })}
    </>
  );
}

/** Thin lines across the map between node groups (brighter) and between SMT cores (dimmer). */
export function TopologySeparators({
  lanes,
  layout,
  viewHeight,
}: {
  lanes: readonly Lane[];
  layout: LaneLayout;
  viewHeight: number;
}) {
  const { dpr } = layout;
  const lines: { y: number; kind: 'node' | 'core' }[] = [];
  for (let i = 1; i < lanes.length; i++) {
    const a = lanes[i - 1];
    const b = lanes[i];
    if (a.kind !== 'cpu' || b.kind !== 'cpu' || (a.node === undefined && b.node === undefined)) continue;
    const y = (layout.top[i - 1] + layout.laneHeight[i - 1] + layout.top[i]) / 2 / dpr;
    if (y < 0 || y > viewHeight) continue;
    if (a.node !== b.node) lines.push({ y, kind: 'node' });
    else if (a.core !== b.core && ((a.coreSize ?? 1) > 1 || (b.coreSize ?? 1) > 1)) lines.push({ y, kind: 'core' });
  }
  return (
    <>
      {lines.map((l) => (
        <div
          key={`${l.kind}-${l.y}`}
          className={`lane-sep lane-sep-${l.kind}`}
          data-testid={`lane-sep-${l.kind}`}
          style={{ top: l.y }}
        />
      ))}
    </>
  );
}
