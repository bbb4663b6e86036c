// The columnar trace model: struct-of-arrays tables, one typed-array column per
// field, indexed by row. Times are exact integer nanoseconds relative to the
// trace's first timestamp (stored in Float64 columns, exact up to ~104 days).

import type { WarningKind } from './warningKinds';

export type TraceFormat = 'perf-sched-map' | 'perf-script' | 'ftrace' | 'perf-sched-timehist';

/** prev_state of a switch, normalised across kernel and plugin renderings. */
export const enum PrevState {
  Unknown = 0,
  /** Runnable, switched out without preemption (yield, cond_resched, vCPU threads). */
  Runnable = 1,
  /** Runnable and preempted (`R+`). */
  Preempted = 2,
  Sleeping = 3,
  Uninterruptible = 4,
  Stopped = 5,
  Traced = 6,
  Dead = 7,
  Zombie = 8,
  Parked = 9,
  Idle = 10,
  /** Any other letter or `|`-combination: blocked, other. */
  Other = 11,
}

export const PREV_STATE_LABELS = [
  'unknown',
  'R',
  'R+',
  'S',
  'D',
  'T',
  't',
  'X',
  'Z',
  'P',
  'I',
  'other',
] as const;

export function isRunnableState(s: number): boolean {
  return s === PrevState.Runnable || s === PrevState.Preempted;
}

/** Why a run slice ended. */
export const enum SliceEnd {
  /** The next switch on the same CPU. */
  Switch = 0,
  /** The task was switched in on another CPU while this slice was open. */
  Migration = 1,
  /** Still open at the last switch of the trace (T1). */
  TraceEnd = 2,
  /** Open where the input leaves events out (a `[...]` in a paste): it ends at the last time before the gap. */
  Gap = 3,
}

export const enum TaskKind {
  Normal = 0,
  /** pid 0, swapper/N: one task for every CPU's idle loop. */
  Idle = 1,
  /** `-` cells of `perf sched map --task-name`: some other, unidentified task. */
  Filtered = 2,
  /** A map short name used before any `XX => comm:tid` line announced it. */
  UnknownShortName = 3,
  /** A task whose identity the input does not give (e.g. the next task of a timehist's last switch on a CPU). */
  Unknown = 4,
  /**
   * What ran where a paste leaves events out (timehist's rows before an elision mark switch it in): not a
   * task but unknown time, which counts as neither busy nor idle (docs/metrics.md).
   */
  Elided = 5,
}

export interface TaskTable {
  length: number;
  /** Thread id; -1 where the input never gave one. */
  tid: Int32Array;
  /** Thread-group (process) id; -1 where unknown. */
  tgid: Int32Array;
  kind: Uint8Array;
  /** Every comm the thread had, in order of first appearance (threads are renamed after they start). */
  comms: string[][];
}

export interface CommChange {
  task: number;
  /** Relative ns at which the new comm was first seen. */
  time: number;
  comm: string;
}

export interface SwitchTable {
  length: number;
  time: Float64Array;
  cpu: Uint16Array;
  /** Task switched out as the event reported it (-1 unknown, e.g. map input). */
  prev: Int32Array;
  prevState: Uint8Array;
  next: Int32Array;
}

/** Run slices, one per switch: slice i runs task next[i] on cpu[i] from time[i] to end[i]. */
export interface SliceTable {
  end: Float64Array;
  endReason: Uint8Array;
}

export const enum WakeupKind {
  Waking = 0,
  Wakeup = 1,
  WakeupNew = 2,
}

export interface WakeupTable {
  length: number;
  time: Float64Array;
  task: Int32Array;
  /** target_cpu */
  cpu: Uint16Array;
  kind: Uint8Array;
  /** The waker: the thread that ran the event (the line's or record's own thread), -1 where not known. */
  waker: Int32Array;
  /** The CPU the event was recorded on (the waker's), WAKER_CPU_UNKNOWN where not known. */
  wakerCpu: Uint16Array;
}

/** WakeupTable.wakerCpu where the input does not say the CPU the wakeup ran on. */
export const WAKER_CPU_UNKNOWN = 0xffff;

export interface MigrationTable {
  length: number;
  time: Float64Array;
  task: Int32Array;
  fromCpu: Uint16Array;
  toCpu: Uint16Array;
}

export interface KvmExitTable {
  length: number;
  time: Float64Array;
  /** The thread that ran the event (the vCPU thread). */
  task: Int32Array;
  cpu: Uint16Array;
  /** Index into `kvmExitReasons`. */
  reason: Uint16Array;
  /** `vcpu N` from the payload, -1 when absent. */
  vcpu: Int32Array;
}

export interface KvmEntryTable {
  length: number;
  time: Float64Array;
  task: Int32Array;
  cpu: Uint16Array;
  vcpu: Int32Array;
}

/** AutoNUMA's tracepoints (kernel/sched/fair.c, mm/migrate.c). */
export const enum NumaEventKind {
  /** sched:sched_move_numa: a task moved to a CPU of its preferred node. */
  Move = 0,
  /** sched:sched_stick_numa: a move or swap that was wanted but failed. */
  Stick = 1,
  /** sched:sched_swap_numa: two tasks swapped CPUs (nodes). */
  Swap = 2,
  /** migrate:mm_migrate_pages with reason=numa_misplaced: pages moved to the node that touches them. */
  MigratePages = 3,
}

export const NUMA_EVENT_KEYS = ['move', 'stick', 'swap', 'migratePages'] as const;

export interface NumaEventTable {
  length: number;
  time: Float64Array;
  /** The task the decision is about (`pid=` / `src_pid=`), or the thread that ran mm_migrate_pages. */
  task: Int32Array;
  /** The CPU the event was recorded on (where its mark is drawn on CPU lanes). */
  cpu: Uint16Array;
  kind: Uint8Array;
  /** src_nid / dst_nid, -1 when the payload gives none (mm_migrate_pages). */
  srcNid: Int32Array;
  dstNid: Int32Array;
  /** nr_succeeded of mm_migrate_pages; 0 for the sched events. */
  pages: Int32Array;
}

/**
 * Where the input's text was cut: one row per elision mark of a paste (`[...]`, `<snip>`) that has events
 * on both sides, in time order. Host-wide: text does not say which CPUs' events were left out. Between
 * `start` (the last event time before the mark) and `end` (the first after it) what ran is unknown.
 * Binary recordings have none.
 */
export interface GapTable {
  length: number;
  start: Float64Array;
  end: Float64Array;
  /** The mark's line in the input. */
  line: Int32Array;
  /** The mark's text as the input has it (trimmed): untrusted, shown as text only. */
  mark: string[];
}

export interface LineMessage {
  line: number;
  message: string;
}

/** A warning of a trace's reader: a line message with its kind (src/model/warningKinds.ts). */
export interface TraceWarning extends LineMessage {
  kind: WarningKind;
}

/** One kind of warning in a trace, however many times it occurred. */
export interface WarningSummaryEntry {
  kind: WarningKind;
  /** Occurrences (lines, records, switches) of the kind. */
  count: number;
  /** The first few lines (or records) where it occurred, ascending; line 0 (the whole input) is not listed. */
  firstLines: number[];
  /** lost-events only: the events the input says were lost (the sum of the counts it gives), else absent. */
  events?: number;
}

export interface LostEvents {
  line: number;
  /** Relative ns, or null when the input gives no time (map trailer lines). */
  time: number | null;
  /** CPU that lost events, or null when not said. */
  cpu: number | null;
  /** Number of lost events, or null when not said. */
  count: number | null;
  message: string;
}

/**
 * What a binary recording says about the machine it was made on (perf.data's
 * hostname, osrelease, arch, nrcpus, cmdline and version features; trace.dat's
 * UNAME and VERSION options). Text traces carry none of it: null.
 */
export interface RecordingHost {
  hostname: string | null;
  osRelease: string | null;
  arch: string | null;
  /** CPUs online and available when it was recorded (perf.data's nrcpus). */
  cpusOnline: number | null;
  cpusAvailable: number | null;
  /** The command that recorded it (perf.data's cmdline), its arguments joined by spaces. */
  cmdline: string | null;
  /** The recording tool and its version: "perf 6.1.187", "trace-cmd 3.1.6". */
  recorder: string | null;
}

/** A RecordingHost with no fact known yet, for a reader to fill in. */
export function unknownRecordingHost(): RecordingHost {
  return {
    hostname: null,
    osRelease: null,
    arch: null,
    cpusOnline: null,
    cpusAvailable: null,
    cmdline: null,
    recorder: null,
  };
}

export interface TraceModel {
  format: TraceFormat;
  /** Human-readable variant, e.g. "perf sched map --compact" or "trace-cmd report". */
  formatDetail: string;
  /** Absolute timestamp of relative time 0, as integer seconds and nanoseconds. */
  origin: { sec: number; ns: number };
  switches: SwitchTable;
  slices: SliceTable;
  /**
   * Rows of `switches` the reader inferred, not in the input (timehist: a switch-in a run time implies, after
   * filtered tasks or a gap, or before a CPU's first line), ascending. They make slices like any switch, but
   * the input's switch counts (`switches` of the summary, per-CPU switches) leave them out.
   */
  inferredSwitchRows: Uint32Array;
  /** This and the event tables below are in time order, like `switches` (the builder sorts what steps back). */
  wakeups: WakeupTable;
  migrations: MigrationTable;
  kvmExits: KvmExitTable;
  kvmExitReasons: string[];
  kvmEntries: KvmEntryTable;
  /** NUMA balancing decisions (empty when the recording did not enable those events). */
  numaEvents: NumaEventTable;
  /** Where a paste's text was cut (elision marks); small, so the page gets it with the model's head. */
  gaps: GapTable;
  tasks: TaskTable;
  commChanges: CommChange[];
  /** CPUs with at least one switch, ascending. */
  cpus: number[];
  /** CPU count the input declares (`#P:N`, `cpus=N`, map columns), or null. */
  declaredCpuCount: number | null;
  /** The recording machine's facts (binary recordings), or null. */
  recordedOn: RecordingHost | null;
  /** Whether switch events carry prev_state (map and timehist do not). */
  hasStates: boolean;
  lost: LostEvents[];
  /** First 100 warnings and skipped-line reasons, with line numbers. */
  warnings: TraceWarning[];
  warningCount: number;
  /** One entry per warning kind present, in the order of WARNING_KINDS. */
  warningSummary: WarningSummaryEntry[];
  skippedLines: number;
  /** Lines whose reading rests on a guess (each also in warnings while under the cap). */
  ambiguousLines: number;
  /** Events that are understood but not modelled, by name. */
  ignoredEvents: Record<string, number>;
  lineCount: number;
  byteCount: number;
}
