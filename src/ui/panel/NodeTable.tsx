// Per NUMA node: how busy its CPUs were and which VMs ran there (the run's
// topology numbers for the panel's window and CPUs). Full values in the
// rows' data attributes, for tests and scripts.

import type { TopologyMetrics } from '../../analysis/topology';
import { cpuListText } from '../../model/cpuList';
import { NodeSwatch } from '../NodeSwatch';
import { attr, DASH, pct, us } from '../../model/format';

export function NodeTable({ topology }: { topology: TopologyMetrics }) {
  return (
    <div className="table-scroll">
      <table className="small-table node-table" data-testid="node-table">
        <thead>
          <tr>
            <th>node</th>
            <th title="The node's CPUs counted in this window (of the topology's)">CPUs</th>
            <th title="Non-idle known time / known time of its CPUs">busy</th>
            <th title="Known time of its CPUs">known</th>
            <th title="VMs whose vCPUs ran on its CPUs, most run time first (share of the node's known time)">VMs</th>
          </tr>
        </thead>
        <tbody>
          {topology.nodes.map((n) => (
            <tr
              key={n.node}
              data-testid="node-row"
              data-node={n.node}
              data-busy-fraction={attr(n.busyFraction)}
              data-known-us={attr(n.knownUs)}
              data-cpus={n.cpus.join(',')}
              data-vms={n.vms.map((v) => v.name).join(',')}
            >
              <td>
                <NodeSwatch node={n.node} />
                {n.node}
              </td>
              <td title={`topology: ${cpuListText(n.topologyCpus) || 'none'}`}>{cpuListText(n.cpus) || DASH}</td>
              <td className="num" title={attr(n.busyFraction)}>
                {pct(n.busyFraction)}
              </td>
              <td className="num">{us(n.knownUs)}</td>
              <td>
                {n.vms.length === 0
                  ? DASH
                  : n.vms.map((v) => `${v.name} ${pct(v.share)}`).join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
