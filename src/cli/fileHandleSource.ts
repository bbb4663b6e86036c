// A file on disk as a RandomAccessSource (src/parse/source.ts): each read is a
// positioned read of the open handle, nothing is held whole.

import type { FileHandle } from 'node:fs/promises';
import type { RandomAccessSource } from '../parse/source';

export function fileHandleSource(handle: FileHandle, size: number): RandomAccessSource {
  return {
    size,
    read: async (offset, length) => {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      return buf.subarray(0, bytesRead);
    },
  };
}
