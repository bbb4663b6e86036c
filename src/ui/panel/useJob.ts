// A job's result for the current inputs, computed off the render path: the
// last result stays on screen while a newer one is computed (debounced, so a
// selection being dragged or a window being panned asks once it settles). A
// result arrives as a transition: React renders its tables and charts in
// slices, so a big result does not stall the page.

import { startTransition, useEffect, useState, useSyncExternalStore } from 'react';
import type { DrawnRun } from '../../model/drawnRun';
import type { PanelQuery, PanelResult } from '../../analysis/panel';
import { cachedJob, jobMemoVersion, onJobResult, requestJob } from '../modelClient';
import type { AnalysisJob, JobResult } from '../../worker/protocol';
import type { MetricNoise } from '../../analysis/noise';

export interface JobState<T> {
  /** The newest result (possibly of an older job while `loading`); undefined before the first. */
  value: T | undefined;
  /** The key of the job `value` belongs to. */
  key: string | null;
  loading: boolean;
  error: string | null;
}

export function useJob<T extends JobResult>(
  run: DrawnRun,
  job: AnalysisJob | null,
  slot: string | null,
  debounceMs = 120,
): JobState<T> {
  const key = job ? JSON.stringify(job) : null;
  const [state, setState] = useState<{ key: string | null; value: T | undefined; error: string | null }>(() => {
    const hit = job ? cachedJob(run.id, job) : undefined;
    return { key: hit !== undefined ? key : null, value: hit as T | undefined, error: null };
  });

  useEffect(() => {
    if (!job || key === null) return;
    const hit = cachedJob(run.id, job);
    if (hit !== undefined) {
      setState({ key, value: hit as T, error: null });
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      requestJob(run.id, job, slot).then(
        (r) => {
          if (alive && r !== undefined) startTransition(() => setState({ key, value: r as T, error: null }));
        },
        (e: unknown) => {
          if (alive) setState((s) => ({ ...s, key, error: e instanceof Error ? e.message : String(e) }));
        },
      );
    }, debounceMs);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // The job is identified by its key.
  }, [run, key, slot, debounceMs]);

  return { value: state.value, key: state.key, loading: key !== null && state.key !== key, error: state.error };
}

/**
 * The panel results the panes of these runs computed for their current queries (undefined where not yet):
 * a selector over the memoised results, for the comparison, which shows what the panes compute without
 * asking again.
 */
export function usePanelResults(
  runs: readonly DrawnRun[],
  queries: readonly (PanelQuery | null)[],
): (PanelResult | undefined)[] {
  useSyncExternalStore(onJobResult, jobMemoVersion);
  return runs.map((r, i) => {
    const query = queries[i];
    return query ? (cachedJob(r.id, { kind: 'panel', query }) as PanelResult | undefined) : undefined;
  });
}

/**
 * Each run's metric noise (10 sub-windows, analysis/noise.ts) for its pane's query, asked of the worker
 * once per run and query (slot `noise:<run>`: a newer query of the run supersedes a queued one); null
 * where not yet computed.
 */
export function useNoiseResults(
  runs: readonly DrawnRun[],
  queries: readonly (PanelQuery | null)[],
): (MetricNoise | null)[] {
  useSyncExternalStore(onJobResult, jobMemoVersion);
  const jobs = queries.map((query): AnalysisJob | null => (query ? { kind: 'noise', query } : null));
  const key = JSON.stringify(jobs) + runs.map((r) => r.id).join(',');
  useEffect(() => {
    jobs.forEach((job, i) => {
      const run = runs[i];
      if (job && run && cachedJob(run.id, job) === undefined)
        requestJob(run.id, job, `noise:${run.id}`).catch(() => undefined);
    });
    // The jobs are identified by their key.
  }, [key]);
  return runs.map((r, i) => {
    const job = jobs[i];
    return job ? ((cachedJob(r.id, job) as MetricNoise | undefined) ?? null) : null;
  });
}
