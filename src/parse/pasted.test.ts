// Traces as users paste them (issue 15): verbatim public mail samples
// (test/fixtures/paste, origins in TRACES.md) read through the whole driver.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test/fixtures';
import { isVcpuName, vcpuIndexOfName } from '../model/vcpuNames';
import { contentStart } from './linePrefix';
import { parseTrace, textSource } from './parseInput';

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
