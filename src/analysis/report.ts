// The whole `schedmap analyze --json` object of one run: the summary's fields
// with the metrics merged in (per-VM metrics in each vms[] entry, per-vCPU ones
// in each vms[].vcpus[] entry), and the time series when asked for.

import type { Run } from '../model/runs';
import { analyzeRun, type AnalysisOptions } from './analyze';
import type { CpuMetrics, RunMetrics, VcpuMetrics, VmMetrics, WindowInfo } from './metrics';
import { seriesForRun, type RunSeries } from './series';
import { summarizeRun, type TraceSummary, type VmSummary } from './summary';

export type VmReport = VmSummary &
  Omit<VmMetrics, 'name' | 'vcpus'> & {
    vcpus: (VmSummary['vcpus'][number] & Omit<VcpuMetrics, 'index' | 'tid' | 'comm'>)[];
  };

export type RunReport = Omit<TraceSummary, 'vms'> & {
  window: WindowInfo;
  switchesPerSecPerCpu: number | null;
  perCpu: CpuMetrics[];
  vms: VmReport[];
  series?: RunSeries;
};

export function mergeReport(summary: TraceSummary, metrics: RunMetrics, series?: RunSeries): RunReport {
  const vms = summary.vms.map((vm, i): VmReport => {
    const mv = metrics.vms[i];
    const { vcpus: metricVcpus, name: _name, ...vmFields } = mv;
    return {
      ...vm,
      ...vmFields,
      vcpus: vm.vcpus.map((v, j) => {
        const { index: _i, tid: _t, comm: _c, ...vcpuFields } = metricVcpus[j];
        return { ...v, ...vcpuFields };
      }),
    };
  });
  return {
    ...summary,
    window: metrics.window,
    switchesPerSecPerCpu: metrics.switchesPerSecPerCpu,
    perCpu: metrics.perCpu,
    vms,
    ...(series ? { series } : {}),
  };
}

export function reportRun(run: Run, options: AnalysisOptions & { seriesBinNs?: number } = {}): RunReport {
  const { seriesBinNs, ...analysis } = options;
  const series = seriesBinNs !== undefined ? seriesForRun(run, seriesBinNs, analysis) : undefined;
  return mergeReport(summarizeRun(run), analyzeRun(run, analysis), series);
}
