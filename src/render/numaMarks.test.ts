import { describe, expect, it } from 'vitest';
import { NumaEventKind, type NumaEventTable } from '../model/types';
import type { Lane } from './lanes';
import { numaCountsByKind, numaMarks } from './numaMarks';

function table(rows: { time: number; task: number; cpu: number; kind: NumaEventKind }[]): NumaEventTable {
  return {
    length: rows.length,
    time: Float64Array.from(rows.map((r) => r.time)),
    task: Int32Array.from(rows.map((r) => r.task)),
    cpu: Uint16Array.from(rows.map((r) => r.cpu)),
    kind: Uint8Array.from(rows.map((r) => r.kind)),
    srcNid: new Int32Array(rows.length).fill(-1),
    dstNid: new Int32Array(rows.length).fill(-1),
    pages: new Int32Array(rows.length),
  };
}

const cpuLane = (cpu: number): Lane => ({ kind: 'cpu', key: `c${cpu}`, label: `CPU ${cpu}`, cpu });
const vcpuLane = (task: number): Lane => ({
  kind: 'vcpu',
  key: `v${task}`,
  label: `v${task}`,
  vm: 0,
  vmName: 'vm',
  position: 0,
  vcpuIndex: 0,
  tid: 100 + task,
  task,
});

describe('numaMarks', () => {
  const events = table([
    { time: 100, task: 5, cpu: 1, kind: NumaEventKind.Move },
    { time: 101, task: 5, cpu: 1, kind: NumaEventKind.Move }, // same pixel column: merged
    { time: 101, task: 5, cpu: 1, kind: NumaEventKind.Swap }, // same column, other kind: its own mark
    { time: 500, task: 6, cpu: 3, kind: NumaEventKind.Stick },
    { time: 999, task: 7, cpu: 2, kind: NumaEventKind.MigratePages }, // CPU 2 has no lane
    { time: 1000, task: 5, cpu: 1, kind: NumaEventKind.Move }, // at view.end: out
  ]);

  it('CPU lanes: by the CPU recorded on, one mark per lane, column and kind', () => {
    const marks = numaMarks(events, [cpuLane(3), cpuLane(1)], { start: 0, end: 1000 }, 100);
    expect(marks).toEqual([
      { lane: 1, x: 10, kind: NumaEventKind.Move, count: 2 },
      { lane: 1, x: 10, kind: NumaEventKind.Swap, count: 1 },
      { lane: 0, x: 50, kind: NumaEventKind.Stick, count: 1 },
    ]);
  });

  it('vCPU lanes: by the task the decision is about; others have no lane', () => {
    const marks = numaMarks(events, [vcpuLane(6), vcpuLane(7)], { start: 0, end: 1000 }, 1000);
    expect(marks).toEqual([
      { lane: 0, x: 500, kind: NumaEventKind.Stick, count: 1 },
      { lane: 1, x: 999, kind: NumaEventKind.MigratePages, count: 1 },
    ]);
  });

  it('counts the events of each kind under the marks (merged marks count each event)', () => {
    const marks = numaMarks(events, [cpuLane(3), cpuLane(1)], { start: 0, end: 1000 }, 100);
    expect(numaCountsByKind(marks)).toEqual([2, 1, 1, 0]);
    expect(numaCountsByKind([])).toEqual([0, 0, 0, 0]);
  });

  it('nothing for an empty view or table', () => {
    expect(numaMarks(events, [cpuLane(1)], { start: 5, end: 5 }, 100)).toEqual([]);
    expect(numaMarks(table([]), [cpuLane(1)], { start: 0, end: 1000 }, 100)).toEqual([]);
  });
});
