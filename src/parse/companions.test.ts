import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureText, truth } from '../../test/fixtures';
import { parsePsThreads, parseVmCsv, sniffCompanion, type Companion, type PsThread, type VmMapRow } from './companions';

function rowsOf(c: Companion): VmMapRow[] {
  if (c.kind !== 'vm-csv') throw new Error(`expected a vm-csv, got ${c.kind}`);
  return c.rows;
}

function threadsOf(c: Companion): PsThread[] {
  if (c.kind !== 'ps') throw new Error(`expected ps, got ${c.kind}`);
  return c.threads;
}

const lines = (text: string): string[] => text.split('\n');

describe('VM map CSV', () => {
  it('reads tid,vm,vcpu with a header', () => {
    const text = 'tid,vm,vcpu\n7430,vm-a,0\n7431,vm-a,1\n7423,vm-a,\n7426,vm-b,0\n';
    const c = parseVmCsv(text);
    expect(c.warnings).toEqual([]);
    expect(rowsOf(c)).toEqual([
      { tid: 7430, vm: 'vm-a', vcpu: 0 },
      { tid: 7431, vm: 'vm-a', vcpu: 1 },
      { tid: 7423, vm: 'vm-a', vcpu: null },
      { tid: 7426, vm: 'vm-b', vcpu: 0 },
    ]);
    expect(sniffCompanion(lines(text))).toBe('vm-csv');
  });

  it('takes the header in any order and case, semicolon delimited, with the other names', () => {
    const text = 'Guest;Index;Thread\nweb;0;100\nweb;1;101\n';
    expect(rowsOf(parseVmCsv(text))).toEqual([
      { tid: 100, vm: 'web', vcpu: 0 },
      { tid: 101, vm: 'web', vcpu: 1 },
    ]);
    expect(sniffCompanion(lines(text))).toBe('vm-csv');
    expect(rowsOf(parseVmCsv('NAME,TID\ndb,55\n'))).toEqual([{ tid: 55, vm: 'db', vcpu: null }]);
    expect(rowsOf(parseVmCsv('vm,tid,VCPU\ndb,55,3\n'))).toEqual([{ tid: 55, vm: 'db', vcpu: 3 }]);
  });

  it('reads tab-delimited rows', () => {
    const text = 'vm\ttid\tvcpu\nvm1\t12001\t0\nvm1\t12002\t1\n';
    expect(rowsOf(parseVmCsv(text))).toEqual([
      { tid: 12001, vm: 'vm1', vcpu: 0 },
      { tid: 12002, vm: 'vm1', vcpu: 1 },
    ]);
    expect(sniffCompanion(lines(text))).toBe('vm-csv');
  });

  it('reads rows without a header when the first field is a number', () => {
    const text = '12345,vm1,0\n12346,vm1,1\n12350,vm2\n';
    const c = parseVmCsv(text);
    expect(c.warnings).toEqual([]);
    expect(rowsOf(c)).toEqual([
      { tid: 12345, vm: 'vm1', vcpu: 0 },
      { tid: 12346, vm: 'vm1', vcpu: 1 },
      { tid: 12350, vm: 'vm2', vcpu: null },
    ]);
    expect(sniffCompanion(lines(text))).toBe('vm-csv');
    expect(rowsOf(parseVmCsv('1;a\n2;b\n'))).toEqual([
      { tid: 1, vm: 'a', vcpu: null },
      { tid: 2, vm: 'b', vcpu: null },
    ]);
  });

  it('trims fields, reads quoted names, CRLF and a BOM', () => {
    const text = '\uFEFFtid, vm , vcpu\r\n 7430 , prod eu , 0 \r\n7431,"say ""hi"", eu",1\r\n\r\n7432,x,2';
    const c = parseVmCsv(text);
    expect(rowsOf(c)).toEqual([
      { tid: 7430, vm: 'prod eu', vcpu: 0 },
      { tid: 7431, vm: 'say "hi", eu', vcpu: 1 },
      { tid: 7432, vm: 'x', vcpu: 2 },
    ]);
    expect(c.warnings).toEqual([]);
  });

  it('warns about bad rows by line and keeps the rest', () => {
    const text = ['tid,vm,vcpu', '100,a,0', '', 'x1,a,1', '102,,2', '103,b,first', '104,b,1', '100,c,5', '105'].join(
      '\n',
    );
    const c = parseVmCsv(text);
    expect(rowsOf(c)).toEqual([
      { tid: 100, vm: 'c', vcpu: 5 },
      { tid: 103, vm: 'b', vcpu: null },
      { tid: 104, vm: 'b', vcpu: 1 },
    ]);
    expect(c.warnings.map((w) => w.line)).toEqual([4, 5, 6, 8, 9]);
    expect(c.warnings[0].message).toMatch(/tid "x1" is not a number/);
    expect(c.warnings[1].message).toMatch(/empty vm name/);
    expect(c.warnings[2].message).toMatch(/vcpu "first" is not a number/);
    expect(c.warnings[3].message).toMatch(/tid 100 is listed again .*later row wins/);
    expect(c.warnings[4].message).toMatch(/empty vm name/);
  });

  it('one bad row of four is still a VM map; an open quote costs its row, not the rows after it', () => {
    const text = ['tid,vm,vcpu', '14601,alpha,0', '14603,alpha,1', 'xx,beta,0', '14605,"beta,1', '14606,beta,1'].join(
      '\n',
    );
    expect(sniffCompanion(lines(text))).toBe('vm-csv');
    const c = parseVmCsv(text);
    // The open quote's row is skipped; reading goes on from the next line.
    expect(rowsOf(c)).toEqual([
      { tid: 14601, vm: 'alpha', vcpu: 0 },
      { tid: 14603, vm: 'alpha', vcpu: 1 },
      { tid: 14606, vm: 'beta', vcpu: 1 },
    ]);
    expect(c.warnings.map((w) => w.line)).toEqual([4, 5]);
    expect(c.warnings[0].message).toMatch(/tid "xx" is not a number/);
    expect(c.warnings[1].message).toMatch(/quote opened here is never closed.*MissingQuotes/);
    // Two open quotes, a blank line and a semicolon file: each costs its row, line numbers kept.
    const d = parseVmCsv(['tid;vm', '1;"a', '', '2;b', '3;"c', '4;d'].join('\n'));
    expect(rowsOf(d)).toEqual([
      { tid: 2, vm: 'b', vcpu: null },
      { tid: 4, vm: 'd', vcpu: null },
    ]);
    expect(d.warnings.map((w) => w.line)).toEqual([2, 5]);
  });

  it('warns when the header lacks a tid or vm column', () => {
    const c = parseVmCsv('thread,vcpu\n1,0\n');
    expect(rowsOf(c)).toEqual([]);
    expect(c.warnings).toEqual([{ line: 1, message: 'the header has no vm (or name, guest) column' }]);
    const d = parseVmCsv('foo,bar\n1,2\n');
    expect(d.warnings[0].line).toBe(1);
    expect(rowsOf(d)).toEqual([]);
  });

  it('keeps line numbers past quoted fields that span lines', () => {
    const c = parseVmCsv('tid,vm\n1,"two\nlines"\nzz,b\n');
    expect(rowsOf(c)).toEqual([{ tid: 1, vm: 'two\nlines' }].map((r) => ({ ...r, vcpu: null })));
    expect(c.warnings.map((w) => w.line)).toEqual([4]);
  });
});

describe('ps thread listings', () => {
  it('reads ps -eLo pid,tid,comm with spaces in commands', () => {
    const text = [
      '    PID     TID COMMAND',
      '      1       1 systemd',
      '  20733   20733 qemu-system-x86',
      '  20733   20746 CPU 0/TCG',
      '  20733   20748 CPU 1/TCG',
      '  20733   20750 IO mon_iothread',
    ].join('\n');
    const c = parsePsThreads(text);
    expect(c.warnings).toEqual([]);
    expect(threadsOf(c)).toEqual([
      { pid: 1, tid: 1, comm: 'systemd' },
      { pid: 20733, tid: 20733, comm: 'qemu-system-x86' },
      { pid: 20733, tid: 20746, comm: 'CPU 0/TCG' },
      { pid: 20733, tid: 20748, comm: 'CPU 1/TCG' },
      { pid: 20733, tid: 20750, comm: 'IO mon_iothread' },
    ]);
    expect(sniffCompanion(lines(text))).toBe('ps');
  });

  it('reads LWP for TID, any column order, CMD for COMMAND', () => {
    const a = '  PID   LWP COMMAND\n 4000  4001 CPU 0/KVM\n';
    expect(threadsOf(parsePsThreads(a))).toEqual([{ pid: 4000, tid: 4001, comm: 'CPU 0/KVM' }]);
    expect(sniffCompanion(lines(a))).toBe('ps');
    const b = '    TID     PID CMD\n   4001    4000 CPU 0/KVM\n   4000    4000 qemu-kvm\n';
    expect(threadsOf(parsePsThreads(b))).toEqual([
      { pid: 4000, tid: 4001, comm: 'CPU 0/KVM' },
      { pid: 4000, tid: 4000, comm: 'qemu-kvm' },
    ]);
    expect(sniffCompanion(lines(b))).toBe('ps');
  });

  it('reads ps -T -p PID (PID SPID TTY TIME CMD) and concatenated runs', () => {
    const text = [
      '    PID    SPID TTY          TIME CMD',
      '  20733   20733 ?        00:00:12 qemu-system-x86',
      '  20733   20746 ?        00:01:40 CPU 0/TCG',
      '    PID    SPID TTY          TIME CMD',
      '  20735   20747 pts/1    00:01:38 CPU 0/TCG',
    ].join('\n');
    const c = parsePsThreads(text);
    expect(c.warnings).toEqual([]);
    expect(threadsOf(c)).toEqual([
      { pid: 20733, tid: 20733, comm: 'qemu-system-x86' },
      { pid: 20733, tid: 20746, comm: 'CPU 0/TCG' },
      { pid: 20735, tid: 20747, comm: 'CPU 0/TCG' },
    ]);
    expect(sniffCompanion(lines(text))).toBe('ps');
  });

  it('reads ps -eLf (the command line as the command)', () => {
    const text = [
      'UID          PID    PPID     LWP  C NLWP STIME TTY          TIME CMD',
      'libvirt+   20733       1   20746 99    4 12:20 ?        00:01:40 /usr/bin/qemu-system-x86_64 -name guest=vm1,debug-threads=on',
    ].join('\n');
    expect(threadsOf(parsePsThreads(text))).toEqual([
      { pid: 20733, tid: 20746, comm: '/usr/bin/qemu-system-x86_64 -name guest=vm1,debug-threads=on' },
    ]);
    expect(sniffCompanion(lines(text))).toBe('ps');
  });

  it('warns about bad lines by number and keeps the rest', () => {
    const text = [
      '  PID   TID COMMAND', // 1
      '    1     1 systemd', // 2
      '', // 3
      '  abc     2 kthreadd', // 4
      '    3', // 5
      '    4    x4 worker', // 6
      '    5     5', // 7
      '    6     6 a', // 8
      '    6     6 b', // 9
    ].join('\n');
    const c = parsePsThreads(text);
    expect(threadsOf(c)).toEqual([
      { pid: 1, tid: 1, comm: 'systemd' },
      { pid: 6, tid: 6, comm: 'b' },
    ]);
    expect(c.warnings.map((w) => w.line)).toEqual([4, 5, 6, 7, 9]);
    expect(c.warnings[0].message).toMatch(/PID "abc" is not a number/);
    expect(c.warnings[4].message).toMatch(/tid 6 is listed again/);
  });

  it('reads headerless pid tid comm lines (ps -eLo pid=,tid=,comm=) with a warning', () => {
    const c = parsePsThreads('  20733   20746 CPU 0/TCG\n  20733   20733 qemu-system-x86\n');
    expect(threadsOf(c)).toEqual([
      { pid: 20733, tid: 20746, comm: 'CPU 0/TCG' },
      { pid: 20733, tid: 20733, comm: 'qemu-system-x86' },
    ]);
    expect(c.warnings).toEqual([{ line: 1, message: 'no header line: columns read as PID TID COMMAND' }]);
  });

  const truths = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.truth.json'))
    .map((f) => f.slice(0, -'.truth.json'.length));
  for (const rec of truths) {
    it(`reads back the threads of ${rec} from ps -eLo pid,tid,comm`, () => {
      const t = truth(rec);
      const expected: PsThread[] = [];
      for (const vm of t.vms) {
        for (const o of vm.other_threads) expected.push({ pid: vm.pid, tid: o.tid, comm: o.comm });
        for (const v of vm.vcpus) expected.push({ pid: vm.pid, tid: v.tid, comm: v.comm });
      }
      expected.sort((a, b) => a.tid - b.tid);
      // ps right-aligns numbers in columns as wide as the widest value or header, comm left-aligned.
      const w = Math.max(3, ...expected.map((x) => String(Math.max(x.pid, x.tid)).length));
      const text = [
        `${'PID'.padStart(w)} ${'TID'.padStart(w)} COMMAND`,
        `${'1'.padStart(w)} ${'1'.padStart(w)} systemd`,
        ...expected.map((x) => `${String(x.pid).padStart(w)} ${String(x.tid).padStart(w)} ${x.comm}`),
      ].join('\n');
      expect(sniffCompanion(lines(text).slice(0, 200))).toBe('ps');
      const c = parsePsThreads(text);
      expect(c.warnings).toEqual([]);
      expect(threadsOf(c)).toEqual([{ pid: 1, tid: 1, comm: 'systemd' }, ...expected]);
      // vCPU comms with spaces survive (recordings of QEMU without debug-threads=on have none).
      if (t.vms.some((vm) => vm.vcpus.some((v) => v.comm.includes(' '))))
        expect(threadsOf(c).some((x) => / \d+\//.test(x.comm))).toBe(true);
    });
  }
});

describe('sniffCompanion', () => {
  const head = (name: string, n = 200): string[] => fixtureText(name).split('\n').slice(0, n);

  it('does not claim scheduler traces', () => {
    for (const name of [
      'qemu-tcg-2vm-x2vcpu.map.txt',
      'qemu-tcg-2vm-x2vcpu.map-compact.txt',
      'qemu-tcg-2vm-x2vcpu.script.txt',
      'qemu-tcg-2vm-x2vcpu.script-pidtid.txt',
      'qemu-tcg-2vm-x2vcpu.timehist.txt',
      'ftrace-qemu-3vm-x2vcpu.ftrace.txt',
      'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt',
      'tracecmd-qemu-2vm-x3vcpu.script-ns.txt',
    ]) {
      expect(sniffCompanion(head(name)), name).toBeNull();
      // Also from the middle of the file (no header in sight).
      expect(sniffCompanion(fixtureText(name).split('\n').slice(1000, 1200)), `${name} middle`).toBeNull();
    }
    // Even the kvm/ftrace payloads with commas.
    expect(
      sniffCompanion(['  CPU 0/KVM-1234  [001] .... 123.456789: kvm_entry: vcpu 0, rip 0xffffffff81000000']),
    ).toBeNull();
  });

  it('does not claim random text, JSON or numeric tables', () => {
    expect(sniffCompanion([])).toBeNull();
    expect(sniffCompanion(['', '  '])).toBeNull();
    expect(sniffCompanion(['Hello, world', 'This is a note, not a map.'])).toBeNull();
    expect(sniffCompanion(lines(fixtureText('qemu-tcg-2vm-x2vcpu.truth.json')).slice(0, 200))).toBeNull();
    expect(sniffCompanion(['a,b,c,d', '1,2,3,4', '5,6,7,8'])).toBeNull();
    expect(sniffCompanion(['1,2,3,4', '5,6,7,8'])).toBeNull();
    expect(sniffCompanion(['PID TID COMMAND'])).toBeNull();
    expect(sniffCompanion(['# perf sched map', '12,vm'])).toBeNull();
  });

  it('takes a process listing without a thread column for ps -eo pid,args, not for ps -eLo', () => {
    expect(sniffCompanion(['USER PID %CPU COMMAND', 'root 1 0.0 systemd'])).toBe('ps-args');
    expect(sniffCompanion(['  PID COMMAND', '    1 /sbin/init'])).toBe('ps-args');
    expect(sniffCompanion(['  PID   TID COMMAND', '    1     1 systemd'])).toBe('ps');
  });

  it('claims a header-only VM map and blank-padded input', () => {
    expect(sniffCompanion(['tid,vm,vcpu'])).toBe('vm-csv');
    expect(sniffCompanion(['', 'tid,vm', '1,a', ''])).toBe('vm-csv');
  });
});
