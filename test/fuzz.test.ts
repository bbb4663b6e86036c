// Mutation fuzzing of real recordings of every format, through the public entry
// point (parseInput), keeping the classes of issue 19 fixed: no crash (a model,
// or a clear UnrecognizedInputError), no complete line of a cut file lost, no
// number folded into another (every CPU and thread id in the model is one the
// input holds), warnings that name lines inside the input, one damaged line
// costing at most a few switches (a --compact note not its column). Seeded: the same
// mutants every run.

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CPU_LIMIT, TID_LIMIT } from '../src/model/builder';
import type { TraceModel } from '../src/model/types';
import { bytesSource, parseInput, UnrecognizedInputError } from '../src/parse/parseInput';
import { mulberry32 as rng } from '../src/synth/random';
import { fixtureBytes, fixtureText } from './fixtures';

/** Mutants per input and per mutation kind (huge numbers, the class with most ways to go wrong, get more). */
const MUTANTS = 6;
const MUTANTS_OF: Record<string, number> = { hugeNumber: 30 };
/** Text inputs are fuzzed on their first lines: the parsers' state machines are all reached by then. */
const TEXT_LINES = 1500;

const TEXT_INPUTS = [
  'qemu-tcg-2vm-x2vcpu.map.txt',
  'qemu-tcg-2vm-x2vcpu.map-compact.txt',
  'qemu-tcg-2vm-x2vcpu.script.txt',
  'qemu-tcg-2vm-x2vcpu.script-pidtid.txt',
  'qemu-tcg-2vm-x2vcpu.timehist.txt',
  'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt',
  'tracecmd-qemu-2vm-x3vcpu.script-ns.txt',
  'ftrace-qemu-3vm-x2vcpu.ftrace.txt',
  'tracecmd-vmsim-4vm-x2vcpu.report-t.txt',
];
const BINARY_INPUTS = [
  'tracecmd-vmsim-4vm-x2vcpu.v6.dat',
  'tracecmd-vmsim-4vm-x2vcpu.v7-zstd.dat',
  'perf-vmsim-2vm-x2vcpu.sched.perf.data',
  'perf-vmsim-2vm-x2vcpu.pipe.perf.data',
  'perf-vmsim-2vm-x2vcpu.z.perf.data',
];

type Outcome = { model: TraceModel } | { refused: string };

/** The parse of an input: a model, or the clear refusal; anything else thrown fails the test (a crash). */
async function parse(bytes: Uint8Array): Promise<Outcome> {
  try {
    const r = await parseInput(bytesSource(bytes, 64 * 1024));
    if (r.kind !== 'trace') return { refused: `companion ${r.companion.kind}` };
    return { model: r.model };
  } catch (e) {
    if (e instanceof UnrecognizedInputError) return { refused: e.message };
    throw e;
  }
}

const encoder = new TextEncoder();

function headLines(name: string): string[] {
  return fixtureText(name).split('\n').slice(0, TEXT_LINES);
}

/** Every decimal number written in the text: the values a model read from it may hold. */
function numbersIn(text: string): Set<number> {
  const out = new Set<number>();
  for (const m of text.matchAll(/\d+/g)) out.add(Number(m[0]));
  return out;
}

/** The classes every mutant must keep: warnings name lines of the input; CPUs and tids are the input's, in range. */
function checkModel(model: TraceModel, text: string | null): void {
  for (const w of model.warnings) {
    expect(w.line).toBeGreaterThanOrEqual(0);
    expect(w.line).toBeLessThanOrEqual(model.lineCount + 1);
    if (w.message.startsWith('skipped')) expect(w.line).toBeGreaterThan(0);
  }
  for (const cpu of model.cpus) expect(cpu).toBeLessThan(CPU_LIMIT);
  for (const tid of model.tasks.tid) {
    expect(tid).toBeGreaterThanOrEqual(-1);
    expect(tid).toBeLessThan(TID_LIMIT);
  }
  if (text === null) return;
  // No number folded into another: every CPU and thread id is written in the text.
  const numbers = numbersIn(text);
  for (const cpu of model.cpus) expect(numbers.has(cpu) || model.format === 'perf-sched-map').toBe(true);
  for (const tid of model.tasks.tid) if (tid > 0) expect(numbers.has(tid)).toBe(true);
}

const HUGE = ['65536', '65537', '2147483648', '4294967296', '4294974722', '99999999999999999999', '-7'];

/** Line mutations: each returns the mutated lines and the index of the line it damaged. */
const LINE_MUTATIONS: Record<string, (lines: string[], r: () => number) => string[]> = {
  flipByte(lines, r) {
    const i = Math.floor(r() * lines.length);
    const l = lines[i];
    if (l.length === 0) return lines;
    const k = Math.floor(r() * l.length);
    const c = String.fromCharCode(32 + Math.floor(r() * 95));
    return lines.with(i, l.slice(0, k) + c + l.slice(k + 1));
  },
  hugeNumber(lines, r) {
    for (let tries = 0; tries < 20; tries++) {
      const i = Math.floor(r() * lines.length);
      const runs = [...lines[i].matchAll(/\d+/g)];
      if (runs.length === 0) continue;
      const m = runs[Math.floor(r() * runs.length)];
      const huge = HUGE[Math.floor(r() * HUGE.length)];
      const l = lines[i];
      return lines.with(i, l.slice(0, m.index) + huge + l.slice(m.index + m[0].length));
    }
    return lines;
  },
  duplicateLine(lines, r) {
    const i = Math.floor(r() * lines.length);
    return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)];
  },
  dropLine(lines, r) {
    const i = Math.floor(r() * lines.length);
    return [...lines.slice(0, i), ...lines.slice(i + 1)];
  },
  /** A --compact map's ` (CPU n)` note damaged (other inputs: a line's last bytes). */
  damagedTail(lines, r) {
    const notes = lines.flatMap((l, i) => (/ \(CPU \d+\)$/.test(l) ? [i] : []));
    const i = notes.length > 0 ? notes[Math.floor(r() * notes.length)] : Math.floor(r() * lines.length);
    const l = lines[i];
    if (l.length < 4) return lines;
    const k = l.length - 1 - Math.floor(r() * Math.min(8, l.length));
    return lines.with(i, l.slice(0, k) + String.fromCharCode(32 + Math.floor(r() * 95)) + l.slice(k + 1));
  },
  controlBytes(lines, r) {
    const i = Math.floor(r() * lines.length);
    const l = lines[i];
    const k = Math.floor(r() * (l.length + 1));
    const c = String.fromCharCode([0, 1, 7, 8, 11, 12, 127][Math.floor(r() * 7)]);
    return lines.with(i, l.slice(0, k) + c + l.slice(k));
  },
};

describe('mutation fuzzing: text recordings', () => {
  TEXT_INPUTS.forEach((name, n) => {
    const lines = headLines(name);
    const text = lines.join('\n') + '\n';

    let base: TraceModel | null = null;
    it(`${name}: the unmutated head parses`, async () => {
      const r = await parse(encoder.encode(text));
      expect('model' in r).toBe(true);
      if ('model' in r) base = r.model;
    });

    for (const [kind, mutate] of Object.entries(LINE_MUTATIONS)) {
      const count = MUTANTS_OF[kind] ?? MUTANTS;
      it(`${name}: ${count} mutants, ${kind}`, async () => {
        const r = rng(1000 * n + kind.length);
        for (let k = 0; k < count; k++) {
          const mutant = mutate(lines, r).join('\n') + '\n';
          const out = await parse(encoder.encode(mutant));
          // One damaged line never refuses the whole file.
          expect(out).toHaveProperty('model');
          if ('model' in out) checkModel(out.model, mutant);
          // One damaged line costs a switch or two, never a column or the rest of the file.
          if ('model' in out && base) expect(out.model.switches.length).toBeGreaterThanOrEqual(base.switches.length - 3);
        }
      });
    }

    it(`${name}: ${MUTANTS} cuts keep every complete line`, async () => {
      const r = rng(77 + n);
      const bytes = encoder.encode(text);
      for (let k = 0; k < MUTANTS; k++) {
        const cut = Math.floor(bytes.length * (0.2 + 0.8 * r()));
        const out = await parse(bytes.subarray(0, cut));
        const lastLf = bytes.subarray(0, cut).lastIndexOf(10);
        const whole = await parse(bytes.subarray(0, lastLf + 1));
        if (!('model' in out) || !('model' in whole)) {
          expect(out).toEqual(whole);
          continue;
        }
        checkModel(out.model, null);
        // The complete lines read exactly as in a file that ends after them; the partial line may add to them.
        const a = whole.model.switches;
        const b = out.model.switches;
        expect(b.length).toBeGreaterThanOrEqual(a.length);
        expect(Array.from(b.time.subarray(0, a.length))).toEqual(Array.from(a.time));
        if (lastLf + 1 < cut) expect(out.model.warnings.some((w) => /no newline|cut short/.test(w.message))).toBe(true);
      }
    });

    it(`${name}: ${MUTANTS} damaged gzip copies`, async () => {
      const r = rng(500 + n);
      const gz = gzipSync(encoder.encode(text));
      for (let k = 0; k < MUTANTS; k++) {
        const bad = gz.slice(0, k % 2 === 0 ? Math.floor(gz.length * (0.3 + 0.6 * r())) : gz.length);
        if (k % 2 === 1) bad[20 + Math.floor(r() * (bad.length - 28))] ^= 1 << Math.floor(r() * 8);
        const out = await parse(bad);
        if ('model' in out) {
          checkModel(out.model, null);
          expect(out.model.warningCount).toBeGreaterThan(0);
        }
      }
    });
  });
});

describe('mutation fuzzing: binary recordings (trace.dat, perf.data)', () => {
  BINARY_INPUTS.forEach((name, n) => {
    const bytes = fixtureBytes(name);

    it(`${name}: ${MUTANTS * 4} byte flips and cuts`, async () => {
      const r = rng(9000 + n);
      for (let k = 0; k < MUTANTS * 4; k++) {
        let mutant: Uint8Array;
        if (k % 4 === 3) mutant = bytes.slice(0, Math.floor(bytes.length * r()));
        else {
          mutant = bytes.slice();
          // Most flips land in the event data (the bulk of the file), a few in the headers.
          const at = k % 4 === 0 ? Math.floor(r() * 4096) : Math.floor(r() * bytes.length);
          mutant[at] ^= 1 << Math.floor(r() * 8);
        }
        const out = await parse(mutant);
        if ('model' in out) checkModel(out.model, null);
      }
    });
  });
});
