// Byte-level input handling: sniffing magic numbers, gzip decompression on the
// fly, and text decoding, all over an async iterable of chunks so that neither
// the browser nor Node ever holds the whole file.

export type ByteSource = AsyncIterable<Uint8Array>;

export interface Sniffed {
  kind: 'gzip' | 'text' | 'utf16le' | 'utf16be' | 'binary';
  /** What a non-text input looks like, for the error message. */
  looksLike?: string;
  /** Text: how many control bytes (NUL and others) its first 64 KB hold; each line that has one is warned about. */
  controls?: number;
}

const startsWith = (b: Uint8Array, sig: number[]): boolean => b.length >= sig.length && sig.every((v, i) => b[i] === v);

/** Classify the first bytes of an input. */
export function sniffBytes(head: Uint8Array): Sniffed {
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'gzip' };
  if (startsWith(head, [0xff, 0xfe])) return { kind: 'utf16le' };
  if (startsWith(head, [0xfe, 0xff])) return { kind: 'utf16be' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return { kind: 'binary', looksLike: 'a PNG image' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'binary', looksLike: 'a JPEG image' };
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return { kind: 'binary', looksLike: 'a PDF document' };
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd]))
    return { kind: 'binary', looksLike: 'zstd-compressed data; decompress it (`zstd -d`) or recompress with gzip' };
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
    return { kind: 'binary', looksLike: 'xz-compressed data; decompress it (`xz -d`) or recompress with gzip' };
  if (startsWith(head, [0x42, 0x5a, 0x68]))
    return { kind: 'binary', looksLike: 'bzip2-compressed data; decompress it (`bunzip2`) or recompress with gzip' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'binary', looksLike: 'a zip archive; unzip it first' };
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return { kind: 'binary', looksLike: 'an ELF executable' };
  if (startsWith(head, [0x17, 0x08, 0x44])) {
    return {
      kind: 'binary',
      looksLike: 'a binary trace-cmd trace.dat; run `trace-cmd report -i trace.dat > trace.txt` and drop that',
    };
  }
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { kind: utf16 };
  const controls = controlBytes(head);
  if (controls > Math.min(head.length, TEXT_SNIFF_BYTES) / 100)
    return { kind: 'binary', looksLike: 'binary data, not text' };
  return { kind: 'text', controls };
}

/** The bytes the text/binary decision looks at. */
export const TEXT_SNIFF_BYTES = 64 * 1024;

/** A control byte that is no part of trace text (tab, LF, CR and ESC, of colour escapes, are). */
export function isControlByte(b: number): boolean {
  return (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 27) || b === 127;
}

/** NUL and other control bytes in the first 64 KB: text with more than 1 % of them is binary. */
function controlBytes(head: Uint8Array): number {
  const n = Math.min(head.length, TEXT_SNIFF_BYTES);
  let bad = 0;
  for (let i = 0; i < n; i++) if (isControlByte(head[i])) bad++;
  return bad;
}

/**
 * UTF-16 without a byte-order mark, told by its zero bytes: ASCII text in
 * UTF-16 has a zero in every other byte (the high byte of each unit), in the
 * odd bytes for little-endian, in the even ones for big-endian.
 */
function utf16WithoutBom(head: Uint8Array): 'utf16le' | 'utf16be' | null {
  const n = Math.min(head.length, TEXT_SNIFF_BYTES) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const units = n / 2;
  if (oddZero >= 0.7 * units && evenZero <= 0.05 * units) return 'utf16le';
  if (evenZero >= 0.7 * units && oddZero <= 0.05 * units) return 'utf16be';
  return null;
}

/** Pull chunks until at least `n` bytes are buffered (or the input ends). */
export async function peek(source: ByteSource, n: number): Promise<{ head: Uint8Array; rest: ByteSource }> {
  const it = source[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    held.push(r.value);
    size += r.value.length;
  }
  const head = concat(held, Math.min(size, n));
  async function* rest(): AsyncGenerator<Uint8Array> {
    for (const c of held) yield c;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, rest: rest() };
}

function concat(chunks: Uint8Array[], limit: number): Uint8Array {
  const out = new Uint8Array(limit);
  let o = 0;
  for (const c of chunks) {
    if (o >= limit) break;
    const take = Math.min(c.length, limit - o);
    out.set(c.subarray(0, take), o);
    o += take;
  }
  return out;
}

/**
 * Decompress gzip on the fly with the platform's DecompressionStream (browser
 * and Node 18+). A stream cut short yields what was decompressed and then
 * reports it through `onTruncated` instead of failing the whole parse.
 */
export async function* gunzip(source: ByteSource, onTruncated: (message: string) => void): AsyncGenerator<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const pump = (async () => {
    for await (const chunk of source) await writer.write(chunk as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  pump.catch(() => {
    /* surfaced through the reader below */
  });
  const reader = ds.readable.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      yield r.value;
    }
  } catch (e) {
    onTruncated(
      `gzip data ended early or is corrupt (${e instanceof Error ? e.message : String(e)}); kept everything decompressed before that point`,
    );
  }
}

/** UTF-16 input converted to UTF-8 chunks, once (the line splitter reads UTF-8 bytes only). */
export async function* toUtf8(source: ByteSource, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  const encoder = new TextEncoder();
  for await (const chunk of source) {
    const s = decoder.decode(chunk, { stream: true });
    if (s.length > 0) yield encoder.encode(s);
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield encoder.encode(tail);
}

/** Wrap a source so every chunk's byte count reaches `onBytes` (progress on the raw input). */
export async function* countBytes(source: ByteSource, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}
