// Node side of the same parsers: files are streamed in 1 MiB chunks, never read whole.

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { DroppedInput } from '../model/runs';
import { parseInput, type ParseOptions } from '../parse/parseInput';

export function fileSource(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

export async function loadInput(path: string, options: ParseOptions = {}): Promise<DroppedInput> {
  const name = basename(path);
  const parsed = await parseInput(fileSource(path), options);
  if (parsed.kind === 'trace') return { name, kind: 'trace', model: parsed.model };
  const c = parsed.companion;
  if (c.kind === 'topology') return { name, kind: 'topology', topology: c.topology };
  return c.kind === 'vm-csv' ? { name, kind: 'vm-csv', rows: c.rows } : { name, kind: 'ps', threads: c.threads };
}

export async function loadInputs(paths: readonly string[], options: ParseOptions = {}): Promise<DroppedInput[]> {
  const out: DroppedInput[] = [];
  for (const p of paths) out.push(await loadInput(p, options));
  return out;
}
