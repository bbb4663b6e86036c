// The gap table (TraceModel.gaps) on real recordings with a stretch of lines replaced by an elision mark:
// its start is the time of the last stamped line before the mark (where the slices open there are cut,
// elision.test.ts) and its end the first event after it that the model keeps, read off the text by the
// stamps, with the mark's line and text; binary recordings and unmarked text have none.

import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText } from '../../test/fixtures';
import { bytesSource, parseTrace, textSource } from '../parse/parseInput';
import type { TraceModel } from './types';

/** Relative time of a line's `sec.frac` stamp (perf sched map's `  1.234567 secs` too), or null. */
function stamp(m: TraceModel, line: string): number | null {
  const t = /\s(\d+)\.(\d{6,9})(?::|\s+secs)?\s/.exec(` ${line} `);
  if (!t) return null;
  return (Number(t[1]) - m.origin.sec) * 1e9 + (Number(t[2].padEnd(9, '0')) - m.origin.ns);
}

/** The stamp of the nearest event line to line `no` (1-based) going back (step -1) or forward (+1). */
function near(m: TraceModel, lines: string[], no: number, step: -1 | 1, event: RegExp): number {
  for (let i = no - 1 + step; i >= 0 && i < lines.length; i += step) {
    if (!event.test(lines[i])) continue;
    const t = stamp(m, lines[i]);
    if (t !== null) return t;
  }
  throw new Error('no event line there');
}

/** An event line whose event the model keeps (switch, wakeup, migration, kvm exit / entry). */
const KEPT = /\bsched_(?:switch|waking|wakeup|wakeup_new|migrate_task):|\bkvm_(?:exit|entry):/;

const ANY = /./;

const rows = (m: TraceModel) =>
  [...m.gaps.start.keys()].map((i) => ({
    start: m.gaps.start[i],
    end: m.gaps.end[i],
    line: m.gaps.line[i],
    mark: m.gaps.mark[i],
  }));

describe('the gap table of a real trace cut behind marks', () => {
  it.each([
    // The lines the model keeps an event of (sched_stat_runtime and other tracepoints are none).
    ['ftrace-qemu-3vm-x2vcpu.ftrace.txt', '[...]', KEPT],
    ['qemu-tcg-2vm-x2vcpu.script.txt', '<snip>', KEPT],
    ['qemu-tcg-2vm-x2vcpu.map.txt', '  [...]', /\ssecs\s/],
    ['qemu-tcg-2vm-x2vcpu.timehist.txt', '-- snip --', /^\s*\d+\.\d+\s+\[\d+\]/],
  ])('%s with %j: one row a mark, the times of the event lines around it', async (name, mk, event) => {
    const lines = fixtureText(name).split('\n');
    const cut = [...lines.slice(0, 400), mk, ...lines.slice(1400, 2000), '> […]', ...lines.slice(2600)];
    const m = await parseTrace(textSource(cut.join('\n')));
    const second = 400 + 1 + 600 + 1;
    expect(rows(m)).toEqual([
      { start: near(m, cut, 401, -1, ANY), end: near(m, cut, 401, 1, event), line: 401, mark: mk.trim() },
      { start: near(m, cut, second, -1, ANY), end: near(m, cut, second, 1, event), line: second, mark: '[…]' },
    ]);
    expect(m.gaps.start[0]).toBeLessThan(m.gaps.end[0]);
    expect(m.gaps.end[0]).toBeLessThan(m.gaps.start[1]);
    // A quoted mark's quote is the line prefix's (linePrefix.ts), not the mark's.
    // Unmarked, the same text has no gap.
    const plain = await parseTrace(textSource([...lines.slice(0, 400), ...lines.slice(1400)].join('\n')));
    expect(plain.gaps.length).toBe(0);
  });

  it('two marks in a row are two rows over the same stretch; a mark before the first event or after the last is none', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const cut = ['[...]', ...lines.slice(0, 400), '[...]', '<snip>', ...lines.slice(1400, 2000), '[...]'];
    const m = await parseTrace(textSource(cut.join('\n')));
    expect(m.warningSummary.find((e) => e.kind === 'elided-gap')?.count).toBe(4);
    const r = rows(m);
    expect(r.map((g) => [g.line, g.mark])).toEqual([
      [402, '[...]'],
      [403, '<snip>'],
    ]);
    expect(r[0].start).toBe(r[1].start);
    expect(r[0].end).toBe(r[1].end);
    expect(r[0].end).toBeGreaterThan(r[0].start);
  });

  it('a damaged stamp right after the mark (skipped as an outlier) does not end the gap', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const first = lines.findIndex((l, i) => i >= 1400 && /sched_switch:/.test(l));
    // The next switch after the mark, 1000 s early: far from its neighbours on its CPU.
    const bad = lines[first].replace(/\s(\d+)\.(\d+):/, (_, s, f) => ` ${Number(s) - 1000}.${f}:`);
    const cut = [...lines.slice(0, 400), '[...]', bad, ...lines.slice(1400)];
    const m = await parseTrace(textSource(cut.join('\n')));
    expect(m.warningSummary.find((e) => e.kind === 'time-outlier')?.firstLines).toEqual([402]);
    // Before, the gap ended at the outlier's time, so it was empty: start = end.
    expect(rows(m)).toEqual([
      { start: near(m, cut, 401, -1, ANY), end: near(m, cut, 402, 1, KEPT), line: 401, mark: '[...]' },
    ]);
    expect(m.gaps.end[0] - m.gaps.start[0]).toBeGreaterThan(100e6);
  });

  it('a damaged stamp right before the mark (skipped as an outlier) does not start the gap', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const last = lines.slice(0, 401).findLastIndex((l) => /sched_switch:/.test(l));
    // The last line before the mark is a switch 1000 s early: far from its neighbours on its CPU.
    const bad = lines[last].replace(/\s(\d+)\.(\d+):/, (_, s, f) => ` ${Number(s) - 1000}.${f}:`);
    const cut = [...lines.slice(0, last), bad, '[...]', ...lines.slice(1400)];
    const m = await parseTrace(textSource(cut.join('\n')));
    expect(m.warningSummary.find((e) => e.kind === 'time-outlier')?.firstLines).toEqual([last + 1]);
    // Before, the gap started at the outlier's stamp, 1000 s before the trace, and the slices open at the
    // mark were cut there: now at the last event kept before it.
    expect(rows(m)).toEqual([
      { start: near(m, cut, last + 1, -1, KEPT), end: near(m, cut, last + 2, 1, KEPT), line: last + 2, mark: '[...]' },
    ]);
    expect(m.gaps.start[0]).toBeGreaterThan(m.switches.time[0]);
    for (let i = 0; i < m.switches.length; i++) expect(m.slices.end[i]).toBeGreaterThanOrEqual(m.switches.time[i]);
  });

  // A wakeup's stamp is checked as a switch's is (among the wakeups on its CPU): 1000 s early, it is skipped
  // and named, and the gap's edges are those of the same text without that line.
  const WAKING = /sched_waking:/;
  const early = (line: string) => line.replace(/\s(\d+)\.(\d+):/, (_, s, f) => ` ${Number(s) - 1000}.${f}:`);
  const withoutLine = (lines: string[], no: number) => lines.filter((_, i) => i !== no - 1);

  it('a damaged wakeup stamp right before the mark (skipped as an outlier) does not start the gap', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const last = lines.slice(0, 401).findLastIndex((l) => WAKING.test(l));
    const cut = [...lines.slice(0, last), early(lines[last]), '[...]', ...lines.slice(1400)];
    const m = await parseTrace(textSource(cut.join('\n')));
    const summary = m.warningSummary.find((e) => e.kind === 'time-outlier');
    expect(summary).toMatchObject({ count: 1, firstLines: [last + 1] });
    expect(m.warnings.find((w) => w.kind === 'time-outlier')?.message).toMatch(/^skipped: wakeup timestamp outlier/);
    // Before, the gap started at the wakeup's stamp, 1000 s before the trace: now at the last event kept.
    expect(rows(m)).toEqual([
      { start: near(m, cut, last + 1, -1, KEPT), end: near(m, cut, last + 2, 1, KEPT), line: last + 2, mark: '[...]' },
    ]);
    expect(m.gaps.start[0]).toBeGreaterThan(m.switches.time[0]);
    const plain = await parseTrace(textSource(withoutLine(cut, last + 1).join('\n')));
    expect(m.wakeups.length).toBe(plain.wakeups.length);
    expect([...m.wakeups.time]).toEqual([...plain.wakeups.time]);
    expect(m.skippedLines).toBe(plain.skippedLines + 1);
  });

  it('a damaged wakeup stamp right after the mark (skipped as an outlier) does not end the gap', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.script.txt').split('\n');
    const first = lines.findIndex((l, i) => i >= 1400 && WAKING.test(l));
    const cut = [...lines.slice(0, 400), '[...]', early(lines[first]), ...lines.slice(first + 1)];
    const m = await parseTrace(textSource(cut.join('\n')));
    expect(m.warningSummary.find((e) => e.kind === 'time-outlier')).toMatchObject({ count: 1, firstLines: [402] });
    // Before, the gap ended at the wakeup's stamp, before its start: it was empty (start = end).
    expect(rows(m)).toEqual([
      { start: near(m, cut, 401, -1, ANY), end: near(m, cut, 402, 1, KEPT), line: 401, mark: '[...]' },
    ]);
    expect(m.gaps.end[0] - m.gaps.start[0]).toBeGreaterThan(100e6);
    const plain = await parseTrace(textSource(withoutLine(cut, 402).join('\n')));
    expect(rows(m)).toEqual(rows(plain));
    expect([...m.wakeups.time]).toEqual([...plain.wakeups.time]);
  });

  it('a binary recording has no gaps', async () => {
    const m = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.perf.data')));
    expect(m.switches.length).toBeGreaterThan(0);
    expect(m.gaps.length).toBe(0);
    expect(m.gaps.start.length).toBe(0);
  });
});
