// The whole `schedmap analyze --json` object of one run: the summary's fields
// with the metrics merged in (per-VM metrics in each vms[] entry, per-vCPU ones
// in each vms[].vcpus[] entry), and the time series when asked for. With a host
// topology: its summary (`topology`), the per-node numbers (`nodes[]`) and the
// per-VM / per-vCPU topology fields in the same entries.

import type { HostTopology, TopologySummary } from '../model/topology';
import type { HostNodeMemoryFact } from '../model/numaMemory';
import { numaBalancingOfVms, vmMemoryFields, type VmNumaBalancing } from './memory';
import type { Run } from '../model/runs';
import type { RunMemory } from '../model/vmMemory';
import { analyzeRun } from './analyze';
import type { AnalysisOptions } from './window';
import type { CpuMetrics, RunMetrics, VcpuMetrics, VmMetrics, WindowInfo } from './metrics';
import { seriesForRun, type RunSeries } from './series';
import { wholeTraceEvents, windowEvents, type WindowEvents } from './windowEvents';
import { summarizeRun, type TraceSummary, type VmSummary } from './summary';
import {
  analyzeTopology,
  type NodeMetrics,
  type TopologyMetrics,
  type VcpuTopologyMetrics,
  type VmTopologyMetrics,
} from './topology';

type VmTopologyFields = Omit<VmTopologyMetrics, 'name' | 'vcpus'>;
type VcpuTopologyFields = Omit<VcpuTopologyMetrics, 'index' | 'tid'>;

export type VmReport = VmSummary &
  Omit<VmMetrics, 'name' | 'vcpus'> &
  Partial<VmTopologyFields> &
  Partial<VmNumaBalancing> & {
    vcpus: (VmSummary['vcpus'][number] & Omit<VcpuMetrics, 'index' | 'tid' | 'comm'> & Partial<VcpuTopologyFields>)[];
  };

export type RunReport = Omit<TraceSummary, 'vms'> & {
  window: WindowInfo;
  /** Counts in the analysed window; null for events the input's format cannot carry. */
  windowEvents: WindowEvents;
  switchesPerSecPerCpu: number | null;
  perCpu: CpuMetrics[];
  vms: VmReport[];
  series?: RunSeries;
  /** Present only when a topology was applied. */
  topology?: TopologySummary & { file: string | null };
  nodes?: NodeMetrics[];
  /**
   * Present only when memory files were dropped: their names, the host's node table, and what could not be
   * matched. Per VM, memoryByNode (and with a topology localRunFraction, cpuTimeByNode) are in vms[].
   */
  memory?: { files: string[]; nodes: HostNodeMemoryFact[]; notes: string[] };
};

export function mergeReport(
  summary: TraceSummary,
  metrics: RunMetrics,
  events: WindowEvents,
  series?: RunSeries,
  topo?: { metrics: TopologyMetrics; file: string | null },
  memory?: RunMemory | null,
  balancing?: VmNumaBalancing[],
): RunReport {
  const vms = summary.vms.map((vm, i): VmReport => {
    const mv = metrics.vms[i];
    const { vcpus: metricVcpus, name: _name, ...vmFields } = mv;
    const tv = topo?.metrics.vms[i];
    const { vcpus: topoVcpus, name: _tname, ...topoFields } = tv ?? { vcpus: undefined, name: undefined };
    // Without a topology the memory by node is still known; what needs run time per node stays out.
    const memoryFields =
      !tv && memory
        ? (({ memoryByNode, memoryMb, memoryHomeNode }) => ({ memoryByNode, memoryMb, memoryHomeNode }))(
            vmMemoryFields(memory, i, []),
          )
        : {};
    return {
      ...vm,
      ...vmFields,
      ...(balancing?.[i] ?? {}),
      ...memoryFields,
      ...topoFields,
      vcpus: vm.vcpus.map((v, j) => {
        const { index: _i, tid: _t, comm: _c, ...vcpuFields } = metricVcpus[j];
        const tvc = topoVcpus?.[j];
        const { index: _ti, tid: _tt, ...topoVcpuFields } = tvc ?? { index: undefined, tid: undefined };
        return { ...v, ...vcpuFields, ...topoVcpuFields };
      }),
    };
  });
  return {
    ...summary,
    window: metrics.window,
    windowEvents: events,
    switchesPerSecPerCpu: metrics.switchesPerSecPerCpu,
    perCpu: metrics.perCpu,
    vms,
    ...(series ? { series } : {}),
    ...(topo ? { topology: { ...topo.metrics.topology, file: topo.file }, nodes: topo.metrics.nodes } : {}),
    ...(memory ? { memory: { files: memory.files, nodes: memory.hostNodes, notes: memory.notes } } : {}),
  };
}

export interface ReportOptions extends AnalysisOptions {
  seriesBinNs?: number;
  /** A host topology that fits the run (see topologyMismatch); its fields are added. */
  topology?: HostTopology | null;
  /** File name the topology came from, for the report. */
  topologyFile?: string | null;
}

export function reportRun(run: Run, options: ReportOptions = {}): RunReport {
  const { seriesBinNs, topology, topologyFile, ...analysis } = options;
  const series = seriesBinNs !== undefined ? seriesForRun(run, seriesBinNs, analysis) : undefined;
  const topo = topology ? { metrics: analyzeTopology(run, topology, analysis), file: topologyFile ?? null } : undefined;
  const summary = summarizeRun(run);
  const whole = !analysis.range && !analysis.cpus;
  return mergeReport(
    summary,
    analyzeRun(run, analysis),
    whole ? wholeTraceEvents(summary) : windowEvents(run.model, analysis),
    series,
    topo,
    run.memory,
    numaBalancingOfVms(run, analysis),
  );
}
