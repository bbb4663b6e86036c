// The UI's handle on the analysis worker: sends each run once, memoises
// results per run and job (so going back to a range is instant), and resolves
// superseded requests with null. Without Worker support (or if it fails to
// start) jobs run inline after a macrotask.

import type { Run } from '../../model/runs';
import type { AnalysisJob, AnalysisReply, AnalysisRequest, JobResult } from './analysisProtocol';
import { runJob } from './runJob';
// Inlined (a blob URL at run time), like the parse worker: works from a static host and from the
// one-file build opened from disk.
import AnalysisWorker from './analysisWorker?worker&inline';

const CACHE_PER_RUN = 32;

let worker: Worker | null | undefined;
let nextRunId = 1;
let nextJobId = 1;
const runIds = new WeakMap<Run, number>();
const sent = new Set<number>();
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

/**
 * A copy of a run whose typed arrays are fresh copies, with their buffers: posting it with those
 * buffers transferred costs a memcpy per column instead of a structured clone of the whole model
 * (about half the time on the main thread). The map keeps the original.
 */
export function copyForTransfer<T>(value: T): { copy: T; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const visit = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object' || depth > 6) return v;
    if (ArrayBuffer.isView(v)) {
      if (!(v instanceof DataView) && v.buffer instanceof ArrayBuffer) {
        const c = (v as unknown as Uint8Array).slice();
        buffers.push(c.buffer);
        return c;
      }
      return v;
    }
    // Arrays (names, comms, VM groups) are cloned by postMessage as they are.
    if (Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = visit(x, depth + 1);
    return out;
  };
  return { copy: visit(value, 0) as T, buffers };
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
  if (!sent.has(runId)) {
    sent.add(runId);
    const { copy, buffers } = copyForTransfer(run);
    w.postMessage({ type: 'run', runId, run: copy } satisfies AnalysisRequest, buffers);
  }
  const id = nextJobId++;
  return new Promise((resolve, reject) => {
    pending.set(id, {
      resolve: (r) => {
        if (r !== undefined) remember(runId, key, r);
        resolve(r);
      },
      reject,
    });
    w.postMessage({ type: 'job', id, runId, slot, job } satisfies AnalysisRequest);
  });
}

/** Forget a closed run: its copy in the worker and its memoised results. */
export function releaseRun(run: Run): void {
  const id = runIds.get(run);
  if (id === undefined) return;
  cache.delete(id);
  if (sent.delete(id)) worker?.postMessage({ type: 'drop', runId: id } satisfies AnalysisRequest);
}
