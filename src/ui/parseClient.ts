// The UI's handle on the parse Worker: one request at a time per call, with
// progress callbacks and cancel.

import type { DroppedInput } from '../model/runs';
import type { FileError, WorkerReply } from '../worker/protocol';

export interface ParseProgressInfo {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ParseOutcome {
  inputs: DroppedInput[];
  errors: FileError[];
  cancelled: boolean;
}

let worker: Worker | null = null;
let nextId = 1;

function getWorker(): Worker {
  worker ??= new Worker(new URL('../worker/parseWorker.ts', import.meta.url), { type: 'module' });
  return worker;
}

export function parseFiles(
  files: File[],
  onProgress: (p: ParseProgressInfo) => void,
): { promise: Promise<ParseOutcome>; cancel: () => void } {
  const w = getWorker();
  const id = nextId++;
  const promise = new Promise<ParseOutcome>((resolve) => {
    const onMessage = (e: MessageEvent<WorkerReply>): void => {
      const msg = e.data;
      if (msg.id !== id) return;
      if (msg.type === 'progress') onProgress(msg);
      else {
        w.removeEventListener('message', onMessage);
        if (msg.type === 'done') resolve({ inputs: msg.inputs, errors: msg.errors, cancelled: false });
        else resolve({ inputs: [], errors: [], cancelled: true });
      }
    };
    w.addEventListener('message', onMessage);
    w.postMessage({ type: 'parse', id, files });
  });
  return { promise, cancel: () => w.postMessage({ type: 'cancel', id }) };
}
