// Messages between the page and the model worker, which owns every run's
// model: it parses dropped files, applies the drop/join rule, and answers
// analysis jobs and vCPU-track requests. Every reply names the request it
// answers; the page gets what it draws (the drawn slices, vCPU tracks), with
// buffers transferred.

import type { AntagonistReport } from '../analysis/antagonists';
import type { PanelQuery, PanelResult, Timeline, TimelineQuery } from '../analysis/panel';
import type { MetricNoise } from '../analysis/noise';
import type { SliceWakeup } from '../analysis/sliceWakeup';
import type { CpuSlices } from '../model/cpuSlices';
import type { DrawnRun } from '../model/drawnRun';
import type { VcpuTrack } from '../model/vcpuTracks';

/**
 * What an open request changes: the app's runs (a drop: companions join, traces replace), new panes next
 * to them, or one pane. A newer request of the same target supersedes an older one still in flight,
 * unless it holds only companions: then it joins the older one.
 */
export type OpenTarget = { kind: 'app' } | { kind: 'add' } | { kind: 'replace'; runId: number };

export type AnalysisJob =
  | { kind: 'panel'; query: PanelQuery }
  | { kind: 'timeline'; query: TimelineQuery }
  /** Standard errors of every catalogue metric over the query's window (10 sub-windows), for comparisons. */
  | { kind: 'noise'; query: PanelQuery }
  | { kind: 'antagonists'; task: number; query: PanelQuery }
  /** The wakeup (waker, its CPU, latency) or runnable wait behind the slice of `task` switched in at `start`. */
  | { kind: 'wakeup'; task: number; start: number };

export type JobResult = PanelResult | Timeline | AntagonistReport | MetricNoise | SliceWakeup | null;

export type WorkerRequest =
  | { type: 'open'; id: number; files: File[]; target: OpenTarget }
  /** Stop an open request: no result comes for it. */
  | { type: 'cancel'; id: number }
  | { type: 'close'; runId: number }
  /** A job with a `slot` is superseded by a later request of the same slot still in the queue. */
  | { type: 'job'; id: number; runId: number; slot: string | null; job: AnalysisJob }
  | { type: 'vcpu-tracks'; id: number; runId: number; tasks: number[] };

export interface FileError {
  file: string;
  message: string;
}

/** A run new to the page; `slices` null when the page holds them already (another run of the same model). */
export type RunMessage = Omit<DrawnRun, 'slices'> & { slices: CpuSlices | null };

export type WorkerReply =
  | { type: 'progress'; id: number; file: string; fileIndex: number; fileCount: number; bytesRead: number; totalBytes: number }
  /**
   * An open request's result: every open run, in pane order (runs the page has by id only), or null when
   * nothing changed (nothing could be read: see errors).
   */
  | { type: 'opened'; id: number; runs: (RunMessage | { id: number })[] | null; errors: FileError[] }
  /** The request held only companions and joined an older one of its target in flight: that one answers. */
  | { type: 'joined'; id: number; into: number }
  /** Cancelled or superseded: no result comes; how far it had read. */
  | { type: 'cancelled'; id: number; bytesRead: number; totalBytes: number }
  | { type: 'job'; id: number; status: 'ok'; result: JobResult }
  | { type: 'job'; id: number; status: 'superseded' }
  | { type: 'job'; id: number; status: 'error'; message: string }
  | { type: 'vcpu-tracks'; id: number; tracks: VcpuTrack[] };
