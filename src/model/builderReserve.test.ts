// The switch table reserved from the input's size (TraceBuilder.reserveSwitches,
// parseInput's reserveSwitches: the CLI's memory bound of issue 19) holds the
// same model as the table built in blocks, including rows past the reservation.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { bytesSource, parseInput } from '../parse/parseInput';
import { memorySource } from '../parse/source';
import { BLOCK_ROWS } from './growable';
import { TraceBuilder } from './builder';
import { PrevState, type TraceModel } from './types';

function build(rows: number, reserve: number | null): TraceModel {
  const b = new TraceBuilder('perf-script', 'test');
  if (reserve !== null) b.reserveSwitches(reserve);
  const task = b.task(100, 'a', 0);
  for (let i = 0; i < rows; i++) b.addSwitch(i * 1000, i % 3, i % 2 ? task : 0, PrevState.Sleeping, i % 2 ? 0 : task);
  return b.finish();
}

const columns = (m: TraceModel) => {
  const { time, cpu, prev, prevState, next } = m.switches;
  return [time, cpu, prev, prevState, next, m.slices.end, m.slices.endReason].map((a) => Array.from(a));
};

describe('reserved switch table', () => {
  const rows = 3 * BLOCK_ROWS + 17;
  const plain = build(rows, null);

  it.each([
    ['room for all rows', rows * 2],
    ['rows past the reservation', BLOCK_ROWS + 5],
  ])('%s: the same columns as blocks', (_, reserve) => {
    const m = build(rows, reserve);
    expect(m.switches.length).toBe(rows);
    expect(m.switches.time.length).toBe(rows);
    expect(columns(m)).toEqual(columns(plain));
  });

  it('parseInput with reserveSwitches reads a real recording to the same model', async () => {
    // Plain text: a gzipped input's size says nothing of its switches, and is not reserved from.
    const bytes = new TextEncoder().encode(fixtureText('qemu-tcg-2vm-x2vcpu.script.txt'));
    const read = (reserveSwitches: boolean) =>
      parseInput(bytesSource(bytes, 1 << 16), { random: memorySource(bytes), reserveSwitches });
    const [a, b] = await Promise.all([read(false), read(true)]);
    if (a.kind !== 'trace' || b.kind !== 'trace') throw new Error('not a trace');
    expect(columns(b.model)).toEqual(columns(a.model));
    expect(b.model.switches.length).toBeGreaterThan(1000);
    // It was reserved: the column is a view of the reservation, not a copy.
    expect(b.model.switches.time.buffer.byteLength).toBeGreaterThan(b.model.switches.time.byteLength);
  });
});
