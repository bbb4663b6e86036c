// The analysis results: the fields of `schedmap analyze --json` added next to
// the summary's (docs/metrics.md defines each). Times are µs (`...Us`), rates
// per second; a ratio whose denominator is 0 is null.

export interface WindowInfo {
  /** Window start and end, µs relative to the trace's first event. */
  startUs: number;
  endUs: number;
  /** D, µs. */
  durationUs: number;
  /** P: the CPUs counted. */
  cpus: number[];
}

export interface CpuMetrics {
  cpu: number;
  switches: number;
  switchesPerSec: number | null;
  /** Idle time / known time on that CPU. */
  idleFraction: number | null;
}

export interface VcpuMetrics {
  index: number;
  tid: number;
  comm: string;
  runSliceMedianUs: number | null;
  switchInsPerSec: number | null;
  /** Run time / D. */
  runFraction: number | null;
  /** Preempted time / D; null without states. */
  preemptedFraction: number | null;
  migrationsPerSec: number | null;
  /** Null without wakeup events (or no wakeup of this thread that led to a switch-in). */
  runDelayP99Us: number | null;
}

export interface VmMetrics {
  name: string;
  /** n: its vCPU threads. */
  vcpuCount: number;
  /** k = min(n, P). */
  k: number;
  gangScore: number | null;
  /** The gang score the same run shares would give if the vCPUs ran independently. */
  gangScoreIndependent: number | null;
  /** (gangScore - gangScoreIndependent) / (1 - gangScoreIndependent): 0 independent, 1 perfect gang. */
  coScheduling: number | null;
  allRunningFraction: number | null;
  /** Fraction of D with r(t) = j, j = 0..n (j = 0 includes unknown time). */
  coRunHistogram: (number | null)[];
  /**
   * What coRunHistogram would be if its vCPUs ran independently at the same run shares p_i = run time / D:
   * the Poisson-binomial distribution of r, j = 0..n (null entries when D = 0).
   */
  coRunIndependent: (number | null)[];
  runSliceMedianUs: number | null;
  runSliceP90Us: number | null;
  runSliceP99Us: number | null;
  runSliceMaxUs: number | null;
  switchInsPerSec: number | null;
  siblingHandoffs: number;
  siblingHandoffsPerSec: number | null;
  cpuShare: number | null;
  hostNoiseShare: number | null;
  vcpuMigrationsPerSec: number | null;
  preemptedVcpusMean: number | null;
  runDelayP50Us: number | null;
  runDelayP99Us: number | null;
  pleExitsPerSec: number | null;
  exitReasons: Record<string, number> | null;
  vcpus: VcpuMetrics[];
}

export interface RunMetrics {
  window: WindowInfo;
  switchesPerSecPerCpu: number | null;
  perCpu: CpuMetrics[];
  vms: VmMetrics[];
}
