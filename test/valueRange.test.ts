// CPU numbers and thread ids are kept exactly inside Linux's range (CPUs below
// 8192, tids below 2^22) and skip their line, with a warning naming it,
// outside it: one damaged field in a real recording of each format.

import { describe, expect, it } from 'vitest';
import { CPU_LIMIT, TID_LIMIT } from '../src/model/builder';
import type { TraceModel } from '../src/model/types';
import { parseTrace, textSource } from '../src/parse/parseInput';
import { fixtureText } from './fixtures';

interface Field {
  file: string;
  what: 'cpu' | 'tid';
  /** The field in a switch line, and how a value is written into it. */
  find: RegExp;
  put: (value: number) => string;
}

const FIELDS: Field[] = [
  { file: 'qemu-tcg-2vm-x2vcpu.script.txt', what: 'cpu', find: / \[0*1\] /, put: (v) => ` [${v}] ` },
  { file: 'qemu-tcg-2vm-x2vcpu.script.txt', what: 'tid', find: /next_pid=20746 /, put: (v) => `next_pid=${v} ` },
  { file: 'qemu-tcg-2vm-x2vcpu.timehist.txt', what: 'cpu', find: / \[0001\] /, put: (v) => ` [${v}] ` },
  { file: 'qemu-tcg-2vm-x2vcpu.timehist.txt', what: 'tid', find: /\[20746\//, put: (v) => `[${v}/` },
  { file: 'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt', what: 'cpu', find: / \[0*1\] /, put: (v) => ` [${v}] ` },
  { file: 'ftrace-qemu-3vm-x2vcpu.ftrace.txt', what: 'cpu', find: / \[0*1\] /, put: (v) => ` [${v}] ` },
  { file: 'ftrace-qemu-3vm-x2vcpu.ftrace.txt', what: 'tid', find: /next_pid=(\d+) /, put: (v) => `next_pid=${v} ` },
  { file: 'qemu-tcg-2vm-x2vcpu.map.txt', what: 'tid', find: /:20841$/, put: (v) => `:${v}` },
];

async function withValue(f: Field, value: number): Promise<{ model: TraceModel; lineNo: number; base: TraceModel }> {
  const text = fixtureText(f.file);
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /sched_switch|=>|^ *\d+\.\d+ \[/.test(l) && f.find.test(l));
  expect(at).toBeGreaterThan(0);
  lines[at] = lines[at].replace(f.find, f.put(value));
  return {
    model: await parseTrace(textSource(lines.join('\n'))),
    lineNo: at + 1,
    base: await parseTrace(textSource(text)),
  };
}

const tooBig = (what: Field['what']): number[] =>
  what === 'cpu' ? [CPU_LIMIT, 65536, 4294967296] : [TID_LIMIT, 2147483648, 4294974722];

describe('values outside Linux range skip their line, naming it', () => {
  for (const f of FIELDS) {
    for (const value of tooBig(f.what)) {
      it(`${f.file}: ${f.what} ${value}`, async () => {
        const { model, lineNo, base } = await withValue(f, value);
        const warning = model.warnings.find((w) => w.line === lineNo);
        expect(warning?.message).toMatch(new RegExp(`skipped: .*${value} is outside Linux's range`));
        expect(model.skippedLines).toBe(base.skippedLines + 1);
        // Nothing folded into a small number: no CPU or tid outside the range anywhere.
        expect(Math.max(...model.cpus)).toBeLessThan(CPU_LIMIT);
        expect(model.cpus).toEqual(base.cpus);
        expect(Array.from(model.tasks.tid).every((t) => t < TID_LIMIT)).toBe(true);
        expect(model.switches.length).toBeGreaterThanOrEqual(base.switches.length - 1);
        if (f.what === 'tid') {
          const wrapped = (value % 2 ** 32) | 0;
          expect(Array.from(model.tasks.tid)).not.toContain(wrapped);
        }
      });
    }
  }
});

describe('negative thread ids (perf writes -1 only for an exiting thread) skip their line, naming it', () => {
  for (const f of FIELDS.filter((x) => x.what === 'tid')) {
    it(`${f.file}: tid -5`, async () => {
      const { model, lineNo, base } = await withValue(f, -5);
      const warning = model.warnings.find((w) => w.line === lineNo);
      expect(warning?.message).toMatch(/skipped: .*-5 is outside Linux's range/);
      expect(model.skippedLines).toBe(base.skippedLines + 1);
      expect(Array.from(model.tasks.tid)).not.toContain(-5);
      expect(Array.from(model.tasks.tid)).not.toContain(5);
    });
  }
  it('qemu-tcg-2vm-x2vcpu.timehist.txt: pid -5 in comm[tid/pid]', async () => {
    const f = FIELDS.find((x) => x.file.includes('timehist') && x.what === 'tid')!;
    const { model, lineNo, base } = await withValue({ ...f, find: /\[20746\/20733\]/, put: () => '[20746/-5]' }, 0);
    expect(model.warnings.find((w) => w.line === lineNo)?.message).toMatch(/skipped: process id -5 is outside/);
    expect(model.skippedLines).toBe(base.skippedLines + 1);
  });
});

describe('values at the top of Linux range are kept exactly', () => {
  for (const f of FIELDS.filter((x) => x.file.includes('script') || x.file.includes('tracecmd'))) {
    const value = f.what === 'cpu' ? CPU_LIMIT - 1 : TID_LIMIT - 1;
    it(`${f.file}: ${f.what} ${value}`, async () => {
      const { model, base } = await withValue(f, value);
      expect(model.skippedLines).toBe(base.skippedLines);
      expect(model.switches.length).toBe(base.switches.length);
      if (f.what === 'cpu') {
        expect(model.cpus).toContain(value);
        expect(Array.from(model.switches.cpu)).toContain(value);
      } else expect(Array.from(model.tasks.tid)).toContain(value);
    });
  }
});

describe('an event name one character off a modelled one is a warning with its line', () => {
  for (const [file, from, to] of [
    ['qemu-tcg-2vm-x2vcpu.script.txt', 'sched:sched_switch:', 'sched:sched_swItch:'],
    ['qemu-tcg-2vm-x2vcpu.script.txt', 'sched:sched_switch:', 'sched:sched_swtich:'],
    ['tracecmd-qemu-2vm-x3vcpu.tracecmd.txt', 'sched_switch:', 'sched_switc:'],
    ['ftrace-qemu-3vm-x2vcpu.ftrace.txt', 'sched_wakeup:', 'sched_wakeupp:'],
  ] as const) {
    it(`${file}: ${to}`, async () => {
      const lines = fixtureText(file).split('\n');
      const at = lines.findIndex((l, i) => i > 100 && l.includes(` ${from}`));
      lines[at] = lines[at].replace(from, to);
      const m = await parseTrace(textSource(lines.join('\n')));
      const name = to.slice(0, -1);
      expect(m.ignoredEvents[name]).toBe(1);
      const w = m.warnings.find((x) => x.line === at + 1);
      expect(w?.message).toMatch(new RegExp(`event "${name}" is not one SchedMap reads, but one character off sched_`));
    });
  }

  it('events of other names are only counted', async () => {
    const m = await parseTrace(textSource(fixtureText('qemu-tcg-2vm-x2vcpu.script.txt')));
    expect(m.warnings.filter((w) => /character off/.test(w.message))).toEqual([]);
  });
});
