// Traces as users paste them (issue 15): verbatim public mail samples
// (test/fixtures/paste, origins in TRACES.md) read through the whole driver.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSwitchRows, FIXTURES, fixtureText, parseTextWith } from '../../test/fixtures';
import { assembleRuns } from '../model/runs';
import { modelView as view } from '../testing/modelView';
import { droppedInputsOf } from './droppedInput';
import { PrevState, type TraceModel } from '../model/types';
import { isVcpuName, vcpuIndexOfName } from '../model/vcpuNames';
import { createFtraceParser } from './ftrace';
import { joinWrappedRows } from './lineJoin';
import { contentStart } from './linePrefix';
import { parseInput, parseTrace, textSource } from './parseInput';
import { thousands } from '../model/format';

const paste = (name: string): string => readFileSync(join(FIXTURES, 'paste', name), 'utf8');
const enc = new TextEncoder();
const dec = new TextDecoder();
const stripped = (line: string): string => {
  const b = enc.encode(line);
  return dec.decode(b.subarray(contentStart(b, 0, b.length)));
};

describe('line prefixes: mail quotes and dmesg stamps', () => {
  it('steps over quotes of any depth, then a dmesg stamp', () => {
    expect(stripped('> > [ 1320.444210]   <idle>-0  x')).toBe('  <idle>-0  x');
    expect(stripped('>> [10363.661789] CPU:1 [LOST 1 EVENTS]')).toBe('CPU:1 [LOST 1 EVENTS]');
    expect(stripped('>   0.5 [0001] a')).toBe('  0.5 [0001] a');
    expect(stripped('>')).toBe('');
    expect(stripped('[ 12.5]x')).toBe('x');
  });

  it('leaves lines that only look alike', () => {
    expect(stripped('[LOST 3 EVENTS]')).toBe('[LOST 3 EVENTS]');
    expect(stripped('[ 12] x')).toBe('[ 12] x');
    expect(stripped('  bash-1 [000] 1.0: x')).toBe('  bash-1 [000] 1.0: x');
  });
});

describe('ftrace_dump_on_oops console dumps (latency format behind dmesg stamps)', () => {
  it('reads the dump of an lkml mail: every sched_switch, µs times from the buffer start, the LOST line', async () => {
    const text = paste('lkml-2024-10-06-ftrace-dump-on-oops.txt');
    const m = await parseTrace(textSource(text));
    expect(m.format).toBe('ftrace');
    expect(m.formatDetail).toBe('ftrace latency format (times from the start of the trace buffer)');
    const switchLines = text.split('\n').filter((l) => l.includes(' : sched_switch: '));
    expect(m.switches.length).toBe(switchLines.length);
    expect(m.switches.length).toBe(38);
    // Relative to the first event: 10347723897us is 0, 10347723905us is 8 µs.
    expect(m.switches.time[0]).toBe(0);
    expect(m.switches.time[1]).toBe(8000);
    expect(m.switches.time[37]).toBe((10347733893 - 10347723897) * 1000); // the last switch line
    expect(m.origin).toEqual({ sec: 10347, ns: 723897000 });
    expect([...new Set(m.switches.cpu)]).toEqual([1]);
    // The payload's full comm, not the prefix's 8-character cut.
    const t159 = [...m.tasks.tid].indexOf(159);
    expect(m.tasks.comms[t159]).toEqual(['rcu_torture_rea']);
    expect(m.wakeups.length).toBe(text.split('\n').filter((l) => l.includes(' : sched_wakeup: ')).length);
    // `CPU:1 [LOST 12570412 EVENTS]` is a lost-events report, not a skipped line.
    expect(m.lost).toHaveLength(1);
    expect(m.lost[0]).toMatchObject({ cpu: 1, count: 12570412, line: 22 });
    // The function tracer's `dl_server_stop <-dequeue_entities` lines are understood, not modelled.
    expect(m.ignoredEvents.function).toBe(2);
    // The mail's prose (lines 1-16) is counted as skipped lines; the dump's banner and dashed rules are not.
    const prose = text
      .split('\n')
      .slice(0, 16)
      .filter((l) => l.trim() !== '').length;
    expect(m.skippedLines).toBe(prose);
    expect(m.warnings.filter((w) => w.message.startsWith('skipped')).map((w) => w.line)).toEqual([
      1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 14, 16,
    ]);
  });

  it('reads a quoted dump (`> > ` before the dmesg stamp) in a reply of mixed quote depths', async () => {
    const text = paste('lkml-2023-01-03-quoted-console-dump.txt');
    const m = await parseTrace(textSource(text));
    expect(m.formatDetail).toMatch(/latency format/);
    expect(m.switches.length).toBe(2);
    expect([...m.switches.cpu]).toEqual([7, 7]);
    expect([...m.switches.time]).toEqual([35000, 38000]); // 314229655us, 314229658us after 314229620us
    expect(m.wakeups.length).toBe(1);
    expect(m.ignoredEvents.__run_timers).toBe(2);
  });
});

describe('vCPU names cut to 8 characters by the latency format', () => {
  it('accepts the cut forms of QEMU names only at 8 characters', () => {
    expect(vcpuIndexOfName('CPU 0/KV')).toBe(0);
    expect(vcpuIndexOfName('CPU 12/K')).toBe(12);
    expect(vcpuIndexOfName('CPU 100/')).toBe(100);
    expect(vcpuIndexOfName('CPU 1/TC')).toBe(1);
    expect(isVcpuName('CPU 0/K')).toBe(false);
    expect(isVcpuName('CPU 0/XY')).toBe(false);
    expect(isVcpuName('CPU 0/KVM')).toBe(true);
  });
});

describe('rows broken in two by a mailer', () => {
  it('rejoins the ftrace rows of a qemu-devel mail (prefix up to the timestamp, event on the next line)', () => {
    const text = paste('qemu-devel-2021-05-05-wrapped-ftrace.txt');
    const m = parseTextWith((b) => joinWrappedRows(createFtraceParser(b), b), text, 'ftrace');
    const lines = text.split('\n');
    const heads = lines.filter((l) => /^qemu-system-x86-\d+ {2}\[\d{3}\] .{4} {3}\d+\.\d{6}:$/.test(l));
    expect(heads.length).toBe(31);
    expect(m.kvmEntries.length).toBe(lines.filter((l) => l.startsWith(' kvm_entry: ')).length);
    expect(m.kvmEntries.length).toBe(9);
    expect(m.kvmExits.length).toBe(10);
    expect(m.ignoredEvents).toEqual({ tracing_mark_write: 10, kvm_ack_irq: 2 });
    // Thread 5665 (QEMU without thread names) is the one that enters the guest, on CPU 0, as vcpu 0.
    const t5665 = [...m.tasks.tid].indexOf(5665);
    expect(m.tasks.comms[t5665]).toEqual(['qemu-system-x86']);
    expect(new Set(m.kvmEntries.task)).toEqual(new Set([t5665]));
    expect(new Set(m.kvmEntries.cpu)).toEqual(new Set([0]));
    expect(m.kvmEntries.time[0]).toBe(6000); // 280.971122, after the first row's 280.971116
    expect(m.warnings.find((w) => w.message.includes('rejoined'))?.message).toMatch(
      /^31 rows broken in two .* line 6$/,
    );
    // The prose and the author's ` # ...` notes are skipped by number; no row is lost.
    const notes = lines.filter((l) => l.startsWith(' # ')).length;
    const prose = 4;
    expect(m.skippedLines).toBe(notes + prose);
  });

  it('leaves a head without its tail to the parser, and joins in the whole driver', async () => {
    const sw = (t: string): string => `            bash-100   [001] ....  ${t}:`;
    const payload =
      ' sched_switch: prev_comm=bash prev_pid=100 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120';
    const text =
      [
        '# tracer: nop',
        sw('10.000001'),
        payload,
        sw('10.000002'),
        '',
        `${sw('10.000003')}${payload}`,
        sw('10.000004'),
        payload.trim(),
      ].join('\n') + '\n';
    const m = await parseTrace(textSource(text));
    expect(m.switches.length).toBe(3);
    expect([...m.switches.time]).toEqual([0, 2000, 3000]);
    expect(m.skippedLines).toBe(1);
    expect(m.warnings.find((w) => w.line === 4)?.message).toMatch(/^skipped: /);
    expect(m.warnings.find((w) => w.message.includes('rejoined'))?.message).toMatch(/^2 rows broken in two/);
  });

  it('a rejoined row with a CPU outside Linux range is skipped under its own line number', async () => {
    const payload =
      ' sched_switch: prev_comm=bash prev_pid=100 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120';
    const text = [
      `            bash-100   [001] ....  10.000001:${payload}`,
      '            bash-100   [9000] ....  10.000002:',
      payload,
      `            bash-100   [001] ....  10.000003:${payload}`,
    ].join('\n');
    const m = await parseTrace(textSource(text + '\n'));
    expect(m.switches.length).toBe(2);
    expect(m.skippedLines).toBe(1);
    expect(m.warnings.find((w) => w.message.includes('9000'))?.line).toBe(2);
  });
});

describe('perf sched timehist quoted in mail', () => {
  it('reads the `>> ` quoted -P timehist of an lkml reply (`> ` and `>> ` mixed) as its unquoted text', async () => {
    const text = paste('lkml-2024-10-04-quoted-timehist.txt');
    const m = await parseTrace(textSource(text));
    const unquoted = text
      .split('\n')
      .map((l) => l.replace(/^>+ ?/, ''))
      .join('\n');
    const plain = await parseTrace(textSource(unquoted));
    expect(m.formatDetail).toBe('perf sched timehist');
    // Ten rows, and a switch-in inferred at the first row of each of the 6 CPUs (38456.720806 [0001]
    // schbench[28634/28574] ran 1.004 ms: switched in at 38456.719802).
    expect(m.switches.length - m.inferredSwitchRows.length).toBe(10);
    expect(m.inferredSwitchRows.length).toBe(6);
    const absUs = (i: number) => m.origin.sec * 1e6 + Math.round((m.origin.ns + m.switches.time[i]) / 1000);
    expect([...m.inferredSwitchRows].map((i) => [m.switches.cpu[i], absUs(i)])).toContainEqual([1, 38456719802]);
    for (const col of ['time', 'cpu', 'prev', 'next'] as const)
      expect([...m.switches[col]], col).toEqual([...plain.switches[col]]);
    expect(m.tasks.comms).toEqual(plain.tasks.comms);
    expect([...m.tasks.tgid]).toEqual([...plain.tasks.tgid]);
    expect([...new Set(m.switches.cpu)].sort()).toEqual([0, 1, 2, 4, 6, 7]);
    // The quoted prose and the `=====` rule are skipped by number, as in the unquoted text.
    expect(m.warnings.filter((w) => w.message.startsWith('skipped')).map((w) => w.line)).toEqual([
      2, 3, 6, 7, 9, 11, 13, 15, 16, 17, 19, 20,
    ]);
  });
});

describe('the context-switch tracer (sched_switch tracer of 2.6.2x, wakeup latency tracers)', () => {
  const tid = (m: TraceModel, t: number): number => m.tasks.tid[t];
  const commOf = (m: TraceModel, t: number): string[] => m.tasks.comms[[...m.tasks.tid].indexOf(t)];

  it('2.6.3x (`[cpu]` and the next comm printed): switches and wakeups, comms from the prefix and the payload', async () => {
    const text = paste('note-ibm-dw-cn-sched_switch-tracer-2.6.3x.txt');
    const m = await parseTrace(textSource(text));
    expect(m.format).toBe('ftrace');
    const lines = text.split('\n');
    expect(m.switches.length).toBe(lines.filter((l) => l.includes(' ==> ')).length);
    expect([...m.switches.prev].map((t) => tid(m, t))).toEqual([1408, 9]);
    expect([...m.switches.next].map((t) => tid(m, t))).toEqual([9, 1377]);
    expect([...m.switches.prevState]).toEqual([PrevState.Runnable, PrevState.Sleeping]);
    expect([...m.switches.time]).toEqual([881000, 1030000]); // 26208.816939 and .817088 after .816058
    expect(m.wakeups.length).toBe(lines.filter((l) => l.includes('   + [')).length);
    expect([...m.wakeups.task].map((t) => tid(m, t))).toEqual([1408, 1408, 9, 1377]);
    expect(commOf(m, 1408)).toEqual(['bash']);
    expect(commOf(m, 9)).toEqual(['events/0']);
    expect(commOf(m, 1377)).toEqual(['gnome-terminal']);
    // The shell prompt line is the one line skipped; the `# ` header is no skipped line.
    expect(m.skippedLines).toBe(1);
    expect(m.warnings[0]).toMatchObject({ line: 1 });
    expect(m.ignoredEvents).toEqual({});
  });

  it('2.6.26 (no `[cpu]`, no comms, state `?`): comms from the line prefixes, wakeups on the CPU that ran them', async () => {
    const text = paste('note-ibm-dw-cn-sched_switch-tracer-2.6.26.txt');
    const m = await parseTrace(textSource(text));
    expect(m.switches.length).toBe(1);
    expect(tid(m, m.switches.prev[0])).toBe(6263);
    expect(tid(m, m.switches.next[0])).toBe(2717);
    expect(m.switches.prevState[0]).toBe(PrevState.Other); // `?`
    expect(commOf(m, 6263)).toEqual(['fon']);
    expect(commOf(m, 2717)).toEqual(['bash']); // named by the prefix of the line after the switch
    expect(commOf(m, 2714)).toEqual([]);
    expect([...m.wakeups.task].map((t) => tid(m, t))).toEqual([2717, 2714]);
    expect([...m.wakeups.cpu]).toEqual([0, 0]);
    expect(m.warnings.map((w) => w.message)).toContain(
      '2 wakeups of the sched_switch tracer (`pid:prio:S   + pid:prio:S`) name no target CPU (2.6.27 prints none): each is put on the CPU that ran it',
    );
    // The header copied with a leading blank (` # `) is read as a header, not skipped.
    expect(m.skippedLines).toBe(0);
  });

  it('wakeup_rt with events (Documentation/trace/ftrace.rst): the `==>` line is the switch, sched_wakeup the wakeup', async () => {
    const text = paste('kernel-doc-ftrace-rst-wakeup_rt-events.txt');
    const m = await parseTrace(textSource(text));
    expect(m.formatDetail).toMatch(/latency format/);
    expect(m.switches.length).toBe(1);
    expect([m.switches.cpu[0], tid(m, m.switches.prev[0]), tid(m, m.switches.next[0])]).toEqual([2, 0, 5882]);
    expect(m.switches.time[0]).toBe(6000); // 6us after the first line's 0us
    expect(commOf(m, 5882)).toEqual(['sleep']);
    // One wakeup: the tracer's `+` line and the sched_wakeup event are the same wakeup.
    expect(m.wakeups.length).toBe(1);
    expect([tid(m, m.wakeups.task[0]), m.wakeups.cpu[0], m.wakeups.time[0]]).toEqual([5882, 2, 1000]);
    expect(m.warnings.map((w) => w.message)).toContain(
      "1 wakeups of the tracer's `pid:prio:S   + pid:prio:S` lines were not added: the file's sched_wakeup / sched_waking events hold the wakeups",
    );
    expect(m.ignoredEvents).toMatchObject({ function: 2, rcu_utilization: 2, power_end: 1 });
    expect(m.skippedLines).toBe(0); // the indented `  #` header lines are headers
  });
});

describe('several perf sched timehists one after another in one paste', () => {
  const head = (name: string, n: number): string[] => fixtureText(name).split('\n').slice(0, n);
  // Two real timehists: the synth spin run (1606.8 s), then the QEMU one (1420.6 s: time goes back).
  const first = head('synth-4vm-x2vcpu-spin.timehist.txt', 203);
  const second = head('qemu-tcg-2vm-x2vcpu.timehist.txt', 203);
  const alone = async (lines: string[]): Promise<TraceModel> => parseTrace(textSource(lines.join('\n') + '\n'));
  const same = (a: TraceModel, b: TraceModel): void => {
    const va = view(a);
    const vb = view(b);
    for (const k of ['switches', 'wakeups', 'tasks', 'cpus'] as const) expect(va[k], k).toEqual(vb[k]);
  };

  it.each([
    ['each with its header', second],
    ['the second without its header (time going back)', second.slice(3)],
  ])('%s: each becomes a trace of its own, as if dropped as its own file', async (_, next) => {
    const text = [...first, ...next].join('\n') + '\n';
    const r = await parseInput(textSource(text));
    if (r.kind !== 'trace') throw new Error('not a trace');
    expect(r.more).toHaveLength(1);
    const [a, b] = [r.model, r.more![0]];
    same(a, await alone(first));
    same(b, await alone(next));
    expect(a.switches.length).toBeGreaterThan(150);
    expect(b.switches.length).toBeGreaterThan(150);
    expect(a.lineCount + b.lineCount).toBe(first.length + next.length);
    expect(a.warnings.find((w) => w.message.startsWith('timehist 1 of 2'))?.message).toBe(
      `timehist 1 of 2 in this text (lines 1-203): the text holds 2 timehists one after another (a new header, or time going back), each read as a run of its own`,
    );
    expect(b.warnings.find((w) => w.message.startsWith('timehist 2 of 2'))).toMatchObject({ line: 204 });
    // No step back is left inside either run.
    for (const m of [a, b]) expect(m.warnings.some((w) => w.message.includes('step backwards'))).toBe(false);
    // As dropped files: two runs, named after the paste.
    const runs = assembleRuns(droppedInputsOf('paste.txt', r));
    expect(runs.map((x) => [x.name, x.model.switches.length])).toEqual([
      ['paste.txt #1', a.switches.length],
      ['paste.txt #2', b.switches.length],
    ]);
  });

  it('a real mail with three timehists (before / after a fix): two runs, the third (no rows) said', async () => {
    // Yang Jihong's patch mail: a timehist at 2090450 s, then `--time 100,200` before the fix (every row at
    // 200.000000: time goes back), then after it (a header, no rows).
    const text = paste('lkml-2024-08-19-three-timehists.txt');
    const r = await parseInput(textSource(text));
    if (r.kind !== 'trace') throw new Error('not a trace');
    expect(r.more).toHaveLength(1);
    const [a, b] = [r.model, r.more![0]];
    const lines = text.split('\n');
    const rowsOf = (from: number, to: number) =>
      lines.slice(from, to).filter((l) => /^\s+\d+\.\d{6} \[\d{4}\]/.test(l));
    const sec = (m: TraceModel) =>
      fileSwitchRows(m).map((i) => m.origin.sec + Math.floor((m.origin.ns + m.switches.time[i]) / 1e9));
    expect(fileSwitchRows(a)).toHaveLength(rowsOf(0, 17).length);
    expect(fileSwitchRows(b)).toHaveLength(rowsOf(17, 41).length);
    expect(fileSwitchRows(a)).toHaveLength(8);
    expect(new Set(sec(a))).toEqual(new Set([2090450]));
    expect(new Set(sec(b))).toEqual(new Set([200]));
    expect(fileSwitchRows(b).map((i) => b.switches.cpu[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Each block as it would read alone.
    const blockAt = lines.findIndex((l) => l.includes('--time 100,200'));
    same(a, await alone(lines.slice(0, blockAt)));
    same(b, await alone(lines.slice(blockAt, lines.indexOf(' After:'))));
    expect(a.warnings.find((w) => w.message.includes('have no switch'))?.message).toBe(
      '1 of the 3 timehists in this text have no switch (lines 39-41): no run of their own',
    );
    const runs = assembleRuns(droppedInputsOf('mail.txt', r));
    expect(runs.map((x) => x.name)).toEqual(['mail.txt #1', 'mail.txt #2']);
  });

  it('quoted in mail, the second block at another depth, still two', async () => {
    const text = [...first.map((l) => `> ${l}`), '', 'and after the fix:', '', ...second.map((l) => `>> ${l}`)].join(
      '\n',
    );
    const r = await parseInput(textSource(text + '\n'));
    if (r.kind !== 'trace') throw new Error('not a trace');
    expect(r.more).toHaveLength(1);
    same(r.model, await alone(first));
    same(r.more![0], await alone(second));
  });

  it.each([
    ['far forward', '9606.854933'],
    ['far back', '0006.854933'],
  ])('one stamp damaged %s is no new timehist (the outlier rule has it)', async (_, stamp) => {
    const lines = [...first];
    lines[10] = lines[10].replace('1606.854933', stamp);
    const r = await parseInput(textSource(lines.join('\n') + '\n'));
    if (r.kind !== 'trace') throw new Error('not a trace');
    expect(r.more).toBeUndefined();
    expect(r.model.warnings.some((w) => w.kind === 'time-outlier' && w.line === 11)).toBe(true);
  });

  it('one timehist whose times step back by less than a second stays one run', async () => {
    const lines = [...first];
    // Swap two data lines 3.9 ms apart (lines 11 and 12): time steps back, but not by a second.
    [lines[10], lines[11]] = [lines[11], lines[10]];
    const r = await parseInput(textSource(lines.join('\n') + '\n'));
    if (r.kind !== 'trace') throw new Error('not a trace');
    expect(r.more).toBeUndefined();
  });
});

describe('rows broken at a blank by a format=flowed mailer (RFC 3676 soft breaks)', () => {
  // One lkml thread: Jean-Michel Hautbois's mail as sent (the rows broken after `22: `, `wake_up_process `),
  // and Greg Ungerer's reply, whose mailer put them back together.
  it.each([
    ['lkml-2024-12-02-flowed-wakeup_rt-quoted.txt', 'lkml-2024-12-03-reflowed-wakeup_rt-quoted.txt', 3, 3, 6],
    ['lkml-2024-12-02-flowed-wakeup_rt.txt', 'lkml-2024-12-03-reflowed-wakeup_rt.txt', 1, 1, 3],
  ])('%s reads as its reflowed quote %s', async (sent, reflowed, switches, wakeups, joins) => {
    const m = await parseTrace(textSource(paste(sent)));
    const r = await parseTrace(textSource(paste(reflowed)));
    expect(m.switches.length).toBe(switches);
    expect(m.wakeups.length).toBe(wakeups);
    // Counted against the reflowed text's lines.
    const lines = paste(reflowed).split('\n');
    expect(m.switches.length).toBe(lines.filter((l) => / ==> \[\d+\]/.test(l)).length);
    expect(m.wakeups.length).toBe(lines.filter((l) => / {3}\+ \[\d+\]/.test(l)).length);
    const v = view(m);
    const w = view(r);
    for (const k of ['switches', 'wakeups', 'tasks', 'cpus'] as const) expect(v[k], k).toEqual(w[k]);
    expect(m.ignoredEvents).toEqual(r.ignoredEvents);
    expect(m.warnings.find((x) => x.kind === 'wrapped-line')?.message).toMatch(
      new RegExp(`^${thousands(joins)} rows broken in two at a blank inside the event`),
    );
    // What neither reads (`<stack trace>`, the wakeup tracer's bare `0` lines, the prose line) is skipped alike.
    expect(m.skippedLines).toBe(r.skippedLines);
  });
});

describe('timehist rows broken in two by a mailer or a terminal', () => {
  const rows = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n').slice(0, 120);
  /** A mailer's wrap: rows longer than `width` broken at their last blank before it; the rest indented by `indent`. */
  const wrap = (lines: string[], width: number, indent: string): string[] =>
    lines.flatMap((l) => {
      if (l.length <= width || !/^\s*\d+\.\d+ \[/.test(l)) return [l];
      const k = l.lastIndexOf(' ', width);
      return [l.slice(0, k).trimEnd(), indent + l.slice(k).trim()];
    });
  /** `broken` parsed, once its switches, tasks, CPUs and skipped lines are checked equal to the unbroken rows'. */
  const sameAsUnbroken = async (broken: string[]): Promise<TraceModel> => {
    const m = await parseTrace(textSource(broken.join('\n') + '\n'));
    const plain = await parseTrace(textSource(rows.join('\n') + '\n'));
    const v = view(m);
    const w = view(plain);
    for (const k of ['switches', 'tasks', 'cpus', 'skipped'] as const) expect(v[k], k).toEqual(w[k]);
    return m;
  };

  it.each([
    ['at column 78, the rest not indented', 78, ''],
    ['at column 72, the rest indented', 72, '    '],
    ['after the wait time, the rest indented by one', 66, ' '],
  ])('%s: rejoined, the same model as the unbroken text', async (_, width, indent) => {
    const broken = wrap(rows, width, indent);
    const joins = broken.length - rows.length;
    expect(joins).toBeGreaterThan(100);
    const m = await sameAsUnbroken(broken);
    expect(m.warnings.find((x) => x.kind === 'wrapped-line')?.message).toMatch(
      new RegExp(`^${thousands(joins)} timehist rows broken in two .* the first at line 4$`),
    );
  });

  const isRow = (l: string): boolean => /^\s*\d+\.\d+ \[/.test(l);
  /** Each row broken where `at` says (-1: not), the rest on the next line as `rest` makes it. */
  const breakRows = (at: (l: string) => number, rest: (r: string) => string, head = (h: string) => h): string[] =>
    rows.flatMap((l) => {
      const k = isRow(l) ? at(l) : -1;
      return k > 0 ? [head(l.slice(0, k)), rest(l.slice(k))] : [l];
    });
  const nameBlank = (l: string): number => l.indexOf('CPU ') + 3; // the blank inside `CPU 0/TCG[...]`
  const afterName = (l: string): number => l.search(/\]\s+\d+\.\d{3} /) + 1;

  it.each([
    [
      'a terminal at column 26, inside the task name (every blank kept)',
      (l: string) => (l.length > 26 ? 26 : -1),
      (r: string) => r,
    ],
    [
      'a terminal at column 34, inside the name or its padding',
      (l: string) => (l.length > 34 ? 34 : -1),
      (r: string) => r,
    ],
    [
      'a mailer at the blank inside `CPU 0/TCG` (the blank dropped)',
      (l: string) => (l.includes('CPU ') ? nameBlank(l) : -1),
      (r: string) => r.slice(1),
    ],
    [
      'a format=flowed mailer at that blank (kept at the line end)',
      (l: string) => (l.includes('CPU ') ? nameBlank(l) + 1 : -1),
      (r: string) => r,
    ],
    ['a mailer after the name, the columns not indented', afterName, (r: string) => r.trim()],
    ['a mailer after the name, the columns indented', afterName, (r: string) => '    ' + r.trim()],
  ])('inside or right after the task name, %s: rejoined, the same model as the unbroken text', async (_, at, rest) => {
    const broken = breakRows(at, rest);
    const joins = broken.length - rows.length;
    expect(joins).toBeGreaterThan(30);
    const m = await sameAsUnbroken(broken);
    expect(m.warnings.find((x) => x.kind === 'wrapped-line')?.message).toMatch(
      new RegExp(
        `^${thousands(joins)} timehist rows broken in two .* the rest of the task name on the next line\\) were rejoined`,
      ),
    );
  });

  it('a break inside a name that reads with and without the blank, no header or row before to place it: not guessed', async () => {
    // `CPU` + `0/TCG[20746/20733] ...`: `CPU0/TCG` or `CPU 0/TCG`? The first time, nothing says; once the thread's
    // row was read unbroken, its comm does.
    const r = rows.filter(isRow);
    const cpuRow = r.findIndex((l) => l.includes('CPU 0/TCG[20746/20733]'));
    const row = r[cpuRow];
    const k = nameBlank(row);
    const lines = [
      row.slice(0, k),
      row.slice(k + 1),
      ...r.slice(cpuRow + 1, cpuRow + 6),
      row.slice(0, k),
      row.slice(k + 1),
    ];
    const m = await parseTrace(textSource(lines.join('\n') + '\n'));
    expect(m.warnings.filter((w) => w.kind === 'skipped-line').map((w) => [w.line, w.message])).toEqual([
      [
        1,
        'skipped: a row broken inside its task name, read with or without a blank at the break, names thread 20746 by two comms, neither seen before: not guessed',
      ],
      [2, 'skipped: the rest of line 1, not guessed'],
    ]);
    // Rows 3-7 hold CPU 0/TCG unbroken (the rows after the first); the last break is read with its comm.
    expect(lines.slice(2, 7).some((l) => l.includes('CPU 0/TCG[20746/20733]'))).toBe(true);
    expect(m.skippedLines).toBe(2);
    expect(m.warnings.find((x) => x.kind === 'wrapped-line')?.message).toMatch(
      /^1 timehist rows broken in two .* at line 8$/,
    );
    expect(m.tasks.comms[m.tasks.tid.indexOf(20746)]).toEqual(['CPU 0/TCG']);
  });

  it('a row cut short without its rest on the next line is skipped, and the next line read', async () => {
    const lines = [...rows];
    lines[5] = lines[5].slice(0, 75);
    const m = await parseTrace(textSource(lines.join('\n') + '\n'));
    expect(m.warnings.find((w) => w.line === 6)?.message).toBe(
      'skipped: missing or malformed wait time / sch delay / run time columns',
    );
    expect(m.skippedLines).toBe(1);
  });
});

describe('perf sched timehist as a doc note pastes it', () => {
  it("perf-sched.txt's example, re-indented in a note with a shifted header and trailing blanks", async () => {
    const text = paste('note-cn-perf-sched-timehist-doc-example.txt');
    const m = await parseTrace(textSource(text));
    expect(m.formatDetail).toBe('perf sched timehist');
    const rows = text.split('\n').filter((l) => /^\s+\d+\.\d{6} \[\d{4}\]/.test(l));
    const file = fileSwitchRows(m);
    expect(file.length).toBe(rows.length);
    expect(file.length).toBe(6);
    const tid = (t: number): number => m.tasks.tid[t];
    expect(file.map((i) => m.switches.cpu[i])).toEqual([11, 10, 10, 11, 5, 5]);
    expect(file.map((i) => tid(m.switches.prev[i]))).toEqual([31949, 31951, 59, 0, 0, 31949]);
    // Each switch-in is the next row's task on that CPU; the last on each CPU is not in the text.
    expect(file.map((i) => tid(m.switches.next[i]))).toEqual([0, 59, -1, -1, 31949, -1]);
    // Each CPU's first row ran for its run time: switched in by a switch the excerpt does not show (inferred).
    const us = (i: number) => Math.round((m.origin.ns + m.switches.time[i]) / 1000) + m.origin.sec * 1e6;
    expect(Array.from(m.inferredSwitchRows, (i) => [m.switches.cpu[i], tid(m.switches.next[i]), us(i)])).toEqual([
      [5, 0, 79371873340],
      [11, 31949, 79371873421],
      [10, 31951, 79371874567],
    ]);
    // The two command lines before the header are the skipped ones.
    expect(m.warnings.filter((w) => w.kind === 'skipped-line').map((w) => w.line)).toEqual([1, 2]);
  });
});

describe('lines of other tracers mixed in', () => {
  // Steven Rostedt's syscall tracer lines from an lkml mail (`sys_ioctl(fd: 0xff, …)`, `sys_ioctl -> 0x0`,
  // one `sys_write(…)` wrapped by the terminal), put into a real trace-cmd recording's text after its line 200.
  const sample = paste('lkml-2025-12-08-syscall-tracer.txt').split('\n');
  const real = fixtureText('ftrace-qemu-3vm-x2vcpu.ftrace.txt').split('\n');
  const AT = 200;

  it('are counted by their event name only, in one summary entry, with no message per line', async () => {
    const base = await parseTrace(textSource(real.join('\n')));
    const m = await parseTrace(textSource([...real.slice(0, AT), ...sample, ...real.slice(AT)].join('\n')));
    expect([...m.switches.time]).toEqual([...base.switches.time]);
    expect([...m.switches.next]).toEqual([...base.switches.next]);
    // The names from the text, read by a regex of its own: sys_NAME( enters, sys_NAME -> exits.
    const want: Record<string, number> = {};
    const syscallLines: number[] = [];
    sample.forEach((l, i) => {
      const x = /: sys_(\w+)(\(| -> )/.exec(l);
      if (!x) return;
      const name = `sys_${x[2] === '(' ? 'enter' : 'exit'}_${x[1]}`;
      want[name] = (want[name] ?? 0) + 1;
      syscallLines.push(AT + i + 1);
    });
    expect(syscallLines).toHaveLength(20);
    expect(want).toMatchObject({ sys_enter_ioctl: 2, sys_exit_ioctl: 2, sys_enter_rt_sigreturn: 2 });
    const added = Object.fromEntries(
      Object.entries(m.ignoredEvents).filter(([k, n]) => n !== (base.ignoredEvents[k] ?? 0)),
    );
    expect(added).toEqual(want);
    expect(m.warningSummary.find((e) => e.kind === 'other-tracer')).toEqual({
      kind: 'other-tracer',
      count: 20,
      firstLines: syscallLines.slice(0, 5),
    });
    // The prose and the wrapped half of the sys_write row are the only new messages.
    const prose = sample.filter((l) => l.trim() !== '' && !/: sys_\w+/.test(l));
    expect(prose).toHaveLength(4);
    expect(m.skippedLines).toBe(base.skippedLines + 4);
    expect(m.warningCount).toBe(base.warningCount + 4);
  });
});
