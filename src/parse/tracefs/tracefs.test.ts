import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../../model/builder';
import { PrevState, WakeupKind } from '../../model/types';
import { FIXTURES } from '../../../test/fixtures';
import { EventReader } from './eventReader';
import { EventTable } from './eventTable';
import { recordOf } from './fields';
import { fieldOf, parseEventFormat, parseFieldLine, type EventFormat } from './format';
import { compilePrintFormat } from './printFormat';
import { encodeRecord, encodeTracingData } from './recordWriter';
import { SchedModelWriter } from './schedModel';
import { parseCmdlines, readTracingData } from './tracingData';

const KERNELS = [
  'linux-3.4.0-arm-hammerhead',
  'linux-3.10.40-arm64-flounder',
  'linux-4.4.88-arm64-walleye',
  'linux-5.10.43-arm64-raven',
  'linux-6.18.44-x86_64',
] as const;

const formatText = (kernel: string, event: string): string =>
  readFileSync(join(FIXTURES, 'tracefs', kernel, `${event}.format`), 'utf8');
const format = (kernel: string, event: string, system = 'sched'): EventFormat =>
  parseEventFormat(formatText(kernel, event), system);

function renderSwitch(kernel: string, state: number, little = true): string {
  const f = format(kernel, 'sched_switch');
  const rec = encodeRecord(
    f,
    {
      prev_comm: 'CPU 0/KVM',
      prev_pid: 4242,
      prev_prio: 120,
      prev_state: state,
      next_comm: 'swapper/1',
      next_pid: 0,
      next_prio: 120,
    },
    little,
  );
  return new EventReader(f, little).render(recordOf(rec));
}

const stateOf = (line: string): string => /prev_state=(\S*) ==>/.exec(line)![1];

describe('event format files of several kernels', () => {
  it('reads sched_switch layouts that moved between kernels', () => {
    const arm32 = format('linux-3.4.0-arm-hammerhead', 'sched_switch');
    expect(arm32.id).toBe(70);
    expect(arm32.commonFields.map((f) => f.name)).toContain('common_padding');
    expect(fieldOf(arm32, 'prev_state')).toMatchObject({ offset: 36, size: 4, signed: true });
    expect(fieldOf(arm32, 'prev_comm')).toMatchObject({ offset: 12, size: 16, arrayLength: 16, isString: true });
    const x86 = format('linux-6.18.44-x86_64', 'sched_switch');
    expect(x86.commonFields.map((f) => f.name)).toEqual([
      'common_type',
      'common_flags',
      'common_preempt_count',
      'common_pid',
    ]);
    expect(fieldOf(x86, 'prev_state')).toMatchObject({ offset: 32, size: 8, signed: true, arrayLength: -1 });
    expect(fieldOf(x86, 'next_pid')).toMatchObject({ offset: 56, size: 4, signed: true });
    for (const k of KERNELS) {
      for (const ev of [
        'sched_switch',
        'sched_wakeup',
        'sched_wakeup_new',
        'sched_migrate_task',
        'sched_process_fork',
      ]) {
        const f = format(k, ev);
        expect(f.name).toBe(ev);
        expect(f.id).toBeGreaterThan(0);
        expect(
          compilePrintFormat(f.printFormatText).exact,
          `${k} ${ev}: ${compilePrintFormat(f.printFormatText).problem}`,
        ).toBe(true);
      }
    }
  });

  it('reads the 2.6-era format with no signed: and a macro array length', () => {
    // From Steven Rostedt's "Using the TRACE_EVENT() macro (Part 1)", LWN, March 2010.
    const f = parseEventFormat(
      readFileSync(join(FIXTURES, 'tracefs', 'linux-2.6.33-lwn', 'sched_switch.format'), 'utf8'),
    );
    expect(fieldOf(f, 'prev_comm')).toMatchObject({ offset: 12, size: 16, arrayLength: 16, isString: true });
    expect(fieldOf(f, 'prev_state')).toMatchObject({ offset: 40, size: 8, signed: true });
    expect(fieldOf(f, 'common_lock_depth')?.common).toBe(true);
    const rec = encodeRecord(
      f,
      { prev_comm: 'bash', prev_pid: 7, prev_prio: 120, prev_state: 1, next_comm: 'init', next_pid: 1, next_prio: 120 },
      true,
    );
    expect(new EventReader(f, true).render(recordOf(rec))).toBe('task bash:7 [120] (S) ==> init:1 [120]');
  });

  it('reads __data_loc, __rel_loc and header_page field lines', () => {
    expect(parseFieldLine('field:__data_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;')).toMatchObject({
      name: 'name',
      location: 'data_loc',
      isString: true,
      arrayLength: 0,
    });
    expect(parseFieldLine('field:__rel_loc char[] msg;\toffset:12;\tsize:4;\tsigned:0;')?.location).toBe('rel_loc');
    expect(parseFieldLine('field:unsigned long caller[8];\toffset:8;\tsize:64;\tsigned:0;')).toMatchObject({
      arrayLength: 8,
      elementSize: 8,
      isString: false,
    });
    const page = parseEventFormat(formatText('linux-6.18.44-x86_64', 'header_page'));
    expect(page.fields.map((f) => [f.name, f.offset, f.size])).toEqual([
      ['timestamp', 0, 8],
      ['commit', 8, 8],
      ['overwrite', 8, 1],
      ['data', 16, 4080],
    ]);
  });

  it('a data_loc string reads back in either byte order', () => {
    const f = parseEventFormat(
      'name: x\nID: 9\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\tfield:__data_loc char[] who;\toffset:8;\tsize:4;\tsigned:0;\n\tfield:__rel_loc char[] why;\toffset:12;\tsize:4;\tsigned:0;\n\tfield:int n;\toffset:16;\tsize:4;\tsigned:1;\n\nprint fmt: "who=%s why=%s n=%d", __get_str(who), __get_rel_str(why), REC->n',
    );
    for (const little of [true, false]) {
      const rec = encodeRecord(f, { who: 'qemu-system-x86', why: 'état', n: -5 }, little);
      expect(new EventReader(f, little).render(recordOf(rec))).toBe('who=qemu-system-x86 why=état n=-5');
    }
  });
});

describe('print format evaluation', () => {
  it("renders prev_state the way each kernel's own format says", () => {
    // 3.4: TASK_STATE_MAX 512, W is 128; 3.10: K W P, max 1024; 4.4: N, max 2048; 4.14+: X Z P I, preempt bit 0x100.
    expect([0, 1, 2, 128, 129, 512, 256].map((s) => stateOf(renderSwitch('linux-3.4.0-arm-hammerhead', s)))).toEqual([
      'R',
      'S',
      'D',
      'W',
      'S|W',
      'R+',
      '0x100',
    ]);
    expect([130, 256, 512, 1024, 1025].map((s) => stateOf(renderSwitch('linux-3.10.40-arm64-flounder', s)))).toEqual([
      'D|K',
      'W',
      'P',
      'R+',
      'S+',
    ]);
    expect([1026, 2048, 2049].map((s) => stateOf(renderSwitch('linux-4.4.88-arm64-walleye', s)))).toEqual([
      'D|N',
      'R+',
      'S+',
    ]);
    for (const k of ['linux-5.10.43-arm64-raven', 'linux-6.18.44-x86_64'])
      expect([0, 1, 2, 0x10, 0x20, 0x40, 0x80, 0x100, 0x101].map((s) => stateOf(renderSwitch(k, s)))).toEqual([
        'R',
        'S',
        'D',
        'X',
        'Z',
        'P',
        'I',
        'R+',
        'S+',
      ]);
    expect(renderSwitch('linux-6.18.44-x86_64', 0x100, false)).toBe(
      'prev_comm=CPU 0/KVM prev_pid=4242 prev_prio=120 prev_state=R+ ==> next_comm=swapper/1 next_pid=0 next_prio=120',
    );
  });

  it("names kvm_exit's reason through the format's table: PAUSE_INSTRUCTION on Intel, pause on AMD", () => {
    const f = format('linux-6.18.44-x86_64', 'kvm_exit', 'kvm');
    const r = new EventReader(f, true);
    const line = (isa: number, exitReason: number): string =>
      r.render(
        recordOf(
          encodeRecord(
            f,
            { isa, exit_reason: exitReason, vcpu_id: 3, guest_rip: 0xffffffff81001234n, info1: 0x5 },
            true,
          ),
        ),
      );
    expect(line(1, 40)).toBe(
      'vcpu 3 reason PAUSE_INSTRUCTION rip 0xffffffff81001234 info1 0x0000000000000005 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000',
    );
    expect(line(2, 0x77)).toMatch(/^vcpu 3 reason pause rip /);
    expect(line(1, 0x80000021)).toMatch(/^vcpu 3 reason INVALID_STATE FAILED_VMENTRY rip /);
    expect(line(1, 999)).toMatch(/^vcpu 3 reason 0x3e7 rip /);
    // libtraceevent compares table keys as unsigned 64 bits: { -1, ... } never matches a u32.
    expect(line(2, 0xffffffff)).toMatch(/^vcpu 3 reason 0xffffffff rip /);
    const arm = format('linux-5.10.43-arm64-raven', 'kvm_exit', 'kvm');
    const rec = encodeRecord(arm, { ret: 2, esr_ec: 0x24, vcpu_pc: 0xffff800010001234n }, true);
    expect(new EventReader(arm, true).render(recordOf(rec))).toBe(
      'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001234',
    );
  });

  it('prints like C printf with the conversion casts libtraceevent applies', () => {
    const f = parseEventFormat(
      'name: p\nID: 1\nformat:\n\tfield:unsigned int u;\toffset:8;\tsize:4;\tsigned:0;\n\tfield:u64 big;\toffset:16;\tsize:8;\tsigned:0;\n\tfield:char c[8];\toffset:24;\tsize:8;\tsigned:0;\n\n' +
        'print fmt: "%d %u %03d %-4s| %5s %#x %08X %lld %llu %hx %c %% %.2s", REC->u, REC->u, REC->u & 7, REC->c, REC->c, REC->u, REC->u, REC->big, REC->big, REC->u, 65, REC->c',
    );
    const rec = encodeRecord(f, { u: 0xffffffff, big: -2n, c: 'ab' }, true);
    expect(new EventReader(f, true).render(recordOf(rec))).toBe(
      '-1 4294967295 007 ab  |    ab 0xffffffff FFFFFFFF -2 18446744073709551614 ffff A % ab',
    );
  });

  it('falls back to the number of the first field an unknown helper reads, and says so', () => {
    const p = compilePrintFormat('"addr=%s n=%d", __get_sockaddr(REC->a), REC->n');
    expect(p.exact).toBe(false);
    expect(p.problem).toContain('__get_sockaddr');
    const f = parseEventFormat(
      'name: q\nID: 2\nformat:\n\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;\n\tfield:int n;\toffset:12;\tsize:4;\tsigned:1;\n\nprint fmt: "addr=%s n=%d", __get_sockaddr(REC->a), REC->n',
    );
    expect(new EventReader(f, true).render(recordOf(encodeRecord(f, { a: 77, n: 3 }, true)))).toBe('addr=77 n=3');
    // Unparsable text is kept as it is, not thrown.
    expect(compilePrintFormat('"broken %d", (REC->x').exact).toBe(false);
  });
});

describe('tracing data', () => {
  const kernel = 'linux-6.18.44-x86_64';
  const block = (bigEndian: boolean): Uint8Array =>
    encodeTracingData({
      bigEndian,
      longSize: 8,
      pageSize: 4096,
      headerPage: formatText(kernel, 'header_page'),
      headerEvent: formatText(kernel, 'header_event'),
      systems: [
        { name: 'sched', formats: ['sched_switch', 'sched_waking'].map((e) => formatText(kernel, e)) },
        { name: 'kvm', formats: ['kvm_exit'].map((e) => formatText(kernel, e)) },
      ],
      cmdlines: '1 systemd\n4242 CPU 0/KVM\n',
    });

  it('reads formats by system, in either byte order, and the saved cmdlines', () => {
    for (const be of [false, true]) {
      const td = readTracingData(block(be));
      expect(td.bigEndian).toBe(be);
      expect(td.pageSize).toBe(4096);
      expect(td.problems).toEqual([]);
      expect(td.events.map((e) => `${e.system}:${e.name}:${e.id}`)).toEqual([
        'sched:sched_switch:372',
        'sched:sched_waking:375',
        'kvm:kvm_exit:103',
      ]);
      expect(parseCmdlines(td.cmdlines!).get(4242)).toBe('CPU 0/KVM');
      const table = new EventTable(td.events, !td.bigEndian, td.longSize);
      expect(table.byId(103)?.fullName).toBe('kvm:kvm_exit');
    }
  });

  it('a block cut short keeps the formats read before the cut', () => {
    const b = block(false);
    const td = readTracingData(b.subarray(0, b.length - 3000));
    expect(td.events.length).toBeGreaterThanOrEqual(1);
    expect(td.problems[0]).toMatch(/cut short/);
  });
});

describe('SchedModelWriter', () => {
  it('writes switches, wakeups, migrations and kvm exits like the text parsers would', () => {
    const k = 'linux-6.18.44-x86_64';
    const b = new TraceBuilder('perf-script');
    const w = new SchedModelWriter(b, {
      qualifiedNames: true,
      threadComm: (tid) => (tid === 4242 ? 'CPU 0/KVM' : null),
    });
    const reader = (ev: string, sys = 'sched'): EventReader => new EventReader(format(k, ev, sys), true);
    const sw = reader('sched_switch');
    const wk = reader('sched_waking');
    const mg = reader('sched_migrate_task');
    const ex = reader('kvm_exit', 'kvm');
    const rt = reader('sched_stat_runtime');
    const rec = (r: EventReader, v: Record<string, number | string | bigint>) =>
      recordOf(encodeRecord(r.format, v, true));
    expect(
      w.write(w.compile(wk), rec(wk, { comm: 'CPU 0/KVM', pid: 4242, prio: 120, target_cpu: 1 }), 10, 0, 0),
    ).toBeNull();
    expect(
      w.write(
        w.compile(sw),
        rec(sw, { prev_comm: 'swapper/1', prev_pid: 0, prev_state: 0, next_comm: 'CPU 0/KVM', next_pid: 4242 }),
        20,
        1,
        0,
      ),
    ).toBeNull();
    expect(w.write(w.compile(ex), rec(ex, { vcpu_id: 0, isa: 1, exit_reason: 40 }), 30, 1, 4242)).toBeNull();
    expect(w.write(w.compile(rt), rec(rt, { comm: 'x', pid: 1 }), 35, 1, 4242)).toBeNull();
    expect(
      w.write(
        w.compile(sw),
        rec(sw, { prev_comm: 'CPU 0/KVM', prev_pid: 4242, prev_state: 0x100, next_comm: 'swapper/1', next_pid: 0 }),
        40,
        1,
        4242,
      ),
    ).toBeNull();
    expect(
      w.write(w.compile(mg), rec(mg, { comm: 'CPU 0/KVM', pid: 4242, orig_cpu: 1, dest_cpu: 0 }), 50, 1, 0),
    ).toBeNull();
    const m = b.finish();
    expect(m.switches.length).toBe(2);
    expect(Array.from(m.switches.prevState)).toEqual([PrevState.Runnable, PrevState.Preempted]);
    expect(m.tasks.tid[m.switches.next[0]]).toBe(4242);
    expect(m.wakeups.kind[0]).toBe(WakeupKind.Waking);
    expect(m.migrations.toCpu[0]).toBe(0);
    expect(m.kvmExitReasons[m.kvmExits.reason[0]]).toBe('PAUSE_INSTRUCTION');
    expect(m.kvmExits.vcpu[0]).toBe(0);
    expect(m.ignoredEvents).toEqual({ 'sched:sched_stat_runtime': 1 });
  });
});
