// The per-VM table: every metric of docs/metrics.md, sortable by any column,
// each VM expandable to one row per vCPU (so one starved vCPU cannot hide in a
// VM average). Cells show 3 significant digits; the full value is in the
// cell's title and, for tests and scripts, in data attributes of the row.

import { Fragment, useMemo, useState } from 'react';
import type { RunMetrics, VcpuMetrics, VmMetrics } from '../../analysis/metrics';
import type { TopologyMetrics, VcpuTopologyMetrics, VmTopologyMetrics } from '../../analysis/topology';
import { usePane } from '../pane/PaneContext';
import { attr, DASH, num, pct, us } from '../../analysis/format';

type Num = number | null;

interface Column {
  key: string;
  label: string;
  title: string;
  vm: (m: VmMetrics) => Num;
  /** The vCPU row's value in this column (P: CPUs counted); undefined: blank. */
  vcpu?: (v: VcpuMetrics, P: number) => Num;
  vcpuTitle?: string;
  fmt: (x: Num) => string;
}

const COLUMNS: Column[] = [
  {
    key: 'gangScore',
    label: 'gang',
    title: 'Gang score: ∫r(t) / (k × time with r > 0). 1 = its vCPUs always run together; 1/k = one at a time.',
    vm: (m) => m.gangScore,
    fmt: (x) => num(x),
  },
  {
    key: 'allRunningFraction',
    label: 'all running',
    title: 'Time with all k vCPUs running / time with any running.',
    vm: (m) => m.allRunningFraction,
    fmt: pct,
  },
  {
    key: 'runSliceMedianUs',
    label: 'slice p50',
    title: 'Median run-slice length of its vCPUs (slices inside the window, ended by a switch).',
    vm: (m) => m.runSliceMedianUs,
    vcpu: (v) => v.runSliceMedianUs,
    fmt: us,
  },
  {
    key: 'runSliceP90Us',
    label: 'p90',
    title: 'Run-slice length, 90th percentile.',
    vm: (m) => m.runSliceP90Us,
    fmt: us,
  },
  {
    key: 'runSliceP99Us',
    label: 'p99',
    title: 'Run-slice length, 99th percentile.',
    vm: (m) => m.runSliceP99Us,
    fmt: us,
  },
  { key: 'runSliceMaxUs', label: 'max', title: 'Longest run slice.', vm: (m) => m.runSliceMaxUs, fmt: us },
  {
    key: 'switchInsPerSec',
    label: 'switch-ins/s',
    title: 'Switches to one of its vCPU threads per second.',
    vm: (m) => m.switchInsPerSec,
    vcpu: (v) => v.switchInsPerSec,
    fmt: (x) => num(x),
  },
  {
    key: 'siblingHandoffs',
    label: 'sibling handoffs',
    title: 'Switches from one of its vCPUs directly to a sibling vCPU (a CPU yielded to a sibling, not to another VM).',
    vm: (m) => m.siblingHandoffs,
    fmt: (x) => num(x),
  },
  {
    key: 'cpuShare',
    label: 'CPU share',
    title: 'Run time of its vCPUs / (D × P).',
    vm: (m) => m.cpuShare,
    vcpu: (v, P) => (v.runFraction === null || P === 0 ? null : v.runFraction / P),
    vcpuTitle: 'its run time / (D × P); it ran this fraction of D: ',
    fmt: pct,
  },
  {
    key: 'hostNoiseShare',
    label: 'host noise',
    title: 'Time host tasks ran on the CPUs its vCPUs used / known time of those CPUs.',
    vm: (m) => m.hostNoiseShare,
    fmt: pct,
  },
  {
    key: 'vcpuMigrationsPerSec',
    label: 'migr./s',
    title: 'vCPU switch-ins on another CPU than its previous one, per second.',
    vm: (m) => m.vcpuMigrationsPerSec,
    vcpu: (v) => v.migrationsPerSec,
    fmt: (x) => num(x),
  },
  {
    key: 'preemptedVcpusMean',
    label: 'preempted vCPUs',
    title: 'Mean number of its vCPUs runnable but not running (switched out R/R+). Needs states.',
    vm: (m) => m.preemptedVcpusMean,
    vcpu: (v) => v.preemptedFraction,
    vcpuTitle: 'fraction of D it was runnable but not running: ',
    fmt: (x) => num(x),
  },
  {
    key: 'runDelayP50Us',
    label: 'delay p50',
    title: 'Run delay (wakeup → switch-in), median. Needs wakeup events.',
    vm: (m) => m.runDelayP50Us,
    fmt: us,
  },
  {
    key: 'runDelayP99Us',
    label: 'delay p99',
    title: 'Run delay (wakeup → switch-in), 99th percentile.',
    vm: (m) => m.runDelayP99Us,
    vcpu: (v) => v.runDelayP99Us,
    fmt: us,
  },
  {
    key: 'pleExitsPerSec',
    label: 'PLE exits/s',
    title: 'kvm_exit with a PAUSE reason on its vCPUs, per second. Needs kvm:kvm_exit.',
    vm: (m) => m.pleExitsPerSec,
    fmt: (x) => num(x),
  },
];

interface TopologyColumn {
  key: 'nodeSpread' | 'homeNodeFraction' | 'crossNodeMigrationsPerSec' | 'smtSiblingCoRunFraction';
  label: string;
  title: string;
  vcpu?: (v: VcpuTopologyMetrics) => Num;
  fmt: (x: Num) => string;
}

/** Shown when the run has a host topology (docs/metrics.md, "Topology"). */
const TOPOLOGY_COLUMNS: TopologyColumn[] = [
  {
    key: 'nodeSpread',
    label: 'nodes',
    title: 'Node spread: NUMA nodes that held at least 5% of its vCPU run time.',
    fmt: (x) => num(x),
  },
  {
    key: 'homeNodeFraction',
    label: 'home node',
    title: 'Share of its vCPU run time on the node where it ran most.',
    vcpu: (v) => v.homeNodeFraction,
    fmt: pct,
  },
  {
    key: 'crossNodeMigrationsPerSec',
    label: 'x-node /s',
    title: 'Cross-node migrations per second: a vCPU starting a slice on another node than its previous slice.',
    vcpu: (v) => v.crossNodeMigrationsPerSec,
    fmt: (x) => num(x),
  },
  {
    key: 'smtSiblingCoRunFraction',
    label: 'SMT co-run',
    title: 'Time two of its vCPUs ran on SMT siblings of one core / time two or more of its vCPUs ran.',
    fmt: pct,
  },
];

function topologyAttrs(t: VmTopologyMetrics | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!t) return out;
  for (const c of TOPOLOGY_COLUMNS) out[`data-${kebab(c.key)}`] = attr(t[c.key]);
  out['data-home-node'] = attr(t.homeNode);
  return out;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** data-* attributes with every numeric field at full precision. */
function dataAttrs(o: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number' || v === null) out[`data-${kebab(k)}`] = attr(v);
  return out;
}

function exitReasonsText(r: Record<string, number> | null): string {
  if (!r) return DASH;
  const e = Object.entries(r).sort((a, b) => b[1] - a[1]);
  if (e.length === 0) return 'none';
  return e.map(([k, v]) => `${k} ${num(v)}`).join(', ');
}

type Sort = { key: string; dir: 1 | -1 } | null;

export function VmTable({
  metrics,
  names,
  colors,
  topology = null,
}: {
  metrics: RunMetrics;
  names: string[];
  colors: string[];
  /** The run's topology numbers for the same window: adds the node columns; null without a topology. */
  topology?: TopologyMetrics | null;
}) {
  const topoCols = topology ? TOPOLOGY_COLUMNS : [];
  const [sort, setSort] = useState<Sort>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const highlightVm = usePane((s) => s.highlightVm);
  const setHighlightVm = usePane((s) => s.setHighlightVm);
  const P = metrics.window.cpus.length;

  const order = useMemo(() => {
    const idx = metrics.vms.map((_, i) => i);
    if (!sort) return idx;
    if (sort.key === 'name') return idx.sort((a, b) => sort.dir * names[a].localeCompare(names[b]));
    const col = COLUMNS.find((c) => c.key === sort.key);
    if (!col) return idx;
    // Nulls last whichever the direction.
    return idx.sort((a, b) => {
      const x = col.vm(metrics.vms[a]);
      const y = col.vm(metrics.vms[b]);
      if (x === null || y === null) return x === null ? (y === null ? a - b : 1) : -1;
      return sort.dir * (x - y) || a - b;
    });
  }, [metrics, names, sort]);

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
            {COLUMNS.map((c) => (
              <th key={c.key} title={c.title}>
                <button className="sort" onClick={() => clickSort(c.key)} data-sort-key={c.key}>
                  {c.label}
                  {arrow(c.key)}
                </button>
              </th>
            ))}
            {topoCols.map((c) => (
              <th key={c.key} title={c.title} className="topology-col">
                {c.label}
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
                  {...topologyAttrs(topology?.vms[i])}
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
                  {COLUMNS.map((c) => {
                    const x = c.vm(vm);
                    return (
                      <td
                        key={c.key}
                        className="num"
                        title={x === null ? 'not available for this trace or window' : String(x)}
                      >
                        {c.fmt(x)}
                      </td>
                    );
                  })}
                  {topoCols.map((c) => {
                    const x = topology?.vms[i]?.[c.key] ?? null;
                    const home = topology?.vms[i]?.homeNode;
                    return (
                      <td
                        key={c.key}
                        className="num topology-col"
                        title={
                          x === null
                            ? 'not available (its vCPUs did not run, or the topology has no cores)'
                            : `${x}${c.key === 'homeNodeFraction' && home !== null && home !== undefined ? ` (node ${home})` : ''}`
                        }
                      >
                        {c.fmt(x)}
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
                      {COLUMNS.map((c) => {
                        const x = c.vcpu ? c.vcpu(v, P) : undefined;
                        const raw =
                          c.key === 'cpuShare'
                            ? v.runFraction
                            : c.key === 'preemptedVcpusMean'
                              ? v.preemptedFraction
                              : x;
                        return (
                          <td
                            key={c.key}
                            className="num"
                            title={
                              x === undefined ? undefined : `${c.vcpuTitle ?? ''}${raw === null ? 'n/a' : String(raw)}`
                            }
                          >
                            {x === undefined ? '' : c.fmt(x)}
                          </td>
                        );
                      })}
                      {topoCols.map((c) => {
                        const tv = topology?.vms[i]?.vcpus.find((x) => x.tid === v.tid && x.index === v.index);
                        const x = c.vcpu && tv ? c.vcpu(tv) : undefined;
                        return (
                          <td key={c.key} className="num topology-col" title={x === undefined ? undefined : String(x)}>
                            {x === undefined ? '' : c.fmt(x)}
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
