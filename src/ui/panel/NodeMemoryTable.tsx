// The host's memory per NUMA node (numastat -m, node*/meminfo) and what the memory files could not give:
// VMs without memory data, no tgids to match by and what to drop, snapshots replaced. Trace and file text is
// shown as text only. Full values in the rows' data attributes.

import type { RunMemory } from '../../model/vmMemory';
import { attr, DASH, num } from '../../model/format';
import { NodeSwatch } from '../NodeSwatch';

const mb = (x: number | null): string => (x === null ? DASH : `${num(x)} MB`);

export function NodeMemoryTable({ memory }: { memory: RunMemory }) {
  return (
    <div data-testid="memory-section-body">
      {memory.hostNodes.length > 0 ? (
        <div className="table-scroll">
          <table className="small-table node-memory-table" data-testid="node-memory-table">
            <thead>
              <tr>
                <th>node</th>
                <th className="num">total</th>
                <th className="num">used</th>
                <th className="num">free</th>
                <th className="num" title="Huge pages reserved / free (numastat -m: MB; node meminfo: pages)">
                  huge pages total / free
                </th>
                <th>from</th>
              </tr>
            </thead>
            <tbody>
              {memory.hostNodes.map((n) => (
                <tr
                  key={n.node}
                  data-testid="node-memory-row"
                  data-node={n.node}
                  data-total-mb={attr(n.totalMb)}
                  data-used-mb={attr(n.usedMb)}
                  data-free-mb={attr(n.freeMb)}
                  data-huge-total={attr(n.hugeTotal)}
                  data-huge-free={attr(n.hugeFree)}
                  data-huge-unit={n.hugeUnit}
                >
                  <td>
                    <NodeSwatch node={n.node} />
                    {n.node}
                  </td>
                  <td className="num">{mb(n.totalMb)}</td>
                  <td className="num">{mb(n.usedMb)}</td>
                  <td className="num">{mb(n.freeMb)}</td>
                  <td className="num">
                    {n.hugeTotal === null
                      ? DASH
                      : `${num(n.hugeTotal)} / ${num(n.hugeFree ?? 0)} ${n.hugeUnit === 'MB' ? 'MB' : 'pages'}`}
                  </td>
                  <td className="muted">
                    {n.file}:{n.line}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="panel-note muted" data-testid="node-memory-none">
          No host-wide memory file: drop `numastat -m` or /sys/devices/system/node/node*/meminfo for the node table.
        </p>
      )}
      {memory.notes.length > 0 && (
        <ul className="memory-notes" data-testid="memory-notes">
          {memory.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
