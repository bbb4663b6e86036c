// Messages between the UI and the analysis worker. A run is sent once, as a
// copy (the map keeps the page's): its skeleton, then its typed-array columns
// one message each (runTransfer.ts); requests name it by id. A request with a `slot` is superseded by a later request of
// the same slot still in the queue (a selection being dragged, a window being
// panned): only the newest is computed.

import type { AntagonistReport } from '../../analysis/antagonists';
import type { Run } from '../../model/runs';
import type { PanelQuery, PanelResult, Timeline, TimelineQuery } from './panelCompute';

export type AnalysisJob =
  | { kind: 'panel'; query: PanelQuery }
  | { kind: 'timeline'; query: TimelineQuery }
  | { kind: 'antagonists'; task: number; query: PanelQuery };

export type AnalysisRequest =
  | { type: 'run'; runId: number; run: Run }
  /** A column of the run's copy, to put back at `path` (its buffer transferred). */
  | { type: 'column'; runId: number; path: string[]; data: ArrayBufferView }
  | { type: 'drop'; runId: number }
  | { type: 'job'; id: number; runId: number; slot: string | null; job: AnalysisJob };

export type JobResult = PanelResult | Timeline | AntagonistReport | null;

export type AnalysisReply =
  | { id: number; status: 'ok'; result: JobResult }
  | { id: number; status: 'superseded' }
  | { id: number; status: 'error'; message: string };
