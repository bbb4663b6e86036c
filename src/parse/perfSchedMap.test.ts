import { describe, expect, it } from 'vitest';
import { fixtureText, parseTextWith, RECORDINGS, truth } from '../../test/fixtures';
import { TaskKind, type TraceModel } from '../model/types';
import { createPerfSchedMapParser } from './perfSchedMap';
import { createPerfScriptParser } from './perfScript';
import { thousands } from '../model/format';

const parse = (text: string, chunkSize?: number): TraceModel =>
  parseTextWith(createPerfSchedMapParser, text, 'perf-sched-map', chunkSize);

/** A map line in perf's exact layout: `  ` + 4-char cells + `  %12s secs ` + suffix. */
function row(cells: string[], ts: string, suffix = ''): string {
  return `  ${cells.map((c) => `${c.padEnd(3)} `).join('')}  ${ts.padStart(12)} secs ${suffix}`;
}

/** A task's label: its tid, or its comm for placeholders (tid -1). */
function label(m: TraceModel, task: number): string | number {
  if (task < 0) return 'none';
  const tid = m.tasks.tid[task];
  return tid >= 0 ? tid : `[${m.tasks.comms[task][0]}]`;
}

/** Switches as [relative ns, cpu, next, prev]. */
function rows(m: TraceModel): [number, number, string | number, string | number][] {
  const out: [number, number, string | number, string | number][] = [];
  for (let i = 0; i < m.switches.length; i++) {
    out.push([m.switches.time[i], m.switches.cpu[i], label(m, m.switches.next[i]), label(m, m.switches.prev[i])]);
  }
  return out;
}

const taskOf = (m: TraceModel, tid: number): number => Array.from(m.tasks.tid).indexOf(tid);
const warningAt = (m: TraceModel, line: number): string[] =>
  m.warnings.filter((w) => w.line === line).map((w) => w.message);

// ---- real recordings --------------------------------------------------------

interface ScriptSwitch {
  sec: number;
  ns: number;
  cpu: number;
  prev: number;
  next: number;
}

/** sched_switch events of a `perf script` text, read independently of the parser. */
function scriptSwitches(text: string): ScriptSwitch[] {
  const re = /\[(\d+)\]\s+(\d+)\.(\d+):\s+sched:sched_switch:.*\bprev_pid=(-?\d+) .*\bnext_pid=(-?\d+)/;
  const out: ScriptSwitch[] = [];
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) {
      out.push({
        cpu: Number(m[1]),
        sec: Number(m[2]),
        ns: Number(m[3].padEnd(9, '0')),
        prev: Number(m[4]),
        next: Number(m[5]),
      });
    }
  }
  return out;
}

describe('perf sched map on the real recordings', () => {
  for (const rec of RECORDINGS) {
    describe(rec, () => {
      const expected = scriptSwitches(fixtureText(`${rec}.script.txt`));
      const plain = parse(fixtureText(`${rec}.map.txt`));
      const compact = parse(fixtureText(`${rec}.map-compact.txt`));
      const script = parseTextWith(createPerfScriptParser, fixtureText(`${rec}.script.txt`), 'perf-script');
      const doubles = (x: TraceModel) => x.warningSummary.find((e) => e.kind === 'double-running')?.count ?? 0;

      it('the script has switches to compare against', () => {
        expect(expected.length).toBeGreaterThan(1000);
      });

      for (const [variant, m] of [
        ['map', plain],
        ['map --compact', compact],
      ] as const) {
        it(`${variant}: every switch equals the script's sched_switch (time, cpu, next tid)`, () => {
          expect(m.switches.length).toBe(expected.length);
          const t0 = expected[0];
          expect(m.origin).toEqual({ sec: t0.sec, ns: t0.ns });
          const got = [];
          const want = [];
          for (let i = 0; i < expected.length; i++) {
            const e = expected[i];
            got.push([m.switches.time[i], m.switches.cpu[i], m.tasks.tid[m.switches.next[i]]]);
            want.push([(e.sec - t0.sec) * 1e9 + (e.ns - t0.ns), e.cpu, e.next]);
          }
          expect(got).toEqual(want);
        });

        it(`${variant}: prev is the task the column got at its previous switch`, () => {
          // Not always the script's prev_pid: some switch-ins were not recorded on this host (the next
          // switch on that CPU names a prev never switched in there); the map cannot know, nor can we.
          const lastNext = new Map<number, number>();
          let differsFromPrevPid = 0;
          for (let i = 0; i < expected.length; i++) {
            const cpu = m.switches.cpu[i];
            const prev = m.switches.prev[i];
            const want = lastNext.get(cpu);
            if (want === undefined) expect(prev).toBe(-1);
            else expect(m.tasks.tid[prev]).toBe(want);
            if (want !== undefined && want !== expected[i].prev) differsFromPrevPid++;
            lastNext.set(cpu, expected[i].next);
          }
          expect(differsFromPrevPid).toBeLessThan(expected.length / 20);
        });

        it(`${variant}: nothing skipped or ambiguous, no warnings but the tasks on two CPUs the script shows too`, () => {
          expect(m.skippedLines).toBe(0);
          expect(m.ambiguousLines).toBe(0);
          expect(m.warnings.filter((w) => w.kind !== 'double-running')).toEqual([]);
          // A map has no prev_pid, so only a task switched in while its column elsewhere still shows it is seen.
          expect(doubles(m)).toBe(doubles(script));
          expect(m.hasStates).toBe(false);
        });

        it(`${variant}: vCPU threads carry their comm from truth.json`, () => {
          for (const vm of truth(rec).vms) {
            for (const v of vm.vcpus) {
              const t = taskOf(m, v.tid);
              expect(t, `tid ${v.tid}`).toBeGreaterThan(0);
              expect(m.tasks.comms[t]).toContain(v.comm);
              expect(m.tasks.kind[t]).toBe(TaskKind.Normal);
            }
          }
        });
      }

      it('map and map --compact agree switch by switch, prev included', () => {
        expect(rows(compact)).toEqual(rows(plain));
        expect(plain.formatDetail).toBe('perf sched map');
        expect(compact.formatDetail).toBe('perf sched map --compact');
        expect(plain.declaredCpuCount).toBe(2);
        expect(compact.declaredCpuCount).toBeNull();
        expect(plain.cpus).toEqual([0, 1]);
      });
    });
  }

  it('tracecmd-qemu-2vm-x3vcpu (map only): one switch per starred line, vCPU comms found', () => {
    const text = fixtureText('tracecmd-qemu-2vm-x3vcpu.map.txt');
    const m = parse(text);
    const starred = text.split('\n').filter((l) => l.includes('*'));
    expect(m.switches.length).toBe(starred.length);
    expect(m.skippedLines).toBe(0);
    expect(m.warnings).toEqual([]);
    expect(m.origin).toEqual({ sec: 3967, ns: 217397000 });
    expect(m.declaredCpuCount).toBe(2);
    const t = truth('tracecmd-qemu-2vm-x3vcpu');
    expect(t.vms.flatMap((vm) => vm.vcpus).length).toBe(6);
    for (const vm of t.vms) {
      for (const v of vm.vcpus) {
        const task = taskOf(m, v.tid);
        expect(task, `tid ${v.tid}`).toBeGreaterThan(0);
        expect(m.tasks.comms[task]).toContain(v.comm);
      }
    }
  });

  it('startup-exit: vmsim-vmN -> "CPU k/KVM" renames are comm changes', () => {
    const m = parse(fixtureText('synth-2vm-x2vcpu-startup-exit.map.txt'));
    const t = truth('synth-2vm-x2vcpu-startup-exit');
    let renames = 0;
    for (const vm of t.vms) {
      for (const v of vm.vcpus) {
        const task = taskOf(m, v.tid);
        expect(m.tasks.comms[task]).toEqual([vm.name, v.comm]);
        const changes = m.commChanges.filter((c) => c.task === task);
        expect(changes.map((c) => c.comm)).toEqual([vm.name, v.comm]);
        expect(changes[1].time).toBeGreaterThan(changes[0].time);
        renames++;
      }
    }
    expect(renames).toBe(4);
    // `L0 => vmsim-vm0:12097` at 1763.742086, `L0 => CPU 0/KVM:12097` at 1763.746764
    const l0 = m.commChanges.filter((c) => c.task === taskOf(m, 12097));
    expect(l0.map((c) => c.time - l0[0].time)).toEqual([0, 4_678_000]);
    // perf's placeholder comm `:70` (`E0 => :70:70`) and comms with colons
    expect(m.tasks.comms[taskOf(m, 70)]).toEqual([':70']);
    expect(m.tasks.comms[taskOf(m, 2124)]).toEqual(['memfd:sealed-91']);
  });

  it('gives the same model whatever the chunking', () => {
    const text = fixtureText('synth-4vm-x2vcpu-yield.map-compact.txt');
    expect(rows(parse(text, 7))).toEqual(rows(parse(text)));
  });
});

// ---- grammar variants, hand-made ------------------------------------------------

describe('perf sched map grammar', () => {
  it('row() reproduces perf layout byte for byte', () => {
    const text = fixtureText('synth-4vm-x2vcpu-spin.map.txt').split('\n');
    expect(row(['*A0', ''], '1606.846860', 'A0 => migration/0:18')).toBe(text[0]);
    expect(row([' C0', '*D0'], '1606.850931', 'D0 => CPU 0/KVM:7432')).toBe(text[3]);
    expect(row([' V0', '*V0'], '1608.864333')).toBe(text[text.length - 2]);
  });

  it('places each * switch with prev = the column task, idle as task 0', () => {
    const m = parse(
      [
        row(['*A0', ''], '100.000001', 'A0 => a:10'),
        row([' A0', '*B0'], '100.000002', 'B0 => b:20'),
        row(['*. ', ' B0'], '100.000003', '.  => swapper:0'),
        row([' . ', '*A0'], '100.000004'),
        row(['*B0', ' A0'], '100.000005'),
      ].join('\n'),
    );
    expect(rows(m)).toEqual([
      [0, 0, 10, 'none'],
      [1000, 1, 20, 'none'],
      [2000, 0, 0, 10],
      [3000, 1, 10, 20],
      [4000, 0, 20, 0],
    ]);
    expect(m.skippedLines).toBe(0);
  });

  it('columns may grow: declared CPU count is the widest line', () => {
    const m = parse(
      [
        row(['*A0'], '5.000000', 'A0 => a:10'),
        row([' A0', '*B0'], '5.000001', 'B0 => b:20'),
        row([' A0', ' B0', '', '*C0'], '5.000002', 'C0 => c:30'),
        row(['*. ', ' B0', '', ' C0'], '5.000003'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[1], r[2]])).toEqual([
      [0, 10],
      [1, 20],
      [3, 30],
      [0, 0],
    ]);
    expect(m.declaredCpuCount).toBe(4);
    expect(m.cpus).toEqual([0, 1, 3]);
  });

  it('--compact: columns map to CPUs by their (CPU n) notes, in first-appearance order', () => {
    const m = parse(
      [
        '  *A0    7.000001 secs A0 => a:10 (CPU 3)',
        '   A0 *B0    7.000002 secs B0 => b:20 (CPU 1)',
        '   A0  B0 *.     7.000003 secs  (CPU 2)',
        '  *B0  B0  .     7.000004 secs ',
        '   B0  B0  .  *C0    7.000005 secs C0 => c:30',
        '   B0 *A0  .   C0    7.000006 secs ',
      ].join('\n'),
    );
    expect(m.formatDetail).toBe('perf sched map --compact');
    expect(m.declaredCpuCount).toBeNull();
    expect(rows(m).map((r) => [r[1], r[2], r[3]])).toEqual([
      [3, 10, 'none'],
      [1, 20, 'none'],
      [2, 0, 'none'],
      [3, 20, 10],
      [0, 30, 'none'],
      [1, 10, 20],
    ]);
    // the 4th column never got a note: it takes the one CPU no note names, with a warning
    expect(m.skippedLines).toBe(0);
    expect(warningAt(m, 5)[0]).toMatch(/column 4 .*no " \(CPU n\)" note.* placed on CPU 0/);
  });

  it('--cpus before v6.11: cell-only lines are skipped with the reason, the rest is kept', () => {
    const m = parse(
      [
        row(['*A0', ''], '9.000001', 'A0 => a:10'),
        '   A0 *B0 ',
        '   A0  B0 ',
        row([' A0', '*C0'], '9.000003', 'C0 => c:30'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[1], r[2]])).toEqual([
      [0, 10],
      [1, 30],
    ]);
    expect(m.skippedLines).toBe(2);
    expect(warningAt(m, 2)[0]).toMatch(/cells without a timestamp.*--cpus/);
    expect(warningAt(m, 3)[0]).toMatch(/cells without a timestamp/);
  });

  it('lines without * (event on an unprinted CPU) are skipped, their announcement still counts', () => {
    const m = parse(
      [
        row(['*A0', ''], '11.000001', 'A0 => a:10'),
        row([' A0', ' . '], '11.000002', 'B0 => b:20'),
        row([' A0', '*B0'], '11.000003'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[0], r[1], r[2]])).toEqual([
      [0, 0, 10],
      [2000, 1, 20],
    ]);
    expect(m.skippedLines).toBe(1);
    expect(warningAt(m, 2)[0]).toMatch(/no \* cell.*column is not printed/);
    expect(m.tasks.kind.includes(TaskKind.UnknownShortName)).toBe(false);
  });

  it('ANSI colour around cells and the * (tty / pager capture) is stripped first', () => {
    const plainLines = [
      row(['*A0', ''], '12.000001', 'A0 => CPU 0/KVM:10'),
      row([' A0', '*B0'], '13.000002', 'B0 => b:20'),
      row(['*. ', ' B0'], '13.000003'),
    ];
    // perf colours every cell and the suffix blue, and the * of --color-cpus red.
    const colour = (line: string): string => {
      const ts = line.search(/\d+\.\d{6} secs/);
      const cells = line
        .slice(2, ts)
        .replace(
          /([ *])([A-Z0-9.-][A-Z0-9 ]) /g,
          (_m, mark: string, name: string) => `${mark === '*' ? '\x1b[41m*\x1b[m' : ' '}\x1b[34m${name} \x1b[m`,
        );
      const rest = line.slice(ts).replace(/secs (.+)$/, 'secs \x1b[34m$1\x1b[m');
      return `  ${cells}${rest}`;
    };
    const coloured = plainLines.map(colour).join('\r\n');
    expect(coloured).toContain('\x1b[41m*\x1b[m\x1b[34mA0 \x1b[m');
    const m = parse(coloured);
    expect(m.skippedLines).toBe(0);
    expect(rows(m)).toEqual(rows(parse(plainLines.join('\n'))));
    expect(rows(m).map((r) => [r[1], r[2]])).toEqual([
      [0, 10],
      [1, 20],
      [0, 0],
    ]);
    expect(m.tasks.comms[taskOf(m, 10)]).toEqual(['CPU 0/KVM']);
  });

  it('mail copy: `> ` quotes, shifted indent, one space short before the timestamp, no space after secs', () => {
    const m = parse(
      [
        'On Tue, someone wrote:',
        '> *A0        1763.378143 secs A0 => migration/0:18',
        '> *.        1763.378162 secs .  => swapper:0',
        '>  .  *B0   1763.378260 secs B0 => perf-exec:12092',
        '>  .  *.    1763.378278 secs',
        '> *C0  .    1763.378796 secs C0 => memfd:sealed-91:2124',
        '>',
        '> Looks odd to me.',
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[0], r[1], r[2]])).toEqual([
      [0, 0, 18],
      [19_000, 0, 0],
      [117_000, 1, 12092],
      [135_000, 1, 0],
      [653_000, 0, 2124],
    ]);
    expect(m.skippedLines).toBe(2);
    expect(warningAt(m, 1)[0]).toMatch(/not a perf sched map line/);
    expect(warningAt(m, 8)[0]).toMatch(/not a perf sched map line/);
  });

  it('blank leading columns: the offset waits for a line that shows column 0', () => {
    const lines = [
      row(['', '*A0'], '20.000001', 'A0 => a:10'),
      row(['', ' A0', '*B0'], '20.000002', 'B0 => b:20'),
      row(['*C0', ' A0', ' B0'], '20.000003', 'C0 => c:30'),
    ];
    const plain = parse(lines.join('\n'));
    expect(rows(plain).map((r) => [r[1], r[2]])).toEqual([
      [1, 10],
      [2, 20],
      [0, 30],
    ]);
    expect(plain.warnings).toEqual([]);
    // Quoted, the same: the quote ends the prefix, the indent after it is judged the same way.
    const quoted = parse(lines.map((l) => `> ${l}`).join('\n'));
    expect(rows(quoted)).toEqual(rows(plain));
    expect(quoted.warnings).toEqual([]);
    // Indented by 4 more (markdown code block): extra indent and blank columns cannot be told
    // apart, so the leftmost column seen is taken as CPU 0 and that guess is reported.
    const indented = parse(lines.map((l) => `    ${l}`).join('\n'));
    expect(rows(indented)).toEqual(rows(plain));
    expect(indented.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^column offset guessed for lines 1-3: .*leftmost column seen/),
    ]);
  });

  it('an indented block that never shows column 0 is read with a warning, not silently', () => {
    const m = parse(
      [`      ${row(['', '*A0'], '21.000001', 'A0 => a:10')}`, `      ${row(['', ' A0'], '21.000002')}`].join('\n'),
    );
    expect(m.switches.length).toBe(1);
    expect(m.warnings[0].message).toMatch(/column offset guessed for lines 1-2/);
  });

  it('a long block whose first column stays blank is perf output with CPUs not yet seen', () => {
    const lines = [row(['', '*A0'], '22.000000', 'A0 => a:10')];
    for (let i = 1; i <= 5000; i++) lines.push(row(['', i % 2 ? '*. ' : '*A0'], `22.${String(i).padStart(6, '0')}`));
    lines.push(row(['*B0', ' A0'], '23.000000', 'B0 => b:20'));
    const m = parse(lines.join('\n'));
    expect(m.switches.length).toBe(5002);
    expect(m.cpus).toEqual([0, 1]);
    expect(m.switches.cpu[0]).toBe(1);
    expect(m.switches.cpu[5001]).toBe(0);
    expect(m.skippedLines).toBe(0);
    expect(m.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^column offset guessed for lines 1-4096: no line shows a task in the first 1 column/),
    ]);
  });

  it('a second pasted block with another quote or indent gets its own offset', () => {
    const m = parse(
      [
        row(['*A0', ''], '24.000001', 'A0 => a:10'),
        row([' A0', '*B0'], '24.000002', 'B0 => b:20'),
        'and in the other run:',
        `>> ${row([' A0', '*. '], '25.000001').trimStart()}`,
        `>> ${row(['*B0', ' . '], '25.000002').trimStart()}`,
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[1], r[2]])).toEqual([
      [0, 10],
      [1, 20],
      [1, 0],
      [0, 20],
    ]);
    expect(m.skippedLines).toBe(1);
  });

  it('perf sched map -v: the suffix on every line is no comm change and no ambiguity', () => {
    const m = parse(
      [
        row(['*A0', ''], '26.000001', 'A0 => CPU 0/KVM:10'),
        row([' A0', '*B0'], '26.000002', 'B0 => CPU 1/KVM:11'),
        row(['*A0', ' B0'], '26.000003', 'A0 => CPU 0/KVM:10'),
        row([' A0', '*B0'], '26.000004', 'B0 => CPU 1/KVM:11'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => r[2])).toEqual([10, 11, 10, 11]);
    expect(m.commChanges.length).toBe(2);
    expect(m.warnings).toEqual([]);
  });

  it('several * cells on one line, or a blank starred cell, cannot be placed', () => {
    const m = parse(
      [
        row(['*A0', ''], '27.000001', 'A0 => a:10'),
        row(['*A0', '*. '], '27.000002'),
        row(['*. ', ' . '], '27.000003'),
      ].join('\n'),
    );
    expect(m.switches.length).toBe(2);
    expect(warningAt(m, 2)[0]).toMatch(/2 \* cells on one line/);
  });

  it('a cell perf does not print (`**`, lower case, an odd marker) costs nothing but a warning; a starred one costs its row', () => {
    const text = fixtureText('synth-4vm-x2vcpu-spin.map.txt');
    const lines = text.split('\n');
    // Lines 4, 6-9 and 12 have a blank-marked cell in column 1 (`   E0 *F0 ...`): put in cells perf never prints.
    const odd: Record<number, string> = { 3: '   **', 5: '   e0', 6: '   --', 7: '   ?!', 8: '   <>', 11: '  +F0' };
    const mutated = lines.map((l, i) => (odd[i] !== undefined ? `${odd[i]}${l.slice(5)}` : l));
    expect(mutated[3]).toBe('   ** *D0    1606.850931 secs D0 => CPU 0/KVM:7432');
    expect(mutated[11]).toBe('  +F0 *K0    1606.862813 secs K0 => CPU 1/KVM:7428');
    const m = parse(mutated.join('\n'));
    const plain = parse(text);
    expect(rows(m)).toEqual(rows(plain));
    expect(m.skippedLines).toBe(0);
    // `--` is perf's own filtered-task cell (--task-name): no warning for it.
    for (const [no, cell] of [
      [4, '**'],
      [6, 'e0'],
      [8, '?!'],
      [9, '<>'],
      [12, '+F0'],
    ] as const)
      expect(warningAt(m, no)).toEqual([
        `a map cell perf sched map does not print ("${cell}" in column 1): ignored, the row's switch is kept`,
      ]);
    expect(warningAt(m, 7)).toEqual([]);

    const starred = lines.map((l, i) => (i === 4 ? l.replace('*E0', '*e0') : l));
    const s = parse(starred.join('\n'));
    expect(s.switches.length).toBe(plain.switches.length - 1);
    expect(warningAt(s, 5)).toEqual([
      'skipped: the * cell "*e0" is no task name perf sched map prints: the switch cannot be placed',
    ]);
    // Characters a cell never holds (a control byte, a letter in the separator) still cost the row.
    const bad = parse([row(['*A0', ''], '27.000001', 'A0 => a:10'), '  *A0x   27.000002 secs'].join('\n'));
    expect(bad.switches.length).toBe(1);
    expect(warningAt(bad, 2)[0]).toMatch(/do not line up/);
  });

  it.each([
    ['not indented', '', ''],
    ['indented', '    ', ''],
    ['quoted in mail', '', '> '],
  ])('a line broken after `secs` (the announcement on the next line, %s) is rejoined', (_, indent, quote) => {
    const text = fixtureText('synth-4vm-x2vcpu-spin.map.txt');
    const lines = text.split('\n');
    const broken = lines.flatMap((l) => {
      const k = l.indexOf(' secs ');
      return k > 0 && l.includes(' => ') ? [quote + l.slice(0, k + 5), quote + indent + l.slice(k + 6)] : [quote + l];
    });
    const joins = broken.length - lines.length;
    expect(joins).toBeGreaterThan(10);
    const m = parse(broken.join('\n'));
    const plain = parse(text);
    expect(rows(m)).toEqual(rows(plain));
    expect(m.tasks.comms).toEqual(plain.tasks.comms);
    expect(m.skippedLines).toBe(0);
    expect(m.warnings.find((w) => w.kind === 'wrapped-line')?.message).toBe(
      `${thousands(joins)} map lines broken in two (by a mailer or a terminal: the "XX => comm:tid" announcement on the next line) were rejoined, the first at line 1`,
    );
  });

  describe('a row broken inside its cells (a wide map in mail, or a narrow terminal)', () => {
    const text = fixtureText('qemu-tcg-2vm-x2vcpu.map.txt');
    const lines = text.split('\n');
    /** Every map row but the first (it shows where the block's `secs` stands) broken as `at` says. */
    const breakRows = (at: (l: string) => [string, string]): string[] =>
      lines.flatMap((l, i) => (i > 0 && l.includes(' secs') ? at(l) : [l]));

    it.each([
      ['a terminal at column 4 (inside the first cell, every blank kept)', (l: string) => [l.slice(0, 4), l.slice(4)]],
      ['a terminal at column 7 (inside the second cell)', (l: string) => [l.slice(0, 7), l.slice(7)]],
      [
        'a mailer at the blank between the cells (the blank dropped)',
        (l: string) => [l.slice(0, 5).trimEnd(), l.slice(6)],
      ],
      ['a mailer, the rest indented', (l: string) => [l.slice(0, 5).trimEnd(), '    ' + l.slice(6)]],
      ['a mailer, quoted', (l: string) => ['> ' + l.slice(0, 5).trimEnd(), '> ' + l.slice(6)]],
    ] as [string, (l: string) => [string, string]][])('%s: rejoined, the same switches', (_, at) => {
      const broken = breakRows(at);
      const joins = broken.length - lines.length;
      expect(joins).toBe(6898);
      const m = parse(broken.map((l) => (l.startsWith('> ') || !broken[1].startsWith('> ') ? l : '> ' + l)).join('\n'));
      const plain = parse(text);
      expect(rows(m)).toEqual(rows(plain));
      expect(m.tasks.comms).toEqual(plain.tasks.comms);
      expect(m.skippedLines).toBe(0);
      expect(m.warnings.find((w) => w.kind === 'wrapped-line')?.message).toBe(
        `${thousands(joins)} map lines broken inside their cells (by a mailer or a terminal: the rest of the cells and the timestamp on the next line) were rejoined, the first at line 2`,
      );
    });

    it('parts that do not line up, or a row broken twice: both lines skipped, said, the rows after read', () => {
      const head = [row(['*A0', ''], '27.000001', 'A0 => a:10'), row([' A0', '*B0'], '27.000002', 'B0 => b:11')];
      const m = parse(
        [
          ...head,
          '  *A0', // the rest has one blank too many: its cells would fall off the grid
          '    B0     27.000003 secs',
          '   A0', // broken twice: cells, cells, then the rest
          '  *B0',
          '   27.000004 secs',
          row([' A0', '*B0'], '27.000005'),
        ].join('\n'),
      );
      expect(warningAt(m, 3)).toEqual([
        "skipped: a map row broken in two whose parts do not line up on the block's columns (the cells on this line, the rest and the timestamp on line 4): not guessed",
      ]);
      expect(warningAt(m, 4)).toEqual([
        "skipped: the rest of line 3 (a map row broken in two whose parts do not line up on the block's columns): its cells would stand in the wrong columns",
      ]);
      expect(warningAt(m, 6)[0]).toMatch(/^skipped: a map row broken more than once/);
      expect(warningAt(m, 7)[0]).toMatch(/^skipped: the rest of line 6 \(a map row broken more than once\)/);
      expect(m.skippedLines).toBe(5);
      expect(rows(m).map((r) => r[0])).toEqual([0, 1000, 4000]);
    });
  });

  it('an announcement alone after a line of a name in use for another thread: taken from there on, and said', () => {
    const m = parse(
      [
        row(['*A0', ''], '27.000001', 'A0 => a:10'),
        row(['*B0', ''], '27.000002', 'B0 => b:11'),
        row(['*A0', ''], '27.000003'),
        '  A0 => c:12',
        row(['*B0', ''], '27.000004'),
        row(['*A0', ''], '27.000005'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => r[2])).toEqual([10, 11, 10, 11, 12]);
    const w4 = warningAt(m, 4);
    expect(w4[0]).toMatch(/^short names wrap around: A0 was a:10 and now also names c:12/);
    expect(w4[1]).toMatch(/^"A0 => \.\.\." alone on its line names another thread/);
    expect(m.skippedLines).toBe(0);
  });

  it('a line whose new name is announced nowhere is read as before when the next line is a map line', () => {
    const m = parse([row(['*A0', ''], '27.000001'), row([' A0', '*B0'], '27.000002', 'B0 => b:11')].join('\n'));
    expect(rows(m)).toEqual([
      [0, 0, '[A0?]', 'none'],
      [1000, 1, 11, 'none'],
    ]);
    expect(warningAt(m, 1)[0]).toMatch(/short name A0 is used before any/);
  });

  it('(CPU n) notes that start late switch to --compact with a warning', () => {
    const m = parse(
      [
        '  *A0    28.000001 secs A0 => a:10',
        '   A0 *B0    28.000002 secs B0 => b:20 (CPU 5)',
        '  *.   B0    28.000003 secs ',
      ].join('\n'),
    );
    expect(m.formatDetail).toBe('perf sched map --compact');
    expect(rows(m).map((r) => [r[1], r[2]])).toEqual([
      [0, 10],
      [5, 20],
      [0, 0],
    ]);
    expect(warningAt(m, 2)[0]).toMatch(/notes .* start only after 1 switches/);
  });

  describe('a damaged (CPU n) note of the real --compact map costs only its line (issue 19)', () => {
    const text = fixtureText('qemu-tcg-2vm-x2vcpu.map-compact.txt');
    const lines = text.split('\n');
    const noteLine = lines.findIndex((l, i) => i > 0 && l.endsWith(' (CPU 1)'));
    const whole = parse(text);
    const damaged = (note: string): TraceModel => {
      const copy = [...lines];
      copy[noteLine] = copy[noteLine].replace(/ \(CPU 1\)$/, note);
      return parse(copy.join('\n'));
    };

    it.each([
      ['unreadable', ' (CPX 1)', /note for column 2 is unreadable/],
      ['cut', ' (CPU 1', /note for column 2 is unreadable/],
      ['out of range', ' (CPU 99999)', /names a CPU outside Linux's range/],
      ["another column's CPU", ' (CPU 0)', /names the CPU of column 1/],
      ['missing', '', null],
    ])('%s: only its line is lost, the column guessed as the free CPU, with warnings on its line', (_, note, why) => {
      expect(noteLine).toBeGreaterThan(0);
      const m = damaged(note);
      const at = warningAt(m, noteLine + 1);
      // A damaged note skips its line; a missing one leaves nothing wrong on it.
      const lost = why ? 1 : 0;
      expect(m.skippedLines).toBe(lost);
      // Every other switch as in the undamaged map, prev included (the line's task is kept for its
      // column). One switch per line in this map, so the note line's switch is row noteLine.
      expect(whole.switches.length).toBe(lines.filter((l) => l.trim() !== '').length);
      const expected = rows(whole);
      if (why) expected.splice(noteLine, 1);
      expect(rows(m)).toEqual(expected);
      if (why) expect(at[0]).toMatch(why);
      expect(at.at(-1)).toMatch(/column 2 of this --compact map has (a damaged|no) .* placed on CPU 1, the lowest CPU/);
    });
  });

  it('lines trimmed of leading blanks (column 0 loses its blank marker) keep their columns', () => {
    const m = parse(
      [
        row(['*A0', ''], '30.000001', 'A0 => a:10'),
        row([' A0', '*B0'], '30.000002', 'B0 => b:20'),
        row(['*. ', ' B0'], '30.000003'),
        row([' . ', '*A0'], '30.000004'),
      ]
        .map((l) => l.trimStart())
        .join('\n'),
    );
    expect(rows(m).map((r) => [r[1], r[2], r[3]])).toEqual([
      [0, 10, 'none'],
      [1, 20, 'none'],
      [0, 0, 10],
      [1, 10, 20],
    ]);
    expect(m.skippedLines).toBe(0);
  });

  it('comm with spaces, colons, slashes, `=>`, ` secs`, or empty: split at the last colon', () => {
    const m = parse(
      [
        row(['*A0'], '40.000001', 'A0 => CPU 0/KVM:100'),
        row(['*B0'], '40.000002', 'B0 => memfd:sealed-91:101'),
        row(['*C0'], '40.000003', 'C0 => :68'),
        row(['*D0'], '40.000004', 'D0 => :70:70'),
        row(['*E0'], '40.000005', 'E0 => kworker/u8:2-ev:104'),
        row(['*F0'], '40.000006', 'F0 => a => b:105'),
        row(['*G0'], '40.000007', 'G0 => took 3.000000 secs :106'),
      ].join('\n'),
    );
    const comm = (tid: number): string[] => m.tasks.comms[taskOf(m, tid)];
    expect(comm(100)).toEqual(['CPU 0/KVM']);
    expect(comm(101)).toEqual(['memfd:sealed-91']);
    expect(comm(68)).toEqual(['']);
    expect(comm(70)).toEqual([':70']);
    expect(comm(104)).toEqual(['kworker/u8:2-ev']);
    expect(comm(105)).toEqual(['a => b']);
    expect(comm(106)).toEqual(['took 3.000000 secs ']);
    expect(rows(m).map((r) => r[2])).toEqual([100, 101, 68, 70, 104, 105, 106]);
    expect(m.switches.time[6]).toBe(6000);
  });

  it('a repeated announcement of a tid with a new comm is a comm change', () => {
    const m = parse(
      [
        row(['*A0'], '50.000001', 'A0 => perf:300'),
        row(['*. '], '50.000002'),
        row(['*A0'], '50.500002', 'A0 => sleep:300'),
      ].join('\n'),
    );
    const t = taskOf(m, 300);
    expect(m.tasks.comms[t]).toEqual(['perf', 'sleep']);
    expect(m.commChanges.filter((c) => c.task === t)).toEqual([
      { task: t, time: 0, comm: 'perf' },
      { task: t, time: 500_001_000, comm: 'sleep' },
    ]);
    expect(m.ambiguousLines).toBe(0);
  });

  it('old perf announces idle with a letter (`A0 => swapper:0`) while cells show `.`', () => {
    const m = parse(
      [
        row(['*. '], '60.000001', 'A0 => swapper:0'),
        row(['*B0'], '60.000002', 'B0 => bash:400'),
        row(['*. '], '60.000003'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => r[2])).toEqual([0, 400, 0]);
    expect(m.tasks.length).toBe(2);
  });

  it('short-name wrap-around: a reused name is resolved, every such line counted ambiguous and said once', () => {
    const m = parse(
      [
        row(['*A0', ''], '70.000001', 'A0 => old:100'),
        row([' A0', '*B0'], '70.000002', 'B0 => b:200'),
        // ... 259 more names later perf hands out A0 again, to tid 101:
        row([' A0', '*A0'], '70.000003', 'A0 => new:101'),
        // line 4: A0 again on CPU 1: old:100 is still shown on CPU 0, so new:101
        row([' A0', '*. '], '70.000004'),
        row([' A0', '*A0'], '70.000005'),
        // line 6: A0 over old:100 on CPU 0 while CPU 1 still shows new:101: neither can be it (a lost
        // switch): the most recent announcement, said as contradictory
        row(['*A0', ' A0'], '70.000006'),
        // line 7: announced on its line: not ambiguous
        row(['*A0', ' A0'], '70.000007', 'A0 => new:101'),
        // line 8: A0 on CPU 1 while CPU 0 holds new:101 (and CPU 1 too): old:100
        row([' A0', '*A0'], '70.000008'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[1], r[2], r[3]])).toEqual([
      [0, 100, 'none'],
      [1, 200, 'none'],
      [1, 101, 200],
      [1, 0, 101],
      [1, 101, 0],
      [0, 101, 100],
      [0, 101, 101],
      [1, 100, 101],
    ]);
    expect(m.ambiguousLines).toBe(3);
    expect(warningAt(m, 3)[0]).toMatch(/^short names wrap around: A0 was old:100 and now also names new:101/);
    // One message for the name, at its first guessed line, with the counts by evidence.
    const amb = m.warnings.filter((w) => w.kind === 'ambiguous');
    expect(amb.map((w) => w.line)).toEqual([0, 5]);
    expect(amb[0].message).toMatch(/^ambiguous: 3 switches of 1 reused short name resolved/);
    expect(amb[1].message).toBe(
      'ambiguous: short name A0 stands for 2 threads after short-name wrap-around (old:100, new:101); 3 switches with no announcement on their line resolved: ' +
        '2 by exclusion (the other candidates were on other CPUs or were the switched-out task), ' +
        '1 as the most recent announcement although every candidate was excluded (contradictory text, a lost switch?); read as new:101 2, old:100 1',
    );
    expect(m.warningSummary.find((e) => e.kind === 'ambiguous')).toEqual({
      kind: 'ambiguous',
      count: 3,
      firstLines: [5],
    });
    // new:101 on both CPUs from line 6 on is a task on two CPUs.
    expect(m.warnings.filter((w) => w.kind === 'double-running').map((w) => w.line)).toEqual([6]);
  });

  it('a starred task that another column still shows (stale column) is a plain switch', () => {
    const m = parse(
      [
        row(['*A0', ''], '80.000001', 'A0 => a:10'),
        row([' A0', '*A0'], '80.000002'),
        row(['*. ', ' A0'], '80.000003'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[1], r[2], r[3]])).toEqual([
      [0, 10, 'none'],
      [1, 10, 'none'],
      [0, 0, 10],
    ]);
    // Its switch-out on CPU 0 is missing: a task on two CPUs, said once.
    expect(m.warnings.map((w) => w.kind)).toEqual(['double-running']);
    expect(m.warningSummary).toEqual([{ kind: 'double-running', count: 1, firstLines: [2] }]);
  });

  it('--task-name: `*-` rows switch to one Filtered placeholder, `-` cells are other CPUs', () => {
    const m = parse(
      [
        row(['*A0', ' - '], '131040.641500', 'A0 => stress:10'),
        row(['*- ', ' - '], '131040.641581'),
        row([' - ', '*- '], '131040.641600'),
        row(['*A0', ' - '], '131040.641700'),
      ].join('\n'),
    );
    const f = m.switches.next[1];
    expect(m.tasks.kind[f]).toBe(TaskKind.Filtered);
    expect(m.switches.next[2]).toBe(f);
    expect(rows(m).map((r) => [r[1], r[2], r[3]])).toEqual([
      [0, 10, 'none'],
      [0, `[${m.tasks.comms[f][0]}]`, 10],
      [1, `[${m.tasks.comms[f][0]}]`, 'none'],
      [0, 10, `[${m.tasks.comms[f][0]}]`],
    ]);
    expect(Array.from(m.tasks.kind).filter((k) => k === TaskKind.Filtered).length).toBe(1);
  });

  it('a short name used before any announcement gets one placeholder per name, warned once', () => {
    const m = parse(
      [
        row(['*K3', ''], '90.000001'),
        row([' K3', '*M7'], '90.000002'),
        row(['*. ', ' M7'], '90.000003'),
        row(['*K3', ' M7'], '90.000004'),
        row([' K3', '*N0'], '90.000005', 'N0 => n:55'),
      ].join('\n'),
    );
    const k3 = m.switches.next[0];
    const m7 = m.switches.next[1];
    expect(m.tasks.kind[k3]).toBe(TaskKind.UnknownShortName);
    expect(m.tasks.kind[m7]).toBe(TaskKind.UnknownShortName);
    expect(k3).not.toBe(m7);
    expect(m.switches.next[3]).toBe(k3);
    expect(m.switches.prev[3]).toBe(0);
    expect(m.tasks.tid[m.switches.next[4]]).toBe(55);
    expect(m.warnings.map((w) => w.line)).toEqual([1, 2]);
    expect(m.warnings[0].message).toMatch(/short name K3 is used before any "K3 => comm:tid" line/);
    expect(m.skippedLines).toBe(0);
  });

  it('timestamps stepping backwards are fed in order; the builder sorts and warns', () => {
    const m = parse(
      [
        row(['*A0', ''], '100.000010', 'A0 => a:10'),
        row([' A0', '*B0'], '100.000008', 'B0 => b:20'),
        row(['*. ', ' B0'], '100.000012'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[0], r[2]])).toEqual([
      [-2000, 20],
      [0, 10],
      [2000, 0],
    ]);
    expect(m.warnings.some((w) => /step backwards/.test(w.message))).toBe(true);
  });

  it('INFO trailer: lost events become a lost entry, other INFO / Warning lines warnings', () => {
    const m = parse(
      [
        row(['*A0', ''], '110.000001', 'A0 => a:10'),
        row([' A0', '*. '], '110.000002'),
        '  INFO: 0.012% unordered timestamps (12 out of 100000)',
        '  INFO: 1.234% lost events (1234 out of 100000, in 3 chunks)',
        '  INFO: 0.003% context switch bugs (3 out of 100000) (due to lost events?)',
        'Warning: Processed 100000 events and lost 3 chunks!',
        'Check IO/CPU overload!',
      ].join('\n'),
    );
    expect(m.lost).toEqual([
      {
        line: 4,
        time: null,
        cpu: null,
        count: 1234,
        message: 'INFO: 1.234% lost events (1234 out of 100000, in 3 chunks)',
      },
    ]);
    expect(m.warnings.map((w) => w.line)).toEqual([3, 4, 5, 6, 7]);
    expect(warningAt(m, 6)[0]).toBe('Warning: Processed 100000 events and lost 3 chunks!');
    expect(m.skippedLines).toBe(0);
    expect(m.switches.length).toBe(2);
    // perf's counts go into the summary under their kinds.
    expect(m.warningSummary).toEqual([
      { kind: 'lost-events', count: 1, firstLines: [4], events: 1234 },
      { kind: 'lost-switch-in', count: 3, firstLines: [5] },
      { kind: 'unordered-time', count: 12, firstLines: [3] },
      { kind: 'note', count: 2, firstLines: [6, 7] },
    ]);
  });

  it('a last line cut inside the timestamp is skipped as truncated; everything before is kept', () => {
    const full = [row(['*A0', ''], '120.000001', 'A0 => a:10'), row([' A0', '*B0'], '120.000002', 'B0 => b:20')];
    const m = parse([...full, '   A0 *B0    120.00'].join('\n'));
    expect(m.switches.length).toBe(2);
    expect(m.skippedLines).toBe(1);
    expect(warningAt(m, 3)[0]).toMatch(/truncated last line/);
    // cut inside `secs`, and cut inside the announcement
    const m2 = parse([...full, '  *C0  B0    120.000003 se'].join('\n'));
    expect(warningAt(m2, 3)[0]).toMatch(/truncated last line/);
    const m3 = parse([...full, row(['*C0', ' B0'], '120.000003', 'C0 => CPU 1/K')].join('\n'));
    expect(m3.switches.length).toBe(2);
    expect(warningAt(m3, 3)[0]).toMatch(/truncated last line.*announcement/);
  });

  it('an unreadable announcement mid-file still places the switch, with a warning', () => {
    const m = parse(
      [
        row(['*A0', ''], '130.000001', 'A0 => a:10'),
        row([' A0', '*. '], '130.000002', '<-- here'),
        row(['*. ', ' . '], '130.000003'),
      ].join('\n'),
    );
    expect(rows(m).map((r) => [r[0], r[1], r[2]])).toEqual([
      [0, 0, 10],
      [1000, 1, 0],
      [2000, 0, 0],
    ]);
    expect(warningAt(m, 2)[0]).toMatch(/unreadable text after "secs"/);
    expect(m.skippedLines).toBe(0);
  });

  it('junk lines are skipped with their line numbers and a reason', () => {
    const m = parse(
      [
        'user@host:~$ perf sched map -i perf.data',
        '# perf sched map',
        row(['*A0', ''], '140.000001', 'A0 => a:10'),
        '<SNIP>',
        '',
        row([' A0', '*B0'], '141.000002', 'B0 => b:20'),
        'Elapsed 3.000000 secs in total',
        '...',
        row(['*. ', ' B0'], '141.000003'),
      ].join('\n'),
    );
    expect(m.switches.length).toBe(3);
    expect(m.skippedLines).toBe(3);
    expect(m.warnings.map((w) => w.line)).toEqual([1, 2, 7, 4]);
    expect(warningAt(m, 1)[0]).toMatch(/^skipped: shell prompt/);
    expect(warningAt(m, 2)[0]).toMatch(/^skipped: shell prompt or comment/);
    expect(warningAt(m, 7)[0]).toMatch(/^skipped: text before the timestamp is not map cells/);
    // `<SNIP>` and `...` are gaps in the trace (elision.ts), said once, not skipped lines.
    expect(warningAt(m, 4)[0]).toMatch(/^2 lines leave events out/);
    expect(m.warningSummary.find((e) => e.kind === 'elided-gap')).toEqual({
      kind: 'elided-gap',
      count: 2,
      firstLines: [4, 8],
    });
  });
});
