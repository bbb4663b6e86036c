// Writing a report: the one-file app's HTML with each input embedded as an
// inert data block (gzipped, base64). Inputs are streamed from disk through the
// gzip and base64 encoders straight into the output file, so a report of a
// 1 GB trace never holds the trace (or its encoding) in memory.

import { createReadStream, createWriteStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

export interface ReportInput {
  path: string;
  /** The file name the app shows. */
  name: string;
  /** Names the run (traces only), or null. */
  label: string | null;
}

/** The view a report opens in: a window (and analysed range) in ns from the trace start, and the lane mode. */
export interface ReportView {
  range: [number, number] | null;
  lanes: 'cpu' | 'vcpu';
}

/**
 * Up to this many bytes of input are compressed at gzip's best level (small
 * reports are mailed around); past it at level 3, which on trace text is about
 * 3x faster than level 9 for ~20 % more bytes, so a big report takes about as
 * long as analysing the trace.
 */
export const BEST_LEVEL_MAX_BYTES = 64 * 1024 * 1024;

export const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Bytes to base64 in a stream: a chunk's last 0-2 bytes wait for the next so no padding lands mid-stream. */
export class Base64Encoder extends Transform {
  private held: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const all = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const whole = all.length - (all.length % 3);
    this.held = Buffer.from(all.subarray(whole));
    done(null, whole > 0 ? all.subarray(0, whole).toString('base64') : undefined);
  }

  override _flush(done: TransformCallback): void {
    done(null, this.held.length > 0 ? this.held.toString('base64') : undefined);
  }
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Stream one input, gzipped unless it already is, as base64 into `out` (left open). */
async function embedInput(path: string, out: Writable): Promise<void> {
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const encoder = new Base64Encoder();
  if (isGzip(path)) await pipeline(source, encoder, out, { end: false });
  else {
    const level = statSync(path).size <= BEST_LEVEL_MAX_BYTES ? 9 : 3;
    await pipeline(source, createGzip({ level, chunkSize: 1 << 20 }), encoder, out, { end: false });
  }
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (e) => (e ? reject(e) : resolve())));
}

/** Write the report: the app's HTML with the inputs' data blocks before its `</body>`. Resolves to the bytes written. */
export async function writeReport(
  appHtml: string,
  inputs: readonly ReportInput[],
  outPath: string,
  view: ReportView | null = null,
): Promise<number> {
  const at = appHtml.lastIndexOf('</body>');
  if (at < 0) throw new Error('the one-file app has no </body>');
  const out = createWriteStream(outPath);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  await write(out, appHtml.slice(0, at));
  for (const input of inputs) {
    const label = input.label === null ? '' : ` data-label="${escapeAttr(input.label)}"`;
    // Base64 has no '<', so the block cannot end early.
    await write(out, `<script type="application/x-schedmap-trace" data-name="${escapeAttr(input.name)}"${label}>`);
    await embedInput(input.path, out);
    await write(out, '</script>\n');
  }
  // Numbers and two fixed words: JSON with no '<', so the block cannot end early.
  if (view) await write(out, `<script type="application/x-schedmap-view">${JSON.stringify(view)}</script>\n`);
  await write(out, appHtml.slice(at));
  out.end();
  await closed;
  return out.bytesWritten;
}
