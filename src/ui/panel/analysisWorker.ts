// The analysis worker: keeps a copy of each run it is sent (its skeleton, then
// its columns, one message each) and computes the panel's jobs off the main
// thread (analyzeRun takes about 1 s per 10M switches), newest first within a
// slot.

import type { Run } from '../../model/runs';
import type { AnalysisReply, AnalysisRequest } from './analysisProtocol';
import { runJob } from './runJob';
import { placeColumn } from './runTransfer';

const runs = new Map<number, Run>();
const queue: Extract<AnalysisRequest, { type: 'job' }>[] = [];
let scheduled = false;

const post = (msg: AnalysisReply): void => (self as unknown as Worker).postMessage(msg);

function pump(): void {
  scheduled = false;
  const req = queue.shift();
  if (!req) return;
  if (req.slot !== null && queue.some((q) => q.slot === req.slot)) post({ id: req.id, status: 'superseded' });
  else {
    const run = runs.get(req.runId);
    try {
      if (!run) throw new Error(`run ${req.runId} is not loaded in the analysis worker`);
      post({ id: req.id, status: 'ok', result: runJob(run, req.job) });
    } catch (e) {
      post({ id: req.id, status: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
  schedule();
}

function schedule(): void {
  // A macrotask between jobs lets newer requests arrive (and supersede queued ones).
  if (!scheduled && queue.length > 0) {
    scheduled = true;
    setTimeout(pump, 0);
  }
}

self.onmessage = (e: MessageEvent<AnalysisRequest>) => {
  const msg = e.data;
  if (msg.type === 'run') runs.set(msg.runId, msg.run);
  else if (msg.type === 'column') {
    const run = runs.get(msg.runId);
    if (run) placeColumn(run, msg.path, msg.data);
  } else if (msg.type === 'drop') runs.delete(msg.runId);
  else {
    queue.push(msg);
    schedule();
  }
};
