// Public API of the analysis engine (pure functions over a Run: no DOM, usable
// in the worker, the CLI and tests). Definitions: docs/metrics.md.

export { analyzeRun } from './analyze';
export { seriesForRun, MAX_SERIES_BINS, type RunSeries, type VmSeries } from './series';
export { fromTasks } from './fromTask';
export { isPauseReason } from './pleExits';
export type { CpuMetrics, RunMetrics, VcpuMetrics, VmMetrics, WindowInfo } from './metrics';
export type { AnalysisOptions } from './window';
export { analyzeTopology, NODE_SPREAD_THRESHOLD, TopologyMismatchError } from './topology';
export type { NodeMetrics, NodeVmUse, TopologyMetrics, VcpuTopologyMetrics, VmTopologyMetrics } from './topology';
export { compareTopology, TOPOLOGY_COMPARE_METRICS } from './topologyCompare';
