// Payloads of the scheduler and KVM tracepoints, shared by the perf script and
// ftrace / trace-cmd parsers: sched_switch (kernel `key=value` form, the
// libtraceevent plugin form, the ancient `task comm:pid [prio] (S)` form),
// sched_waking / sched_wakeup / sched_wakeup_new, sched_migrate_task,
// kvm_exit and kvm_entry. Hot paths scan with indexOf / charCodeAt and
// allocate nothing for events whose task comms are already known.

import type { TraceBuilder } from '../model/builder';
import { PrevState, WakeupKind } from '../model/types';
import { ascii, asciiOrNull, bytesAt, findBytes } from './byteScan';

/** What an event name (with or without its `system:` prefix) is to the model. */
export const enum EventKind {
  Other = 0,
  Switch = 1,
  Waking = 2,
  Wakeup = 3,
  WakeupNew = 4,
  Migrate = 5,
  KvmExit = 6,
  KvmEntry = 7,
  /** sched_stat_runtime: the most frequent event of `perf sched record`, ignored (by a constant name). */
  StatRuntime = 8,
}

/** Start of the name (system prefix included) found by the last `classifyEvent` that did not return Other. */
let nameStart = 0;

export function lastNameStart(): number {
  return nameStart;
}

/**
 * Classify the event name that ends at text[end] (the `:` after it) without
 * allocating: `sched_switch` or `sched:sched_switch`, `kvm_exit` or
 * `kvm:kvm_exit`, ... The name must start the line or follow a blank. A system
 * prefix other than `sched` / `kvm` makes the event Other. Works from the end,
 * so the padding before the name is never scanned.
 */
export function classifyEvent(text: string, end: number): EventKind {
  let kind: EventKind;
  let name: string;
  switch (text.charCodeAt(end - 1)) {
    case 104 /* h */:
      kind = EventKind.Switch;
      name = 'sched_switch';
      break;
    case 103 /* g */:
      kind = EventKind.Waking;
      name = 'sched_waking';
      break;
    case 112 /* p */:
      kind = EventKind.Wakeup;
      name = 'sched_wakeup';
      break;
    case 119 /* w */:
      kind = EventKind.WakeupNew;
      name = 'sched_wakeup_new';
      break;
    case 107 /* k */:
      kind = EventKind.Migrate;
      name = 'sched_migrate_task';
      break;
    case 101 /* e */:
      kind = EventKind.StatRuntime;
      name = 'sched_stat_runtime';
      break;
    case 116 /* t */:
      kind = EventKind.KvmExit;
      name = 'kvm_exit';
      break;
    case 121 /* y */:
      kind = EventKind.KvmEntry;
      name = 'kvm_entry';
      break;
    default:
      return EventKind.Other;
  }
  let start = end - name.length;
  if (start < 0 || !at(text, name, start)) return EventKind.Other;
  if (start > 0 && text.charCodeAt(start - 1) === 58 /* : */) {
    // A system prefix: `sched:` for sched events, `kvm:` for kvm events.
    const sys = kind === EventKind.KvmExit || kind === EventKind.KvmEntry ? 'kvm' : 'sched';
    start -= sys.length + 1;
    if (start < 0 || !at(text, sys, start)) return EventKind.Other;
  }
  if (start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c !== 32 && c !== 9) return EventKind.Other;
  }
  nameStart = start;
  return kind;
}

/** Byte patterns of the names and keys the fast paths look for. */
const B = {
  sched_switch: ascii('sched_switch'),
  sched_waking: ascii('sched_waking'),
  sched_wakeup: ascii('sched_wakeup'),
  sched_wakeup_new: ascii('sched_wakeup_new'),
  sched_migrate_task: ascii('sched_migrate_task'),
  sched_stat_runtime: ascii('sched_stat_runtime'),
  kvm_exit: ascii('kvm_exit'),
  kvm_entry: ascii('kvm_entry'),
  sched: ascii('sched'),
  kvm: ascii('kvm'),
  prevComm: ascii('prev_comm='),
  prevPid: ascii(' prev_pid='),
  prevState: ascii(' prev_state='),
  arrow: ascii(' ==> '),
  nextComm: ascii('next_comm='),
  nextPid: ascii(' next_pid='),
  comm: ascii('comm='),
  pid: ascii(' pid='),
  targetCpu: ascii(' target_cpu='),
  origCpu: ascii(' orig_cpu='),
  destCpu: ascii(' dest_cpu='),
  task: ascii('task '),
};

/**
 * classifyEvent over the bytes of a line that starts at `lineStart`, for the
 * fast paths; the name's start is then given by lastNameStart().
 */
export function classifyEventBytes(buf: Uint8Array, lineStart: number, end: number): EventKind {
  let kind: EventKind;
  let name: Uint8Array;
  switch (buf[end - 1]) {
    case 104 /* h */:
      kind = EventKind.Switch;
      name = B.sched_switch;
      break;
    case 103 /* g */:
      kind = EventKind.Waking;
      name = B.sched_waking;
      break;
    case 112 /* p */:
      kind = EventKind.Wakeup;
      name = B.sched_wakeup;
      break;
    case 119 /* w */:
      kind = EventKind.WakeupNew;
      name = B.sched_wakeup_new;
      break;
    case 107 /* k */:
      kind = EventKind.Migrate;
      name = B.sched_migrate_task;
      break;
    case 101 /* e */:
      kind = EventKind.StatRuntime;
      name = B.sched_stat_runtime;
      break;
    case 116 /* t */:
      kind = EventKind.KvmExit;
      name = B.kvm_exit;
      break;
    case 121 /* y */:
      kind = EventKind.KvmEntry;
      name = B.kvm_entry;
      break;
    default:
      return EventKind.Other;
  }
  let start = end - name.length;
  if (start < lineStart || !bytesAt(buf, start, end, name)) return EventKind.Other;
  if (start > lineStart && buf[start - 1] === 58 /* : */) {
    const sys = kind === EventKind.KvmExit || kind === EventKind.KvmEntry ? B.kvm : B.sched;
    start -= sys.length + 1;
    if (start < lineStart || !bytesAt(buf, start, end, sys)) return EventKind.Other;
  }
  if (start > lineStart) {
    const c = buf[start - 1];
    if (c !== 32 && c !== 9) return EventKind.Other;
  }
  nameStart = start;
  return kind;
}

// ---- small scanners ------------------------------------------------------

/**
 * `text.startsWith(str, pos)`, faster: V8's startsWith compares char by char in
 * generated code, indexOf uses its native substring search.
 */
export function at(text: string, str: string, pos: number): boolean {
  return text.indexOf(str, pos) === pos;
}

/** Index just past the last number read by `intAt`. */
let numEnd = 0;

/** A decimal integer (optionally negative) at text[i]; NaN when there is none. Sets `numEnd`. */
export function intAt(text: string, i: number): number {
  let neg = false;
  if (text.charCodeAt(i) === 45 /* - */) {
    neg = true;
    i++;
  }
  let v = 0;
  const start = i;
  for (;;) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) break; // NaN past the end stops too
    v = v * 10 + c;
    i++;
  }
  numEnd = i;
  if (i === start) return NaN;
  return neg ? -v : v;
}

/** Index just past the number read by the last `intAt`. */
export function lastNumEnd(): number {
  return numEnd;
}

/** intAt over bytes buf[i, end); sets the same `numEnd`. */
export function intAtBytes(buf: Uint8Array, i: number, end: number): number {
  let neg = false;
  if (i < end && buf[i] === 45 /* - */) {
    neg = true;
    i++;
  }
  let v = 0;
  const start = i;
  for (; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  numEnd = i;
  if (i === start) return NaN;
  return neg ? -v : v;
}

/** skipSpaces over bytes (blanks and tabs), never past `end`. */
export function skipSpacesBytes(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** Index of the blank of the last ` [` that starts before `end` and at or after `min`; -1 if none. */
function lastBlankBracket(text: string, end: number, min: number): number {
  for (let i = end - 1; i > min; i--) {
    if (text.charCodeAt(i) === 91 /* [ */ && text.charCodeAt(i - 1) === 32) return i - 1;
  }
  return -1;
}

/** Index of the last ':' before `end` and at or after `min`; -1 if none. */
function lastColon(text: string, end: number, min: number): number {
  for (let i = end - 1; i >= min; i--) if (text.charCodeAt(i) === 58 /* : */) return i;
  return -1;
}

export function skipSpaces(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return i;
    i++;
  }
}

// ---- prev_state ----------------------------------------------------------

/** One state letter of the kernel rendering (any era); Other for unknown letters. */
function kernelLetter(c: number): PrevState {
  switch (c) {
    case 82 /* R */:
      return PrevState.Runnable;
    case 83 /* S */:
      return PrevState.Sleeping;
    case 68 /* D */:
      return PrevState.Uninterruptible;
    case 84 /* T */:
      return PrevState.Stopped;
    case 116 /* t */:
      return PrevState.Traced;
    case 88 /* X */:
    case 120 /* x, TASK_DEAD before 4.14 */:
      return PrevState.Dead;
    case 90 /* Z */:
      return PrevState.Zombie;
    case 80 /* P */:
      return PrevState.Parked;
    case 73 /* I */:
      return PrevState.Idle;
    default:
      return PrevState.Other;
  }
}

/**
 * One letter of the libtraceevent plugin table `SDTtZXxW`, read as the bits of a
 * ≥ 4.14 kernel (the plugin's table is the pre-4.14 one): its Z is the kernel's
 * X (0x10), X is Z (0x20), x is P (0x40) and W is I (0x80, idle kthread).
 */
function pluginLetter(c: number): PrevState {
  switch (c) {
    case 82 /* R */:
      return PrevState.Runnable;
    case 83 /* S */:
      return PrevState.Sleeping;
    case 68 /* D */:
      return PrevState.Uninterruptible;
    case 84 /* T */:
      return PrevState.Stopped;
    case 116 /* t */:
      return PrevState.Traced;
    case 90 /* Z */:
      return PrevState.Dead;
    case 88 /* X */:
      return PrevState.Zombie;
    case 120 /* x */:
      return PrevState.Parked;
    case 87 /* W */:
      return PrevState.Idle;
    default:
      return PrevState.Other;
  }
}

/**
 * prev_state in text[start, end) to a PrevState. Handles single letters
 * (≥ 4.14), `R+`, `|`-joined flags of older kernels (`D|K` killable sleep is D,
 * `S|W` is S, `D|N` is the pre-4.14 TASK_IDLE), the ancient `(S)` and the plugin
 * letters. Never fails: empty or numeric → Unknown, anything else → Other.
 */
export function parsePrevState(text: string, start: number, end: number, plugin: boolean): PrevState {
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  if (end - start >= 2 && text.charCodeAt(start) === 40 /* ( */ && text.charCodeAt(end - 1) === 41 /* ) */) {
    start++;
    end--;
  }
  const n = end - start;
  if (n === 0) return PrevState.Unknown;
  const c0 = text.charCodeAt(start);
  if (n === 1) return plugin ? pluginLetter(c0) : kernelLetter(c0);
  if (text.charCodeAt(end - 1) === 43 /* + */) {
    end--;
    if (end - start === 1) {
      if (c0 === 82 /* R */) return PrevState.Preempted;
      return plugin ? pluginLetter(c0) : kernelLetter(c0);
    }
  }
  if (c0 >= 48 && c0 <= 57) return PrevState.Unknown; // a raw number: the format could not be evaluated
  // `|`-joined flags.
  let primary = -1;
  let hasN = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 124 /* | */) continue;
    const next = i + 1 < end ? text.charCodeAt(i + 1) : 124;
    if (next !== 124) return PrevState.Other; // a multi-letter word: not a flag list
    switch (c) {
      case 83 /* S */:
      case 68 /* D */:
      case 84 /* T */:
      case 116 /* t */:
        if (primary >= 0) return PrevState.Other;
        primary = c;
        break;
      case 75 /* K wakekill */:
      case 87 /* W waking (pre-4.14 kernels) */:
        if (plugin && c === 87) return PrevState.Other;
        break;
      case 78 /* N noload */:
        hasN = true;
        break;
      default:
        return PrevState.Other;
    }
  }
  if (primary < 0) return PrevState.Other;
  if (primary === 68 && hasN) return PrevState.Idle; // TASK_IDLE = D|N on 4.2 .. 4.13
  return kernelLetter(primary);
}

/**
 * parsePrevState for the two forms nearly every line has: one letter, or a
 * letter and `+`. -1 for anything else, which is read as text.
 */
function simplePrevStateBytes(buf: Uint8Array, start: number, end: number, plugin: boolean): number {
  const c0 = buf[start];
  if (end - start === 1) {
    if (c0 === 32) return -1;
    return plugin ? pluginLetter(c0) : kernelLetter(c0);
  }
  if (end - start === 2 && buf[start + 1] === 43 /* + */) {
    if (c0 === 82 /* R */) return PrevState.Preempted;
    return plugin ? pluginLetter(c0) : kernelLetter(c0);
  }
  return -1;
}

/** lastBlankBracket over bytes. */
function lastBlankBracketBytes(buf: Uint8Array, end: number, min: number): number {
  for (let i = end - 1; i > min; i--) if (buf[i] === 91 /* [ */ && buf[i - 1] === 32) return i - 1;
  return -1;
}

/** lastColon over bytes. */
function lastColonBytes(buf: Uint8Array, end: number, min: number): number {
  for (let i = end - 1; i >= min; i--) if (buf[i] === 58 /* : */) return i;
  return -1;
}

// ---- the event handlers --------------------------------------------------

const TASK_CACHE_MASK = 1023;

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
  private readonly b: TraceBuilder;
  private readonly cacheTid = new Int32Array(TASK_CACHE_MASK + 1).fill(-1);
  private readonly cacheTask = new Int32Array(TASK_CACHE_MASK + 1);
  private readonly cacheComm: string[] = new Array<string>(TASK_CACHE_MASK + 1).fill('');
  /** cacheComm as bytes, for the fast paths; null for a comm that is not all ASCII. */
  private readonly cacheCommBytes: (Uint8Array | null)[] = new Array<Uint8Array | null>(TASK_CACHE_MASK + 1).fill(null);
  /** Names of ignored events recently seen. */
  private readonly ignoredNames: string[] = [];

  constructor(builder: TraceBuilder) {
    this.b = builder;
  }

  /** Dispatch a classified event; payload starts at `p` (spaces already skipped). */
  event(kind: EventKind, text: string, p: number, time: number, cpu: number, prefix: PrefixThread): string | null {
    switch (kind) {
      case EventKind.Switch:
        return this.sw(text, p, time, cpu);
      case EventKind.Waking:
        return this.wakeup(text, p, time, WakeupKind.Waking);
      case EventKind.Wakeup:
        return this.wakeup(text, p, time, WakeupKind.Wakeup);
      case EventKind.WakeupNew:
        return this.wakeup(text, p, time, WakeupKind.WakeupNew);
      case EventKind.Migrate:
        return this.migrate(text, p, time);
      case EventKind.KvmExit:
        return this.kvmExit(text, p, time, cpu, prefix);
      case EventKind.KvmEntry:
        return this.kvmEntry(text, p, time, cpu, prefix);
      case EventKind.StatRuntime:
        this.b.ignoreEvent(
          text.charCodeAt(nameStart + 5) === 58 /* : */ ? 'sched:sched_stat_runtime' : 'sched_stat_runtime',
        );
        return null;
      default:
        return null;
    }
  }

  /**
   * The fast path of event() over bytes (payload from `p` to `end`): sched_switch
   * (kernel and plugin forms), kernel-form sched_waking / sched_wakeup(_new)
   * and sched_migrate_task payloads of tasks whose comm is cached, and
   * sched_stat_runtime. Returns true when the event was taken exactly as
   * event() would take its text; false, having changed nothing, for every other
   * payload (ancient and plugin wakeup forms, kvm events, a task or comm not
   * cached, anything event() would report).
   */
  eventBytes(kind: EventKind, buf: Uint8Array, p: number, end: number, time: number, cpu: number): boolean {
    switch (kind) {
      case EventKind.Switch:
        return this.swBytes(buf, p, end, time, cpu);
      case EventKind.Waking:
        return this.wakeupBytes(buf, p, end, time, WakeupKind.Waking);
      case EventKind.Wakeup:
        return this.wakeupBytes(buf, p, end, time, WakeupKind.Wakeup);
      case EventKind.WakeupNew:
        return this.wakeupBytes(buf, p, end, time, WakeupKind.WakeupNew);
      case EventKind.Migrate:
        return this.migrateBytes(buf, p, end, time);
      case EventKind.StatRuntime:
        this.b.ignoreEvent(buf[nameStart + 5] === 58 /* : */ ? 'sched:sched_stat_runtime' : 'sched_stat_runtime');
        return true;
      default:
        return false;
    }
  }

  /** taskAt's cache hit over bytes: the task of `tid` if its cached comm is buf[s, e); -1 on a miss. */
  private cachedTask(tid: number, buf: Uint8Array, s: number, e: number): number {
    if (tid === 0) return 0;
    const h = tid & TASK_CACHE_MASK;
    if (this.cacheTid[h] !== tid) return -1;
    const last = this.cacheCommBytes[h];
    return last !== null && last.length === e - s && bytesAt(buf, s, e, last) ? this.cacheTask[h] : -1;
  }

  /** sw() over bytes. */
  private swBytes(buf: Uint8Array, p: number, end: number, time: number, cpu: number): boolean {
    if (buf[p] === 112 /* p */ && bytesAt(buf, p, end, B.prevComm)) return this.swKernelBytes(buf, p, end, time, cpu);
    return this.swPluginBytes(buf, p, end, time, cpu);
  }

  /** swKernel over bytes. */
  private swKernelBytes(buf: Uint8Array, p: number, end: number, time: number, cpu: number): boolean {
    const cs = p + 10;
    const a = findBytes(buf, B.prevPid, cs, end);
    if (a < 0) return false;
    const prevPid = intAtBytes(buf, a + 10, end);
    if (prevPid !== prevPid) return false;
    const st = findBytes(buf, B.prevState, numEnd, end);
    if (st < 0) return false;
    const arrow = findBytes(buf, B.arrow, st + 12, end);
    if (arrow < 0 || !bytesAt(buf, arrow + 5, end, B.nextComm)) return false;
    const ns = arrow + 15;
    const bpos = findBytes(buf, B.nextPid, ns, end);
    if (bpos < 0) return false;
    const nextPid = intAtBytes(buf, bpos + 10, end);
    if (nextPid !== nextPid || numEnd >= end) return false;
    const state = simplePrevStateBytes(buf, st + 12, arrow, false);
    if (state < 0) return false;
    const prev = this.cachedTask(prevPid, buf, cs, a);
    const next = this.cachedTask(nextPid, buf, ns, bpos);
    if (prev < 0 || next < 0) return false;
    if (state !== PrevState.Unknown) this.b.hasStates = true;
    this.lastPrevTid = prevPid;
    this.b.addSwitch(time, cpu, prev, state, next);
    return true;
  }

  /** swPlugin over bytes, for its plugin form `comm:pid [prio] S ==> comm:pid [prio]` (the ancient one is read as text). */
  private swPluginBytes(buf: Uint8Array, p: number, end: number, time: number, cpu: number): boolean {
    const arrow = findBytes(buf, B.arrow, p, end);
    if (arrow < 0) return false;
    const lb = lastBlankBracketBytes(buf, arrow, p);
    if (lb < 0) return false;
    let rb = lb + 2;
    if (buf[rb] === 45 /* - */) rb++;
    while (rb < end && buf[rb] >= 48 && buf[rb] <= 57) rb++;
    if (rb >= arrow || buf[rb] !== 93 /* ] */) return false;
    const colon = lastColonBytes(buf, lb, p);
    if (colon < 0) return false;
    const prevPid = intAtBytes(buf, colon + 1, end);
    if (prevPid !== prevPid || numEnd !== lb) return false;
    const ns = arrow + 5;
    const lb2 = lastBlankBracketBytes(buf, end, ns);
    if (lb2 < 0) return false;
    const colon2 = lastColonBytes(buf, lb2, ns);
    if (colon2 < 0) return false;
    const nextPid = intAtBytes(buf, colon2 + 1, end);
    if (nextPid !== nextPid || numEnd !== lb2) return false;
    const stateStart = Math.min(rb + 2, arrow);
    if (buf[skipSpacesBytes(buf, stateStart, end)] === 40 /* ( */ && bytesAt(buf, p, end, B.task)) return false;
    const state = simplePrevStateBytes(buf, stateStart, arrow, true);
    if (state < 0) return false;
    const prev = this.cachedTask(prevPid, buf, p, colon);
    const next = this.cachedTask(nextPid, buf, ns, colon2);
    if (prev < 0 || next < 0) return false;
    this.sawPlugin = true;
    if (state !== PrevState.Unknown) this.b.hasStates = true;
    this.lastPrevTid = prevPid;
    this.b.addSwitch(time, cpu, prev, state, next);
    return true;
  }

  /** wakeup() over bytes, for the kernel form `comm=... pid=... prio=... target_cpu=...`. */
  private wakeupBytes(buf: Uint8Array, p: number, end: number, time: number, kind: WakeupKind): boolean {
    if (!bytesAt(buf, p, end, B.comm)) return false;
    const cs = p + 5;
    const a = findBytes(buf, B.pid, cs, end);
    if (a < 0) return false;
    const pid = intAtBytes(buf, a + 5, end);
    if (pid !== pid) return false;
    const t = findBytes(buf, B.targetCpu, numEnd, end);
    if (t < 0) return false;
    const cpu = intAtBytes(buf, t + 12, end);
    if (cpu !== cpu || cpu < 0 || (numEnd === end && numEnd - (t + 12) < 3)) return false;
    const task = this.cachedTask(pid, buf, cs, a);
    if (task < 0) return false;
    this.b.addWakeup(time, task, cpu, kind);
    return true;
  }

  /** migrate() over bytes. */
  private migrateBytes(buf: Uint8Array, p: number, end: number, time: number): boolean {
    if (!bytesAt(buf, p, end, B.comm)) return false;
    const cs = p + 5;
    const a = findBytes(buf, B.pid, cs, end);
    if (a < 0) return false;
    const pid = intAtBytes(buf, a + 5, end);
    if (pid !== pid) return false;
    const o = findBytes(buf, B.origCpu, numEnd, end);
    if (o < 0) return false;
    const from = intAtBytes(buf, o + 10, end);
    if (from !== from || from < 0) return false;
    const d = findBytes(buf, B.destCpu, numEnd, end);
    if (d < 0) return false;
    const to = intAtBytes(buf, d + 10, end);
    if (to !== to || to < 0) return false;
    const task = this.cachedTask(pid, buf, cs, a);
    if (task < 0) return false;
    this.b.addMigration(time, task, from, to);
    return true;
  }

  /** An event that is understood but not modelled, named text[s, e): counted without a substring per line. */
  ignore(text: string, s: number, e: number): void {
    const names = this.ignoredNames;
    const n = e - s;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      if (name.length === n && at(text, name, s)) {
        this.b.ignoreEvent(name);
        return;
      }
    }
    const name = text.slice(s, e);
    if (names.length >= 16) names.pop();
    names.unshift(name);
    this.b.ignoreEvent(name);
  }

  /** The task of `tid` whose comm is text[s, e); allocates the comm only when it is new for the task. */
  taskAt(tid: number, text: string, s: number, e: number, time: number): number {
    if (tid === 0) return 0;
    // A direct-mapped cache of (tid, task, comm) in front of the builder's Map:
    // task indices never change, and a stale comm only costs the slow path.
    const h = tid & TASK_CACHE_MASK;
    if (this.cacheTid[h] === tid) {
      const last = this.cacheComm[h];
      if (last.length === e - s && at(text, last, s)) return this.cacheTask[h];
    }
    const comm = text.slice(s, e);
    const idx = this.b.task(tid, comm, time);
    this.cacheTid[h] = tid;
    this.cacheTask[h] = idx;
    this.cacheComm[h] = comm;
    this.cacheCommBytes[h] = asciiOrNull(comm);
    return idx;
  }

  // ---- sched_switch ----

  sw(text: string, p: number, time: number, cpu: number): string | null {
    if (text.charCodeAt(p) === 112 /* p */ && at(text, 'prev_comm=', p)) return this.swKernel(text, p, time, cpu);
    return this.swPlugin(text, p, time, cpu);
  }

  private swKernel(text: string, p: number, time: number, cpu: number): string | null {
    const cs = p + 10;
    const a = text.indexOf(' prev_pid=', cs);
    if (a < 0) return "sched_switch: expected ' prev_pid=' after prev_comm=";
    const prevPid = intAt(text, a + 10);
    if (prevPid !== prevPid) return 'sched_switch: expected a number after prev_pid=';
    const st = text.indexOf(' prev_state=', numEnd);
    if (st < 0) return "sched_switch: expected ' prev_state='";
    const arrow = text.indexOf(' ==> ', st + 12);
    if (arrow < 0) return "sched_switch: expected ' ==> ' after prev_state";
    if (!at(text, 'next_comm=', arrow + 5)) return "sched_switch: expected 'next_comm=' after ' ==> '";
    const ns = arrow + 15;
    const bpos = text.indexOf(' next_pid=', ns);
    if (bpos < 0) return "sched_switch: expected ' next_pid=' after next_comm=";
    const nextPid = intAt(text, bpos + 10);
    if (nextPid !== nextPid) return 'sched_switch: expected a number after next_pid=';
    if (numEnd >= text.length) return "sched_switch: expected ' next_prio=' after next_pid (line cut short?)";
    const state = parsePrevState(text, st + 12, arrow, false);
    if (state !== PrevState.Unknown) this.b.hasStates = true;
    const prev = this.taskAt(prevPid, text, cs, a, time);
    const next = this.taskAt(nextPid, text, ns, bpos, time);
    this.lastPrevTid = prevPid;
    this.b.addSwitch(time, cpu, prev, state, next);
    return null;
  }

  /** `comm:pid [prio] STATE ==> comm:pid [prio]`, or `task comm:pid [prio] (STATE) ==> comm:pid [prio]`. */
  private swPlugin(text: string, p: number, time: number, cpu: number): string | null {
    const arrow = text.indexOf(' ==> ', p);
    if (arrow < 0) return "sched_switch: expected 'prev_comm=' or 'comm:pid [prio] STATE ==> comm:pid [prio]'";
    // Right to left (comms may contain ':', ' ' and '['): ` [prio]`, then the digits after the last ':'.
    const lb = lastBlankBracket(text, arrow, p);
    if (lb < 0) return "sched_switch: expected ' [prio]' before ' ==> '";
    let rb = lb + 2;
    if (text.charCodeAt(rb) === 45 /* - */) rb++;
    for (let c = text.charCodeAt(rb); c >= 48 && c <= 57; c = text.charCodeAt(++rb));
    if (text.charCodeAt(rb) !== 93 /* ] */ || rb >= arrow)
      return "sched_switch: expected ' [prio] STATE' before ' ==> '";
    const colon = lastColon(text, lb, p);
    if (colon < 0) return "sched_switch: expected 'comm:pid' before ' [prio]'";
    const prevPid = intAt(text, colon + 1);
    if (prevPid !== prevPid || numEnd !== lb) return "sched_switch: expected a pid after the last ':' of the prev task";
    // Right side.
    const ns = arrow + 5;
    const lb2 = lastBlankBracket(text, text.length, ns);
    if (lb2 < 0) return "sched_switch: expected 'comm:pid [prio]' after ' ==> '";
    const colon2 = lastColon(text, lb2, ns);
    if (colon2 < 0) return "sched_switch: expected 'comm:pid' after ' ==> '";
    const nextPid = intAt(text, colon2 + 1);
    if (nextPid !== nextPid || numEnd !== lb2)
      return "sched_switch: expected a pid after the last ':' of the next task";
    let cs = p;
    const stateStart = Math.min(rb + 2, arrow);
    // The ancient form: `task ` prefix and the state in parentheses.
    const ancient = text.charCodeAt(skipSpaces(text, stateStart)) === 40 /* ( */ && at(text, 'task ', p);
    if (ancient) cs = p + 5;
    else this.sawPlugin = true;
    const state = parsePrevState(text, stateStart, arrow, !ancient);
    if (state !== PrevState.Unknown) this.b.hasStates = true;
    const prev = this.taskAt(prevPid, text, cs, colon, time);
    const next = this.taskAt(nextPid, text, ns, colon2, time);
    this.lastPrevTid = prevPid;
    this.b.addSwitch(time, cpu, prev, state, next);
    return null;
  }

  // ---- wakeups ----

  wakeup(text: string, p: number, time: number, kind: WakeupKind): string | null {
    if (text.charCodeAt(p) === 99 /* c */ && at(text, 'comm=', p)) {
      const cs = p + 5;
      const a = text.indexOf(' pid=', cs);
      if (a < 0) return "sched_wakeup: expected ' pid=' after comm=";
      const pid = intAt(text, a + 5);
      if (pid !== pid) return 'sched_wakeup: expected a number after pid=';
      const t = text.indexOf(' target_cpu=', numEnd);
      if (t < 0) return "sched_wakeup: expected ' target_cpu='";
      const cpu = intAt(text, t + 12);
      if (cpu !== cpu || cpu < 0) return 'sched_wakeup: expected a number after target_cpu=';
      if (numEnd === text.length && numEnd - (t + 12) < 3) return 'sched_wakeup: target_cpu cut short';
      this.b.addWakeup(time, this.taskAt(pid, text, cs, a, time), cpu, kind);
      return null;
    }
    return this.wakeupCompact(text, p, time, kind);
  }

  /** Plugin `comm:pid [prio] success=1 CPU:075` and ancient `task comm:pid [prio] success=1 [075]`. */
  private wakeupCompact(text: string, p: number, time: number, kind: WakeupKind): string | null {
    const end = text.length;
    const success = text.lastIndexOf(' success=');
    const cpuTag = text.lastIndexOf(' CPU:');
    let limit = end;
    if (success >= p) limit = success;
    else if (cpuTag >= p) limit = cpuTag;
    const lb = text.lastIndexOf(' [', limit - 1);
    if (lb < p) return "sched_wakeup: expected 'comm=... pid=... target_cpu=' or 'comm:pid [prio] ... CPU:nnn'";
    const colon = text.lastIndexOf(':', lb);
    if (colon < p) return "sched_wakeup: expected 'comm:pid' before ' [prio]'";
    const pid = intAt(text, colon + 1);
    if (pid !== pid || numEnd !== lb) return "sched_wakeup: expected a pid after the last ':' of the task";
    let cs = p;
    let cpu: number;
    if (cpuTag > lb) {
      cpu = intAt(text, cpuTag + 5);
      if (cpu !== cpu || cpu < 0) return "sched_wakeup: expected a number after ' CPU:'";
      if (numEnd === end && numEnd - (cpuTag + 5) < 3) return 'sched_wakeup: target CPU cut short';
      this.sawPlugin = true;
    } else {
      const tb = success >= p ? text.indexOf('[', success) : -1;
      if (tb < 0) return "sched_wakeup: expected a target CPU (' CPU:nnn' or ' [nnn]')";
      cpu = intAt(text, tb + 1);
      if (cpu !== cpu || cpu < 0 || text.charCodeAt(numEnd) !== 93 /* ] */)
        return "sched_wakeup: expected '[cpu]' after success=";
      if (at(text, 'task ', p)) cs = p + 5;
    }
    this.b.addWakeup(time, this.taskAt(pid, text, cs, colon, time), cpu, kind);
    return null;
  }

  // ---- migrations ----

  migrate(text: string, p: number, time: number): string | null {
    if (!at(text, 'comm=', p)) return "sched_migrate_task: expected 'comm='";
    const cs = p + 5;
    const a = text.indexOf(' pid=', cs);
    if (a < 0) return "sched_migrate_task: expected ' pid=' after comm=";
    const pid = intAt(text, a + 5);
    if (pid !== pid) return 'sched_migrate_task: expected a number after pid=';
    const o = text.indexOf(' orig_cpu=', numEnd);
    if (o < 0) return "sched_migrate_task: expected ' orig_cpu='";
    const from = intAt(text, o + 10);
    if (from !== from || from < 0) return 'sched_migrate_task: expected a number after orig_cpu=';
    const d = text.indexOf(' dest_cpu=', numEnd);
    if (d < 0) return "sched_migrate_task: expected ' dest_cpu='";
    const to = intAt(text, d + 10);
    if (to !== to || to < 0) return 'sched_migrate_task: expected a number after dest_cpu=';
    this.b.addMigration(time, this.taskAt(pid, text, cs, a, time), from, to);
    return null;
  }

  // ---- kvm ----

  kvmExit(text: string, p: number, time: number, cpu: number, prefix: PrefixThread): string | null {
    let vcpu = -1;
    let q = p;
    if (at(text, 'vcpu ', q)) {
      vcpu = intAt(text, q + 5);
      if (vcpu !== vcpu) return "kvm_exit: expected a number after 'vcpu '";
      q = skipSpaces(text, numEnd);
    }
    let reason: string;
    if (at(text, 'reason ', q)) {
      const rs = q + 7;
      const rip = text.indexOf(' rip', rs);
      if (rip < 0) return "kvm_exit: expected ' rip' after the reason";
      let re = rip;
      while (re > rs && text.charCodeAt(re - 1) === 32) re--;
      if (re === rs) return 'kvm_exit: empty reason';
      reason = text.slice(rs, re);
    } else if (vcpu >= 0) {
      return "kvm_exit: expected 'reason ' after the vcpu id";
    } else {
      reason = genericExitReason(text, q);
    }
    const task = prefix.prefixTask(time);
    if (task < 0) return 'kvm_exit: the line names no thread (tid) that ran the event';
    this.b.addKvmExit(time, task, cpu, reason, vcpu);
    return null;
  }

  kvmEntry(text: string, p: number, time: number, cpu: number, prefix: PrefixThread): string | null {
    let vcpu = -1;
    if (at(text, 'vcpu ', p)) {
      vcpu = intAt(text, p + 5);
      if (vcpu !== vcpu) return "kvm_entry: expected a number after 'vcpu '";
    }
    const task = prefix.prefixTask(time);
    if (task < 0) return 'kvm_entry: the line names no thread (tid) that ran the event';
    this.b.addKvmEntry(time, task, cpu, vcpu);
    return null;
  }
}

const ARM64_EXIT = /^(\w+): HSR_EC: 0x[0-9a-fA-F]+ \(([^)]*)\)/;

/**
 * A kvm_exit payload without `reason ` (arm64 `TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: ...`,
 * older arm `PC: 0x...`, unknown vendor forms): one generic reason per shape.
 */
function genericExitReason(text: string, q: number): string {
  const rest = text.slice(q);
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
  private lastTid = -2;
  private lastTgid = -2;

  note(tid: number, tgid: number): void {
    if (tid === this.lastTid && tgid === this.lastTgid) return;
    this.lastTid = tid;
    this.lastTgid = tgid;
    if (tid <= 0 || tgid <= 0) return;
    this.byTid.set(tid, tgid);
  }

  /** Only when the tid has no tgid yet (used for perf's `pid/-1` prefixes). */
  noteIfAbsent(tid: number, tgid: number): void {
    if (tid <= 0 || tgid <= 0 || this.byTid.has(tid)) return;
    this.byTid.set(tid, tgid);
  }

  apply(b: TraceBuilder): void {
    for (const [tid, tgid] of this.byTid) {
      const idx = b.findTask(tid);
      if (idx !== undefined) b.setTgid(idx, tgid);
    }
  }
}
