// Switches a timehist reader infers are kept apart (TraceModel.inferredSwitchRows): `switches`, the per-CPU
// switch counts and switchesPerSecPerCpu count the input's switches only; the inferred ones make slices.
// Checked on the real timehist recordings (none inferred: perf prints a run time of 0 at a recording's
// start and no line is missing), on a -p filtered timehist of one (the switch-ins of the tasks filtered
// out), and on a verbatim mail excerpt (each CPU's first row).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureText, parseTextWith, RECORDINGS } from '../../test/fixtures';
import { createTimehistParser } from '../parse/timehist';
import { parseTrace, textSource } from '../parse/parseInput';
import type { TraceModel } from '../model/types';
import { makeRun } from '../testing/runs';
import { analyzeRun } from './analyze';
import { summarizeRun } from './summary';
import { windowEvents } from './windowEvents';

const DATA_LINE = /^\s*\d+\.\d{6} \[\d+\]\s+\S.*\d\.\d{3}/;

function counts(m: TraceModel) {
  const run = makeRun(m);
  const s = summarizeRun(run);
  const a = analyzeRun(run);
  const perCpu = a.perCpu.reduce((n, c) => n + c.switches, 0);
  const D = (a.window.durationUs * 1000) / 1e9;
  return { s, a, perCpu, window: windowEvents(m).switches, rate: s.switches / D / a.perCpu.length };
}

describe('inferred switches are not the input’s switches', () => {
  it.each(RECORDINGS)('%s.timehist.txt: none inferred; switches = its data lines = the script’s', (rec) => {
    const text = fixtureText(`${rec}.timehist.txt`);
    const m = parseTextWith(createTimehistParser, text, 'perf-sched-timehist');
    const script = (fixtureText(`${rec}.script.txt`).match(/sched:sched_switch:/g) ?? []).length;
    const { s, perCpu, window } = counts(m);
    expect(s.inferredSwitches).toBe(0);
    expect(s.switches).toBe(text.split('\n').filter((l) => DATA_LINE.test(l)).length);
    expect(s.switches).toBe(script);
    expect(perCpu).toBe(s.switches);
    expect(window).toBe(s.switches);
  });

  it('a -p filtered timehist (real lines of one recording): the filtered tasks’ switch-ins are inferred, not counted', () => {
    const full = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n');
    const lines = full.slice(3).filter((l) => /(\[|\/)20733\]\s/.test(l));
    const m = parseTextWith(createTimehistParser, [...full.slice(0, 3), ...lines].join('\n'), 'perf-sched-timehist');
    const { s, a, perCpu, window, rate } = counts(m);
    expect(s.switches).toBe(lines.length);
    expect(s.inferredSwitches).toBe(m.inferredSwitchRows.length);
    expect(s.inferredSwitches).toBeGreaterThan(50);
    expect(m.switches.length).toBe(s.switches + s.inferredSwitches);
    expect(s.warningSummary.find((e) => e.kind === 'inferred-switch')?.count).toBe(s.inferredSwitches);
    expect(perCpu).toBe(s.switches);
    expect(window).toBe(s.switches);
    expect(a.switchesPerSecPerCpu).toBeCloseTo(rate, 6);
  });

  it('a timehist quoted in an lkml mail: 10 rows, 6 switch-ins inferred at the CPUs’ first rows', async () => {
    const text = readFileSync(join(FIXTURES, 'paste', 'lkml-2024-10-04-quoted-timehist.txt'), 'utf8');
    const m = await parseTrace(textSource(text));
    const { s, a, perCpu, window } = counts(m);
    expect([s.switches, s.inferredSwitches]).toEqual([10, 6]);
    expect(perCpu).toBe(10);
    expect(window).toBe(10);
    // CPU 6's one row, `38456.721800 [0006] schbench[28779/28574] ... 1.999`: known for its 1.999 ms run,
    // switched in by the inferred switch (nothing was known on CPU 6 without it).
    const cpu6 = a.perCpu.find((c) => c.cpu === 6);
    expect(cpu6?.switches).toBe(1);
    const rows = [...m.inferredSwitchRows].filter((i) => m.switches.cpu[i] === 6);
    expect(rows.map((i) => [m.tasks.tid[m.switches.next[i]], m.slices.end[i] - m.switches.time[i]])).toEqual([
      [28779, 1_999_000],
    ]);
  });
});
