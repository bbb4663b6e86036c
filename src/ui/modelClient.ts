// The page's handle on the model worker (src/worker): open files, close runs,
// ask analysis jobs and vCPU tracks. Every reply is matched to its request by
// id. Job results are memoised per run and job (going back to a range is
// instant); superseded jobs resolve undefined.

import type { VcpuTrack } from '../model/vcpuTracks';
import type { AnalysisJob, FileError, JobResult, OpenTarget, RunMessage, WorkerReply, WorkerRequest } from '../worker/protocol';
// Inlined (a blob URL at run time): the same code works from a static host and
// from the one-file build opened straight from disk.
import ModelWorker from '../worker/modelWorker?worker&inline';

export interface ParseProgressInfo {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  totalBytes: number;
}

export type OpenOutcome =
  | { kind: 'opened'; runs: (RunMessage | { id: number })[] | null; errors: FileError[] }
  /** Held only companions and joined an older request of the same target: that one's outcome applies. */
  | { kind: 'joined'; into: number }
  | { kind: 'cancelled'; bytesRead: number; totalBytes: number };

const CACHE_PER_RUN = 32;

let worker: Worker | null = null;
let nextId = 1;
const handlers = new Map<number, (msg: WorkerReply) => void>();
const cache = new Map<number, Map<string, JobResult>>();
/** Runs closed: a late result is not memoised for them. */
const gone = new Set<number>();

function send(msg: WorkerRequest, transfer: Transferable[] = []): void {
  if (!worker) {
    worker = new ModelWorker();
    worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => handlers.get(e.data.id)?.(e.data));
  }
  worker.postMessage(msg, transfer);
}

/** Parse files and apply them to `target`; the id names the request (replies to others are not its). */
export function openFiles(
  files: File[],
  target: OpenTarget,
  onProgress: (p: ParseProgressInfo) => void,
): { id: number; promise: Promise<OpenOutcome>; cancel: () => void } {
  const id = nextId++;
  const promise = new Promise<OpenOutcome>((resolve) => {
    handlers.set(id, (msg) => {
      if (msg.type === 'progress') return onProgress(msg);
      handlers.delete(id);
      if (msg.type === 'opened') resolve({ kind: 'opened', runs: msg.runs, errors: msg.errors });
      else if (msg.type === 'joined') resolve({ kind: 'joined', into: msg.into });
      else if (msg.type === 'cancelled')
        resolve({ kind: 'cancelled', bytesRead: msg.bytesRead, totalBytes: msg.totalBytes });
    });
  });
  send({ type: 'open', id, files, target });
  return { id, promise, cancel: () => send({ type: 'cancel', id }) };
}

/** Close a run: the worker forgets it (and its model, unless another run shares it). */
export function closeRun(runId: number): void {
  forgetRun(runId);
  send({ type: 'close', runId });
}

/** Forget a run the worker no longer holds (closed, or replaced by an open request): its memoised results. */
export function forgetRun(runId: number): void {
  cache.delete(runId);
  gone.add(runId);
}

const listeners = new Set<() => void>();
let memoVersion = 0;

/** A number that changes whenever a job result is memoised (for useSyncExternalStore). */
export function jobMemoVersion(): number {
  return memoVersion;
}

function remember(runId: number, key: string, result: JobResult): void {
  let c = cache.get(runId);
  if (!c) cache.set(runId, (c = new Map()));
  c.delete(key);
  c.set(key, result);
  while (c.size > CACHE_PER_RUN) c.delete(c.keys().next().value as string);
  memoVersion++;
  for (const f of listeners) f();
}

/** Be told whenever a job result is memoised (returns the unsubscribe). */
export function onJobResult(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** A memoised result, if this job was computed already. */
export function cachedJob(runId: number, job: AnalysisJob): JobResult | undefined {
  return cache.get(runId)?.get(JSON.stringify(job));
}

/**
 * Compute a job on a run (memoised). Resolves undefined when a newer request of the same slot superseded
 * it before it started.
 */
export function requestJob(runId: number, job: AnalysisJob, slot: string | null = null): Promise<JobResult | undefined> {
  const key = JSON.stringify(job);
  const hit = cache.get(runId)?.get(key);
  if (hit !== undefined) return Promise.resolve(hit);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    handlers.set(id, (msg) => {
      if (msg.type !== 'job') return;
      handlers.delete(id);
      if (msg.status === 'ok') {
        if (!gone.has(runId)) remember(runId, key, msg.result);
        resolve(msg.result);
      } else if (msg.status === 'superseded') resolve(undefined);
      else reject(new Error(msg.message));
    });
    send({ type: 'job', id, runId, slot, job });
  });
}

/** The vCPU-lane tracks of some tasks of a run, built in the worker and transferred. */
export function requestVcpuTracks(runId: number, tasks: readonly number[]): Promise<VcpuTrack[]> {
  const id = nextId++;
  return new Promise((resolve) => {
    handlers.set(id, (msg) => {
      if (msg.type !== 'vcpu-tracks') return;
      handlers.delete(id);
      resolve(msg.tracks);
    });
    send({ type: 'vcpu-tracks', id, runId, tasks: [...tasks] });
  });
}
