// The simulator's events as a real perf.data (file mode), as
// `perf record -e sched:sched_switch -e sched:sched_waking -e sched:sched_migrate_task
// [-e kvm:kvm_exit -e kvm:kvm_entry] -a` writes it with perf 6.1: one
// tracepoint attr per event (ids per CPU), COMM records for every thread and
// FORK records for the threads of a process (so a reader gets every tgid)
// before the first sample, PERF_RECORD_SAMPLEs whose RAW data is the kernel
// record laid out by this host's own event formats (kernelFormats.ts), a
// FINISHED_ROUND after every megabyte, and the features perf script needs:
// tracing_data (those formats), event_desc, nrcpus, hostname, os release,
// arch and cmdline (no perf version: perf did not write it).
// `perf script -F comm,pid,tid,cpu,time,event,trace` of the file prints the
// lines of `schedmap synth --format script-pidtid`.

import { Feature, RecordType } from '../parse/perfData/binary';
import { encodeRecord, encodeTracingData } from '../parse/tracefs/recordWriter';
import { fieldOf, parseEventFormat, type EventFormat } from '../parse/tracefs/format';
import type { EventContext, ExitReason, GuestSite, HostEventSink, SwitchState } from './events';
import { GUEST_RIP } from './events';
import type { SynthHost } from './hostModel';
import * as K from './kernelFormats';
import {
  cmdlineFeature,
  eventDescFeature,
  featureString,
  FINISHED_ROUND,
  nrCpusFeature,
  PerfDataFileWriter,
  type PerfDataOutput,
  type PerfEventSpec,
} from './perfDataFile';
import { BASE_SEC } from './textLayout';

export interface PerfDataWriterOptions {
  /** Write the kvm:kvm_exit / kvm:kvm_entry events. */
  kvm: boolean;
  /** The command that made the file (HEADER_CMDLINE). */
  cmdline: readonly string[];
}

/** What the file says of the host it was "recorded" on. */
export const SYNTH_HOSTNAME = 'schedmap-synth';
export const SYNTH_OS_RELEASE = '6.18.44';

/** A round (FINISHED_ROUND) per this many bytes of records, like perf's one per pass over its buffers. */
const ROUND_BYTES = 1 << 20;
/** The largest record written (60 bytes of sample fields; kvm_exit's 76 of raw data, a migration's 28 and its comm up to 16), rounded up. */
const MAX_RECORD = 256;

const enum Ev {
  Switch,
  Waking,
  Migrate,
  KvmExit,
  KvmEntry,
}

/** One event's format, its record template and the offset and size of each field its records set. */
class Layout {
  readonly template: Uint8Array;
  constructor(readonly format: EventFormat) {
    this.template = encodeRecord(format, {}, true);
  }
  at(name: string): { offset: number; size: number } {
    const f = fieldOf(this.format, name);
    if (f === undefined) throw new Error(`the ${this.format.name} format has no field ${name}`);
    return { offset: f.offset, size: f.size };
  }
}

/** The kernel pads RAW so that its u32 size and the data end on 8 bytes. */
const rawSizeOf = (record: number): number => Math.ceil((4 + record) / 8) * 8 - 4;

/** prev_state values of the format's __print_flags table (S, D, I ...); R is 0, R+ the preempt bit above the table. */
function stateValues(format: EventFormat): Record<SwitchState, number> {
  const flags = new Map<string, number>();
  for (const m of format.printFormatText.matchAll(/\{ 0x([0-9a-f]+), "([A-Za-z])" \}/g))
    flags.set(m[2], parseInt(m[1], 16));
  const need = (l: string): number => {
    const v = flags.get(l);
    if (v === undefined) throw new Error(`sched_switch's print fmt has no "${l}" state`);
    return v;
  };
  const preempt = Math.max(...flags.values()) * 2;
  return { R: 0, 'R+': preempt, S: need('S'), D: need('D'), I: need('I') };
}

export class PerfDataWriter implements HostEventSink {
  private readonly file: PerfDataFileWriter;
  private readonly events: PerfEventSpec[];
  private readonly layouts: Layout[];
  private readonly buf = new Uint8Array(ROUND_BYTES + MAX_RECORD);
  private readonly view = new DataView(this.buf.buffer);
  private pos = 0;
  private readonly cpus: number;
  private readonly states: Record<SwitchState, number>;
  /** Per task (index + 1; 0 is each CPU's idle task, filled per CPU): its comm as a char[16], tid, tgid, prio. */
  private readonly comm: Uint8Array[];
  private readonly idleComm: Uint8Array[];
  private readonly tid: Int32Array;
  private readonly tgid: Int32Array;
  private readonly prio: Int32Array;
  private readonly vcpu: Int32Array;
  private readonly rip: { lo: number; hi: number }[];
  private readonly host: SynthHost;
  /** sched_migrate_task's record of each task (its comm, pid and prio), made on first use. */
  private readonly migrateRecords: Uint8Array[] = [];
  // Field offsets inside each event's raw record.
  private readonly f: ReturnType<PerfDataWriter['fieldOffsets']>;

  constructor(
    host: SynthHost,
    out: PerfDataOutput,
    private readonly options: PerfDataWriterOptions,
  ) {
    this.host = host;
    this.cpus = host.cpus;
    const formats = [
      parseEventFormat(K.SCHED_SWITCH_FORMAT, 'sched'),
      parseEventFormat(K.SCHED_WAKING_FORMAT, 'sched'),
      parseEventFormat(K.SCHED_MIGRATE_TASK_FORMAT, 'sched'),
      ...(options.kvm ? [parseEventFormat(K.KVM_EXIT_FORMAT, 'kvm'), parseEventFormat(K.KVM_ENTRY_FORMAT, 'kvm')] : []),
    ];
    this.layouts = formats.map((f) => new Layout(f));
    // Ids as perf gives them with -a: one per event and CPU.
    this.events = formats.map((f, e) => ({
      config: f.id,
      name: `${f.system}:${f.name}`,
      ids: Array.from({ length: host.cpus }, (_, c) => 1 + e * host.cpus + c),
    }));
    this.states = stateValues(formats[Ev.Switch]);
    this.f = this.fieldOffsets();
    const commBytes = (s: string): Uint8Array => {
      const b = new Uint8Array(16);
      b.set(new TextEncoder().encode(s).subarray(0, 15));
      return b;
    };
    this.comm = host.tasks.map((t) => commBytes(t.comm));
    this.idleComm = Array.from({ length: host.cpus }, (_, c) => commBytes(`swapper/${c}`));
    this.tid = Int32Array.from(host.tasks, (t) => t.tid);
    this.tgid = Int32Array.from(host.tasks, (t) => t.tgid);
    this.prio = Int32Array.from(host.tasks, (t) => t.prio);
    this.vcpu = Int32Array.from(host.tasks, (t) => t.vcpu);
    this.rip = GUEST_RIP.map((hex) => {
      const v = BigInt(`0x${hex}`);
      return { lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) };
    });
    this.file = new PerfDataFileWriter(out, this.events);
    this.threads();
  }

  private fieldOffsets() {
    const [sw, wk, mg, ex, en] = this.layouts;
    return {
      common_pid: sw.at('common_pid'),
      sw: {
        prevComm: sw.at('prev_comm'),
        prevPid: sw.at('prev_pid'),
        prevPrio: sw.at('prev_prio'),
        prevState: sw.at('prev_state'),
        nextComm: sw.at('next_comm'),
        nextPid: sw.at('next_pid'),
        nextPrio: sw.at('next_prio'),
      },
      wk: { comm: wk.at('comm'), pid: wk.at('pid'), prio: wk.at('prio'), target: wk.at('target_cpu') },
      mg: { orig: mg.at('orig_cpu'), dest: mg.at('dest_cpu') },
      ex:
        ex === undefined
          ? null
          : {
              reason: ex.at('exit_reason'),
              rip: ex.at('guest_rip'),
              isa: ex.at('isa'),
              intr: ex.at('intr_info'),
              vcpu: ex.at('vcpu_id'),
            },
      en: en === undefined ? null : { vcpu: en.at('vcpu_id'), rip: en.at('rip') },
    };
  }

  // ---- records -----------------------------------------------------------------

  private flush(): void {
    if (this.pos === 0) return;
    this.file.data(this.buf.slice(0, this.pos));
    this.file.data(FINISHED_ROUND);
    this.pos = 0;
  }

  private room(): void {
    if (this.pos + MAX_RECORD > ROUND_BYTES) this.flush();
  }

  /** A 64-bit integer below 2^53 at byte `at`. */
  private u64(at: number, v: number): void {
    this.view.setUint32(at, v % 4294967296, true);
    this.view.setUint32(at + 4, Math.floor(v / 4294967296), true);
  }

  /** An integer field of the raw record starting at `raw`, by its format's size. */
  private put(raw: number, field: { offset: number; size: number }, v: number): void {
    const at = raw + field.offset;
    switch (field.size) {
      case 1:
        this.view.setUint8(at, v);
        break;
      case 2:
        this.view.setUint16(at, v, true);
        break;
      case 4:
        this.view.setInt32(at, v, true);
        break;
      default:
        this.u64(at, v);
    }
  }

  private comm16(raw: number, field: { offset: number }, task: number, cpu: number): void {
    this.buf.set(task < 0 ? this.idleComm[cpu] : this.comm[task], raw + field.offset);
  }

  /**
   * A sample of event `e` on `cpu` by task `current` at simulation time `t`:
   * writes the sample fields and the raw record's template, returns where the
   * raw record starts (its fields are then set by the caller).
   */
  private sample(e: Ev, t: number, cpu: number, current: number, template = this.layouts[e].template): number {
    this.room();
    const rawSize = rawSizeOf(template.length);
    const p = this.pos;
    const size = 60 + rawSize;
    const v = this.view;
    v.setUint32(p, RecordType.Sample, true);
    v.setUint16(p + 4, 1, true); // PERF_RECORD_MISC_KERNEL
    v.setUint16(p + 6, size, true);
    this.u64(p + 8, this.events[e].ids[cpu]); // IDENTIFIER
    this.u64(p + 16, 0); // IP
    v.setInt32(p + 24, current < 0 ? 0 : this.tgid[current], true);
    v.setInt32(p + 28, current < 0 ? 0 : this.tid[current], true);
    this.u64(p + 32, BASE_SEC * 1e9 + t);
    v.setUint32(p + 40, cpu, true);
    v.setUint32(p + 44, 0, true);
    this.u64(p + 48, 1); // PERIOD
    v.setUint32(p + 56, rawSize, true);
    const raw = p + 60;
    this.buf.set(template, raw);
    this.buf.fill(0, raw + template.length, raw + rawSize);
    this.put(raw, this.f.common_pid, current < 0 ? 0 : this.tid[current]);
    this.pos = p + size;
    return raw;
  }

  /** The sample_id_all trailer of a COMM / FORK record (pid, tid, time, cpu, id), at the recording's start. */
  private trailer(at: number, pid: number, tid: number): number {
    const v = this.view;
    v.setInt32(at, pid, true);
    v.setInt32(at + 4, tid, true);
    this.u64(at + 8, BASE_SEC * 1e9);
    v.setUint32(at + 16, 0, true);
    v.setUint32(at + 20, 0, true);
    this.u64(at + 24, this.events[0].ids[0]);
    return at + 32;
  }

  /** COMM for every thread, FORK first for the threads of a process (as perf synthesizes existing threads). */
  private threads(): void {
    const enc = new TextEncoder();
    this.host.tasks.forEach((task) => {
      this.room();
      const v = this.view;
      if (task.tid !== task.tgid) {
        const p = this.pos;
        v.setUint32(p, RecordType.Fork, true);
        v.setUint16(p + 4, 0, true);
        v.setUint16(p + 6, 8 + 24 + 32, true);
        v.setInt32(p + 8, task.tgid, true); // pid
        v.setInt32(p + 12, task.tgid, true); // ppid
        v.setInt32(p + 16, task.tid, true); // tid
        v.setInt32(p + 20, task.tgid, true); // ptid
        this.u64(p + 24, BASE_SEC * 1e9);
        this.pos = this.trailer(p + 32, task.tgid, task.tid);
      }
      const name = enc.encode(task.comm);
      const commLen = Math.ceil((name.length + 1) / 8) * 8;
      const p = this.pos;
      v.setUint32(p, RecordType.Comm, true);
      v.setUint16(p + 4, 0, true);
      v.setUint16(p + 6, 16 + commLen + 32, true);
      v.setInt32(p + 8, task.tgid, true);
      v.setInt32(p + 12, task.tid, true);
      this.buf.fill(0, p + 16, p + 16 + commLen);
      this.buf.set(name, p + 16);
      this.pos = this.trailer(p + 16 + commLen, task.tgid, task.tid);
    });
  }

  // ---- events ------------------------------------------------------------------

  switch(t: number, cpu: number, prev: number, state: SwitchState, next: number): void {
    const r = this.sample(Ev.Switch, t, cpu, prev);
    const f = this.f.sw;
    this.comm16(r, f.prevComm, prev, cpu);
    this.put(r, f.prevPid, prev < 0 ? 0 : this.tid[prev]);
    this.put(r, f.prevPrio, prev < 0 ? 120 : this.prio[prev]);
    this.put(r, f.prevState, this.states[state]);
    this.comm16(r, f.nextComm, next, cpu);
    this.put(r, f.nextPid, next < 0 ? 0 : this.tid[next]);
    this.put(r, f.nextPrio, next < 0 ? 120 : this.prio[next]);
  }

  waking(t: number, cpu: number, current: number, _ctx: EventContext, task: number, target: number): void {
    const r = this.sample(Ev.Waking, t, cpu, current);
    const f = this.f.wk;
    this.comm16(r, f.comm, task, cpu);
    this.put(r, f.pid, this.tid[task]);
    this.put(r, f.prio, this.prio[task]);
    this.put(r, f.target, target);
  }

  migrate(t: number, cpu: number, current: number, _ctx: EventContext, task: number, orig: number, dest: number): void {
    // Its comm is a __data_loc string (Linux 6.18): the record of each task is laid out once.
    let template = this.migrateRecords[task];
    if (template === undefined) {
      const tk = this.host.tasks[task];
      template = this.migrateRecords[task] = encodeRecord(
        this.layouts[Ev.Migrate].format,
        { comm: tk.comm, pid: tk.tid, prio: tk.prio },
        true,
      );
    }
    const r = this.sample(Ev.Migrate, t, cpu, current, template);
    const f = this.f.mg;
    this.put(r, f.orig, orig);
    this.put(r, f.dest, dest);
  }

  kvmExit(t: number, cpu: number, task: number, reason: ExitReason, site: GuestSite, intrInfo: number): void {
    const f = this.f.ex;
    if (f === null) return;
    const r = this.sample(Ev.KvmExit, t, cpu, task);
    this.put(r, f.reason, reason);
    this.put(r, f.isa, 1); // KVM_ISA_VMX: the format prints the VMX reason names
    this.put(r, f.intr, intrInfo);
    this.put(r, f.vcpu, this.vcpu[task]);
    this.view.setUint32(r + f.rip.offset, this.rip[site].lo, true);
    this.view.setUint32(r + f.rip.offset + 4, this.rip[site].hi, true);
  }

  kvmEntry(t: number, cpu: number, task: number, site: GuestSite): void {
    const f = this.f.en;
    if (f === null) return;
    const r = this.sample(Ev.KvmEntry, t, cpu, task);
    this.put(r, f.vcpu, this.vcpu[task]);
    this.view.setUint32(r + f.rip.offset, this.rip[site].lo, true);
    this.view.setUint32(r + f.rip.offset + 4, this.rip[site].hi, true);
  }

  end(): void {
    this.flush();
    const systems = [
      { name: 'sched', formats: [K.SCHED_SWITCH_FORMAT, K.SCHED_WAKING_FORMAT, K.SCHED_MIGRATE_TASK_FORMAT] },
    ];
    if (this.options.kvm) systems.push({ name: 'kvm', formats: [K.KVM_EXIT_FORMAT, K.KVM_ENTRY_FORMAT] });
    const features = new Map<Feature, Uint8Array>([
      [
        Feature.TracingData,
        encodeTracingData({
          bigEndian: false,
          longSize: 8,
          pageSize: 4096,
          headerPage: K.HEADER_PAGE_FORMAT,
          headerEvent: K.HEADER_EVENT_FORMAT,
          systems,
          // perf 6.1 writes version 0.6, whose block ends with the saved cmdlines.
          cmdlines: this.host.tasks.map((t) => `${t.tid} ${t.comm}\n`).join(''),
        }),
      ],
      [Feature.Hostname, featureString(SYNTH_HOSTNAME)],
      [Feature.OsRelease, featureString(SYNTH_OS_RELEASE)],
      [Feature.Arch, featureString('x86_64')],
      [Feature.NrCpus, nrCpusFeature(this.cpus, this.cpus)],
      [Feature.Cmdline, cmdlineFeature(this.options.cmdline)],
      [Feature.EventDesc, eventDescFeature(this.events)],
    ]);
    this.file.finish(features);
  }
}
