// How much a metric moves by chance within one run: the run's window split into
// SUB_WINDOWS equal sub-windows, every catalogue metric computed in each, and
// the standard error of the window's value estimated as the sub-windows'
// standard deviation / sqrt(sub-windows with a value). A comparison marks a
// difference better or worse only when it exceeds twice the larger of the two
// runs' standard errors (compare.ts, docs/metrics.md "Comparing runs").

import type { Run } from '../model/runs';
import { analyzeRun } from './analyze';
import { HOST_METRICS, VM_METRICS } from './catalogue';
import { analyzeTopology } from './topology';
import { resolveWindow, type AnalysisOptions } from './window';

export const SUB_WINDOWS = 10;

/** Standard errors by catalogue key; null where fewer than 2 sub-windows have a value. */
export type StandardErrors = Record<string, number | null>;

export interface MetricNoise {
  /** Sub-windows used and the length of each, ns. */
  subWindows: number;
  subWindowNs: number;
  /** Per VM (by VM index, as RunMetrics.vms). */
  vms: StandardErrors[];
  host: StandardErrors;
}

/** Sample standard deviation / sqrt(n) of the finite values; null below 2 values. */
export function standardError(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  const n = v.length;
  if (n < 2) return null;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const ss = v.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  return Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
}

/** The noise of every catalogue metric of a run over the window `options` gives (its range and CPUs). */
export function metricNoise(run: Run, options: AnalysisOptions = {}, parts = SUB_WINDOWS): MetricNoise {
  const w = resolveWindow(run.model, options);
  const step = w.duration / parts;
  const subs = Array.from({ length: parts }, (_, i) => {
    const range: [number, number] = [w.start + i * step, i === parts - 1 ? w.end : w.start + (i + 1) * step];
    const o: AnalysisOptions = { ...options, range };
    const metrics = analyzeRun(run, o);
    const topology = run.topology ? analyzeTopology(run, run.topology, o) : null;
    return { metrics, topology };
  });
  const vms = run.vms.map((_, v) => {
    const out: StandardErrors = {};
    for (const m of VM_METRICS)
      // A node number has no standard error (a mean of node names means nothing).
      out[m.key] =
        m.unit === 'node'
          ? null
          : standardError(subs.map((s) => m.value({ vm: s.metrics.vms[v], topology: s.topology?.vms[v] ?? null })));
    return out;
  });
  const host: StandardErrors = {};
  for (const m of HOST_METRICS) host[m.key] = standardError(subs.map((s) => m.value(s)));
  return { subWindows: parts, subWindowNs: step, vms, host };
}
