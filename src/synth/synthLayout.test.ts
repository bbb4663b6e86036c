// synth writes the byte layout of the real tools: the events of a real
// recording (read from its perf script -F pid,tid text with a small regex
// here) rendered by synth's writers give the recording's own lines, for every
// format synth writes: field widths, padding, event-name alignment, headers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureText } from '../../test/fixtures';
import { ExitReason, GuestSite, INTR_INFO_TIMER, type EventContext, type HostEventSink, type SwitchState } from './events';
import type { SynthHost, SynthTask } from './hostModel';
import { createRenderer, type SynthFormat } from './render';
import { BASE_SEC } from './textLayout';

interface Line {
  text: string;
  comm: string;
  pid: number;
  tid: number;
  cpu: number;
  ns: number;
  event: string;
  payload: string;
}

const PREFIX = /^\s*(.+?) +(\d+)\/(\d+) +\[(\d{3})\] +(\d+)\.(\d{6}): +([\w:]+): (.*)$/;
const SWITCH = /^prev_comm=(.*) prev_pid=(\d+) prev_prio=(\d+) prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+) next_prio=(\d+)$/;
const WAKE = /^comm=(.*) pid=(\d+) prio=(\d+) target_cpu=(\d+)$/;
const MIGRATE = /^comm=(.*) pid=(\d+) prio=(\d+) orig_cpu=(\d+) dest_cpu=(\d+)$/;

type Recording = ReturnType<typeof recordingFromLines>;

/** A recording's events: the sched_switch, sched_waking and sched_migrate_task lines synth also writes. */
function recording(name: string): Recording {
  return recordingFromLines(fixtureText(`${name}.script-pidtid.txt`).split('\n'));
}

/** Feed a recording's events to a writer. */
function replay(rec: Recording, sink: HostEventSink, ctxOf: (l: Line) => EventContext = () => 0): void {
  const index = new Map(rec.host.tasks.map((t, i) => [t.tid, i]));
  const task = (tid: number): number => (tid === 0 ? -1 : (index.get(tid) as number));
  for (const l of rec.lines) {
    if (l.event === 'sched:sched_switch') {
      const s = SWITCH.exec(l.payload)!;
      sink.switch(l.ns, l.cpu, task(+s[2]), s[4] as SwitchState, task(+s[6]));
    } else if (l.event === 'sched:sched_waking') {
      const w = WAKE.exec(l.payload)!;
      sink.waking(l.ns, l.cpu, task(l.tid), ctxOf(l), task(+w[2]), +w[4]);
    } else {
      const m = MIGRATE.exec(l.payload)!;
      sink.migrate(l.ns, l.cpu, task(l.tid), ctxOf(l), task(+m[2]), +m[4], +m[5]);
    }
  }
}

function render(format: SynthFormat, rec: Recording, entries = 0): string[] {
  const parts: string[] = [];
  replay(rec, createRenderer(format, rec.host, (s) => parts.push(s), entries));
  return parts.join('').split('\n').slice(0, -1);
}

/** Lines of a recording that involve only tasks whose comm never changes (synth's tasks keep theirs). */
function stableLines(rec: Recording, text: string[]): string[] {
  const bad = [...rec.unstable].map((tid) => new RegExp(`[ =-]${tid}[ /\\])]|pid=${tid}( |$)`));
  return text.filter((l) => !bad.some((b) => b.test(l)));
}

const REC = 'synth-4vm-x2vcpu-spin';

describe('synth writes the layout of the real tools', () => {
  const rec = recording(REC);

  it('reads the recording it replays (switches, wakings and migrations)', () => {
    const kinds = new Set(rec.lines.map((l) => l.event));
    expect([...kinds].sort()).toEqual(['sched:sched_migrate_task', 'sched:sched_switch', 'sched:sched_waking']);
    expect(rec.lines.length).toBeGreaterThan(1000);
  });

  it.each(['script-pidtid', 'script'] as const)('perf script (%s): every line as perf 6.1 printed it', (format) => {
    const recorded = fixtureText(`${REC}.${format}.txt`)
      .split('\n')
      .filter((l) => /sched:sched_(switch|waking|migrate_task):/.test(l));
    const ours = render(format, rec);
    expect(ours).toHaveLength(recorded.length);
    const keep = new Set(stableLines(rec, recorded));
    const compared = recorded.filter((l) => keep.has(l));
    expect(compared.length).toBeGreaterThan(0.9 * recorded.length);
    expect(ours.filter((l) => keep.has(l))).toEqual(compared);
    // The event name is right-aligned to perf sched record's longest (24 characters).
    expect(ours.find((l) => l.includes('sched_switch'))).toMatch(/\] {2}\d+\.\d{6}: {7}sched:sched_switch: /);
  });

  it('perf sched map: every line as perf printed it', () => {
    const recorded = fixtureText(`${REC}.map.txt`).split('\n').slice(0, -1);
    const ours = render('map', rec);
    expect(ours).toHaveLength(recorded.length);
    // Byte for byte, but for the legends of tasks whose comm changes (synth's tasks keep theirs: perf repeats
    // a legend with the new comm) or that perf knew no comm for (`:70:70`; the payload gives synth one).
    const legend = / \S\S => (.*):(\d+)$/;
    const masked = new Set(rec.unstable);
    for (const l of recorded) {
      const m = legend.exec(l);
      if (m && m[1] === `:${m[2]}`) masked.add(+m[2]);
    }
    const unstableLegend = (l: string): string => {
      const m = legend.exec(l);
      return m && masked.has(+m[2]) ? l.slice(0, m.index + 1) : l;
    };
    const theirs = recorded.map(unstableLegend);
    expect(theirs.filter((l, i) => l === recorded[i]).length).toBeGreaterThan(0.95 * recorded.length);
    expect(ours.map(unstableLegend)).toEqual(theirs);
  });

  it('perf sched timehist: header as perf prints it, every line with its field widths and values', () => {
    const recorded = fixtureText(`${REC}.timehist.txt`).split('\n').slice(0, -1);
    const ours = render('timehist', rec);
    expect(ours.slice(0, 3)).toEqual(recorded.slice(0, 3));
    expect(ours).toHaveLength(recorded.length);
    const row = /^(.{15}) \[(\d{4})\] {2}(.{30}) ( *\d+\.\d{3}) ( *\d+\.\d{3}) ( *\d+\.\d{3}) $/;
    const shape = (l: string): string => l.replace(/\d/g, '9');
    const unstableName = new RegExp(`\\[(${[...rec.unstable].join('|')})[/\\]]`);
    for (let i = 3; i < recorded.length; i++) {
      if (unstableName.test(recorded[i])) continue;
      const r = row.exec(recorded[i]);
      const o = row.exec(ours[i]);
      expect(r, recorded[i]).not.toBeNull();
      expect(o, ours[i]).not.toBeNull();
      // Same time, CPU and task; same widths (digits masked); values from µs times within 2 µs of perf's ns ones.
      expect(o!.slice(1, 4), `line ${i + 1}`).toEqual(r!.slice(1, 4));
      expect(shape(ours[i]).length).toBe(shape(recorded[i]).length);
      for (let k = 4; k <= 6; k++) expect(Math.abs(+o![k] - +r![k]), `line ${i + 1}`).toBeLessThanOrEqual(0.0021);
    }
  });

  it('raw ftrace with record-tgid: header and every line as the kernel printed them (flags as in the recording)', () => {
    const name = 'ftrace-qemu-3vm-x2vcpu';
    const text = fixtureText(`${name}.ftrace.txt`).split('\n');
    const header = text.slice(0, 12);
    const entries = Number(/entries-written: (\d+)\//.exec(header[2])![1]);
    const LINE = /^\s*(.+?)-(\d+) +\( *([\d-]+)\) \[(\d{3})\] (\S{5}) +(\d+)\.(\d{6}): (\w+): (.*)$/;
    // The ftrace recording's events, through the same replay (tgids from its TGID column).
    const pidtid: string[] = [];
    const flagsOf = new Map<string, Set<string>>();
    const events: string[] = [];
    for (const l of text.slice(12)) {
      const m = LINE.exec(l);
      if (!m || !['sched_switch', 'sched_waking', 'sched_migrate_task'].includes(m[8])) continue;
      flagsOf.set(m[8], (flagsOf.get(m[8]) ?? new Set()).add(m[5]));
      const tgid = m[3].startsWith('-') ? 0 : +m[3];
      const comm = m[1] === '<idle>' ? 'swapper' : m[1];
      pidtid.push(`${comm.padStart(16)} ${String(tgid).padStart(5)}/${m[2].padEnd(5)} [${m[4]}] ${m[6]}.${m[7]}: sched:${m[8]}: ${m[9]}`);
      events.push(l);
    }
    const ftraceRec = recordingFromLines(pidtid);
    const ctx = (l: Line): EventContext => {
      const f = LINE.exec(events[ftraceRec.lines.indexOf(l)])![5];
      return (f[2] === 'h' ? 1 : f[2] === 's' ? 2 : 0) as EventContext;
    };
    const parts: string[] = [];
    replay(ftraceRec, createRenderer('ftrace', ftraceRec.host, (s) => parts.push(s), entries), ctx);
    const ours = parts.join('').split('\n').slice(0, -1);
    expect(ours.slice(0, 12)).toEqual(header);
    const body = ours.slice(12);
    expect(body).toHaveLength(events.length);
    const keep = new Set(stableLines(ftraceRec, events));
    const mask = (l: string): string => l.replace(/\] \S{5} /, '] ..... ');
    let compared = 0;
    for (let i = 0; i < events.length; i++) {
      const m = LINE.exec(body[i])!;
      expect(flagsOf.get(m[8])!.has(m[5]), `${m[8]} flags ${m[5]}`).toBe(true);
      if (!keep.has(events[i])) continue;
      expect(mask(body[i])).toBe(mask(events[i]));
      compared++;
    }
    expect(compared).toBeGreaterThan(0.9 * events.length);
  });

  it('kvm:kvm_exit and kvm:kvm_entry: the payload of the 6.18 print formats, aligned as perf sched record prints them', () => {
    const exitFmt = printFormat('kvm_exit');
    const entryFmt = printFormat('kvm_entry');
    const host: SynthHost = {
      cpus: 4,
      tasks: [{ tid: 4007, tgid: 4000, comm: 'CPU 3/KVM', vm: 0, vcpu: 3, prio: 120, noise: null }],
      vmVcpus: [[0]],
      noise: [],
    };
    const parts: string[] = [];
    const w = createRenderer('script-pidtid', host, (s) => parts.push(s));
    w.kvmExit(1_500_000, 2, 0, ExitReason.PauseInstruction, GuestSite.SpinLoop, 0);
    w.kvmEntry(1_502_000, 2, 0, GuestSite.SpinLoop);
    w.kvmExit(1_600_000, 2, 0, ExitReason.ExternalInterrupt, GuestSite.Work, INTR_INFO_TIMER);
    const [exit, entry, irq] = parts.join('').split('\n');
    const rip = 0xffffffff810a3c52n;
    expect(exit).toBe(
      `       CPU 3/KVM  4000/4007  [002] 52013.001500:             kvm:kvm_exit: ` +
        cprintf(exitFmt, [3, 'PAUSE_INSTRUCTION', '', '', rip, 0n, 0n, 0, 0, 0n]),
    );
    expect(entry).toBe(`       CPU 3/KVM  4000/4007  [002] 52013.001502:            kvm:kvm_entry: ` + cprintf(entryFmt, [3, rip, 0, 0, '']));
    expect(irq).toContain(cprintf(exitFmt, [3, 'EXTERNAL_INTERRUPT', '', '', 0xffffffff811c7a1en, 0n, 0n, 0x800000ec, 0, 0n]));
    expect(exit).toContain('reason PAUSE_INSTRUCTION rip 0xffffffff810a3c52 info1 0x0000000000000000');
  });
});

/** Events and tasks of perf script -F comm,pid,tid,cpu,time,event,trace lines (other events skipped). */
function recordingFromLines(lines: string[]) {
  const tasks = new Map<number, SynthTask>();
  const comms = new Map<number, Set<string>>();
  const out: Line[] = [];
  const note = (tid: number, comm: string, prio?: number, tgid?: number): void => {
    if (tid === 0) return;
    const t = tasks.get(tid) ?? { tid, tgid: tid, comm, vm: -1, vcpu: -1, prio: 120, noise: null };
    if (prio !== undefined) t.prio = prio;
    if (tgid !== undefined && tgid > 0) t.tgid = tgid;
    tasks.set(tid, t);
    comms.set(tid, (comms.get(tid) ?? new Set()).add(comm));
  };
  for (const text of lines) {
    const m = PREFIX.exec(text);
    if (!m) continue;
    const [, comm, pid, tid, cpu, sec, usec, event, payload] = m;
    if (!['sched:sched_switch', 'sched:sched_waking', 'sched:sched_migrate_task'].includes(event)) continue;
    const l: Line = { text, comm, pid: +pid, tid: +tid, cpu: +cpu, ns: (+sec - BASE_SEC) * 1e9 + +usec * 1000, event, payload };
    note(l.tid, comm, undefined, l.pid);
    const s = SWITCH.exec(payload);
    if (s) {
      note(+s[2], s[1], +s[3]);
      note(+s[6], s[5], +s[7]);
    }
    const w = WAKE.exec(payload) ?? MIGRATE.exec(payload);
    if (w) note(+w[2], w[1], +w[3]);
    out.push(l);
  }
  const unstable = new Set([...comms].filter(([, c]) => c.size > 1).map(([tid]) => tid));
  const cpus = Math.max(...out.map((l) => l.cpu)) + 1;
  return { lines: out, host: { cpus, tasks: [...tasks.values()], vmVcpus: [], noise: [] }, unstable };
}

/** The `print fmt` string of a tracepoint format file. */
function printFormat(event: string): string {
  const text = readFileSync(join(FIXTURES, 'tracefs', 'linux-6.18.44-x86_64', `${event}.format`), 'utf8');
  return /print fmt: "((?:[^"\\]|\\.)*)"/.exec(text)![1];
}

/** The C printf conversions these formats use: %u %s %lx %016llx %08x. */
function cprintf(fmt: string, args: (number | bigint | string)[]): string {
  let i = 0;
  return fmt.replace(/%(0?)(\d*)(l{0,2})([usx])/g, (_m, zero: string, width: string, _l, conv: string) => {
    const a = args[i++];
    const s = conv === 'x' ? BigInt(a).toString(16) : String(a);
    return width ? s.padStart(Number(width), zero ? '0' : ' ') : s;
  });
}
