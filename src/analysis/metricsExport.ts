// The exports of a pane's numbers, pure: the VM table as CSV (papaparse; cells that a spreadsheet
// would run as a formula are escaped: task and VM names are untrusted) and every metric as JSON. The
// page saves them (ui/panel/exportData.ts).

import Papa from 'papaparse';
import type { RunMetrics, VcpuMetrics, VmMetrics } from './metrics';
import type { TopologyMetrics, VcpuTopologyMetrics, VmTopologyMetrics } from './topology';
import type { PanelResult } from './panel';
import { nodesOf, VM_BALANCING_METRICS, VM_METRICS, vmNodeMetrics } from './catalogue';
import { cpuListText } from '../model/cpuList';
import type { RecordingHost } from '../model/types';

/** A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for spreadsheets: a leading quote before a formula character. */
export function escapeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** vCPU fields that are a column of their own (a VM metric's vCPU part under another key). */
const VCPU_ONLY = VM_METRICS.flatMap((m) => (m.vcpu && m.vcpu.key !== m.key ? [m.vcpu.key] : []));

/**
 * The columns: the run (its label) and the window every row was measured in (µs from the trace's first event, as
 * in the JSON's metrics.window; the CPUs counted as a list), who the row is, then every catalogue VM metric (the
 * JSON field names; topology ones are empty without a topology), per node of the topology its memory (MB) and
 * vCPU run share (`memoryMb:0`, `runShare:0`, …), the vCPU fields that have a key of their own, the co-running
 * histogram and exit reasons.
 */
export function csvColumns(nodes: readonly number[]): string[] {
  return [
    'run',
    'windowStartUs',
    'windowEndUs',
    'windowCpus',
    'level',
    'vm',
    'vcpu',
    'tid',
    'comm',
    'vcpuCount',
    'homeNode',
    ...VM_METRICS.map((m) => m.key),
    ...VM_BALANCING_METRICS.map((m) => m.key),
    ...nodes.flatMap(vmNodeMetrics).map((m) => m.key),
    ...VCPU_ONLY,
    'coRunHistogram',
    'coRunIndependent',
    'exitReasons',
  ];
}

type Cell = string | number | null;

const emptyRow = (): Record<string, Cell> => ({});

function vmRow(
  vm: VmMetrics,
  name: string,
  topo: VmTopologyMetrics | undefined,
  nodes: readonly number[],
): Record<string, Cell> {
  const row = emptyRow();
  for (const m of [...VM_METRICS, ...VM_BALANCING_METRICS, ...nodes.flatMap(vmNodeMetrics)])
    row[m.key] = m.value({ vm, topology: topo });
  return {
    ...row,
    level: 'vm',
    vm: name,
    vcpuCount: vm.vcpuCount,
    homeNode: topo?.homeNode ?? null,
    coRunHistogram: vm.coRunHistogram.map((x) => (x === null ? '' : String(x))).join(';'),
    coRunIndependent: vm.coRunIndependent.map((x) => (x === null ? '' : String(x))).join(';'),
    exitReasons: vm.exitReasons
      ? Object.entries(vm.exitReasons)
          .map(([k, v]) => `${k}=${v}`)
          .join(';')
      : null,
  };
}

function vcpuRow(v: VcpuMetrics, name: string, topo: VcpuTopologyMetrics | undefined, P: number): Record<string, Cell> {
  const row = emptyRow();
  for (const m of VM_METRICS) if (m.vcpu) row[m.vcpu.key] = m.vcpu.value({ vcpu: v, topology: topo, cpus: P });
  return {
    ...row,
    level: 'vcpu',
    vm: name,
    vcpu: v.index,
    tid: v.tid,
    comm: v.comm,
    homeNode: topo?.homeNode ?? null,
  };
}

/**
 * The VM table (one row per VM, then one per vCPU of it) as CSV with the JSON field names as columns.
 * Numbers keep full precision; null is an empty cell; text cells are formula-escaped.
 */
export function vmTableCsv(
  metrics: RunMetrics,
  vmNames: readonly string[],
  topology: TopologyMetrics | null,
  runLabel: string,
): string {
  const w = metrics.window;
  const where = { run: runLabel, windowStartUs: w.startUs, windowEndUs: w.endUs, windowCpus: cpuListText(w.cpus) };
  const rows: Record<string, Cell>[] = [];
  const nodes = nodesOf([topology]);
  const columns = csvColumns(nodes);
  metrics.vms.forEach((vm, i) => {
    const name = vmNames[i] ?? vm.name;
    // Topology entries are by VM index, like the metrics (both follow run.vms).
    const topo = topology?.vms[i];
    rows.push(vmRow(vm, name, topo, nodes));
    for (const v of vm.vcpus)
      rows.push(
        vcpuRow(
          v,
          name,
          topo?.vcpus.find((t) => t.tid === v.tid && t.index === v.index),
          metrics.window.cpus.length,
        ),
      );
  });
  const data = rows.map((r) =>
    columns.map((c) => {
      const x = c in where ? where[c as keyof typeof where] : (r[c] ?? null);
      return typeof x === 'string' ? escapeFormula(x) : x;
    }),
  );
  // escapeFormulae as a second guard (papaparse's own default pattern misses multi-line cells).
  return Papa.unparse({ fields: columns, data }, { escapeFormulae: FORMULA_START, newline: '\n' });
}

export interface MetricsExport {
  tool: 'schedmap';
  file: string;
  label: string;
  /** The analysed window: [a, b) in ns from the trace start, or null for the whole trace. */
  rangeNs: [number, number] | null;
  /** The CPU subset, or null for all. */
  cpus: number[] | null;
  /** VM names as shown (renames applied), by VM index. */
  vmNames: string[];
  /** The machine a perf.data or trace.dat was recorded on (as `schedmap analyze --json`'s recordedOn), else null. */
  recordedOn: RecordingHost | null;
  metrics: RunMetrics;
  /** NUMA node / SMT numbers when the run has a host topology, else null. */
  topology: TopologyMetrics | null;
  sliceHistogram: PanelResult['sliceHist'];
  selection: PanelResult['selection'];
}

export function metricsJson(
  result: PanelResult,
  info: { file: string; label: string; vmNames: string[]; recordedOn: RecordingHost | null },
): string {
  const out: MetricsExport = {
    tool: 'schedmap',
    file: info.file,
    label: info.label,
    rangeNs: result.query.range ? [result.query.range[0], result.query.range[1]] : null,
    cpus: result.query.cpus ? [...result.query.cpus] : null,
    vmNames: info.vmNames,
    recordedOn: info.recordedOn,
    metrics: result.metrics,
    topology: result.topology,
    sliceHistogram: result.sliceHist,
    selection: result.selection,
  };
  return JSON.stringify(out, null, 2);
}
