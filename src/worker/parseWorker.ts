// The parse Worker: streams each dropped File through the parsers, tells the UI
// how far it got, and hands back the parsed inputs (buffers transferred); the
// UI assembles them into runs, so companions can also come in a later drop.
// Each trace also comes with its slices grouped by CPU (the map's slice index,
// one pass over the trace), so the page does not stall building it.

import type { DroppedInput } from '../model/runs';
import { droppedInputOf } from '../parse/droppedInput';
import { ParseCancelledError, parseInput } from '../parse/parseInput';
import { blobSource } from '../parse/traceDat/source';
import { groupSlicesByCpu, type CpuSlices } from '../render/sliceIndex';
import type { FileError, WorkerReply, WorkerRequest } from './protocol';
import { transferablesOf } from './transfer';

const controllers = new Map<number, AbortController>();
const post = (msg: WorkerReply, transfer: Transferable[] = []): void =>
  (self as unknown as Worker).postMessage(msg, transfer);

async function streamOf(file: File): Promise<AsyncIterable<Uint8Array>> {
  const reader = file.stream().getReader();
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        yield r.value;
      }
    },
  };
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  const inputs: DroppedInput[] = [];
  const errors: FileError[] = [];
  let lastPost = 0;
  try {
    for (let i = 0; i < msg.files.length; i++) {
      const file = msg.files[i];
      try {
        const parsed = await parseInput(await streamOf(file), {
          signal: controller.signal,
          random: blobSource(file),
          onProgress: ({ bytesRead }) => {
            const now = performance.now();
            if (now - lastPost < 50 && bytesRead < file.size) return;
            lastPost = now;
            post({
              type: 'progress',
              id: msg.id,
              file: file.name,
              fileIndex: i,
              fileCount: msg.files.length,
              bytesRead,
              totalBytes: file.size,
            });
          },
        });
        inputs.push(droppedInputOf(file.name, parsed));
      } catch (err) {
        if (err instanceof ParseCancelledError) throw err;
        errors.push({ file: file.name, message: err instanceof Error ? err.message : String(err) });
      }
    }
    const cpuSlices: (CpuSlices | null)[] = inputs.map((i) => (i.kind === 'trace' ? groupSlicesByCpu(i.model) : null));
    post({ type: 'done', id: msg.id, inputs, errors, cpuSlices }, transferablesOf(inputs, cpuSlices));
  } catch (err) {
    if (err instanceof ParseCancelledError) post({ type: 'cancelled', id: msg.id });
    else post({ type: 'done', id: msg.id, inputs: [], errors: [{ file: '', message: String(err) }] });
  } finally {
    controllers.delete(msg.id);
  }
};
