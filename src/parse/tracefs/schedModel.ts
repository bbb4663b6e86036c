// Raw scheduler and KVM tracepoint records into the trace model, decoded from
// the event formats the recording carries (perf.data's tracing_data,
// trace.dat's format sections), so that the model equals what the text
// parsers build from `perf script` / `trace-cmd report` of the same file:
//
//   sched_switch       prev/next comm and pid from their fields; prev_state
//                      rendered through the format's own print expression
//                      (the letters and the preempt bit differ by kernel) and
//                      read as the text parsers read it
//   sched_waking / sched_wakeup / sched_wakeup_new: comm, pid, target_cpu
//   sched_migrate_task comm, pid, orig_cpu, dest_cpu
//   kvm_exit / kvm_entry  the head of the payload (`vcpu N reason R rip`, the
//                      reason through the format's __print_symbolic table:
//                      PAUSE_INSTRUCTION on Intel, pause on AMD) rendered once
//                      per distinct value and read by the text payload reader
//   sched_move_numa / sched_stick_numa / sched_swap_numa, migrate:mm_migrate_pages
//                      (NUMA balancing) rendered through the format's print
//                      expression (mm_migrate_pages' reason and mode through its
//                      __print_symbolic tables) and read by the text payload reader
//
// Everything else is counted as ignored by name.

import type { TraceBuilder } from '../../model/builder';
import { EventKind, eventKindOf, type NumaKind } from '../../model/eventNames';
import { PrevState, WakeupKind } from '../../model/types';
import { cursorOf, LineCursor } from '../cursor';
import { MIGRATE, PayloadFields, SWITCH, WAKEUP, type FieldTable } from '../fieldSpec';
import { readPrevState } from '../prevState';
import {
  readKvmEntry,
  readKvmExit,
  SchedEvents,
  wakeupKindOf,
  type KvmExitPayload,
  type PrefixThread,
} from '../schedPayload';
import type { EventReader } from './eventReader';
import { nulEnd, type FieldReader, type RecordRef } from './fields';

/**
 * One event format compiled for the model: what kind it is (the text
 * classifier's, model/eventNames.ts) and the readers it needs. A format the model
 * does not read (sched_stat_runtime among them) is Other: counted as ignored.
 */
export type ModelTracepoint =
  | { kind: EventKind.Other; name: string }
  | { kind: EventKind.Switch; name: string; sw: SwitchReader }
  | { kind: EventKind.Waking | EventKind.Wakeup | EventKind.WakeupNew; name: string; wk: WakeupReader }
  | { kind: EventKind.Migrate; name: string; mg: MigrateReader }
  | { kind: EventKind.KvmExit | EventKind.KvmEntry; name: string; kvm: KvmReader }
  | { kind: NumaKind; name: string; numa: NumaReader };

export interface SchedModelOptions {
  /** Count ignored events as `system:name` (perf script prints them so) rather than `name` (trace-cmd report). */
  qualifiedNames: boolean;
  /** The comm of the thread that ran an event, for kvm events' tasks (perf's COMM records, trace.dat's cmdlines). */
  threadComm?: (tid: number) => string | null;
}

const TASK_CACHE_MASK = 1023;

/**
 * Writes decoded tracepoint records into a TraceBuilder. compile() once per
 * event format, write() per record (records in time order).
 */
export class SchedModelWriter implements PrefixThread {
  private readonly b: TraceBuilder;
  private readonly opts: SchedModelOptions;
  private readonly text: SchedEvents;
  private readonly compiled = new Map<EventReader, ModelTracepoint>();
  private readonly cacheTid = new Int32Array(TASK_CACHE_MASK + 1).fill(-1);
  private readonly cacheTask = new Int32Array(TASK_CACHE_MASK + 1);
  private readonly cacheComm: Uint8Array[] = new Array<Uint8Array>(TASK_CACHE_MASK + 1).fill(new Uint8Array(0));
  /** A 16-byte inline comm's raw bytes as 4 words, for an entry that cacheWords (1) rather than cacheComm (0) holds. */
  private readonly cacheWords = new Int32Array(4 * (TASK_CACHE_MASK + 1));
  private readonly cacheIsWords = new Uint8Array(TASK_CACHE_MASK + 1);
  private prefixTid = -1;
  private readonly line = new LineCursor();

  constructor(builder: TraceBuilder, options: SchedModelOptions) {
    this.b = builder;
    this.opts = options;
    this.text = new SchedEvents(builder);
  }

  /** What the model makes of records of this format. */
  compile(reader: EventReader): ModelTracepoint {
    let tp = this.compiled.get(reader);
    if (tp === undefined) {
      tp = compileTracepoint(reader, this.opts.qualifiedNames);
      this.compiled.set(reader, tp);
    }
    return tp;
  }

  /**
   * One record at relative time `time` on `cpu`, run by thread `tid` (the
   * sample's tid, the record's common_pid). Returns null when taken (or
   * counted as ignored), else why it was skipped.
   */
  write(tp: ModelTracepoint, rec: RecordRef, time: number, cpu: number, tid: number): string | null {
    switch (tp.kind) {
      case EventKind.Switch: {
        const r = tp.sw;
        if (rec.length < r.minLength) return `${tp.name}: record of ${rec.length} bytes is shorter than its format`;
        const prevPid = r.prevPid.int(rec);
        const nextPid = r.nextPid.int(rec);
        const state = r.state(rec);
        if (state !== PrevState.Unknown) this.b.hasStates = true;
        const prev = this.taskAt(prevPid, r.prevComm, rec, time);
        const next = this.taskAt(nextPid, r.nextComm, rec, time);
        this.b.addSwitch(time, cpu, prev, state, next);
        return null;
      }
      case EventKind.Waking:
      case EventKind.Wakeup:
      case EventKind.WakeupNew: {
        const r = tp.wk;
        if (rec.length < r.minLength) return `${tp.name}: record of ${rec.length} bytes is shorter than its format`;
        const target = r.targetCpu.int(rec);
        if (target < 0) return `${tp.name}: target_cpu ${target}`;
        const task = this.taskAt(r.pid.int(rec), r.comm, rec, time);
        // The record's own thread woke it, on the CPU the record is from.
        this.prefixTid = tid;
        this.b.addWakeup(time, task, target, r.kind, this.prefixTask(time), cpu);
        return null;
      }
      case EventKind.Migrate: {
        const r = tp.mg;
        if (rec.length < r.minLength) return `${tp.name}: record of ${rec.length} bytes is shorter than its format`;
        const from = r.origCpu.int(rec);
        const to = r.destCpu.int(rec);
        if (from < 0 || to < 0) return `${tp.name}: cpu ${from} -> ${to}`;
        this.b.addMigration(time, this.taskAt(r.pid.int(rec), r.comm, rec, time), from, to);
        return null;
      }
      case EventKind.KvmExit:
      case EventKind.KvmEntry: {
        const x = tp.kvm.payload(rec);
        if (typeof x === 'string') return x;
        this.prefixTid = tid;
        return this.text.addKvm(x, time, cpu, this);
      }
      case EventKind.NumaMove:
      case EventKind.NumaStick:
      case EventKind.NumaSwap:
      case EventKind.MigratePages: {
        if (rec.length < tp.numa.minLength)
          return `${tp.name}: record of ${rec.length} bytes is shorter than its format`;
        const text = this.line.set(...cursorLine(tp.numa.reader.render(rec)));
        this.prefixTid = tid;
        return this.text.event(tp.kind, text, 0, time, cpu, this);
      }
      default:
        this.b.ignoreEvent(tp.name);
        return null;
    }
  }

  /** PrefixThread: the task of the thread that ran the current kvm event. */
  prefixTask(time: number): number {
    const tid = this.prefixTid;
    if (tid < 0) return -1;
    if (tid === 0) return 0;
    const b = this.b;
    const idx = b.findTask(tid);
    if (idx !== undefined && b.lastCommOf(idx) !== undefined) return idx;
    const comm = this.opts.threadComm?.(tid) ?? null;
    if (idx !== undefined) {
      if (comm !== null) b.noteComm(idx, comm, time);
      return idx;
    }
    return b.task(tid, comm, time);
  }

  /** The task of `pid` whose comm is the string field `comm`; decodes the comm only when it is new for the task. */
  private taskAt(pid: number, comm: FieldReader, rec: RecordRef, time: number): number {
    if (pid === 0) return 0;
    if (comm.inline && comm.size === 16) return this.taskAtComm16(pid, comm, rec, time);
    const bytes = rec.bytes;
    let s: number;
    let e: number;
    if (comm.inline) {
      s = rec.start + comm.off;
      e = nulEnd(bytes, s, s + comm.size);
    } else {
      [s, e] = comm.range(rec);
      e = nulEnd(bytes, s, e);
    }
    const h = pid & TASK_CACHE_MASK;
    if (this.cacheTid[h] === pid && this.cacheIsWords[h] === 0) {
      const c = this.cacheComm[h];
      if (c.length === e - s) {
        let same = true;
        for (let i = 0; i < c.length; i++)
          if (c[i] !== bytes[s + i]) {
            same = false;
            break;
          }
        if (same) return this.cacheTask[h];
      }
    }
    const idx = this.b.task(pid, comm.str(rec), time);
    this.cacheTid[h] = pid;
    this.cacheTask[h] = idx;
    this.cacheComm[h] = bytes.slice(s, e);
    this.cacheIsWords[h] = 0;
    return idx;
  }

  /**
   * taskAt for the usual `char comm[16]`: the field's raw 16 bytes compared as
   * 4 words. Equal bytes are the same comm; bytes that differ only after the
   * NUL (a kernel that leaves old name bytes there) just miss the cache.
   */
  private taskAtComm16(pid: number, comm: FieldReader, rec: RecordRef, time: number): number {
    const v = rec.view;
    const at = rec.start + comm.off;
    const w0 = v.getInt32(at, true);
    const w1 = v.getInt32(at + 4, true);
    const w2 = v.getInt32(at + 8, true);
    const w3 = v.getInt32(at + 12, true);
    const h = pid & TASK_CACHE_MASK;
    const words = this.cacheWords;
    const k = h << 2;
    if (
      this.cacheTid[h] === pid &&
      this.cacheIsWords[h] === 1 &&
      words[k] === w0 &&
      words[k + 1] === w1 &&
      words[k + 2] === w2 &&
      words[k + 3] === w3
    )
      return this.cacheTask[h];
    const idx = this.b.task(pid, comm.str(rec), time);
    this.cacheTid[h] = pid;
    this.cacheTask[h] = idx;
    this.cacheIsWords[h] = 1;
    words[k] = w0;
    words[k + 1] = w1;
    words[k + 2] = w2;
    words[k + 3] = w3;
    return idx;
  }
}

// ---- compiling one format ------------------------------------------------------

interface SwitchReader {
  prevPid: FieldReader;
  prevComm: FieldReader;
  nextPid: FieldReader;
  nextComm: FieldReader;
  minLength: number;
  state(rec: RecordRef): PrevState;
}

interface WakeupReader {
  kind: WakeupKind;
  pid: FieldReader;
  comm: FieldReader;
  targetCpu: FieldReader;
  minLength: number;
}

interface MigrateReader {
  pid: FieldReader;
  comm: FieldReader;
  origCpu: FieldReader;
  destCpu: FieldReader;
  minLength: number;
}

interface NumaReader {
  /** The format, whose print expression renders the payload the text reader reads. */
  reader: EventReader;
  minLength: number;
}

function cursorLine(text: string): [Uint8Array, number, number] {
  const c = cursorOf(text);
  return [c.buf, c.start, c.end];
}

interface KvmReader {
  /**
   * The record's payload as the text reader reads it from its head (`vcpu N reason R rip` on x86,
   * `TRAP: HSR_EC: 0x0024 (DABT_LOW), PC:` on arm64): an exit's reason and vCPU, an entry's vCPU, or
   * why it does not fit. Read once per distinct value of the fields the head prints.
   */
  payload(rec: RecordRef): KvmExitPayload | number | string;
}

export function compileTracepoint(reader: EventReader, qualifiedNames: boolean): ModelTracepoint {
  const { name, system } = reader.format;
  const label = qualifiedNames && system ? `${system}:${name}` : name;
  const other: ModelTracepoint = { kind: EventKind.Other, name: label };
  // The fields the text tables (fieldSpec.ts) read, looked up in this format.
  const fields = (table: FieldTable): Record<string, FieldReader> | null => {
    const out: Record<string, FieldReader> = {};
    for (const { name, isString } of table.recordFields) {
      const f = reader.field(name);
      if (f === undefined || (isString && !f.field.isString)) return null;
      out[name] = f;
    }
    return out;
  };
  const end = (fs: Record<string, FieldReader>): number =>
    Math.max(
      ...Object.values(fs)
        .filter((f) => f.inline)
        .map((f) => f.off + f.size),
      0,
    );
  const kind = eventKindOf(system, name);
  switch (kind) {
    case EventKind.Switch: {
      const f = fields(SWITCH);
      if (f === null) return other;
      const sw: SwitchReader = {
        prevPid: f.prev_pid,
        prevComm: f.prev_comm,
        nextPid: f.next_pid,
        nextComm: f.next_comm,
        minLength: end(f),
        state: prevStateReader(reader),
      };
      return { kind, name: label, sw };
    }
    case EventKind.Waking:
    case EventKind.Wakeup:
    case EventKind.WakeupNew: {
      const f = fields(WAKEUP);
      if (f === null) return other;
      const wk = { kind: wakeupKindOf(kind), pid: f.pid, comm: f.comm, targetCpu: f.target_cpu, minLength: end(f) };
      return { kind, name: label, wk };
    }
    case EventKind.Migrate: {
      const f = fields(MIGRATE);
      if (f === null) return other;
      const mg = { pid: f.pid, comm: f.comm, origCpu: f.orig_cpu, destCpu: f.dest_cpu, minLength: end(f) };
      return { kind, name: label, mg };
    }
    case EventKind.KvmExit:
    case EventKind.KvmEntry:
      return { kind, name: label, kvm: { payload: kvmPayload(reader, kind === EventKind.KvmExit) } };
    case EventKind.NumaMove:
    case EventKind.NumaStick:
    case EventKind.NumaSwap:
    case EventKind.MigratePages: {
      const minLength = Math.max(0, ...reader.format.fields.map((f) => f.offset + f.size));
      return { kind, name: label, numa: { reader, minLength } };
    }
    default:
      return other;
  }
}

/**
 * prev_state as the format prints it: the conversions that read prev_state
 * (`%s%s` of `(state & mask) ? __print_flags(...) : "R"` and `state & max ? "+" : ""`
 * on 4.14+, `(%s)` on 2.6), rendered once per distinct value and read like the text.
 */
function prevStateReader(reader: EventReader): (rec: RecordRef) => PrevState {
  const field = reader.field('prev_state');
  const convs = reader.conversionsReading('prev_state');
  if (field === undefined || convs.length === 0) return () => PrevState.Unknown;
  const from = convs[0];
  const to = convs[convs.length - 1] + 1;
  const memo = new Map<number, PrevState>();
  return (rec) => {
    const raw = field.int(rec);
    let s = memo.get(raw);
    if (s === undefined) {
      const text = reader.renderRange(rec, from, to);
      const c = cursorOf(text);
      s = readPrevState(c, c.start, c.end, false);
      memo.set(raw, s);
    }
    return s;
  };
}

/** A kvm event's payload read from the head of its text, rendered and read once per distinct value of the fields the head prints. */
function kvmPayload(reader: EventReader, exit: boolean): (rec: RecordRef) => KvmExitPayload | number | string {
  const stop = reader.literalThrough(' rip') ?? reader.literalThrough('PC:');
  const to = stop === null ? reader.print.segments.length : stop.index;
  const tail = stop === null ? '' : stop.text;
  const keys = reader.fieldsReadBy(0, to).map((n) => reader.field(n)!);
  const fields = new PayloadFields();
  const read = (rec: RecordRef): KvmExitPayload | number | string => {
    const c = cursorOf(reader.renderRange(rec, 0, to) + tail);
    return exit ? readKvmExit(c, c.start, fields) : readKvmEntry(c, c.start, fields);
  };
  const MAX = 4096;
  if (keys.length > 0 && keys.every((k) => !k.field.isString)) {
    // Numbers only (x86: vcpu_id, isa, exit_reason): a tree of maps by each field's value, no key string per record.
    type Node = Map<number, Node | KvmExitPayload | number | string>;
    const root: Node = new Map();
    let size = 0;
    const last = keys.length - 1;
    return (rec) => {
      let node = root;
      for (let i = 0; i < last; i++) {
        const v = keys[i].int(rec);
        let next = node.get(v) as Node | undefined;
        if (next === undefined) {
          if (size >= MAX) return read(rec);
          next = new Map();
          node.set(v, next);
        }
        node = next;
      }
      const v = keys[last].int(rec);
      let x = node.get(v) as KvmExitPayload | number | string | undefined;
      if (x === undefined) {
        x = read(rec);
        if (size < MAX) {
          node.set(v, x);
          size++;
        }
      }
      return x;
    };
  }
  const memo = new Map<string, KvmExitPayload | number | string>();
  return (rec) => {
    let key = '';
    for (const k of keys) key += (k.field.isString ? k.str(rec) : k.int(rec)) + ',';
    let x = memo.get(key);
    if (x === undefined) {
      x = read(rec);
      if (memo.size < MAX) memo.set(key, x);
    }
    return x;
  };
}
