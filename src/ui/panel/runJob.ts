// One analysis job on a run: the worker's and the inline fallback's shared entry.

import { antagonists } from '../../analysis/antagonists';
import type { Run } from '../../model/runs';
import type { AnalysisJob, JobResult } from './analysisProtocol';
import { analysisOptions, computePanel, computeTimeline } from './panelCompute';

export function runJob(run: Run, job: AnalysisJob): JobResult {
  switch (job.kind) {
    case 'panel':
      return computePanel(run, job.query);
    case 'timeline':
      return computeTimeline(run, job.query);
    case 'antagonists':
      return antagonists(run, job.task, analysisOptions(job.query));
  }
}
