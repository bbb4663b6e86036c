// The model worker's state and its answers: the open runs (their models live
// here, once), the open requests being parsed, and the queue of analysis jobs.
// Parsing yields to the message queue every few ms, so a job for an open run,
// a newer drop or a Cancel is read while a big file is still being parsed, and
// parses of several requests interleave. A request's result applies only when
// no newer request of its target is still undecided: the newest request with a
// trace wins (older ones are cancelled), and requests holding only companions
// join the one before them. No DOM: the same code runs in tests.

import { cpuSlicesBuffers, groupSlicesByCpu } from '../model/cpuSlices';
import { drawnRunOf } from '../model/drawnRun';
import { addRuns, dropOnApp, NOTHING_OPEN, onlyCompanions, replaceRun, closeRun, type OpenRuns } from '../model/drop';
import type { DroppedInput, Run } from '../model/runs';
import { droppedInputsOf } from '../parse/droppedInput';
import type { TraceModel } from '../model/types';
import { vcpuTrackBuffers, vcpuTracks } from '../model/vcpuTracks';
import { ParseCancelledError, parseInput } from '../parse/parseInput';
import { TEXT_SNIFF_BYTES } from '../parse/bytes';
import { blobSource } from '../parse/source';
import { runJob } from './jobs';
import { macrotask } from './macrotask';
import type { FileError, OpenTarget, RunMessage, WorkerReply, WorkerRequest } from './protocol';

/** Parse work between two looks at the message queue, ms. */
export const YIELD_MS = 8;
/** Bytes handed to the parser at a time (a stream's chunk may be much bigger). */
const PIECE = 1 << 18;
/** At most one progress message per this many ms. */
const PROGRESS_MS = 50;

export type Post = (msg: WorkerReply, transfer?: Transferable[]) => void;

interface OpenRequest {
  id: number;
  /** Requests of one key compete: the app's drop, one pane's replacement; every add is its own. */
  key: string;
  target: OpenTarget;
  files: File[];
  controller: AbortController;
  parsed: { inputs: DroppedInput[]; errors: FileError[] } | null;
  bytesRead: number;
  totalBytes: number;
}

type Queued =
  | Extract<WorkerRequest, { type: 'job' }>
  | Extract<WorkerRequest, { type: 'vcpu-tracks' }>;

export class ModelHost {
  private open: OpenRuns = NOTHING_OPEN;
  private readonly runIds = new Map<Run, number>();
  private readonly modelIds = new Map<TraceModel, number>();
  private nextRunId = 1;
  private nextModelId = 1;
  /** Open requests in arrival order. */
  private readonly requests: OpenRequest[] = [];
  private readonly queue: Queued[] = [];
  private pumping = false;

  constructor(
    private readonly post: Post,
    private readonly now: () => number = () => performance.now(),
  ) {}

  handle(msg: WorkerRequest): void {
    switch (msg.type) {
      case 'open':
        this.startOpen(msg.id, msg.files, msg.target);
        return;
      case 'cancel': {
        const r = this.requests.find((q) => q.id === msg.id);
        if (r) {
          this.drop(r);
          this.settle(r.key);
        }
        return;
      }
      case 'close': {
        const run = this.runById(msg.runId);
        if (run) this.setOpen(closeRun(this.open, run));
        return;
      }
      default:
        this.queue.push(msg);
        this.schedule();
    }
  }

  /** The open runs, in pane order, with their ids (tests). */
  runs(): { id: number; run: Run }[] {
    return this.open.runs.map((run) => ({ id: this.idOf(run), run }));
  }

  private runById(id: number): Run | undefined {
    return this.open.runs.find((r) => this.runIds.get(r) === id);
  }

  private idOf(run: Run): number {
    let id = this.runIds.get(run);
    if (id === undefined) this.runIds.set(run, (id = this.nextRunId++));
    return id;
  }

  private modelIdOf(model: TraceModel): number {
    let id = this.modelIds.get(model);
    if (id === undefined) this.modelIds.set(model, (id = this.nextModelId++));
    return id;
  }

  /** Take a new state; forget the ids of runs and models no longer open (their models can be collected). */
  private setOpen(next: OpenRuns): void {
    this.open = next;
    for (const r of [...this.runIds.keys()]) if (!next.runs.includes(r)) this.runIds.delete(r);
    const models = new Set(next.inputs.flatMap((i) => (i.kind === 'trace' ? [i.model] : [])));
    for (const m of [...this.modelIds.keys()]) if (!models.has(m)) this.modelIds.delete(m);
  }

  // ---- open requests ------------------------------------------------------------------------------

  private startOpen(id: number, files: File[], target: OpenTarget): void {
    const key = target.kind === 'app' ? 'app' : target.kind === 'replace' ? `replace:${target.runId}` : `add:${id}`;
    const req: OpenRequest = {
      id,
      key,
      target,
      files,
      controller: new AbortController(),
      parsed: null,
      bytesRead: 0,
      totalBytes: files.reduce((s, f) => s + f.size, 0),
    };
    this.requests.push(req);
    void this.parseAll(req).then(
      (parsed) => {
        if (req.controller.signal.aborted || !this.requests.includes(req)) return;
        req.parsed = parsed;
        this.settle(key);
      },
      (err: unknown) => {
        if (!this.requests.includes(req)) return;
        if (err instanceof ParseCancelledError) return;
        req.parsed = { inputs: [], errors: [{ file: '', message: String(err) }] };
        this.settle(key);
      },
    );
  }

  private async parseAll(req: OpenRequest): Promise<{ inputs: DroppedInput[]; errors: FileError[] }> {
    const inputs: DroppedInput[] = [];
    const errors: FileError[] = [];
    let lastPost = -Infinity;
    let before = 0;
    for (let i = 0; i < req.files.length; i++) {
      const file = req.files[i];
      try {
        const parsed = await parseInput(this.chunks(file, req.controller.signal), {
          signal: req.controller.signal,
          // Binary formats that read by ranges (trace.dat) read the File itself.
          random: blobSource(file),
          onProgress: ({ bytesRead }) => {
            req.bytesRead = before + bytesRead;
            const t = this.now();
            if (t - lastPost < PROGRESS_MS && bytesRead < file.size) return;
            lastPost = t;
            this.post({
              type: 'progress',
              id: req.id,
              file: file.name,
              fileIndex: i,
              fileCount: req.files.length,
              bytesRead,
              totalBytes: file.size,
            });
          },
        });
        inputs.push(...droppedInputsOf(file.name, parsed));
      } catch (err) {
        if (err instanceof ParseCancelledError || req.controller.signal.aborted) throw err;
        errors.push({ file: file.name, message: err instanceof Error ? err.message : String(err) });
      }
      before += file.size;
    }
    return { inputs, errors };
  }

  /**
   * A file's bytes, with a look at the message queue every YIELD_MS of parsing. The head the parser sniffs
   * is read by a slice, and the rest is streamed only if the parser asks for it: a perf.data or trace.dat
   * is then read by ranges alone, with none of the read-ahead a stream does on its own.
   */
  private async *chunks(file: Blob, signal: AbortSignal): AsyncGenerator<Uint8Array> {
    const headEnd = Math.min(file.size, TEXT_SNIFF_BYTES);
    yield new Uint8Array(await file.slice(0, headEnd).arrayBuffer());
    if (headEnd === file.size) return;
    const reader = file.slice(headEnd).stream().getReader();
    let since = this.now();
    try {
      for (;;) {
        if (signal.aborted) throw new ParseCancelledError('Parsing was cancelled.');
        const r = await reader.read();
        if (r.done) return;
        for (let at = 0; at < r.value.length; at += PIECE) {
          yield r.value.subarray(at, Math.min(r.value.length, at + PIECE));
          if (signal.aborted) throw new ParseCancelledError('Parsing was cancelled.');
          if (this.now() - since >= YIELD_MS) {
            await macrotask();
            since = this.now();
          }
        }
      }
    } finally {
      void reader.cancel().catch(() => {});
    }
  }

  /** Stop a request: abort its parse, answer it cancelled, forget it. */
  private drop(r: OpenRequest): void {
    r.controller.abort();
    this.requests.splice(this.requests.indexOf(r), 1);
    this.post({ type: 'cancelled', id: r.id, bytesRead: r.bytesRead, totalBytes: r.totalBytes });
  }

  /**
   * Decide what the requests of a key come to: the newest parsed one with a trace cancels every older one;
   * once none is still parsing, the oldest answers with the inputs of all (the newer ones hold only
   * companions, or nothing readable) and the others are told they joined it.
   */
  private settle(key: string): void {
    const mine = (): OpenRequest[] => this.requests.filter((r) => r.key === key);
    let list = mine();
    let newest = -1;
    list.forEach((r, i) => {
      if (r.parsed && r.parsed.inputs.length > 0 && !onlyCompanions(r.parsed.inputs)) newest = i;
    });
    for (const r of list.slice(0, Math.max(0, newest))) this.drop(r);
    list = mine();
    if (list.length === 0 || list.some((r) => r.parsed === null)) return;
    const [head, ...joined] = list;
    for (const r of list) this.requests.splice(this.requests.indexOf(r), 1);
    const inputs = list.flatMap((r) => (r.parsed as NonNullable<OpenRequest['parsed']>).inputs);
    const errors = list.flatMap((r) => (r.parsed as NonNullable<OpenRequest['parsed']>).errors);
    for (const r of joined) this.post({ type: 'joined', id: r.id, into: head.id });
    this.apply(head, inputs, errors);
  }

  private apply(req: OpenRequest, inputs: DroppedInput[], errors: FileError[]): void {
    const before = this.open;
    let next: OpenRuns | null;
    if (inputs.length === 0) next = null;
    else if (req.target.kind === 'app') next = dropOnApp(before, inputs);
    else if (req.target.kind === 'add') next = addRuns(before, inputs);
    else {
      const run = this.runById(req.target.runId);
      next = run ? replaceRun(before, run, inputs) : null;
      if (run && !next) errors = [...errors, { file: req.files[0]?.name ?? '', message: 'no trace in these files' }];
    }
    if (!next) {
      this.post({ type: 'opened', id: req.id, runs: null, errors });
      return;
    }
    // The page holds the drawn slices of the models its runs show; a new run of another model brings them.
    const held = new Set(before.runs.map((r) => r.model));
    const knownIds = new Set(before.runs.map((r) => this.idOf(r)));
    this.setOpen(next);
    const transfer: ArrayBuffer[] = [];
    const runs = next.runs.map((run): RunMessage | { id: number } => {
      const id = this.idOf(run);
      if (knownIds.has(id)) return { id };
      const slices = held.has(run.model) ? null : groupSlicesByCpu(run.model);
      if (slices) {
        held.add(run.model);
        transfer.push(...cpuSlicesBuffers(slices));
      }
      const topologyFile = next.inputs.find((i) => i.kind === 'topology' && i.topology === run.topology)?.name ?? null;
      const drawn = drawnRunOf(run, { id, modelId: this.modelIdOf(run.model) }, slices ?? undefined, topologyFile);
      return { ...drawn, slices };
    });
    this.post({ type: 'opened', id: req.id, runs, errors }, transfer);
  }

  // ---- jobs ---------------------------------------------------------------------------------------

  private schedule(): void {
    // A macrotask between jobs lets newer requests arrive (and supersede queued ones).
    if (this.pumping || this.queue.length === 0) return;
    this.pumping = true;
    void macrotask().then(() => this.pump());
  }

  private pump(): void {
    this.pumping = false;
    const req = this.queue.shift();
    if (!req) return;
    if (req.type === 'job' && req.slot !== null && this.queue.some((q) => q.type === 'job' && q.slot === req.slot))
      this.post({ type: 'job', id: req.id, status: 'superseded' });
    else if (req.type === 'job') {
      try {
        const run = this.runById(req.runId);
        if (!run) throw new Error(`run ${req.runId} is not open`);
        this.post({ type: 'job', id: req.id, status: 'ok', result: runJob(run, req.job) });
      } catch (e) {
        this.post({ type: 'job', id: req.id, status: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    } else {
      const run = this.runById(req.runId);
      const tracks = run ? vcpuTracks(run.model, req.tasks) : [];
      this.post({ type: 'vcpu-tracks', id: req.id, tracks }, vcpuTrackBuffers(tracks));
    }
    this.schedule();
  }
}
