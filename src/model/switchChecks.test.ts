// Lost switch-ins and tasks on two CPUs (switchChecks.ts): by hand on the
// builder, then on real recordings against an oracle that reads the perf script
// text itself, and across formats of one recording.

import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText } from '../../test/fixtures';
import { bytesSource, parseTrace, textSource } from '../parse/parseInput';
import { memorySource } from '../parse/source';
import { TraceBuilder } from './builder';
import { PrevState, TaskKind } from './types';

const kinds = (b: TraceBuilder) =>
  Object.fromEntries(b.finish().warningSummary.map((e) => [e.kind, [e.count, e.firstLines]]));

describe('switches that contradict what runs', () => {
  it('a switch out of a task that is not running there: lost-switch-in, at its line', () => {
    const b = new TraceBuilder('perf-script');
    const x = b.task(10, 'x', 0);
    const y = b.task(11, 'y', 0);
    const sw = (line: number, t: number, cpu: number, prev: number, next: number) => {
      b.line = line;
      b.addSwitch(t, cpu, prev, PrevState.Sleeping, next);
    };
    sw(1, 0, 0, 0, x); // first switch on CPU 0: nothing known before
    sw(2, 10, 0, x, 0);
    sw(3, 20, 0, y, x); // y never switched in on CPU 0
    sw(4, 30, 0, x, 0);
    expect(kinds(b)).toEqual({ 'lost-switch-in': [1, [3]] });
  });

  it('a switch-in while still running elsewhere: double-running, unless the other CPU switches it out at that instant', () => {
    const b = new TraceBuilder('perf-script');
    const x = b.task(10, 'x', 0);
    const y = b.task(11, 'y', 0);
    const sw = (line: number, t: number, cpu: number, prev: number, next: number) => {
      b.line = line;
      b.addSwitch(t, cpu, prev, PrevState.Runnable, next);
    };
    sw(1, 0, 0, 0, x);
    sw(2, 0, 1, 0, y);
    sw(3, 10, 1, y, x); // x still on CPU 0
    sw(4, 20, 0, x, 0); // its switch-out on CPU 0 comes later: a double
    sw(5, 30, 1, x, y);
    sw(6, 40, 0, 0, x); // x switched in on CPU 0 at 40 ...
    sw(7, 40, 1, y, 0); // ... (y on CPU 1 goes idle)
    sw(8, 50, 1, 0, x); // x on CPU 1 while on CPU 0 ...
    sw(9, 50, 0, x, y); // ... switched out on CPU 0 at the same instant: equal stamps, not a double
    sw(10, 60, 0, y, x); // x on CPU 0 while on CPU 1, and CPU 1 never switches again: the trace's end
    const m = kinds(b);
    expect(m).toEqual({ 'double-running': [1, [3]] });
  });

  it('checked again after a sort, with the lines of the switches (lines far apart or going back too)', () => {
    const b = new TraceBuilder('perf-script');
    const x = b.task(10, 'x', 0);
    const y = b.task(11, 'y', 0);
    const sw = (line: number, t: number, cpu: number, prev: number, next: number) => {
      b.line = line;
      b.addSwitch(t, cpu, prev, PrevState.Sleeping, next);
    };
    sw(7, 0, 0, 0, x);
    sw(2, 30, 0, y, 0); // y never switched in on CPU 0: a lost switch-in once sorted
    sw(9000, 10, 0, x, 0);
    sw(9300, 20, 0, 0, x);
    sw(70000, 5, 1, 0, y);
    expect(kinds(b)).toEqual({ 'lost-switch-in': [1, [2]], 'unordered-time': [3, [9000, 9300, 70000]] });
  });

  it('placeholders and the idle task are not checked; map input (no prev) is checked for doubles only', () => {
    const b = new TraceBuilder('perf-sched-map');
    const f = b.placeholderTask(TaskKind.Filtered, '-');
    const x = b.task(10, 'x', 0);
    const sw = (line: number, t: number, cpu: number, next: number) => {
      b.line = line;
      b.addSwitch(t, cpu, -1, PrevState.Unknown, next);
    };
    sw(1, 0, 0, f);
    sw(2, 0, 1, f); // the same placeholder on two CPUs: fine
    sw(3, 5, 0, 0);
    sw(4, 5, 1, 0); // idle on both: fine
    sw(5, 10, 0, x);
    sw(6, 20, 1, x); // x on CPU 1 while on CPU 0 ...
    sw(7, 30, 0, 0); // ... which switches only later
    expect(kinds(b)).toEqual({ 'double-running': [1, [6]] });
  });
});

/**
 * Lost switch-ins read off perf script text: per CPU, the next_pid of its last sched_switch against prev_pid;
 * a task switched in on one CPU leaves the others unknown (the migration rule).
 */
function lostSwitchInLines(text: string): number[] {
  const running = new Map<string, string>();
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /\[(\d+)\].*sched_switch: .*prev_pid=(\d+) .*next_pid=(\d+)/.exec(line);
    if (!m) return;
    const [, cpu, prev, next] = m;
    const r = running.get(cpu);
    if (r !== undefined && r !== prev) out.push(i + 1);
    if (next !== '0') for (const [c, t] of running) if (t === next && c !== cpu) running.delete(c);
    running.set(cpu, next);
  });
  return out;
}

describe('real recordings', () => {
  it('qemu-tcg-2vm-x2vcpu: the lost switch-ins the script text shows, the same from its perf.data', async () => {
    const text = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt');
    const oracle = lostSwitchInLines(text);
    expect(oracle.length).toBe(10);
    const m = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.script.txt')));
    const lost = m.warningSummary.find((e) => e.kind === 'lost-switch-in');
    expect(lost).toEqual({ kind: 'lost-switch-in', count: 10, firstLines: oracle.slice(0, 5) });
    // Line 315: CPU 1 switches out qemu-system-x86 20735; its last switch (line 304) went to tokio-rt-worker 75.
    expect(oracle[0]).toBe(315);
    expect(m.warnings.find((w) => w.kind === 'lost-switch-in')?.message).toBe(
      '10 switches switch out a task that the trace does not have running on that CPU (a switch-in was lost), the first at line 315: CPU 1 switches out qemu-system-x86:20735 while tokio-rt-worker:75 runs there',
    );
    const data = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.perf.data')));
    expect(data.warningSummary.find((e) => e.kind === 'lost-switch-in')?.count).toBe(10);
    // Its last switch puts perf on CPU 1 while CPU 0, stopped before, still has it: the end, not a double.
    expect(m.warningSummary.find((e) => e.kind === 'double-running')).toBeUndefined();
  });

  it('synth-2vm-x2vcpu-startup-exit: the one double the script shows is the map’s too', async () => {
    const script = await parseTrace(bytesSource(fixtureBytes('synth-2vm-x2vcpu-startup-exit.script.txt')));
    const map = await parseTrace(bytesSource(fixtureBytes('synth-2vm-x2vcpu-startup-exit.map.txt')));
    const text = fixtureText('synth-2vm-x2vcpu-startup-exit.script.txt').split('\n');
    const d = script.warningSummary.find((e) => e.kind === 'double-running');
    expect(d).toEqual({ kind: 'double-running', count: 1, firstLines: [45] });
    // tokio-rt-worker 70: switched in on CPU 0 (line 40), migrated, switched in on CPU 1 with no switch-out on CPU 0.
    expect(text[44]).toMatch(/\[001\].*sched_switch: .*next_pid=70 /);
    expect(text[39]).toMatch(/\[000\].*sched_switch: .*next_pid=70 /);
    expect(map.warningSummary.find((e) => e.kind === 'double-running')?.count).toBe(1);
    expect(script.warningSummary.find((e) => e.kind === 'lost-switch-in')?.count).toBe(
      lostSwitchInLines(text.join('\n')).length,
    );
  });

  it('after a sort (per-CPU text one CPU after another), the first lines are the same events, at their lines', async () => {
    // The real script, its lines stably grouped by CPU (CPU 0's, then CPU 1's), as `cat per_cpu/cpu*` gives.
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const cpuOf = (l: string) => /\[(\d+)\]/.exec(l)?.[1] ?? '';
    const byCpu = [...lines.filter((l) => cpuOf(l) === '000'), ...lines.filter((l) => cpuOf(l) === '001')];
    expect(byCpu.length).toBe(lines.filter((l) => l !== '').length);
    const sorted = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.script.txt')));
    const split = await parseTrace(textSource(byCpu.join('\n')));
    const entry = (m: typeof sorted, kind: string) => m.warningSummary.find((e) => e.kind === kind);
    expect(entry(split, 'unordered-time')!.count).toBeGreaterThan(0);
    // The first lines name the same events as the file in time order (the line's text), not nothing.
    const at = (text: string[], nos: number[]) => nos.map((n) => text[n - 1]).sort();
    expect(entry(split, 'lost-switch-in')!.count).toBe(10);
    expect(entry(split, 'lost-switch-in')!.firstLines).toHaveLength(5);
    const first5 = lostSwitchInLines(lines.join('\n')).slice(0, 5);
    expect(at(byCpu, entry(split, 'lost-switch-in')!.firstLines)).toEqual(at(lines, first5));
    expect(entry(split, 'double-running')).toBe(entry(sorted, 'double-running')); // none in either
  });

  it('the same with a double-running (synth-2vm-x2vcpu-startup-exit, its one double at line 45)', async () => {
    const lines = fixtureText('synth-2vm-x2vcpu-startup-exit.script.txt').split('\n');
    const cpuOf = (l: string) => /\[(\d+)\]/.exec(l)?.[1] ?? '';
    const cpus = [...new Set(lines.map(cpuOf).filter((c) => c !== ''))].sort();
    const byCpu = cpus.flatMap((c) => lines.filter((l) => cpuOf(l) === c));
    const split = await parseTrace(textSource(byCpu.join('\n')));
    const d = split.warningSummary.find((e) => e.kind === 'double-running');
    expect(d?.count).toBe(1);
    expect(d!.firstLines.map((n) => byCpu[n - 1])).toEqual([lines[44]]);
    const lost = split.warningSummary.find((e) => e.kind === 'lost-switch-in')!;
    expect(lost.firstLines.map((n) => byCpu[n - 1]).sort()).toEqual(
      lostSwitchInLines(lines.join('\n'))
        .slice(0, 5)
        .map((n) => lines[n - 1])
        .sort(),
    );
  });

  it('a trace.dat and its report: the same lost switch-ins', async () => {
    const bytes = new Uint8Array(fixtureBytes('tracecmd-pipe-4vm-x2vcpu.v7-zstd.dat'));
    const dat = await parseTrace(bytesSource(bytes), { random: memorySource(bytes) });
    const report = await parseTrace(bytesSource(fixtureBytes('tracecmd-pipe-4vm-x2vcpu.report-t.txt')));
    const count = (m: typeof dat) => m.warningSummary.find((e) => e.kind === 'lost-switch-in')?.count;
    expect(count(dat)).toBe(3);
    expect(count(report)).toBe(3);
  });
});
