// Elision marks in pasted traces (issue 15): `[...]`, `<snip>` and their kin
// are gaps in the trace, not unreadable lines. Judged on real recordings with
// a stretch of their lines replaced by a mark, against the same text with the
// stretch cut and no mark, and against a regex oracle on the text.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { SliceEnd, TaskKind, type TraceModel } from '../model/types';
import { modelView as view } from '../testing/modelView';
import { isElisionMark } from './elision';
import { parseTrace, textSource } from './parseInput';

const enc = new TextEncoder();
const mark = (s: string): boolean => {
  const b = enc.encode(s);
  return isElisionMark(b, 0, b.length);
};

describe('what an elision mark is', () => {
  it.each([
    '[...]',
    '[ ... ]',
    '  [....]',
    '<snip>',
    '<SNIP>',
    '[snip]',
    '[snipped]',
    '-- snip --',
    '---8<---',
    '--- 8< --- snip ---',
    '...',
    '…',
    '(...)',
    '[...snip...]',
    '<cut>',
    '[…]',
  ])('%s is one', (s) => expect(mark(s)).toBe(true));
  it.each([
    '<...>-1234  [000]  1.000000: sched_switch: prev_comm=a prev_pid=1',
    '[ 12.345] x',
    '# ...',
    '...and then it ran',
    '[000]',
    '',
    'snip',
  ])('%j is not', (s) => expect(mark(s)).toBe(false));
});

/** Lost switch-ins read off the text (the switchChecks rule), what runs where forgotten at a mark line. */
function lostSwitchIns(lines: string[]): number {
  let running = new Map<string, string>();
  let n = 0;
  for (const line of lines) {
    if (mark(line.replace(/^(> ?)+/, ''))) {
      running = new Map();
      continue;
    }
    const m = /\[(\d+)\].*sched_switch: .*prev_pid=(\d+) .*next_pid=(\d+)/.exec(line);
    if (!m) continue;
    const [, cpu, prev, next] = m;
    const r = running.get(cpu);
    if (r !== undefined && r !== prev) n++;
    if (next !== '0') for (const [c, t] of running) if (t === next && c !== cpu) running.delete(c);
    running.set(cpu, next);
  }
  return n;
}

/** Relative time of the last event line before line `no` (1-based), by its `sec.frac:` stamp. */
function timeBefore(m: TraceModel, lines: string[], no: number): number {
  for (let i = no - 2; i >= 0; i--) {
    const t = /\s(\d+)\.(\d{6,9}):?\s/.exec(lines[i]);
    if (!t) continue;
    const ns = Number(t[2].padEnd(9, '0'));
    return (Number(t[1]) - m.origin.sec) * 1e9 + (ns - m.origin.ns);
  }
  throw new Error('no event before the mark');
}

/** Slices that span time `at` (start before, end after). */
function spanning(m: TraceModel, at: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.switches.length; i++) if (m.switches.time[i] < at && m.slices.end[i] > at) out.push(i);
  return out;
}

describe('a stretch of a real trace left out behind a mark', () => {
  it.each([
    ['ftrace-qemu-3vm-x2vcpu.ftrace.txt', '[...]', ''],
    ['qemu-tcg-2vm-x2vcpu.script.txt', '<snip>', ''],
    ['qemu-tcg-2vm-x2vcpu.script.txt', '[...]', '> '],
  ])('%s with %s (quoted %j): a gap, no slice spans it, the checks start again', async (name, mk, quote) => {
    const lines = fixtureText(name).split('\n');
    const cut = [...lines.slice(0, 400), mk, ...lines.slice(1400)].map((l) => quote + l);
    const plain = [...lines.slice(0, 400), ...lines.slice(1400)].map((l) => quote + l);
    const m = await parseTrace(textSource(cut.join('\n')));
    const p = await parseTrace(textSource(plain.join('\n')));
    // The mark is no skipped line; the events are the cut text's.
    expect(m.skippedLines).toBe(p.skippedLines);
    const v = view(m);
    const w = view(p);
    for (const k of ['switches', 'wakeups', 'tasks', 'cpus'] as const) expect(v[k], k).toEqual(w[k]);
    expect(m.warningSummary.find((e) => e.kind === 'elided-gap')).toEqual({
      kind: 'elided-gap',
      count: 1,
      firstLines: [401],
    });
    // Without the mark, the slices open at the cut run on across it; with it, they end at the last time before it.
    const from = timeBefore(m, cut, 401);
    expect(spanning(p, from).length).toBeGreaterThan(0);
    expect(spanning(m, from)).toEqual([]);
    // Every slice open at the gap's start ends there (one that began at that very instant too: zero long).
    const ended = [...m.slices.endReason.keys()].filter((i) => m.slices.endReason[i] === SliceEnd.Gap);
    const open = [...p.slices.end.keys()].filter((i) => p.switches.time[i] <= from && p.slices.end[i] > from);
    expect(ended.length).toBe(open.length);
    for (const i of ended) expect(m.slices.end[i]).toBe(from);
    // The switch after the gap on each CPU switches out a task the trace lost track of: no lost switch-in there.
    const lost = (x: TraceModel) => x.warningSummary.find((e) => e.kind === 'lost-switch-in')?.count ?? 0;
    expect(lost(m)).toBe(lostSwitchIns(cut));
    expect(lost(p)).toBe(lostSwitchIns(plain));
    expect(lost(m)).toBeLessThan(lost(p));
  });

  it('a perf sched map with [...]: no slice spans it, no column keeps its task across it', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.map.txt').split('\n');
    const cut = [...lines.slice(0, 400), '  [...]', ...lines.slice(1400)];
    const plain = [...lines.slice(0, 400), ...lines.slice(1400)];
    const m = await parseTrace(textSource(cut.join('\n')));
    const p = await parseTrace(textSource(plain.join('\n')));
    expect(m.skippedLines).toBe(p.skippedLines);
    expect(m.warningSummary.find((e) => e.kind === 'elided-gap')).toEqual({
      kind: 'elided-gap',
      count: 1,
      firstLines: [401],
    });
    const from = timeBefore(
      m,
      cut.map((l) => l.replace(' secs', ': secs')),
      401,
    );
    expect(spanning(p, from).length).toBeGreaterThan(0);
    expect(spanning(m, from)).toEqual([]);
    // The same switches; the first one after the mark on each CPU switches out a task not known (-1), not the stale one.
    const row = (x: TraceModel, i: number) => [x.switches.time[i], x.switches.cpu[i], x.switches.next[i]];
    expect([...m.switches.time.keys()].map((i) => row(m, i))).toEqual(
      [...p.switches.time.keys()].map((i) => row(p, i)),
    );
    const after = [...m.switches.time.keys()].filter((i) => m.switches.time[i] > from);
    const firstPerCpu = [...new Set(after.map((i) => m.switches.cpu[i]))].map((c) =>
      after.find((i) => m.switches.cpu[i] === c)!,
    );
    expect(firstPerCpu.map((i) => m.switches.prev[i])).toEqual(firstPerCpu.map(() => -1));
    expect(firstPerCpu.map((i) => p.switches.prev[i]).every((t) => t >= 0)).toBe(true);
  });

  it('a timehist with [...]: the rows before it switch in a placeholder, each CPU starts again after it', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n');
    const cut = [...lines.slice(0, 400), '[...]', ...lines.slice(1400)];
    const m = await parseTrace(textSource(cut.join('\n')));
    expect(m.warningSummary.find((e) => e.kind === 'elided-gap')).toEqual({
      kind: 'elided-gap',
      count: 1,
      firstLines: [401],
    });
    expect(m.skippedLines).toBe(0);
    const placeholder = m.tasks.comms.findIndex((c) => c[0] === 'events the paste leaves out');
    expect(m.tasks.kind[placeholder]).toBe(TaskKind.Elided); // unknown time, not a task's (elidedTime.test)
    // The last row before the mark on each CPU (both CPUs have one) switches the placeholder in.
    const cpusBefore = new Set(
      lines
        .slice(3, 400)
        .map((l) => /\[(\d+)\]/.exec(l)?.[1])
        .filter(Boolean),
    );
    const toPlaceholder = [...m.switches.next.keys()].filter((i) => m.switches.next[i] === placeholder);
    expect(toPlaceholder.length).toBe(cpusBefore.size);
    // No real task's slice spans the gap's start (the last row's time before the mark).
    const from = timeBefore(m, cut, 401);
    expect(spanning(m, from).filter((i) => m.tasks.kind[m.switches.next[i]] === TaskKind.Normal)).toEqual([]);
    // Each CPU's first row after the mark with a run time infers its switch-in (kept apart from the file's).
    const firstAfter = new Map<string, string>();
    for (const l of cut.slice(401)) {
      const r = /\[(\d+)\]\s.*\s(\d+\.\d{3})\s*$/.exec(l);
      if (r && !firstAfter.has(r[1])) firstAfter.set(r[1], r[2]);
    }
    const withRun = [...firstAfter.values()].filter((ms) => ms !== '0.000').length;
    const inferredAfter = [...m.inferredSwitchRows].filter((i) => m.switches.time[i] > from).length;
    expect(inferredAfter).toBe(withRun);
  });

  it("a timehist row after the mark whose run time began before it: that slice is the row's, not cut at the gap", async () => {
    const head = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n').slice(0, 3);
    const row = (t: string, cpu: number, task: string, run: string) =>
      `  ${t} [000${cpu}]  ${task.padEnd(30)}  ${'0.000'.padStart(9)}  ${'0.000'.padStart(9)}  ${run.padStart(9)}`;
    const m = await parseTrace(
      textSource(
        [
          ...head,
          row('100.000100', 0, 'a[10]', '0.000'),
          row('100.000200', 1, 'b[11]', '0.000'),
          '[...]',
          row('100.000900', 0, 'c[12]', '0.750'),
        ].join('\n') + '\n',
      ),
    );
    // c ran from 100.000150 (its run time) to its row: across the gap's start (100.000200), as its row says.
    const c = m.tasks.tid.indexOf(12);
    const i = [...m.switches.next.keys()].find((k) => m.switches.next[k] === c)!;
    const us = (ns: number) => Math.round((m.origin.ns + ns) / 1000) / 1e6 + m.origin.sec;
    expect([us(m.switches.time[i]), us(m.slices.end[i])]).toEqual([100.00015, 100.0009]);
    expect(m.inferredSwitchRows).toContain(i);
    // CPU 0 between a's row and c's switch-in ran what the paste leaves out.
    const gapTask = m.tasks.comms.findIndex((x) => x[0] === 'events the paste leaves out');
    expect([...m.switches.next].filter((t) => t === gapTask)).toHaveLength(2);
  });
});
