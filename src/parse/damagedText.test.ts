// Whole files are not refused for one bad part: NUL and control bytes, a line
// of megabytes, UTF-16 without a byte-order mark, on a real recording.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { MAX_LINE_BYTES } from './byteLines';
import { bytesSource, parseInput, parseTrace, UnrecognizedInputError } from './parseInput';

const TEXT = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt');
const LINES = TEXT.split('\n');
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The recording with line `at` (1-based) replaced. */
function withLine(at: number, line: string): string {
  return LINES.with(at - 1, line).join('\n');
}

describe('control bytes', () => {
  it('one NUL byte in the first 4 KB: the trace is read, the line that holds it is named', async () => {
    const base = await parseTrace(bytesSource(bytes(TEXT)));
    const at = 12;
    const m = await parseTrace(
      bytesSource(bytes(withLine(at, LINES[at - 1].slice(0, 30) + '\0' + LINES[at - 1].slice(31)))),
    );
    const w = m.warnings.find((x) => x.line === at && /control byte 0x00 at byte 31/.test(x.message));
    expect(w).toBeDefined();
    expect(m.switches.length).toBeGreaterThanOrEqual(base.switches.length - 1);
  });

  it('a control byte after the first 64 KB goes to the parser alone, as any damage', async () => {
    let at = 0;
    for (let n = 0, i = 0; n < 70000; i++) n += LINES[(at = i + 1) - 1].length + 1;
    const m = await parseTrace(bytesSource(bytes(withLine(at, LINES[at - 1] + '\x01'))));
    expect(m.warnings.some((x) => /control byte/.test(x.message))).toBe(false);
  });

  it('more than 1 % of the first 64 KB control bytes is binary', async () => {
    const noisy = Uint8Array.from(bytes(TEXT).subarray(0, 1 << 17));
    for (let i = 0; i < 1 << 16; i += 64) noisy[i] = 1;
    await expect(parseInput(bytesSource(noisy))).rejects.toThrow(UnrecognizedInputError);
    await expect(parseInput(bytesSource(noisy))).rejects.toThrow(/binary data/);
  });
});

describe('lines over 1 MB', () => {
  for (const chunk of [65536, 8 << 20]) {
    it(`a 3 MB line is skipped by its number, the rest read (chunks of ${chunk} bytes)`, async () => {
      const base = await parseTrace(bytesSource(bytes(TEXT), chunk));
      const at = 500;
      const long = 'x'.repeat(3 << 20);
      const text = [...LINES.slice(0, at - 1), long, ...LINES.slice(at - 1)].join('\n');
      const m = await parseTrace(bytesSource(bytes(text), chunk));
      expect(m.warnings.find((w) => w.line === at)?.message).toBe(
        `skipped: a line of ${3 << 20} bytes (real trace lines are under 4 KB; the limit is ${MAX_LINE_BYTES}): not read`,
      );
      expect(m.skippedLines).toBe(base.skippedLines + 1);
      expect(m.switches.length).toBe(base.switches.length);
      expect(m.lineCount).toBe(base.lineCount + 1);
    });
  }

  it('a long line that ends the file is skipped too', async () => {
    const m = await parseTrace(bytesSource(bytes(TEXT + 'y'.repeat(MAX_LINE_BYTES + 5)), 1 << 16));
    expect(m.warnings.some((w) => w.message.startsWith(`skipped: a line of ${MAX_LINE_BYTES + 5} bytes`))).toBe(true);
  });
});

describe('UTF-16 without a byte-order mark', () => {
  for (const enc of ['utf16le', 'utf16be'] as const) {
    it(`${enc}: read like the UTF-8 file`, async () => {
      const base = await parseTrace(bytesSource(bytes(TEXT)));
      const le = Buffer.from(TEXT, 'utf16le');
      const data = enc === 'utf16le' ? le : Buffer.from(le).swap16();
      const m = await parseTrace(bytesSource(data, 4099));
      expect(m.switches.length).toBe(base.switches.length);
      expect(Array.from(m.switches.time)).toEqual(Array.from(base.switches.time));
    });
  }
});
