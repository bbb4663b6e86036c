// One analysis job on a run (the model worker's answers to the panel).

import { antagonists } from '../analysis/antagonists';
import { analysisOptions, computePanel, computeTimeline } from '../analysis/panel';
import { metricNoise } from '../analysis/noise';
import { sliceWakeup } from '../analysis/sliceWakeup';
import type { Run } from '../model/runs';
import type { AnalysisJob, JobResult } from './protocol';

export function runJob(run: Run, job: AnalysisJob): JobResult {
  switch (job.kind) {
    case 'panel':
      return computePanel(run, job.query);
    case 'timeline':
      return computeTimeline(run, job.query);
    case 'noise':
      return metricNoise(run, analysisOptions(job.query));
    case 'antagonists':
      return antagonists(run, job.task, analysisOptions(job.query));
    case 'wakeup':
      return sliceWakeup(run.model, job.task, job.start);
  }
}
