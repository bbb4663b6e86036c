// Decompression of v7 sections and flyrecord chunks: zstd with fzstd (pure JS,
// the decoder perf.data's reader uses too), zlib with the platform's
// DecompressionStream ('deflate' is the zlib format, RFC 1950). trace-cmd
// compresses each section and each chunk as one whole frame.

import { decompress as zstdDecompress } from 'fzstd';
import { TraceDatError } from './binary';

export type Algorithm = 'zstd' | 'zlib';

/** The file's compression header to an algorithm, or null for "none"; unknown names are a clear error. */
export function compressionOf(name: string): Algorithm | null {
  if (name === 'none' || name === '') return null;
  if (name === 'zstd' || name === 'zlib') return name;
  throw new TraceDatError(
    `the file is compressed with "${name}", which SchedMap does not read (it reads zstd and zlib); convert it with \`trace-cmd convert --compression zstd\``,
  );
}

/** Decompress one frame to exactly `size` bytes. */
export async function inflate(algorithm: Algorithm, data: Uint8Array, size: number, what: string): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    // No output buffer given: fzstd is many times slower when it writes into one.
    out = algorithm === 'zstd' ? zstdDecompress(data) : await inflateZlib(data);
  } catch (e) {
    throw new TraceDatError(`${what}: ${algorithm} data is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  if (out.length !== size)
    throw new TraceDatError(`${what}: decompressed to ${out.length} bytes where the file says ${size}`);
  return out;
}

async function inflateZlib(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
