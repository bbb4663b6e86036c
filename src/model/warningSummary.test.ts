// warningSummary: one entry per warning kind (warningKinds.ts), built by the
// builder for every format; checked by hand on the builder, then on real
// recordings with lost events (trace.dat and its trace-cmd report) and a
// verbatim console dump from a mail.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes } from '../../test/fixtures';
import { bytesSource, parseTrace, textSource } from '../parse/parseInput';
import { memorySource } from '../parse/source';
import { MAX_KEPT_WARNINGS, TraceBuilder } from './builder';
import { WARNING_KIND_NAMES } from './warningKinds';

describe('the builder keeps one summary entry per kind', () => {
  it('counts every occurrence, keeps the first five lines, in the kinds order', () => {
    const b = new TraceBuilder('ftrace');
    for (let line = 1; line <= 150; line++) b.skip(line, 'not an event line');
    b.warn(0, 'a note about the whole file');
    b.addLost({ line: 160, time: null, cpu: 1, count: 7, message: '7 events lost' });
    b.addLost({ line: 170, time: null, cpu: 0, count: null, message: 'some events lost' });
    b.addLost({ line: 180, time: null, cpu: 0, count: 5, message: '5 events lost' });
    b.line = 190;
    b.ignoreEvent('function', 'other-tracer');
    b.line = 191;
    b.ignoreEvent('function', 'other-tracer');
    b.ignoreEvent('sched_stat_runtime');
    b.tally('inferred-switch', 200, 3);
    const m = b.finish();
    // Per-line entries as before: the first 100, each with its kind.
    expect(m.warnings).toHaveLength(MAX_KEPT_WARNINGS);
    expect(m.warnings[0]).toEqual({ line: 1, message: 'skipped: not an event line', kind: 'skipped-line' });
    expect(m.warningCount).toBe(150 + 1 + 3);
    expect(m.warningSummary).toEqual([
      { kind: 'lost-events', count: 3, firstLines: [160, 170, 180], events: 12 },
      { kind: 'skipped-line', count: 150, firstLines: [1, 2, 3, 4, 5] },
      { kind: 'other-tracer', count: 2, firstLines: [190, 191] },
      { kind: 'inferred-switch', count: 3, firstLines: [200] },
      { kind: 'note', count: 1, firstLines: [] },
    ]);
    expect(m.ignoredEvents).toEqual({ function: 2, sched_stat_runtime: 1 });
    // The order is WARNING_KINDS'.
    const order = m.warningSummary.map((e) => WARNING_KIND_NAMES.indexOf(e.kind));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('unordered switch times are one entry counting every step back, at their lines', () => {
    const b = new TraceBuilder('ftrace');
    const idle = 0;
    const t = b.task(10, 'x', 0);
    const u = b.task(11, 'y', 0);
    // CPU 0 switches idle -> x -> idle ..., CPU 1 likewise, but CPU 1's lines come late.
    const rows: [number, number, number, number][] = [
      [5, 0, idle, t],
      [1, 1, idle, u],
      [6, 0, t, idle],
      [2, 1, u, idle],
      [7, 0, idle, t],
      [3, 1, idle, u],
    ];
    rows.forEach(([time, cpu, prev, next], i) => {
      b.line = i + 1;
      b.addSwitch(time, cpu, prev, 0, next);
    });
    const m = b.finish();
    expect(m.warningSummary).toEqual([{ kind: 'unordered-time', count: 3, firstLines: [2, 4, 6] }]);
    expect([...m.switches.time]).toEqual([1, 2, 3, 5, 6, 7]);
  });
});

describe('real recordings with lost events', () => {
  const datBytes = new Uint8Array(fixtureBytes('tracecmd-lost-4vm-x2vcpu.v6.dat'));

  it('trace.dat and its trace-cmd report: one lost-events entry, the same events lost (262 + 923)', async () => {
    const dat = await parseTrace(bytesSource(datBytes), { random: memorySource(datBytes) });
    const report = await parseTrace(bytesSource(fixtureBytes('tracecmd-lost-4vm-x2vcpu.report-t.txt')));
    for (const m of [dat, report]) {
      const lost = m.warningSummary.find((e) => e.kind === 'lost-events');
      expect(lost).toEqual({
        kind: 'lost-events',
        count: 2,
        firstLines: m.lost.map((l) => l.line).sort((a, b) => a - b),
        events: 262 + 923,
      });
      // Every kind counted is a kind; the summary's counts add up to at least the messages.
      expect(m.warningSummary.reduce((n, e) => n + e.count, 0)).toBeGreaterThanOrEqual(m.warningCount);
    }
  });

  it('a console dump from an lkml mail: the LOST line, the function tracer lines, the prose', async () => {
    const text = readFileSync(join(FIXTURES, 'paste', 'lkml-2024-10-06-ftrace-dump-on-oops.txt'), 'utf8');
    const m = await parseTrace(textSource(text));
    expect(m.warningSummary).toEqual([
      { kind: 'lost-events', count: 1, firstLines: [22], events: 12570412 },
      { kind: 'skipped-line', count: 12, firstLines: [1, 2, 3, 4, 5] },
      // `dl_server_stop <-dequeue_entities`, `dl_server_start <-enqueue_task_fair`.
      {
        kind: 'other-tracer',
        count: 2,
        firstLines: text.split('\n').flatMap((l, i) => (/ : dl_server_\w+ <-/.test(l) ? [i + 1] : [])),
      },
    ]);
  });
});
