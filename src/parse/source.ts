// A file that can be read at any offset: trace.dat and perf.data are found by
// the offsets they hold (sections, per-CPU data, features after the data), so
// they are read by ranges rather than as one stream: a File or Blob in the
// Worker, a file handle in the CLI (src/cli/fileHandleSource.ts), bytes in tests.

export interface RandomAccessSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bytes already in memory (tests, a stream collected whole). */
export function memorySource(bytes: Uint8Array): RandomAccessSource {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length))),
  };
}

/** A Blob or File (the browser Worker): each read slices it, nothing is held whole. */
export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** Collect a byte stream whole (an input that only streams: stdin, gzip), as a source. */
export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<RandomAccessSource> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    parts.push(c);
    size += c.length;
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return memorySource(all);
}
