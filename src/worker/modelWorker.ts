// The model worker: one for the page, holding every open run's model (see
// host.ts). Never terminated while the page lives: it holds the open runs.

import { ModelHost } from './host';
import type { WorkerReply, WorkerRequest } from './protocol';

const host = new ModelHost((msg: WorkerReply, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer),
);

self.onmessage = (e: MessageEvent<WorkerRequest>) => host.handle(e.data);
