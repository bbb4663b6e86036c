// The UI's handle on the analysis worker: sends each run once, memoises
// results per run and job (so going back to a range is instant), and resolves
// superseded requests with null. Without Worker support (or if it fails to
// start) jobs run inline after a macrotask.

import type { Run } from '../../model/runs';
import type { AnalysisJob, AnalysisReply, AnalysisRequest, JobResult } from './analysisProtocol';
import { runJob } from './runJob';
import { splitColumns, streamColumns } from './runTransfer';
// Inlined (a blob URL at run time), like the parse worker: works from a static host and from the
// one-file build opened from disk.
import AnalysisWorker from './analysisWorker?worker&inline';

const CACHE_PER_RUN = 32;

let worker: Worker | null | undefined;
let nextRunId = 1;
let nextJobId = 1;
const runIds = new WeakMap<Run, number>();
/** Runs the worker holds (or is being sent): a drop must follow when they are released. */
const sent = new Set<number>();
/** Runs being sent to the worker (or sent: the promise resolved true). */
const sending = new Map<number, { promise: Promise<boolean>; controller: AbortController }>();
const cache = new Map<number, Map<string, JobResult>>();
const pending = new Map<number, { resolve: (r: JobResult | undefined) => void; reject: (e: Error) => void }>();

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = typeof Worker === 'undefined' ? null : new AnalysisWorker();
  } catch {
    worker = null;
  }
  worker?.addEventListener('message', (e: MessageEvent<AnalysisReply>) => {
    const msg = e.data;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.status === 'ok') p.resolve(msg.result);
    else if (msg.status === 'superseded') p.resolve(undefined);
    else p.reject(new Error(msg.message));
  });
  return worker;
}

export function runIdOf(run: Run): number {
  let id = runIds.get(run);
  if (id === undefined) runIds.set(run, (id = nextRunId++));
  return id;
}

function remember(runId: number, key: string, result: JobResult): void {
  let c = cache.get(runId);
  if (!c) cache.set(runId, (c = new Map()));
  c.delete(key);
  c.set(key, result);
  while (c.size > CACHE_PER_RUN) c.delete(c.keys().next().value as string);
}

/** A memoised result, if this job was computed already. */
export function cachedJob(run: Run, job: AnalysisJob): JobResult | undefined {
  return cache.get(runIdOf(run))?.get(JSON.stringify(job));
}

/**
 * Compute a job on a run (memoised). Resolves undefined when a newer request of the same slot
 * superseded it before it started.
 */
export function requestJob(run: Run, job: AnalysisJob, slot: string | null = null): Promise<JobResult | undefined> {
  const runId = runIdOf(run);
  const key = JSON.stringify(job);
  const hit = cache.get(runId)?.get(key);
  if (hit !== undefined) return Promise.resolve(hit);
  const w = getWorker();
  if (!w)
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          const r = runJob(run, job);
          remember(runId, key, r);
          resolve(r);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }, 0),
    );
  const id = nextJobId++;
  return sendRun(w, run, runId).then(
    (isSent) =>
      new Promise<JobResult | undefined>((resolve, reject) => {
        // Closed while it was being copied: nobody waits for the answer.
        if (!isSent) return resolve(undefined);
        pending.set(id, {
          resolve: (r) => {
            if (r !== undefined) remember(runId, key, r);
            resolve(r);
          },
          reject,
        });
        w.postMessage({ type: 'job', id, runId, slot, job } satisfies AnalysisRequest);
      }),
  );
}

/**
 * Send the run to the worker once: its skeleton, then each column copied a slice at a time and transferred
 * (runTransfer.ts). Jobs are posted after it (the worker reads messages in order). Resolves false when the
 * run was released meanwhile.
 */
function sendRun(w: Worker, run: Run, runId: number): Promise<boolean> {
  let s = sending.get(runId);
  if (!s) {
    const controller = new AbortController();
    const { skeleton, columns } = splitColumns(run);
    w.postMessage({ type: 'run', runId, run: skeleton } satisfies AnalysisRequest);
    sent.add(runId);
    const promise = streamColumns(
      columns,
      (path, data) =>
        w.postMessage({ type: 'column', runId, path, data } satisfies AnalysisRequest, [data.buffer as ArrayBuffer]),
      controller.signal,
    );
    sending.set(runId, (s = { promise, controller }));
  }
  return s.promise;
}

/** Forget a closed run: its copy in the worker and its memoised results. */
export function releaseRun(run: Run): void {
  const id = runIds.get(run);
  if (id === undefined) return;
  cache.delete(id);
  sending.get(id)?.controller.abort();
  sending.delete(id);
  if (sent.delete(id)) worker?.postMessage({ type: 'drop', runId: id } satisfies AnalysisRequest);
}
