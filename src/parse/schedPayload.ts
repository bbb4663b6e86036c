// The one event dispatcher of the text formats: a line's tokenizer (perf
// script, ftrace / trace-cmd report) finds the event name and where its payload
// starts, and SchedEvents reads the payload and writes the event into the
// builder. Kernel `key=value` payloads are read by the field tables
// (fieldSpec.ts); the libtraceevent plugin form (`comm:pid [prio] S ==> ...`)
// and the ancient `task comm:pid [prio] (S)` form by right-to-left scans.
// Everything is read from bytes; comms are decoded only when new for a task.

import type { TraceBuilder } from '../model/builder';
import { EventKind, KNOWN_EVENTS, NUMA_EVENT_NAMES, numaKindOf } from '../model/eventNames';
import { NumaEventKind, PrevState, WakeupKind } from '../model/types';
import { ascii, LineCursor, type SecNs } from './cursor';
import type { LineParser } from './parser';
import { elisionText, isElisionMark } from './elision';
import { KVM_ENTRY, KVM_EXIT, MIGRATE, PayloadFields, SWITCH, WAKEUP } from './fieldSpec';
import { NumericPrevStates, readPrevState } from './prevState';

/** The model's wakeup kind of a wakeup event. */
export function wakeupKindOf(kind: EventKind.Waking | EventKind.Wakeup | EventKind.WakeupNew): WakeupKind {
  return kind === EventKind.Waking
    ? WakeupKind.Waking
    : kind === EventKind.Wakeup
      ? WakeupKind.Wakeup
      : WakeupKind.WakeupNew;
}

/**
 * The modelled names by their last letter (each is distinct), with their kind;
 * the three `…_numa` names share theirs and are told apart by the letter before `_numa`.
 * A known name the model does not read (kind Other) is left out: it is ignored like any other.
 */
const NAMES: { kind: EventKind; name: Uint8Array; system: Uint8Array }[] = [];
const NUMA_NAMES: { kind: EventKind; name: Uint8Array; system: Uint8Array }[] = [];
for (const { name, system, kind } of KNOWN_EVENTS) {
  if (kind === EventKind.Other) continue;
  const numa = name.charCodeAt(name.length - 1) === 97; /* a */
  const table = numa ? NUMA_NAMES : NAMES;
  const key = name.charCodeAt(name.length - (numa ? 7 : 1));
  if (table[key] !== undefined) throw new Error(`schedPayload: two modelled names share the key letter of ${name}`);
  table[key] = { kind, name: ascii(name), system: ascii(system) };
}

/**
 * Classify the event name that ends at `end` (the `:` after it) without
 * allocating: `sched_switch` or `sched:sched_switch`, `kvm_exit` or
 * `kvm:kvm_exit`, ... The name must start the line or follow a blank. A system
 * prefix other than the event's own (KNOWN_EVENTS) makes the event Other. Works
 * from the end, so the padding before the name is never scanned. Sets
 * c.nameStart.
 */
export function classifyEvent(c: LineCursor, end: number): EventKind {
  const last = c.byte(end - 1);
  const n = last === 97 /* a */ ? NUMA_NAMES[c.byte(end - 7)] : NAMES[last];
  if (n === undefined) return EventKind.Other;
  let start = end - n.name.length;
  if (!c.at(start, n.name)) return EventKind.Other;
  if (c.byte(start - 1) === 58 /* : */) {
    start -= n.system.length + 1;
    if (!c.at(start, n.system)) return EventKind.Other;
  }
  const before = c.byte(start - 1);
  if (before !== -1 && before !== 32 && before !== 9) return EventKind.Other;
  c.nameStart = start;
  return n.kind;
}

const TASK_CACHE_MASK = 1023;
const ARROW = ascii(' ==> ');
const CTX_ARROW = ascii('==>');
const TASK = ascii('task ');
const SUCCESS = ascii(' success=');
const CPU_TAG = ascii(' CPU:');
const BLANK_BRACKET = ascii(' [');
const SW_PREV_COMM = SWITCH.step('prev_comm');
const SW_PREV_PID = SWITCH.step('prev_pid');
const SW_STATE = SWITCH.step('prev_state');
const SW_ARROW = SWITCH.literalStep(' ==>');
const SW_NEXT_COMM = SWITCH.step('next_comm');
const SW_NEXT_PID = SWITCH.step('next_pid');
const WK_COMM = WAKEUP.step('comm');
const WK_PID = WAKEUP.step('pid');
const WK_CPU = WAKEUP.step('target_cpu');
const MG_COMM = MIGRATE.step('comm');
const MG_PID = MIGRATE.step('pid');
const MG_FROM = MIGRATE.step('orig_cpu');
const MG_TO = MIGRATE.step('dest_cpu');
const EXIT_VCPU = KVM_EXIT.step('vcpu_id');
const EXIT_REASON = KVM_EXIT.step('exit_reason');
const ENTRY_VCPU = KVM_ENTRY.step('vcpu_id');

/** Gives the thread that ran the current event (from the line prefix), for kvm events. */
export interface PrefixThread {
  /** Task index of the prefix thread, or -1 when the line does not name one. */
  prefixTask(time: number): number;
}

/**
 * Writes the modelled events of one parser into the builder. `skip` reasons are
 * returned as strings (null when the event was taken) so the caller can report
 * them with the line number.
 */
export class SchedEvents {
  /** A plugin-form payload (`comm:pid [prio] S ==> ...`) was seen. */
  sawPlugin = false;
  /** tid of the prev task of the last switch taken. */
  lastPrevTid = -1;
  /** Wakeups of the context-switch tracer without a `[CPU]` (2.6.27): put on the CPU that ran them. */
  wakeupCpuGuessed = 0;
  /** The context-switch tracer's wakeups (time, task, cpu), added at the end unless wakeup events came too. */
  private readonly ctxWakeups: number[] = [];
  private sawWakeupEvent = false;
  private readonly b: TraceBuilder;
  /** Where the field tables (fieldSpec.ts) put the values of the payload being read. */
  private readonly fields = new PayloadFields();
  // A direct-mapped cache of (tid, task, comm bytes) in front of the builder's
  // Map: task indices never change, and a stale comm only costs the slow path.
  private readonly cacheTid = new Int32Array(TASK_CACHE_MASK + 1).fill(-1);
  private readonly cacheTask = new Int32Array(TASK_CACHE_MASK + 1);
  private readonly cacheComm: Uint8Array[] = new Array<Uint8Array>(TASK_CACHE_MASK + 1).fill(new Uint8Array(0));
  /** Names of ignored events recently seen, and their bytes. */
  private readonly ignoredNames: string[] = [];
  private readonly ignoredBytes: Uint8Array[] = [];
  /** prev_state numbers of raw payloads, read as the TASK_* bits of the file's kernel era. */
  private readonly numericStates = new NumericPrevStates();

  constructor(builder: TraceBuilder) {
    this.b = builder;
  }

  /** Dispatch a classified event; its payload starts at `p` (blanks already skipped). */
  event(kind: EventKind, c: LineCursor, p: number, time: number, cpu: number, prefix: PrefixThread): string | null {
    switch (kind) {
      case EventKind.Switch:
        return c.at(p, SWITCH.head) ? this.swKernel(c, p, time, cpu) : this.swPlugin(c, p, time, cpu);
      case EventKind.Waking:
      case EventKind.Wakeup:
      case EventKind.WakeupNew:
        this.sawWakeupEvent = true;
        return this.wakeup(c, p, time, wakeupKindOf(kind), cpu, prefix);
      case EventKind.Migrate:
        return this.migrate(c, p, time);
      case EventKind.KvmExit:
      case EventKind.KvmEntry: {
        const x = kind === EventKind.KvmExit ? readKvmExit(c, p, this.fields) : readKvmEntry(c, p, this.fields);
        return typeof x === 'string' ? x : this.addKvm(x, time, cpu, prefix);
      }
      case EventKind.NumaMove:
      case EventKind.NumaStick:
      case EventKind.NumaSwap:
        return this.numaTask(c, p, time, cpu, numaKindOf(kind));
      case EventKind.MigratePages:
        return this.migratePages(c, p, time, cpu, prefix);
      case EventKind.StatRuntime:
        this.b.ignoreEvent(c.byte(c.nameStart + 5) === 58 /* : */ ? 'sched:sched_stat_runtime' : 'sched_stat_runtime');
        return null;
      default:
        return null;
    }
  }

  /** An event that is understood but not modelled, named [s, e): counted without a string per line. */
  ignore(c: LineCursor, s: number, e: number): void {
    const bytes = this.ignoredBytes;
    for (let k = 0; k < bytes.length; k++) {
      if (bytes[k].length === e - s && c.at(s, bytes[k])) {
        this.b.ignoreEvent(this.ignoredNames[k]);
        return;
      }
    }
    const name = c.text(s, e);
    if (bytes.length >= 16) {
      bytes.pop();
      this.ignoredNames.pop();
    }
    bytes.unshift(c.buf.slice(s, e));
    this.ignoredNames.unshift(name);
    this.b.ignoreEvent(name);
  }

  /** The task of `tid` whose comm is [s, e); decodes the comm only when it is new for the task. */
  taskAt(tid: number, c: LineCursor, s: number, e: number, time: number): number {
    if (tid === 0) return 0;
    const h = tid & TASK_CACHE_MASK;
    if (this.cacheTid[h] === tid) {
      const last = this.cacheComm[h];
      if (last.length === e - s && c.at(s, last)) return this.cacheTask[h];
    }
    const idx = this.b.task(tid, c.text(s, e), time);
    this.cacheTid[h] = tid;
    this.cacheTask[h] = idx;
    this.cacheComm[h] = c.buf.slice(s, e);
    return idx;
  }

  /**
   * The task of the thread a line's prefix names (tid, comm in [cs, ce)), for
   * kvm events: -1 when the line names none. `<...>` / `<idle>` (ftrace) and
   * `:<tid>` (perf, no comm known) are no task names.
   */
  prefixTask(tid: number, c: LineCursor, cs: number, ce: number, time: number): number {
    if (tid < 0) return -1;
    if (tid === 0) return 0;
    const b = this.b;
    const idx = b.findTask(tid);
    if (idx !== undefined && b.lastCommOf(idx) !== undefined) return idx;
    cs = c.blanks(cs);
    ce = c.blanksBefore(ce) + 1;
    let placeholder = ce <= cs || c.buf[cs] === 60; /* < */
    if (!placeholder && c.buf[cs] === 58 /* : */) placeholder = c.int(cs + 1) === c.int(cs + 1) && c.pos === ce;
    const comm = placeholder ? null : c.text(cs, ce);
    if (idx !== undefined) {
      if (comm !== null) b.noteComm(idx, comm, time);
      return idx;
    }
    return b.task(tid, comm, time);
  }

  private addSwitch(time: number, cpu: number, prev: number, state: PrevState, next: number, prevTid: number): void {
    if (state !== PrevState.Unknown) this.b.hasStates = true;
    this.lastPrevTid = prevTid;
    this.b.addSwitch(time, cpu, prev, state, next);
  }

  // ---- sched_switch ----

  private swKernel(c: LineCursor, p: number, time: number, cpu: number): string | null {
    const f = this.fields;
    const err = SWITCH.read(c, p, f, true); // event() matched SWITCH.head at p
    if (err !== null) return err;
    const raw = f.num[SW_ARROW] !== f.num[SW_ARROW]; // no ` ==> `: the raw form
    const state = raw
      ? this.rawState(c, f.start[SW_STATE], f.end[SW_STATE])
      : readPrevState(c, f.start[SW_STATE], f.end[SW_STATE], false);
    const prevPid = f.num[SW_PREV_PID];
    const prev = this.taskAt(prevPid, c, f.start[SW_PREV_COMM], f.end[SW_PREV_COMM], time);
    const next = this.taskAt(f.num[SW_NEXT_PID], c, f.start[SW_NEXT_COMM], f.end[SW_NEXT_COMM], time);
    this.addSwitch(time, cpu, prev, state, next, prevPid);
    return null;
  }

  /** prev_state of a raw payload: its number as TASK_* bits (NumericPrevStates), or letters as any kernel prints them. */
  private rawState(c: LineCursor, s: number, e: number): PrevState {
    s = c.blanks(s);
    e = c.blanksBefore(e) + 1;
    const v = c.int(s);
    if (v !== v || c.pos !== e) return readPrevState(c, s, e, false);
    const n = this.numericStates;
    const wasOld = n.old;
    const state = n.read(v);
    if (!wasOld && n.old && n.guessedBeforeOld > 0)
      this.b.warn(
        this.b.line,
        `prev_state=${v} is a TASK_* value of a kernel before 4.14: the ${n.guessedBeforeOld} switches before it with prev_state 64, 128 or 256 were read as 4.14's P, I, R+ (before 4.14: x, K, W)`,
        'ambiguous',
        n.guessedBeforeOld,
      );
    return state;
  }

  /** `comm:pid [prio] STATE ==> comm:pid [prio]`, or `task comm:pid [prio] (STATE) ==> comm:pid [prio]`. */
  private swPlugin(c: LineCursor, p: number, time: number, cpu: number): string | null {
    const arrow = c.find(ARROW, p);
    if (arrow < 0) return "sched_switch: expected 'prev_comm=' or 'comm:pid [prio] STATE ==> comm:pid [prio]'";
    // Right to left (comms may contain ':', ' ' and '['): ` [prio]`, then the digits after the last ':'.
    const lb = c.findLast(BLANK_BRACKET, arrow, p);
    if (lb < 0) return "sched_switch: expected ' [prio]' before ' ==> '";
    let rb = lb + 2;
    if (c.byte(rb) === 45 /* - */) rb++;
    while (c.byte(rb) >= 48 && c.byte(rb) <= 57) rb++;
    if (c.byte(rb) !== 93 /* ] */ || rb >= arrow) return "sched_switch: expected ' [prio] STATE' before ' ==> '";
    const colon = c.lastIndexOf(58 /* : */, lb, p);
    if (colon < 0) return "sched_switch: expected 'comm:pid' before ' [prio]'";
    const prevPid = c.int(colon + 1);
    if (prevPid !== prevPid || c.pos !== lb) return "sched_switch: expected a pid after the last ':' of the prev task";
    // Right side.
    const ns = arrow + 5;
    const lb2 = c.findLast(BLANK_BRACKET, c.end, ns);
    if (lb2 < 0) return "sched_switch: expected 'comm:pid [prio]' after ' ==> '";
    const colon2 = c.lastIndexOf(58 /* : */, lb2, ns);
    if (colon2 < 0) return "sched_switch: expected 'comm:pid' after ' ==> '";
    const nextPid = c.int(colon2 + 1);
    if (nextPid !== nextPid || c.pos !== lb2) return "sched_switch: expected a pid after the last ':' of the next task";
    let cs = p;
    const stateStart = Math.min(rb + 2, arrow);
    // The ancient form: `task ` prefix and the state in parentheses.
    const ancient = c.byte(c.blanks(stateStart)) === 40 /* ( */ && c.at(p, TASK);
    if (ancient) cs = p + 5;
    else this.sawPlugin = true;
    const state = readPrevState(c, stateStart, arrow, !ancient);
    const prev = this.taskAt(prevPid, c, cs, colon, time);
    const next = this.taskAt(nextPid, c, ns, colon2, time);
    this.addSwitch(time, cpu, prev, state, next, prevPid);
    return null;
  }

  // ---- the context-switch tracer ----

  /**
   * A line of the sched_switch tracer of 2.6.2x kernels and of the wakeup latency tracers (trace_ctxwake_print):
   * `PID:PRIO:S ==> [CPU] PID:PRIO:S [comm]` is a switch, `PID:PRIO:S   + [CPU] PID:PRIO:S [comm]` a wakeup of
   * the second task. 2.6.27 prints neither the `[CPU]` nor the comm: the prev task's comm is the line prefix's
   * (the thread that ran the event), the next task's comes from the lines it runs later. Returns an error, or
   * null; `wakeupCpuGuessed` counts wakeups without a `[CPU]`, placed on the CPU that ran them.
   */
  ctxWake(c: LineCursor, p: number, time: number, cpu: number, prefix: PrefixThread, prefixTid: number): string | null {
    const prevPid = c.int(p);
    let i = c.pos;
    if (prevPid !== prevPid || c.byte(i) !== 58 /* : */)
      return "expected 'pid:prio:state' (the sched_switch tracer's task)";
    if (c.int(i + 1) !== c.int(i + 1) || c.byte(c.pos) !== 58)
      return "expected 'pid:prio:state' (a priority after 'pid:')";
    i = c.pos + 1;
    const stateAt = i;
    if (c.byte(i) <= 32) return "expected 'pid:prio:state' (a state letter after 'pid:prio:')";
    i = c.blanks(i + 1);
    let wakeup: boolean;
    if (c.at(i, CTX_ARROW)) wakeup = false;
    else if (c.byte(i) === 43 /* + */) wakeup = true;
    else return "expected ' ==> ' or ' + ' after the first task";
    i = c.blanks(i + (wakeup ? 1 : 3));
    let target = -1;
    if (c.byte(i) === 91 /* [ */) {
      target = c.int(i + 1);
      if (target !== target || target < 0 || c.byte(c.pos) !== 93 /* ] */) return "expected '[cpu]' after the arrow";
      i = c.blanks(c.pos + 1);
    }
    const nextPid = c.int(i);
    if (nextPid !== nextPid || c.byte(c.pos) !== 58) return "expected 'pid:prio:state' after the arrow";
    // The priority may be padded (`22: 98:R`).
    c.int(c.blanks(c.pos + 1));
    if (c.byte(c.pos) !== 58) return "expected 'pid:prio:state' after the arrow (a priority after 'pid:')";
    i = c.pos + 1;
    if (c.byte(i) > 32) i++;
    const cs = c.blanks(i);
    const ce = c.blanksBefore(c.end) + 1;
    const next =
      ce > cs
        ? this.taskAt(nextPid, c, cs, ce, time)
        : nextPid === 0
          ? 0
          : (this.b.findTask(nextPid) ?? this.b.task(nextPid, null, time));
    // The prefix names the thread that ran the event: its comm is known from here on.
    const running = prefix.prefixTask(time);
    if (wakeup) {
      if (target < 0) this.wakeupCpuGuessed++;
      const w = this.ctxWakeups;
      w.push(time, next, target < 0 ? cpu : target);
      return null;
    }
    const prev =
      prevPid === prefixTid && running >= 0
        ? running
        : prevPid === 0
          ? 0
          : (this.b.findTask(prevPid) ?? this.b.task(prevPid, null, time));
    const state = readPrevState(c, stateAt, stateAt + 1, false);
    this.addSwitch(time, cpu, prev, state, next, prevPid);
    return null;
  }

  /**
   * The end of the input: the context-switch tracer's `+` wakeups go into the model, unless the file also has
   * sched_wakeup / sched_waking events (a wakeup tracer with events on), which hold the same wakeups.
   */
  finish(): void {
    const w = this.ctxWakeups;
    if (w.length === 0) return;
    if (this.sawWakeupEvent) {
      this.b.warn(
        0,
        `${w.length / 3} wakeups of the tracer's \`pid:prio:S   + pid:prio:S\` lines were not added: the file's sched_wakeup / sched_waking events hold the wakeups`,
      );
    } else {
      for (let k = 0; k < w.length; k += 3) this.b.addWakeup(w[k], w[k + 1], w[k + 2], WakeupKind.Wakeup);
      if (this.wakeupCpuGuessed > 0)
        this.b.warn(
          0,
          `${this.wakeupCpuGuessed} wakeups of the sched_switch tracer (\`pid:prio:S   + pid:prio:S\`) name no target CPU (2.6.27 prints none): each is put on the CPU that ran it`,
          'ambiguous',
          this.wakeupCpuGuessed,
        );
    }
    w.length = 0;
  }

  // ---- wakeups ----

  /** A wakeup event, run by the line's prefix thread (the waker) on `cpu`. */
  private wakeup(
    c: LineCursor,
    p: number,
    time: number,
    kind: WakeupKind,
    cpu: number,
    prefix: PrefixThread,
  ): string | null {
    if (!c.at(p, WAKEUP.head)) return this.wakeupCompact(c, p, time, kind, cpu, prefix);
    const f = this.fields;
    const err = WAKEUP.read(c, p, f);
    if (err !== null) return err;
    const task = this.taskAt(f.num[WK_PID], c, f.start[WK_COMM], f.end[WK_COMM], time);
    this.b.addWakeup(time, task, f.num[WK_CPU], kind, prefix.prefixTask(time), cpu);
    return null;
  }

  /** Plugin `comm:pid [prio] success=1 CPU:075` and ancient `task comm:pid [prio] success=1 [075]`. */
  private wakeupCompact(
    c: LineCursor,
    p: number,
    time: number,
    kind: WakeupKind,
    wakerCpu: number,
    prefix: PrefixThread,
  ): string | null {
    const end = c.end;
    const success = c.findLast(SUCCESS, end, c.start);
    const cpuTag = c.findLast(CPU_TAG, end, c.start);
    let limit = end;
    if (success >= p) limit = success;
    else if (cpuTag >= p) limit = cpuTag;
    const lb = c.findLast(BLANK_BRACKET, limit, c.start);
    if (lb < p) return "sched_wakeup: expected 'comm=... pid=... target_cpu=' or 'comm:pid [prio] ... CPU:nnn'";
    const colon = c.lastIndexOf(58 /* : */, lb, c.start);
    if (colon < p) return "sched_wakeup: expected 'comm:pid' before ' [prio]'";
    const pid = c.int(colon + 1);
    if (pid !== pid || c.pos !== lb) return "sched_wakeup: expected a pid after the last ':' of the task";
    let cs = p;
    let cpu: number;
    if (cpuTag > lb) {
      cpu = c.int(cpuTag + 5);
      if (cpu !== cpu || cpu < 0) return "sched_wakeup: expected a number after ' CPU:'";
      if (c.pos === end && c.pos - (cpuTag + 5) < 3) return 'sched_wakeup: target CPU cut short';
      this.sawPlugin = true;
    } else {
      const tb = success >= p ? c.indexOf(91 /* [ */, success) : -1;
      if (tb < 0) return "sched_wakeup: expected a target CPU (' CPU:nnn' or ' [nnn]')";
      cpu = c.int(tb + 1);
      if (cpu !== cpu || cpu < 0 || c.byte(c.pos) !== 93 /* ] */)
        return "sched_wakeup: expected '[cpu]' after success=";
      if (c.at(p, TASK)) cs = p + 5;
    }
    this.b.addWakeup(time, this.taskAt(pid, c, cs, colon, time), cpu, kind, prefix.prefixTask(time), wakerCpu);
    return null;
  }

  // ---- migrations ----

  private migrate(c: LineCursor, p: number, time: number): string | null {
    const f = this.fields;
    const err = MIGRATE.read(c, p, f);
    if (err !== null) return err;
    const task = this.taskAt(f.num[MG_PID], c, f.start[MG_COMM], f.end[MG_COMM], time);
    this.b.addMigration(time, task, f.num[MG_FROM], f.num[MG_TO]);
    return null;
  }

  // ---- NUMA balancing ----

  /**
   * sched_move_numa `pid=… tgid=… ngid=… src_cpu=… src_nid=… dst_cpu=… dst_nid=…`; sched_swap_numa and
   * sched_stick_numa (since Linux 5.10; before, stick had move's form) `src_pid=… src_tgid=… … src_nid=…
   * dst_pid=… … dst_nid=…`. The event is about the task of pid / src_pid.
   */
  private numaTask(c: LineCursor, p: number, time: number, cpu: number, kind: NumaEventKind): string | null {
    const key = c.at(p, SRC_PID) ? SRC_PID : c.at(p, PID) ? PID : null;
    const name = NUMA_EVENT_NAMES[kind];
    if (key === null) return `${name}: expected pid= or src_pid= first`;
    const tid = c.int(p + key.length);
    if (!(tid >= 0)) return `${name}: expected a number after ${key === PID ? 'pid=' : 'src_pid='}`;
    const src = keyNumber(c, SRC_NID, p);
    const dst = keyNumber(c, DST_NID, p);
    const task = tid === 0 ? 0 : (this.b.findTask(tid) ?? this.b.task(tid, null, time));
    this.b.addNumaEvent(time, task, cpu, kind, src, dst, 0);
    return null;
  }

  /**
   * migrate:mm_migrate_pages `nr_succeeded=… nr_failed=… … mode=… reason=…`: with reason=numa_misplaced the
   * pages NUMA balancing moved, for the thread that ran the event (the one that touched them); other reasons
   * (compaction, demotion, …) are counted as ignored events by reason.
   */
  private migratePages(c: LineCursor, p: number, time: number, cpu: number, prefix: PrefixThread): string | null {
    const r = c.find(REASON_KEY, p);
    if (r < 0) return 'mm_migrate_pages: expected reason=';
    let e = r + REASON_KEY.length;
    while (e < c.end && c.buf[e] > 32) e++;
    const reason = c.text(r + REASON_KEY.length, e);
    if (reason !== 'numa_misplaced') {
      this.b.ignoreEvent(`mm_migrate_pages reason=${reason}`);
      return null;
    }
    if (!c.at(p, NR_SUCCEEDED)) return 'mm_migrate_pages: expected nr_succeeded= first';
    const pages = c.int(p + NR_SUCCEEDED.length);
    if (!(pages >= 0)) return 'mm_migrate_pages: expected a number after nr_succeeded=';
    const task = prefix.prefixTask(time);
    if (task < 0) return 'mm_migrate_pages: the line names no thread (tid) that ran the event';
    this.b.addNumaEvent(time, task, cpu, NumaEventKind.MigratePages, -1, -1, pages);
    return null;
  }

  // ---- kvm ----

  /**
   * A kvm_exit (its payload) or kvm_entry (its vCPU) once read, from a line or
   * by the binary readers (which read each distinct head once).
   */
  addKvm(x: KvmExitPayload | number, time: number, cpu: number, prefix: PrefixThread): string | null {
    const task = prefix.prefixTask(time);
    const entry = typeof x === 'number';
    if (task < 0) return `${entry ? 'kvm_entry' : 'kvm_exit'}: the line names no thread (tid) that ran the event`;
    if (entry) this.b.addKvmEntry(time, task, cpu, x);
    else this.b.addKvmExit(time, task, cpu, x.reason, x.vcpu);
    return null;
  }
}

/** What a kvm_exit payload gives the model: its reason text and `vcpu N` (-1 when absent). */
export interface KvmExitPayload {
  reason: string;
  vcpu: number;
}

/** Read a kvm_exit payload at p; a string says why it does not fit. */
export function readKvmExit(c: LineCursor, p: number, f: PayloadFields): KvmExitPayload | string {
  if (!(c.at(p, KVM_EXIT.head) || c.at(p, REASON))) return { reason: genericExitReason(c.text(p, c.end)), vcpu: -1 };
  const err = KVM_EXIT.read(c, p, f);
  if (err !== null) return err;
  const v = f.num[EXIT_VCPU];
  const rs = f.start[EXIT_REASON];
  let re = f.end[EXIT_REASON];
  while (re > rs && c.buf[re - 1] === 32) re--;
  if (re === rs) return 'kvm_exit: empty reason';
  return { reason: c.text(rs, re), vcpu: v === v ? v : -1 };
}

/** Read a kvm_entry payload at p: its vCPU (-1 when absent), or why it does not fit. */
export function readKvmEntry(c: LineCursor, p: number, f: PayloadFields): number | string {
  const err = KVM_ENTRY.read(c, p, f);
  if (err !== null) return err;
  const v = f.num[ENTRY_VCPU];
  return v === v ? v : -1;
}

const REASON = ascii('reason ');
const PID = ascii('pid=');
const SRC_PID = ascii('src_pid=');
const SRC_NID = ascii(' src_nid=');
const DST_NID = ascii(' dst_nid=');
const REASON_KEY = ascii(' reason=');
const NR_SUCCEEDED = ascii('nr_succeeded=');

/** The number after ` key=` (the first from p), -1 when absent or not a number. */
function keyNumber(c: LineCursor, key: Uint8Array, p: number): number {
  const k = c.find(key, p);
  if (k < 0) return -1;
  const v = c.int(k + key.length);
  return v === v ? v : -1;
}
const ARM64_EXIT = /^(\w+): HSR_EC: 0x[0-9a-fA-F]+ \(([^)]*)\)/;

/**
 * A kvm_exit payload without `reason ` (arm64 `TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: ...`,
 * older arm `PC: 0x...`, unknown vendor forms): one generic reason per shape.
 */
function genericExitReason(rest: string): string {
  const m = ARM64_EXIT.exec(rest);
  if (m) return `${m[1]} ${m[2]}`;
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Z_]+$/.test(rest.slice(0, colon)) && rest.slice(0, colon) !== 'PC') return rest.slice(0, colon);
  return 'exit';
}

/**
 * tgids seen in line prefixes (perf `pid/tid`, ftrace `(tgid)`), applied to the
 * tasks at the end: a prefix thread need not become a task by itself.
 */
export class PrefixTgids {
  private readonly byTid = new Map<number, number>();
  // A direct-mapped cache of pairs the Map holds (every write to the Map writes its tid's slot), so that a
  // prefix seen before costs no Map.set: nearly every line's prefix thread differs from the line before's.
  private readonly cacheTid = new Int32Array(TASK_CACHE_MASK + 1).fill(-1);
  private readonly cacheTgid = new Int32Array(TASK_CACHE_MASK + 1);

  note(tid: number, tgid: number): void {
    if (tid <= 0 || tgid <= 0) return;
    const h = tid & TASK_CACHE_MASK;
    if (this.cacheTid[h] === tid && this.cacheTgid[h] === tgid) return;
    this.set(tid, tgid);
  }

  /** Only when the tid has no tgid yet (used for perf's `pid/-1` prefixes). */
  noteIfAbsent(tid: number, tgid: number): void {
    if (tid <= 0 || tgid <= 0 || this.byTid.has(tid)) return;
    this.set(tid, tgid);
  }

  private set(tid: number, tgid: number): void {
    this.byTid.set(tid, tgid);
    const h = tid & TASK_CACHE_MASK;
    this.cacheTid[h] = tid;
    this.cacheTgid[h] = tgid;
  }

  apply(b: TraceBuilder): void {
    for (const [tid, tgid] of this.byTid) {
      const idx = b.findTask(tid);
      if (idx !== undefined) b.setTgid(idx, tgid);
    }
  }
}

/**
 * What the line tokenizers of perf script and ftrace / trace-cmd report share:
 * the dispatcher they hand payloads to, the line cursor, the prefix thread of
 * the current line (for kvm events) and the tgids their prefixes show.
 */
export abstract class EventTokenizer implements LineParser, PrefixThread {
  protected readonly events: SchedEvents;
  protected readonly tgids = new PrefixTgids();
  protected readonly ts: SecNs = { sec: 0, ns: 0 };
  protected readonly c = new LineCursor();
  protected lastTime: number | null = null;
  /** The current line's prefix thread: its tid (-1 for none) and where its comm ends. */
  protected prefixTid = -1;
  protected commEnd = 0;

  constructor(protected readonly b: TraceBuilder) {
    this.events = new SchedEvents(b);
  }

  abstract line(buf: Uint8Array, start: number, end: number, lineNo: number): void;

  /** Whether the line is a paste's elision mark (`[...]`): then it is a gap in the trace, told to the builder. */
  protected elided(c: LineCursor, lineNo: number): boolean {
    if (!isElisionMark(c.buf, c.start, c.end)) return false;
    this.b.addGap(lineNo, elisionText(c.buf, c.start, c.end), this.lastTime);
    return true;
  }

  finish(): void {
    this.events.finish();
    this.tgids.apply(this.b);
  }

  prefixTask(time: number): number {
    return this.events.prefixTask(this.prefixTid, this.c, this.c.start, this.commEnd, time);
  }
}
