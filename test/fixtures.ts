// Test helpers: read the real recordings copied from shared/traces (gzipped
// where large) and run a line parser over text without the streaming driver.

import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceBuilder } from '../src/model/builder';
import type { TraceFormat, TraceModel } from '../src/model/types';
import { ByteLineSplitter } from '../src/parse/byteLines';
import type { LineParserFactory } from '../src/parse/parser';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Rows of the switches the input shows (the reader's inferred ones left out), ascending. */
export function fileSwitchRows(m: TraceModel): number[] {
  const inferred = new Set(m.inferredSwitchRows);
  return Array.from({ length: m.switches.length }, (_, i) => i).filter((i) => !inferred.has(i));
}

/**
 * The warnings about how a trace was read, without the kinds that say what the trace itself lacks
 * (switch-ins missing from real recordings: switchChecks.ts, checked against the text in its test).
 */
export function readingWarnings(m: TraceModel): TraceModel['warnings'] {
  return m.warnings.filter((w) => w.kind !== 'lost-switch-in' && w.kind !== 'double-running');
}

/** The recordings in test/fixtures, by name (e.g. "synth-4vm-x2vcpu-spin"). */
export const RECORDINGS = [
  'qemu-tcg-2vm-x2vcpu',
  'synth-2vm-x2vcpu-startup-exit',
  'synth-4vm-x2vcpu-spin',
  'synth-4vm-x2vcpu-spin-pin-shared',
  'synth-4vm-x2vcpu-spin-pin-spread',
  'synth-4vm-x2vcpu-yield',
  'synth-4vm-x2vcpu-yield-pin-shared',
  'synth-4vm-x2vcpu-yield-pin-spread',
] as const;

/** Path of a fixture file, whether stored plain or gzipped. */
export function fixturePath(name: string): string {
  const plain = join(FIXTURES, name);
  if (existsSync(plain)) return plain;
  const gz = plain + '.gz';
  if (existsSync(gz)) return gz;
  throw new Error(`no fixture ${name} in ${FIXTURES}`);
}

/** Raw bytes of a fixture as stored (gzipped ones stay gzipped). */
export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(fixturePath(name));
}

/** Text of a fixture, decompressed. */
export function fixtureText(name: string): string {
  const p = fixturePath(name);
  const buf = readFileSync(p);
  return (p.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/**
 * The real `host-2cpu.lscpu` with its three-line preamble cut and CPU 1's CPU
 * field damaged (`x,1,0,0` on line 3): not sniffed as topology (issue 19).
 */
export function damagedLscpuText(): string {
  return fixtureText('host-2cpu.lscpu').split('\n').slice(3).join('\n').replace(/^1,1,0,0/m, 'x,1,0,0');
}

export interface TruthVcpu {
  vcpu: number;
  tid: number;
  comm: string;
}
export interface TruthVm {
  pid: number;
  tgid: number;
  name: string;
  comm: string;
  vcpus: TruthVcpu[];
  other_threads: { tid: number; comm: string }[];
}
export interface Truth {
  scenario: string;
  vms: TruthVm[];
  [k: string]: unknown;
}

export function truth(recording: string): Truth {
  return JSON.parse(fixtureText(`${recording}.truth.json`)) as Truth;
}

/** Run one line parser over a whole text through the real line splitter. */
export function parseTextWith(
  factory: LineParserFactory,
  text: string,
  format: TraceFormat,
  chunkSize = 65536,
): TraceModel {
  const builder = new TraceBuilder(format);
  const parser = factory(builder);
  // As the driver does (parseInput's feedLine): a value outside Linux's range skips its line.
  const splitter = new ByteLineSplitter((buf, start, end, no) => {
    builder.line = no;
    try {
      parser.line(buf, start, end, no);
    } catch (e) {
      builder.rejectLine(no, e);
    }
  });
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize));
  splitter.end();
  builder.lineCount = splitter.lines;
  parser.finish();
  return builder.finish();
}
