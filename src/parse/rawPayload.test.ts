// Raw payloads (issue 15): what `trace-cmd report -R` and tools without the
// event's print format print, `prev_comm=... prev_state=64 next_comm=...` with
// prev_state as its number and no ` ==> `. Judged against the binary reader of
// the same trace.dat (which renders prev_state by the recording's own print
// format) and against the plain report.

import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText } from '../../test/fixtures';
import { PREV_STATE_LABELS, PrevState, type TraceModel } from '../model/types';
import { modelView as view } from '../testing/modelView';
import { bytesSource, parseTrace, textSource } from './parseInput';
import { NumericPrevStates } from './prevState';
import { memorySource } from './source';
import { thousands } from '../model/format';

const dat = (name: string): Promise<TraceModel> => {
  const bytes = fixtureBytes(name);
  return parseTrace(bytesSource(bytes), { random: memorySource(bytes) });
};
const text = (name: string): Promise<TraceModel> => parseTrace(textSource(fixtureText(name)));
const states = (m: TraceModel): Record<string, number> => {
  const n: Record<string, number> = {};
  for (const s of m.switches.prevState) n[s] = (n[s] ?? 0) + 1;
  return n;
};

describe('trace-cmd report -R (raw payloads, numeric prev_state)', () => {
  it('equals the trace.dat it was printed from, states included (a 6.x kernel: 128 is I, 32 is Z)', async () => {
    const r = await text('tracecmd-lost-4vm-x2vcpu.report-R.txt');
    const m = await dat('tracecmd-lost-4vm-x2vcpu.v6.dat');
    expect(r.formatDetail).toBe('trace-cmd report');
    expect(r.switches.length).toBe(225);
    expect(view(r, 1000)).toEqual(view(m, 1000));
    expect(r.hasStates).toBe(true);
    // 159 prev_state=0, 58 =1, 7 =128, 1 =32 in the text.
    expect(states(r)).toEqual({
      [PrevState.Runnable]: 159,
      [PrevState.Sleeping]: 58,
      [PrevState.Idle]: 7,
      [PrevState.Zombie]: 1,
    });
    expect(r.lost.map((l) => [l.cpu, l.count])).toEqual([
      [1, 262],
      [0, 923],
    ]);
    expect(r.warnings.some((w) => w.message.includes('4.14'))).toBe(false);
  });

  it('reads 256 as preempted (R+), which the plain report (the plugin) prints as R', async () => {
    const r = await text('tracecmd-arm64-qemu-2cpu.report-R.txt');
    const m = await dat('tracecmd-arm64-qemu-2cpu.v7-zstd.dat');
    expect(r.switches.length).toBe(137);
    expect(view(r, 1000)).toEqual(view(m, 1000));
    expect(states(r)[PrevState.Preempted]).toBe(3);
    // The plugin's report: same switches once R+ is folded into R.
    const plain = await text('tracecmd-arm64-qemu-2cpu.report-t.txt');
    expect(view(r, 1000, true).switches).toEqual(view(plain, 1000, true).switches);
  });

  it('per-CPU reports one after another (time steps back between them): sorted, the steps counted', async () => {
    // `trace-cmd report -R --cpu 0` then `--cpu 1` of the same file, as a user concatenates per-CPU files.
    const src = fixtureText('tracecmd-lost-4vm-x2vcpu.report-R-cpu0-cpu1.txt');
    const r = await parseTrace(textSource(src));
    const merged = await text('tracecmd-lost-4vm-x2vcpu.report-R.txt');
    const a = view(r, 1000);
    const b = view(merged, 1000);
    expect(a.switches).toEqual(b.switches);
    expect(a.tasks).toEqual(b.tasks);
    // Wakeups and the migration sorted too, not only the switches: the same rows, in time order (the order of
    // two CPUs' wakeups at one instant is the input's: merged, trace-cmd's; concatenated, CPU 0's first).
    expect([...a.wakeups].sort()).toEqual([...b.wakeups].sort());
    expect(a.migrations).toEqual(b.migrations);
    const wt = [...r.wakeups.time];
    expect(wt).toEqual([...wt].sort((x, y) => x - y));
    const at = (rows: string[]): string[] => rows.map((row) => row.split(' ')[0]);
    expect(at(a.wakeups)).toEqual(at(b.wakeups));
    // Out of order: every event line earlier than one before it of its kind (here all of CPU 1's that CPU 0's last passed).
    const back = (event: RegExp): number => {
      const times = src
        .split('\n')
        .filter((l) => event.test(l))
        .map((l) => Number(/ (\d+\.\d+): /.exec(l)![1]));
      let latest = -Infinity;
      return times.filter((t) => (t < latest ? true : ((latest = t), false))).length;
    };
    const switches = back(/ sched_switch: /);
    const wakeups = back(/ sched_wak(eup|ing): /);
    expect(switches).toBe(130);
    expect(wakeups).toBeGreaterThan(0);
    expect(back(/ sched_migrate_task: /)).toBe(0); // one line
    expect(r.warnings.filter((w) => w.message.includes('step backwards')).map((w) => w.message)).toEqual([
      `${thousands(switches)} switch timestamps step backwards (old perf, or merged input); switches were sorted by time`,
      `${thousands(wakeups)} event timestamps step backwards (${thousands(wakeups)} wakeups; merged or concatenated input): those events were sorted by time`,
    ]);
    expect(r.warningSummary.find((e) => e.kind === 'unordered-time')?.count).toBe(switches + wakeups);
    expect(merged.warningSummary.some((e) => e.kind === 'unordered-time')).toBe(false);
  });
});

describe('raw payloads of a kernel before 4.14 (a public 2015 trace.dat, arm64, TASK_STATE_MAX 1024)', () => {
  // trappy's tests/raw_trace.dat: its own sched_switch format prints prev_state by the 3.x flags
  // (`prev_state & (1024-1) ? __print_flags(..., { 64, "x" } ...) : "R", prev_state & 1024 ? "+" : ""`).
  it('reads prev_state=1024 as preempted (R+) and 64 as dead (x), as the recording\'s own format does', async () => {
    const r = await text('tracecmd-public-arm64-trappy.report-R.txt');
    const m = await dat('tracecmd-public-arm64-trappy.v6.dat');
    expect(r.switches.length).toBe(755);
    expect(view(r, 1000)).toEqual(view(m, 1000));
    // 366 prev_state=0, 382 =1, 6 =1024, 1 =64 in the text (grep -o).
    expect(states(r)).toEqual({
      [PrevState.Runnable]: 366,
      [PrevState.Sleeping]: 382,
      [PrevState.Preempted]: 6,
      [PrevState.Dead]: 1,
    });
    expect(states(m)).toEqual(states(r));
    // 1024 is the first line's value: nothing was read the 4.14 way before it.
    expect(r.warnings.some((w) => w.message.includes('4.14'))).toBe(false);
  });

  it('the 2015 text trappy committed beside it (trace-cmd of the time): its switches are the recording\'s', async () => {
    const r = await text('paste/trappy-2015-raw_trace.txt');
    const m = await dat('tracecmd-public-arm64-trappy.v6.dat');
    // Three of the recording's lines (its 1st, 2nd and 4th switches: trappy's test picked them), with the
    // `CPU 3 is empty` lines of trace-cmd's report between the header's.
    expect(r.switches.length).toBe(3);
    const all = view(m, 1000).switches;
    expect(view(r, 1000).switches).toEqual([all[0], all[1], all[3]]);
    expect(states(r)).toEqual({ [PrevState.Preempted]: 1, [PrevState.Sleeping]: 2 });
    expect(r.warnings).toEqual([]);
    expect(r.skippedLines).toBe(0);
  });
});

/** The prev_state table of a kernel's sched_switch format (`__print_flags(..., { 0x0001, "S" }, ...)`): value, letter. */
const printedStates = (kernel: string): [number, string][] =>
  [...fixtureText(`tracefs/${kernel}/sched_switch.format`).matchAll(/\{ (0x[0-9a-f]+|\d+), "(\w)" ?\}/g)].map((m) => [
    Number(m[1]),
    m[2],
  ]);

describe('prev_state numbers as the TASK_* bits of their kernel era', () => {
  it.each(['linux-5.10.43-arm64-raven', 'linux-6.18.44-x86_64'])(
    'reads the bits of 4.14 and later as %s prints them, until a value only older kernels make',
    (kernel) => {
      const flags = printedStates(kernel);
      expect(flags.map(([v]) => v)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
      // 0 prints as R; the bit above the table (TASK_REPORT_MAX) as R+.
      const values: [number, string][] = [[0, 'R'], ...flags, [256, 'R+']];
      const n = new NumericPrevStates();
      expect(values.map(([v]) => PREV_STATE_LABELS[n.read(v)])).toEqual(values.map(([, letter]) => letter));
      expect(n.guessed).toBe(3);
      expect(n.old).toBe(false);
      expect(n.read(300)).toBe(PrevState.Other); // several bits: not a ≥ 4.14 value, nor a state of one flag
      expect(n.old).toBe(true);
      expect(n.guessedBeforeOld).toBe(3);
    },
  );

  it('reads the flags of kernels before 4.14 (D|K killable, D|N idle, TASK_STATE_MAX alone preempted)', () => {
    const n = new NumericPrevStates();
    expect(n.read(2048)).toBe(PrevState.Preempted); // 4.2-4.7: R+ is TASK_STATE_MAX
    expect(n.old).toBe(true);
    expect(n.guessedBeforeOld).toBe(0);
    expect([1, 2, 130, 1026, 16, 32, 64, 512, 4096, 1024, 3].map((v) => n.read(v))).toEqual([
      PrevState.Sleeping,
      PrevState.Uninterruptible,
      PrevState.Uninterruptible,
      PrevState.Idle,
      PrevState.Zombie,
      PrevState.Dead,
      PrevState.Dead,
      PrevState.Parked,
      PrevState.Preempted,
      PrevState.Preempted,
      PrevState.Other,
    ]);
  });

  it('says so when an old-kernel value comes after values it read as 4.14 ones', async () => {
    const sw = (t: string, state: number): string =>
      `            bash-100   [001]  ${t}: sched_switch: prev_comm=bash prev_pid=100 prev_prio=120 prev_state=${state} next_comm=swapper/1 next_pid=0 next_prio=120`;
    const m = await parseTrace(
      textSource(['cpus=2', sw('10.000001', 128), sw('10.000002', 1), sw('10.000003', 130), ''].join('\n')),
    );
    expect([...m.switches.prevState]).toEqual([PrevState.Idle, PrevState.Sleeping, PrevState.Uninterruptible]);
    expect(m.warnings.find((w) => w.message.includes('4.14'))).toMatchObject({
      line: 4,
      kind: 'ambiguous',
      message:
        'prev_state=130 is a TASK_* value of a kernel before 4.14: the 1 switches before it with prev_state 64, 128 or 256 were read as 4.14\'s P, I, R+ (before 4.14: x, K, W)',
    });
  });
});
