import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureText } from '../../test/fixtures';
import { mulberry32 } from '../synth/random';
import { mutate } from '../testing/damage';
import { generateTrace } from '../synth/generate';
import { SYNTH_FORMATS } from '../synth/render';
import { SYNTH_POLICIES } from '../synth/schedule';
import { ByteLineSplitter, byteString, decodeRange } from './byteLines';
import { bytesSource, parseInput } from './parseInput';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * The oracle: the whole input decoded at once, one leading BOM dropped, split at
 * CRLF / CR / LF, ANSI CSI escapes removed by a regex.
 */
function oracleLines(bytes: Uint8Array): { lines: string[]; unterminated: boolean } {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
  const parts = text.split(/\r\n|\r|\n/);
  const unterminated = parts[parts.length - 1] !== '';
  if (!unterminated) parts.pop();
  // eslint-disable-next-line no-control-regex
  return { lines: parts.map((l, i) => `${i + 1}:${l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')}`), unterminated };
}

/** Lines (number, text) as the byte splitter gives them, pushed in chunks of `chunk` bytes. */
function split(bytes: Uint8Array, chunk: number): { lines: string[]; unterminated: boolean; count: number } {
  const lines: string[] = [];
  const bs = new ByteLineSplitter((buf, s, e, no) => lines.push(`${no}:${decodeRange(buf, s, e)}`));
  bs.push(new Uint8Array(0)); // an empty chunk first changes nothing
  for (let i = 0; i < bytes.length; i += chunk) bs.push(bytes.slice(i, i + chunk));
  bs.end();
  return { lines, unterminated: bs.unterminatedLast, count: bs.lines };
}

describe('ByteLineSplitter', () => {
  const cases: Record<string, Uint8Array> = {
    plain: encode('a\nbb\n\nccc\n'),
    unterminated: encode('a\nbb\nlast'),
    'long lines': encode(`${'x'.repeat(50)}\n${'y'.repeat(3)}\n${'z'.repeat(40)}`),
    'a BOM': encode('\ufeffa\nb\n'),
    'two BOMs': encode('\ufeff\ufeffa\nb\n'),
    'a cut BOM': Uint8Array.from([0xef, 0xbb, 0x0a, 0x61]),
    'CR at a chunk end, LF after': encode(`${'l\n'.repeat(3)}x\r\ny\r\n\r\nz`),
    'ANSI with parameters and ?': encode('\x1b[?25l\x1b[1;31mbold red\x1b[0m tail\n\x1b[x kept\n\x1b'),
    'a BOM later': encode('a\n\ufeffb\n'),
    'CRLF from the start': encode('a\r\nb\r\nc'),
    'CRLF later': encode(`${'line\n'.repeat(20)}x\r\ny\r\n`),
    'lone CR later': encode(`${'line\n'.repeat(20)}x\ry\rz`),
    'ANSI later': encode(`${'line\n'.repeat(20)}\x1b[31mred\x1b[m\nplain\n`),
    'UTF-8 across chunks': encode('CPU 0/KVM é€𝄞 ü\nnext ünïcödé\n€\n'),
    'invalid UTF-8': Uint8Array.from([0x61, 0x80, 0x62, 0x0a, 0xe2, 0x82, 0x0a, 0xf0, 0x9d, 0x0a, 0xc3]),
    empty: new Uint8Array(0),
    'only newlines': encode('\n\n\n'),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    it(`gives the oracle's lines at every chunk size: ${name}`, () => {
      const want = bytes.length === 0 ? { lines: [], unterminated: false } : oracleLines(bytes);
      for (const chunk of [1, 2, 3, 5, 7, 16, 1 << 20]) {
        const r = split(bytes, chunk);
        expect(r.lines, `chunk ${chunk}`).toEqual(want.lines);
        expect(r.count, `chunk ${chunk}`).toBe(want.lines.length);
        expect(r.unterminated, `chunk ${chunk}`).toBe(want.unterminated);
      }
    });
  }
});

describe('byteString', () => {
  it('gives one character per byte, so regex offsets are byte offsets', () => {
    const b = encode('a é€ b');
    const s = byteString(b, 0, b.length);
    expect(s.length).toBe(b.length);
    expect(s.indexOf('b')).toBe(b.lastIndexOf(0x62));
  });
});

type Outcome = { error: string } | { model: unknown };

async function outcome(bytes: Uint8Array, chunk: number): Promise<Outcome> {
  try {
    return { model: await parseInput(bytesSource(bytes, chunk)) };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** The model of `bytes` read in big chunks, and read in small odd ones (lines cut across chunks everywhere). */
async function parseBoth(bytes: Uint8Array, chunk: number): Promise<[Outcome, Outcome]> {
  return [await outcome(bytes, 1 << 20), await outcome(bytes, chunk)];
}

const traceFixtures = readdirSync(FIXTURES)
  .filter((f) => /\.txt(\.gz)?$/.test(f))
  .map((f) => f.replace(/\.gz$/, ''));

describe('the model does not depend on where chunks cut lines', () => {
  it.each(traceFixtures)('%s', async (name) => {
    const bytes = encode(fixtureText(name));
    const [a, b] = await parseBoth(bytes, 4093);
    expect(a).toEqual(b);
  });

  it.each(SYNTH_FORMATS)('synth %s, every policy', async (format) => {
    for (const policy of SYNTH_POLICIES) {
      let text = '';
      generateTrace({ cpus: 12, vms: 3, vcpus: 4, seconds: 0.05, policy, format, seed: 3 }, (t) => (text += t));
      const [a, b] = await parseBoth(encode(text), 65536);
      expect(a, policy).toEqual(b);
    }
  });
});

describe('CRLF, ANSI colour or a UTF-8 comm mid-input read as the plain input', () => {
  it.each(['qemu-tcg-2vm-x2vcpu.map.txt', 'qemu-tcg-2vm-x2vcpu.timehist.txt', 'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt'])(
    '%s with CRLF, ANSI colour or a UTF-8 comm in its second half',
    async (name) => {
      const text = fixtureText(name);
      const half = text.indexOf('\n', text.length >> 1) + 1;
      const plain = (await outcome(encode(text), 1 << 20)) as { model: { model: { byteCount: number } } };
      const normalised = [
        text.slice(0, half) + text.slice(half).replace(/\n/g, '\r\n'),
        text.slice(0, half) + text.slice(half).replace(/(\d+\.\d+)/, '\x1b[1m$1\x1b[m'),
      ];
      for (const v of normalised) {
        const [a, b] = await parseBoth(encode(v), 65521);
        expect(a).toEqual(b);
        const got = (a as typeof plain).model;
        // The same model as the plain text but for the bytes read.
        expect({ ...got, model: { ...got.model, byteCount: 0 } }).toEqual({
          ...plain.model,
          model: { ...plain.model.model, byteCount: 0 },
        });
      }
      const [a, b] = await parseBoth(
        encode(text.slice(0, half) + text.slice(half).replace(/CPU 0\//g, 'CPU é0/')),
        65521,
      );
      expect(a).toEqual(b);
      const comms = (a as { model: { model: { tasks: { comms: string[][] } } } }).model.model.tasks.comms.flat();
      // (A map names each task once, where it first runs: in the first half here.)
      if (!name.includes('.map.')) expect(comms.some((c) => c.startsWith('CPU é0/'))).toBe(true);
    },
  );
});

/** Characters that make fields look almost right: digits, blanks, brackets, separators, non-ASCII. */
const NOISE = [
  '0',
  '9',
  ' ',
  '  ',
  '\t',
  '[',
  ']',
  '/',
  ':',
  '.',
  '-',
  '*',
  '=',
  '>',
  'A',
  'x',
  'é',
  '€',
  '<idle>',
  '\x00',
];

describe('damaged input: the same model at any chunking', () => {
  const picks = traceFixtures.filter((f) => /^(qemu-tcg|synth-2vm|tracecmd|ftrace)/.test(f));
  it.each(picks)('%s', async (name) => {
    const text = fixtureText(name);
    // A few hundred lines are enough: damage is dense there.
    const head = text.slice(0, text.indexOf('\n', 60000) + 1 || text.length);
    for (let seed = 1; seed <= 12; seed++) {
      const damaged = mutate(head, mulberry32(seed), 150, NOISE, { replace: 0.35, remove: 0.55, insert: 0.8 });
      const [a, b] = await parseBoth(encode(damaged), 8191);
      expect(a, `seed ${seed}`).toEqual(b);
    }
  });
});
