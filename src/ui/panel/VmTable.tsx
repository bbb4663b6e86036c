// The per-VM table: every metric of docs/metrics.md, sortable by any column,
// each VM expandable to one row per vCPU (so one starved vCPU cannot hide in a
// VM average). Cells show 3 significant digits; the full value is in the
// cell's title and, for tests and scripts, in data attributes of the row.

import { Fragment, useMemo, useState } from 'react';
import type { RunMetrics } from '../../analysis/metrics';
import type { TopologyMetrics } from '../../analysis/topology';
import { judgeText, vmMetricsFor, type VmMetricDef } from '../../analysis/catalogue';
import { exitReasonsText, valueText } from '../../analysis/metricText';
import { vmTableOrder, type VmSort } from '../../analysis/vmTableOrder';
import { usePane } from '../pane/PaneContext';
import { attr } from '../../model/format';
import { NodeBars } from './NodeBars';

/** The columns: the catalogue's VM metrics (topology ones only when the run has a topology). */
function columnsFor(withTopology: boolean): readonly VmMetricDef[] {
  return vmMetricsFor(withTopology);
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** data-* attributes with every numeric field at full precision. */
function dataAttrs(o: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number' || v === null) out[`data-${kebab(k)}`] = attr(v);
  return out;
}

export function VmTable({
  metrics,
  names,
  colors,
  topology = null,
  withMemory = false,
}: {
  metrics: RunMetrics;
  names: string[];
  colors: string[];
  /** The run's topology numbers for the same window: adds the node columns; null without a topology. */
  topology?: TopologyMetrics | null;
  /** The run has memory files: a column of bars, memory per node beside vCPU run time per node. */
  withMemory?: boolean;
}) {
  const bars = withMemory && topology !== null;
  const columns = columnsFor(topology !== null);
  const [sort, setSort] = useState<VmSort | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const highlightVm = usePane((s) => s.highlightVm);
  const setHighlightVm = usePane((s) => s.setHighlightVm);
  const P = metrics.window.cpus.length;

  const order = useMemo(
    () =>
      vmTableOrder(
        metrics.vms.map((vm, i) => ({ vm, topology: topology?.vms[i] })),
        names,
        sort,
        columns,
      ),
    [metrics, names, sort, columns, topology],
  );

  const clickSort = (key: string): void =>
    setSort((s) => (s?.key !== key ? { key, dir: key === 'name' ? 1 : -1 } : s.dir === -1 ? { key, dir: 1 } : null));
  const arrow = (key: string): string => (sort?.key === key ? (sort.dir === -1 ? ' ▾' : ' ▴') : '');
  const allOpen = metrics.vms.length > 0 && open.size === metrics.vms.length;

  if (metrics.vms.length === 0) return <p className="panel-note">No VMs in this run.</p>;
  return (
    <div className="table-scroll">
      <table className="vm-table" data-testid="vm-table">
        <thead>
          <tr>
            <th className="name-col">
              <button
                className="expand"
                title={allOpen ? 'Collapse all' : 'Expand every VM to its vCPUs'}
                onClick={() => setOpen(allOpen ? new Set() : new Set(metrics.vms.map((_, i) => i)))}
              >
                {allOpen ? '▾' : '▸'}
              </button>
              <button
                className="sort"
                onClick={() => clickSort('name')}
                aria-sort={sort?.key === 'name' ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}
              >
                VM{arrow('name')}
              </button>
            </th>
            <th title="vCPU threads (n)">vCPUs</th>
            {bars && (
              <th
                className="topology-col node-bars-head"
                title="Per NUMA node: its memory there (upper bar, solid: share of its memory) over its vCPU run time there (lower bar, light: share of its run time); then its run next to memory"
              >
                memory (upper) · vCPU run (lower) by node · next to memory
              </th>
            )}
            {columns.map((c) => (
              <th
                key={c.key}
                title={`${c.description} In a comparison: ${judgeText(c.judge)}.`}
                className={c.topology ? 'topology-col' : undefined}
              >
                <button className="sort" onClick={() => clickSort(c.key)} data-sort-key={c.key}>
                  {c.label}
                  {arrow(c.key)}
                </button>
              </th>
            ))}
            <th title="kvm_exit reasons on its vCPUs, most first">exit reasons</th>
          </tr>
        </thead>
        <tbody>
          {order.map((i) => {
            const vm = metrics.vms[i];
            const expanded = open.has(i);
            return (
              <Fragment key={i}>
                <tr
                  data-testid="vm-row"
                  data-vm-index={i}
                  data-vm-name={names[i]}
                  {...dataAttrs(vm)}
                  {...dataAttrs(topology?.vms[i])}
                  className={highlightVm === i ? 'highlighted' : undefined}
                >
                  <td className="name-col">
                    <button
                      className="expand"
                      aria-expanded={expanded}
                      title={expanded ? 'Hide its vCPUs' : 'Show its vCPUs'}
                      onClick={() => {
                        const next = new Set(open);
                        if (expanded) next.delete(i);
                        else next.add(i);
                        setOpen(next);
                      }}
                    >
                      {expanded ? '▾' : '▸'}
                    </button>
                    <span className="swatch" style={{ background: colors[i] }} />
                    <button
                      className="vm-link"
                      title="Highlight this VM on the map"
                      onClick={() => setHighlightVm(highlightVm === i ? null : i)}
                    >
                      {names[i]}
                    </button>
                  </td>
                  <td className="num">{vm.vcpuCount}</td>
                  {bars && (
                    <td className="topology-col">{topology?.vms[i] && <NodeBars topology={topology.vms[i]} />}</td>
                  )}
                  {columns.map((c) => {
                    const x = c.value({ vm, topology: topology?.vms[i] });
                    const home = topology?.vms[i]?.homeNode;
                    const detail = x === null ? null : (c.detail?.({ vm, topology: topology?.vms[i] }) ?? null);
                    return (
                      <td
                        key={c.key}
                        className={c.topology ? 'num topology-col' : 'num'}
                        title={
                          x === null
                            ? 'not available for this trace or window'
                            : `${x}${c.key === 'homeNodeFraction' && home !== null && home !== undefined ? ` (node ${home})` : ''}${detail ? ` (${detail})` : ''}`
                        }
                      >
                        {valueText(c.unit, x)}
                      </td>
                    );
                  })}
                  <td
                    className="reasons"
                    title={vm.exitReasons ? JSON.stringify(vm.exitReasons) : 'no kvm_exit events'}
                  >
                    {exitReasonsText(vm.exitReasons)}
                  </td>
                </tr>
                {expanded &&
                  vm.vcpus.map((v) => (
                    <tr
                      key={`${i}:${v.tid}:${v.index}`}
                      className="vcpu-row"
                      data-testid="vcpu-row"
                      data-vm-name={names[i]}
                      data-vcpu-index={v.index}
                      data-tid={v.tid}
                      {...dataAttrs(v)}
                    >
                      <td className="name-col vcpu-name" title={`tid ${v.tid}`}>
                        vCPU {v.index} <span className="muted">{v.comm}</span>
                      </td>
                      <td className="num muted">tid {v.tid}</td>
                      {bars && <td className="topology-col" />}
                      {columns.map((c) => {
                        const tv = topology?.vms[i]?.vcpus.find((x) => x.tid === v.tid && x.index === v.index);
                        const src = { vcpu: v, topology: tv, cpus: P };
                        const part = c.vcpu;
                        const x = part ? (part.inColumn ?? part.value)(src) : undefined;
                        const raw = part ? part.value(src) : null;
                        return (
                          <td
                            key={c.key}
                            className={c.topology ? 'num topology-col' : 'num'}
                            title={part ? `${part.description} ${raw === null ? 'n/a' : String(raw)}` : undefined}
                          >
                            {x === undefined ? '' : valueText(c.unit, x)}
                          </td>
                        );
                      })}
                      <td />
                    </tr>
                  ))}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
