// perf sched map past 260 threads: short names wrap (A0..Z9, then A0 again) and the parser resolves a
// reused name from what the map shows. Checked against the perf script (pid/tid) text of the same
// recording, read independently, on real `perf sched map` output (test/fixtures/TRACES.md "Short-name
// wrap-around"), and on hand-drawn edge cases.

import { describe, expect, it } from 'vitest';
import { fixtureText, parseTextWith } from '../../test/fixtures';
import type { TraceModel } from '../model/types';
import { createPerfSchedMapParser } from './perfSchedMap';

const parse = (text: string): TraceModel => parseTextWith(createPerfSchedMapParser, text, 'perf-sched-map');

/** A map line in perf's exact layout: `  ` + 4-char cells + `  %12s secs ` + suffix. */
function row(cells: string[], ts: string, suffix = ''): string {
  return `  ${cells.map((c) => `${c.padEnd(3)} `).join('')}  ${ts.padStart(12)} secs ${suffix}`;
}

/** Per CPU, the next_pid of every sched_switch of a perf script text, in order. */
function truthNext(text: string): Map<number, number[]> {
  const re = /\[(\d+)\]\s+\d+\.\d+:\s+sched:sched_switch:.* next_pid=(-?\d+)/;
  const out = new Map<number, number[]>();
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m === null) continue;
    const cpu = Number(m[1]);
    let l = out.get(cpu);
    if (l === undefined) out.set(cpu, (l = []));
    l.push(Number(m[2]));
  }
  return out;
}

/** Per CPU, the tid of every switch's next task as the parser read the map, in order. */
function mapNext(m: TraceModel): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < m.switches.length; i++) {
    const cpu = m.switches.cpu[i];
    let l = out.get(cpu);
    if (l === undefined) out.set(cpu, (l = []));
    l.push(m.tasks.tid[m.switches.next[i]]);
  }
  return out;
}

/** Switches of the map whose next thread is not the one perf script names; every switch must be there. */
function wrongSwitches(name: string): { m: TraceModel; wrong: number; total: number; threads: number } {
  const m = parse(fixtureText(`${name}.map.txt`));
  const truth = truthNext(fixtureText(`${name}.script-pidtid.txt`));
  const read = mapNext(m);
  let wrong = 0;
  let total = 0;
  const tids = new Set<number>();
  for (const [cpu, want] of truth) {
    const got = read.get(cpu) ?? [];
    expect(got.length, `switches on CPU ${cpu}`).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      if (want[i] !== 0) tids.add(want[i]);
      if (got[i] !== want[i]) wrong++;
    }
    total += want.length;
  }
  expect(m.switches.length).toBe(total);
  return { m, wrong, total, threads: tids.size };
}

describe('perf sched map short-name wrap-around, real perf sched map output', () => {
  // Bounds: what the resolver gets right now (measured); the "most recent announcement" rule it replaced
  // had 739 and 1,410 switches on the wrong thread.
  it.each([
    ['synth-28vm-x10vcpu-2cpu-wrap', 385, 297],
    ['fork-storm-2cpu-wrap', 1249, 1276],
  ] as const)('%s: at most %i switches on the wrong thread', (name, bound, threads) => {
    const { m, wrong, threads: seen } = wrongSwitches(name);
    expect(seen).toBe(threads);
    expect(wrong).toBeLessThanOrEqual(bound);
    // Every switch whose name was resolved without an announcement is counted as a guess, and said
    // once per name, not once per line.
    expect(m.ambiguousLines).toBeGreaterThanOrEqual(wrong);
    const amb = m.warnings.filter((w) => w.kind === 'ambiguous');
    const total = amb.find((w) => w.line === 0)!;
    expect(total.message).toMatch(
      /^ambiguous: [\d,]+ switches of [\d,]+ reused short names resolved with no announcement/,
    );
    expect(m.warningSummary.find((e) => e.kind === 'ambiguous')!.count).toBe(m.ambiguousLines);
    const names = amb.filter((w) => w.line > 0).map((w) => /short name (\S\S) /.exec(w.message)![1]);
    expect(new Set(names).size).toBe(names.length);
    // The advice, where the wrap is first seen.
    expect(m.warnings.some((w) => /^short names wrap around: .*perf script -F comm,pid,tid/.test(w.message))).toBe(
      true,
    );
  });
});

describe('perf sched map short-name wrap-around, hand-drawn', () => {
  it('the column switched out is not the one switched in: a name over itself is the other thread', () => {
    const m = parse(
      [
        row(['*A0', ''], '70.000001', 'A0 => old:100'),
        row([' A0', '*B0'], '70.000002', 'B0 => b:200'),
        // ... 259 names later perf hands A0 to tid 101, on CPU 1:
        row([' A0', '*A0'], '70.000003', 'A0 => new:101'),
        row([' A0', '*. '], '70.000004'),
        // line 5: A0 over A0 on CPU 0: old:100 is the prev there, so this is new:101
        row(['*A0', ' . '], '70.000005'),
      ].join('\n'),
    );
    expect(Array.from(m.switches.next).map((t) => m.tasks.tid[t])).toEqual([100, 200, 101, 0, 101]);
    const w = m.warnings.find((x) => x.line === 5)!;
    expect(w.kind).toBe('ambiguous');
    expect(w.message).toMatch(
      /short name A0 stands for 2 threads .*\(old:100, new:101\); 1 switch with no announcement on their line resolved: 1 by exclusion/,
    );
  });

  it('of two free candidates, the one that last ran on this CPU', () => {
    const m = parse(
      [
        row(['*A0', '', ''], '70.000001', 'A0 => old:100'),
        row([' A0', '*B0', ''], '70.000002', 'B0 => b:200'),
        row(['*. ', ' B0', ''], '70.000003'),
        // A0 reused on CPU 2 for new:101, which then leaves CPU 2
        row([' . ', ' B0', '*A0'], '70.000004', 'A0 => new:101'),
        row([' . ', ' B0', '*. '], '70.000005'),
        // line 6: A0 on CPU 0 again, neither shown anywhere: old:100 last ran on CPU 0
        row(['*A0', ' B0', ' . '], '70.000006'),
        row(['*. ', ' B0', ' . '], '70.000007'),
        // line 8: A0 on CPU 2: new:101 last ran there
        row([' . ', ' B0', '*A0'], '70.000008'),
      ].join('\n'),
    );
    expect(Array.from(m.switches.next).map((t) => m.tasks.tid[t])).toEqual([100, 200, 0, 101, 0, 100, 0, 101]);
    expect(m.ambiguousLines).toBe(2);
    expect(m.warnings.find((x) => x.line === 6)!.message).toMatch(
      /2 switches with no announcement on their line resolved: 2 as the candidate that last ran on that CPU; read as old:100 1, new:101 1/,
    );
  });
});
