// The UI's handle on the parse Worker: one request at a time per call, with
// progress callbacks and cancel.

import type { DroppedInput } from '../model/runs';
import { adoptCpuSlices } from '../render/sliceIndex';
import type { FileError, WorkerReply } from '../worker/protocol';
// Inlined (a blob URL at run time): the same code works from a static host and
// from the one-file build opened straight from disk.
import ParseWorker from '../worker/parseWorker?worker&inline';

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
  worker ??= new ParseWorker();
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
        if (msg.type === 'done') {
          // The worker grouped each trace's slices by CPU: the map's slice index need not be built here.
          msg.inputs.forEach((input, i) => {
            const c = msg.cpuSlices?.[i];
            if (c && input.kind === 'trace') adoptCpuSlices(input.model, c);
          });
          resolve({ inputs: msg.inputs, errors: msg.errors, cancelled: false });
        } else resolve({ inputs: [], errors: [], cancelled: true });
      }
    };
    w.addEventListener('message', onMessage);
    w.postMessage({ type: 'parse', id, files });
  });
  return { promise, cancel: () => w.postMessage({ type: 'cancel', id }) };
}
