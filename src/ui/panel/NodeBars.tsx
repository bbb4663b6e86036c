// A VM's memory per NUMA node beside its vCPU run time per node (the VM table's "memory · run by node"
// cell): two thin bars per node, each the share of the VM's own total, in the node's colour (memory solid,
// run time lighter). Exact values in the title and in data attributes.

import { vmNodeBars } from '../../analysis/nodeBars';
import type { VmTopologyMetrics } from '../../analysis/topology';
import { attr, num, pct } from '../../analysis/format';
import { nodeColorCss } from '../../render/lanes';

const BAR_PX = 44;

export function NodeBars({ topology }: { topology: VmTopologyMetrics }) {
  const bars = vmNodeBars(topology);
  const noMemory = topology.memoryByNode === null;
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
      {noMemory && <span className="muted node-bars-none">no memory data</span>}
    </div>
  );
}
