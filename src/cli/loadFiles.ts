// Node side of the same parsers: files are streamed in 1 MiB chunks, never read
// whole; a binary format that reads by ranges (trace.dat, perf.data) gets a file handle.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DroppedInput } from '../model/runs';
import { droppedInputsOf } from '../parse/droppedInput';
import { parseInput, type ParseOptions } from '../parse/parseInput';
import { fileHandleSource } from './fileHandleSource';

export function fileSource(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

/** A file's inputs: one, or one per timehist when the file is a paste of several (droppedInputsOf). */
export async function loadInput(path: string, options: ParseOptions = {}): Promise<DroppedInput[]> {
  const name = basename(path);
  const handle = await open(path);
  const size = (await handle.stat()).size;
  const random = fileHandleSource(handle, size);
  let parsed;
  try {
    parsed = await parseInput(fileSource(path), { reserveSwitches: true, ...options, random });
  } finally {
    await handle.close();
  }
  return droppedInputsOf(name, parsed);
}

export async function loadInputs(paths: readonly string[], options: ParseOptions = {}): Promise<DroppedInput[]> {
  const out: DroppedInput[] = [];
  for (const p of paths) out.push(...(await loadInput(p, options)));
  return out;
}
