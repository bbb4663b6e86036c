// trace.dat against `trace-cmd report` of the same file: the model read from
// the binary equals the one the ftrace text parser builds from the report
// (test/fixtures/TRACES.md says how each file was made).

import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../test/fixtures';
import { PrevState, type TraceModel } from '../../model/types';
import { bytesSource, parseTrace } from '../parseInput';
import { memorySource } from './source';

const report = (name: string): Promise<TraceModel> => parseTrace(bytesSource(fixtureBytes(name)));
const dat = (bytes: Uint8Array): Promise<TraceModel> => parseTrace(bytesSource(bytes), { random: memorySource(bytes) });

/** Absolute ns of a model time, rounded to `unit` ns as report rounds (it prints µs unless -t). */
const abs = (m: TraceModel, t: number, unit: number): string =>
  String((BigInt(m.origin.sec) * 1000000000n + BigInt(m.origin.ns) + BigInt(t) + BigInt(unit >> 1)) / BigInt(unit));

/**
 * What both readers must agree on, with tasks named by tid and comms. report
 * prints sched_switch through libtraceevent's plugin, whose state table
 * predates the kernel's preempt bit: a preempted task shows as `R`, where the
 * format's own print fmt (what the binary is read by, as perf script and raw
 * ftrace print it) says `R+`. `runnable` folds R+ into R for that comparison.
 */
function view(m: TraceModel, unit = 1, runnable = false) {
  const tid = (i: number): number => m.tasks.tid[i];
  const sw = m.switches;
  const wk = m.wakeups;
  const mg = m.migrations;
  const tasks = new Map<number, string[]>();
  for (let i = 0; i < m.tasks.length; i++) tasks.set(m.tasks.tid[i], m.tasks.comms[i]);
  return {
    switches: Array.from({ length: sw.length }, (_, i) =>
      [abs(m, sw.time[i], unit), sw.cpu[i], tid(sw.prev[i]), state(sw.prevState[i], runnable), tid(sw.next[i])].join(
        ' ',
      ),
    ),
    wakeups: Array.from({ length: wk.length }, (_, i) =>
      [abs(m, wk.time[i], unit), tid(wk.task[i]), wk.cpu[i], wk.kind[i]].join(' '),
    ),
    migrations: Array.from({ length: mg.length }, (_, i) =>
      [abs(m, mg.time[i], unit), tid(mg.task[i]), mg.fromCpu[i], mg.toCpu[i]].join(' '),
    ),
    tasks: [...tasks].sort((a, b) => a[0] - b[0]),
    lost: m.lost.map((l) => `${l.cpu}:${l.count}`),
    cpus: m.cpus,
    hasStates: m.hasStates,
    skipped: m.skippedLines,
  };
}

const state = (s: number, runnable: boolean): number =>
  runnable && s === PrevState.Preempted ? PrevState.Runnable : s;

describe('trace.dat equals trace-cmd report of the same file', () => {
  it.each(['v6', 'v7-zstd', 'v7-none'])('tracecmd-vmsim-4vm-x2vcpu.%s.dat, at report -t nanoseconds', async (v) => {
    const m = await dat(fixtureBytes(`tracecmd-vmsim-4vm-x2vcpu.${v}.dat`));
    const r = await report('tracecmd-vmsim-4vm-x2vcpu.report-t.txt');
    expect(m.switches.length).toBe(300);
    expect(view(m, 1, true)).toEqual(view(r));
    expect(m.formatDetail).toBe(v === 'v6' ? 'trace.dat v6' : v === 'v7-zstd' ? 'trace.dat v7 (zstd)' : 'trace.dat v7');
    expect(m.declaredCpuCount).toBe(2);
  });

  it('at the microseconds plain trace-cmd report prints', async () => {
    const m = await dat(fixtureBytes('tracecmd-vmsim-4vm-x2vcpu.v6.dat'));
    const r = await report('tracecmd-vmsim-4vm-x2vcpu.report.txt');
    expect(view(m, 1000, true)).toEqual(view(r, 1000));
  });

  it('the largest fixture (zstd, ~21k switches, pipe ping-pong and VMs)', async () => {
    const m = await dat(fixtureBytes('tracecmd-pipe-4vm-x2vcpu.v7-zstd.dat'));
    const r = await report('tracecmd-pipe-4vm-x2vcpu.report-t.txt');
    expect(m.switches.length).toBe(21101);
    expect(view(m, 1, true)).toEqual(view(r));
  });

  it('pages with the missed-events flag are lost events with their counts, as report prints them', async () => {
    const m = await dat(fixtureBytes('tracecmd-lost-4vm-x2vcpu.v6.dat'));
    const r = await report('tracecmd-lost-4vm-x2vcpu.report-t.txt');
    expect(m.lost.map((l) => [l.cpu, l.count])).toEqual([
      [1, 262],
      [0, 923],
    ]);
    expect(view(m, 1, true)).toEqual(view(r));
    expect(m.warnings.map((w) => w.message)).toContain(
      "262 events lost on CPU 1 (ring buffer overrun, the page's missed-events flag): that CPU's state is uncertain until its next switch",
    );
  });
});
