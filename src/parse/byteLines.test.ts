import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureText } from '../../test/fixtures';
import { mulberry32, type Random } from '../synth/random';
import { generateTrace } from '../synth/generate';
import { SYNTH_FORMATS } from '../synth/render';
import { SYNTH_POLICIES } from '../synth/schedule';
import { ByteLineSplitter } from './byteLines';
import { LineSplitter } from './lines';
import { bytesSource, parseInput } from './parseInput';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Lines (number, text) as the byte splitter gives them, and as the text pipeline does. */
function splitBoth(
  bytes: Uint8Array,
  chunk: number,
): { viaBytes: string[]; viaText: string[]; unterminated: boolean[] } {
  const viaBytes: string[] = [];
  const bs = new ByteLineSplitter(
    (buf, s, e, no) => viaBytes.push(`${no}:${bs.textOf(buf, s, e)}`),
    (text, no) => viaBytes.push(`${no}:${text}`),
  );
  bs.push(new Uint8Array(0)); // an empty chunk first changes nothing
  for (let i = 0; i < bytes.length; i += chunk) bs.push(bytes.slice(i, i + chunk));
  bs.end();
  const viaText: string[] = [];
  const ts = new LineSplitter((text, no) => viaText.push(`${no}:${text}`));
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for (let i = 0; i < bytes.length; i += chunk) {
    const s = decoder.decode(bytes.subarray(i, i + chunk), { stream: true });
    if (s.length > 0) ts.push(s);
  }
  const tail = decoder.decode();
  if (tail.length > 0) ts.push(tail);
  ts.end();
  expect(bs.lines).toBe(ts.lines);
  return { viaBytes, viaText, unterminated: [bs.unterminatedLast, ts.unterminatedLast] };
}

describe('ByteLineSplitter', () => {
  const cases: Record<string, Uint8Array> = {
    plain: encode('a\nbb\n\nccc\n'),
    unterminated: encode('a\nbb\nlast'),
    'long lines': encode(`${'x'.repeat(50)}\n${'y'.repeat(3)}\n${'z'.repeat(40)}`),
    'a BOM': encode('\ufeffa\nb\n'),
    'two BOMs': encode('\ufeff\ufeffa\nb\n'),
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
    it(`gives the text pipeline's lines: ${name}`, () => {
      for (const chunk of [1, 2, 3, 5, 7, 16, 1 << 20]) {
        const r = splitBoth(bytes, chunk);
        expect(r.viaBytes, `chunk ${chunk}`).toEqual(r.viaText);
        expect(r.unterminated[0], `chunk ${chunk}`).toBe(r.unterminated[1]);
      }
    });
  }
});

type Outcome = { error: string } | { model: unknown };

async function parseBoth(bytes: Uint8Array, chunk: number): Promise<[Outcome, Outcome]> {
  const run = async (byteLines: boolean): Promise<Outcome> => {
    try {
      const r = await parseInput(bytesSource(bytes, chunk), { byteLines });
      return { model: r };
    } catch (e) {
      return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  };
  return [await run(true), await run(false)];
}

const traceFixtures = readdirSync(FIXTURES)
  .filter((f) => /\.txt(\.gz)?$/.test(f))
  .map((f) => f.replace(/\.gz$/, ''));

describe('byte fast paths give the text path model', () => {
  it.each(traceFixtures)('%s', async (name) => {
    const bytes = encode(fixtureText(name));
    for (const chunk of [1 << 20, 4093]) {
      const [a, b] = await parseBoth(bytes, chunk);
      expect(a).toEqual(b);
    }
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

describe('byte fast paths hand over to the text pipeline mid-input', () => {
  it.each(['qemu-tcg-2vm-x2vcpu.map.txt', 'qemu-tcg-2vm-x2vcpu.timehist.txt', 'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt'])(
    '%s with CRLF, ANSI colour or a UTF-8 comm in its second half',
    async (name) => {
      const text = fixtureText(name);
      const half = text.indexOf('\n', text.length >> 1) + 1;
      const variants = [
        text.slice(0, half) + text.slice(half).replace(/\n/g, '\r\n'),
        text.slice(0, half) + text.slice(half).replace(/(\d+\.\d+)/, '\x1b[1m$1\x1b[m'),
        text.slice(0, half) + text.slice(half).replace(/CPU 0\//g, 'CPU é0/'),
      ];
      for (const v of variants) {
        const [a, b] = await parseBoth(encode(v), 65521);
        expect(a).toEqual(b);
      }
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

/** A copy of `text` with `n` random small edits: replaced, deleted or inserted characters, cut lines. */
function mutate(text: string, rnd: Random, n: number): string {
  let t = text;
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * t.length);
    const what = rnd();
    const noise = NOISE[Math.floor(rnd() * NOISE.length)];
    if (what < 0.35) t = t.slice(0, at) + noise + t.slice(at + 1);
    else if (what < 0.55) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 4));
    else if (what < 0.8) t = t.slice(0, at) + noise + t.slice(at);
    else {
      // Cut the line here: the rest of it is lost.
      const nl = t.indexOf('\n', at);
      if (nl > at) t = t.slice(0, at) + t.slice(nl);
    }
  }
  return t;
}

describe('byte fast paths give the text path model on damaged input', () => {
  const picks = traceFixtures.filter((f) => /^(qemu-tcg|synth-2vm|tracecmd|ftrace)/.test(f));
  it.each(picks)('%s', async (name) => {
    const text = fixtureText(name);
    // A few hundred lines are enough: damage is dense there.
    const head = text.slice(0, text.indexOf('\n', 60000) + 1 || text.length);
    for (let seed = 1; seed <= 12; seed++) {
      const damaged = mutate(head, mulberry32(seed), 150);
      const [a, b] = await parseBoth(encode(damaged), 8191);
      expect(a, `seed ${seed}`).toEqual(b);
    }
  });
});
