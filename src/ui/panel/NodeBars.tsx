// A VM's memory per NUMA node beside its vCPU run time per node (the VM table's "memory · vCPU run by node"
// cell): two thin bars per node, each the share of the VM's own total, in the node's colour (memory solid
// above, run time lighter below), then its run next to memory (localRunFraction) as a number, so the picture
// and its measure sit together even when the table's catalogue columns are scrolled away. Bars narrow with
// more nodes. Exact values in the title and in data attributes.

import { vmNodeBars } from '../../analysis/nodeBars';
import type { VmTopologyMetrics } from '../../analysis/topology';
import { attr, num, pct } from '../../model/format';
import { nodeColorCss } from '../../render/lanes';

/** Bar width by node count: a 2-node host gets long bars, an 8-node host still fits the cell. */
const barPx = (nodes: number): number => (nodes <= 2 ? 44 : nodes <= 4 ? 30 : 18);

export function NodeBars({ topology }: { topology: VmTopologyMetrics }) {
  const bars = vmNodeBars(topology);
  const noMemory = topology.memoryByNode === null;
  const BAR_PX = barPx(bars.length);
  return (
    <div
      className="node-bars"
      data-testid="node-bars"
      data-memory={noMemory ? 'none' : 'known'}
      data-local-run-fraction={attr(topology.localRunFraction)}
    >
      {bars.map((b) => (
        <div
          key={b.node}
          className="node-bar"
          data-testid="node-bar"
          data-node={b.node}
          data-memory-mb={attr(b.memoryMb)}
          data-memory-share={attr(b.memoryShare)}
          data-run-us={attr(b.runUs)}
          data-run-share={attr(b.runShare)}
          title={`node ${b.node}: memory ${b.memoryMb === null ? 'no data' : `${num(b.memoryMb)} MB (${pct(b.memoryShare)})`}, vCPU run ${pct(b.runShare)}`}
        >
          <span className="node-bar-label">n{b.node}</span>
          <span className="node-bar-track" style={{ width: BAR_PX }}>
            <span
              className="node-bar-mem"
              style={{ width: Math.round((b.memoryShare ?? 0) * BAR_PX), background: nodeColorCss(b.node) }}
            />
            <span
              className="node-bar-run"
              style={{ width: Math.round((b.runShare ?? 0) * BAR_PX), background: nodeColorCss(b.node) }}
            />
          </span>
        </div>
      ))}
      {noMemory ? (
        <span className="muted node-bars-none">no memory data</span>
      ) : (
        <span
          className="node-bars-local"
          data-testid="node-bars-local"
          title={`run next to memory: ${topology.localRunFraction ?? 'unknown'} (Σ over nodes of vCPU run share × memory share)`}
        >
          {pct(topology.localRunFraction)}
        </span>
      )}
    </div>
  );
}
