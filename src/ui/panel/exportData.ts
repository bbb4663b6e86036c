// Exports of a pane: the VM table as CSV (papaparse; cells that a spreadsheet
// would run as a formula are escaped: task and VM names are untrusted), every
// metric as JSON, the map as PNG. Downloads go through an object URL and an
// <a download> click: nothing leaves the machine.

import Papa from 'papaparse';
import type { RunMetrics, VcpuMetrics, VmMetrics } from '../../analysis/metrics';
import type { TopologyMetrics, VcpuTopologyMetrics, VmTopologyMetrics } from '../../analysis/topology';
import type { PanelResult } from '../../analysis/panel';

/** A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for spreadsheets: a leading quote before a formula character. */
export function escapeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export const CSV_COLUMNS = [
  'level',
  'vm',
  'vcpu',
  'tid',
  'comm',
  'vcpuCount',
  'gangScore',
  'allRunningFraction',
  'coRunHistogram',
  'runSliceMedianUs',
  'runSliceP90Us',
  'runSliceP99Us',
  'runSliceMaxUs',
  'switchInsPerSec',
  'siblingHandoffs',
  'cpuShare',
  'runFraction',
  'hostNoiseShare',
  'vcpuMigrationsPerSec',
  'migrationsPerSec',
  'preemptedVcpusMean',
  'preemptedFraction',
  'runDelayP50Us',
  'runDelayP99Us',
  'pleExitsPerSec',
  'exitReasons',
  // With a host topology (empty cells without one):
  'homeNode',
  'nodeSpread',
  'homeNodeFraction',
  'crossNodeMigrationsPerSec',
  'smtSiblingCoRunFraction',
] as const;

type Cell = string | number | null;

function vmRow(vm: VmMetrics, name: string, topo: VmTopologyMetrics | undefined): Record<string, Cell> {
  return {
    level: 'vm',
    vm: name,
    vcpu: null,
    tid: null,
    comm: null,
    vcpuCount: vm.vcpuCount,
    gangScore: vm.gangScore,
    allRunningFraction: vm.allRunningFraction,
    coRunHistogram: vm.coRunHistogram.map((x) => (x === null ? '' : String(x))).join(';'),
    runSliceMedianUs: vm.runSliceMedianUs,
    runSliceP90Us: vm.runSliceP90Us,
    runSliceP99Us: vm.runSliceP99Us,
    runSliceMaxUs: vm.runSliceMaxUs,
    switchInsPerSec: vm.switchInsPerSec,
    siblingHandoffs: vm.siblingHandoffs,
    cpuShare: vm.cpuShare,
    runFraction: null,
    hostNoiseShare: vm.hostNoiseShare,
    vcpuMigrationsPerSec: vm.vcpuMigrationsPerSec,
    migrationsPerSec: null,
    preemptedVcpusMean: vm.preemptedVcpusMean,
    preemptedFraction: null,
    runDelayP50Us: vm.runDelayP50Us,
    runDelayP99Us: vm.runDelayP99Us,
    pleExitsPerSec: vm.pleExitsPerSec,
    exitReasons: vm.exitReasons
      ? Object.entries(vm.exitReasons)
          .map(([k, v]) => `${k}=${v}`)
          .join(';')
      : null,
    homeNode: topo?.homeNode ?? null,
    nodeSpread: topo?.nodeSpread ?? null,
    homeNodeFraction: topo?.homeNodeFraction ?? null,
    crossNodeMigrationsPerSec: topo?.crossNodeMigrationsPerSec ?? null,
    smtSiblingCoRunFraction: topo?.smtSiblingCoRunFraction ?? null,
  };
}

function vcpuRow(v: VcpuMetrics, name: string, topo: VcpuTopologyMetrics | undefined): Record<string, Cell> {
  const row: Record<string, Cell> = Object.fromEntries(CSV_COLUMNS.map((c) => [c, null]));
  return {
    ...row,
    level: 'vcpu',
    vm: name,
    vcpu: v.index,
    tid: v.tid,
    comm: v.comm,
    runSliceMedianUs: v.runSliceMedianUs,
    switchInsPerSec: v.switchInsPerSec,
    runFraction: v.runFraction,
    migrationsPerSec: v.migrationsPerSec,
    preemptedFraction: v.preemptedFraction,
    runDelayP99Us: v.runDelayP99Us,
    homeNode: topo?.homeNode ?? null,
    homeNodeFraction: topo?.homeNodeFraction ?? null,
    crossNodeMigrationsPerSec: topo?.crossNodeMigrationsPerSec ?? null,
  };
}

/**
 * The VM table (one row per VM, then one per vCPU of it) as CSV with the JSON field names as columns.
 * Numbers keep full precision; null is an empty cell; text cells are formula-escaped.
 */
export function vmTableCsv(
  metrics: RunMetrics,
  vmNames: readonly string[],
  topology: TopologyMetrics | null = null,
): string {
  const rows: Record<string, Cell>[] = [];
  metrics.vms.forEach((vm, i) => {
    const name = vmNames[i] ?? vm.name;
    // Topology entries are by VM index, like the metrics (both follow run.vms).
    const topo = topology?.vms[i];
    rows.push(vmRow(vm, name, topo));
    for (const v of vm.vcpus)
      rows.push(
        vcpuRow(
          v,
          name,
          topo?.vcpus.find((t) => t.tid === v.tid && t.index === v.index),
        ),
      );
  });
  const data = rows.map((r) =>
    CSV_COLUMNS.map((c) => {
      const x = r[c];
      return typeof x === 'string' ? escapeFormula(x) : x;
    }),
  );
  // escapeFormulae as a second guard (papaparse's own default pattern misses multi-line cells).
  return Papa.unparse({ fields: [...CSV_COLUMNS], data }, { escapeFormulae: FORMULA_START, newline: '\n' });
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
  metrics: RunMetrics;
  /** NUMA node / SMT numbers when the run has a host topology, else null. */
  topology: TopologyMetrics | null;
  sliceHistogram: PanelResult['sliceHist'];
  selection: PanelResult['selection'];
}

export function metricsJson(result: PanelResult, info: { file: string; label: string; vmNames: string[] }): string {
  const out: MetricsExport = {
    tool: 'schedmap',
    file: info.file,
    label: info.label,
    rangeNs: result.query.range ? [result.query.range[0], result.query.range[1]] : null,
    cpus: result.query.cpus ? [...result.query.cpus] : null,
    vmNames: info.vmNames,
    metrics: result.metrics,
    topology: result.topology,
    sliceHistogram: result.sliceHist,
    selection: result.selection,
  };
  return JSON.stringify(out, null, 2);
}

/** A file name from untrusted text: letters, digits, dot, dash, underscore. */
export function safeFileName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 120) || 'schedmap'
  );
}

/** Save a blob as a file: object URL + <a download> click (no network). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
