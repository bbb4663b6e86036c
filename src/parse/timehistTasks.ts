// perf sched timehist's task names as the model's tasks: each `comm[tid]` /
// `comm[tid/pid]` name is looked up once per line (a direct-mapped cache in
// front of a Map by tid), a thread shown under a new comm is a new task (threads
// are renamed), a pid sets the task's tgid. perf's exiting thread `[-1/pid]` is
// one placeholder task, and names perf cut at COMMSTR_MAX characters are counted:
// their pid is unknown. timehist.ts finds the names in the line.

import { IDLE_TASK, type TraceBuilder } from '../model/builder';
import { TaskKind } from '../model/types';
import type { LineCursor } from './cursor';
import { thousands } from '../model/format';

/** perf prints `comm[tid/pid]` into a 32-byte buffer: at most 31 characters. */
export const COMMSTR_MAX = 31;

/** taskOf() for `[-1/pid]`: a thread whose tid the line does not give. */
export const EXITING = -3;

/** The pid findTask() gives for a `comm[tid/pid]` that perf cut inside its pid. */
export const CUT_PID = -2;

interface TaskInfo {
  tid: number;
  index: number;
  comm: string;
  /** comm as bytes, to tell the same name from a rename without decoding. */
  commBytes: Uint8Array;
  tgid: number;
}

const RECENT_MASK = 1023;

export class TimehistTasks {
  private readonly tasks = new Map<number, TaskInfo>();
  /** Direct-mapped cache in front of `tasks` (a Map lookup per line shows in profiles). */
  private readonly recent: (TaskInfo | undefined)[] = new Array<TaskInfo | undefined>(RECENT_MASK + 1).fill(undefined);
  private truncatedNames = 0;
  private firstTruncatedLine = 0;
  private exiting = 0;
  private exitingPlaceholder = -1;

  constructor(private readonly b: TraceBuilder) {}

  /** Whether thread tid is known by the comm at c[s, end). */
  knows(tid: number, c: LineCursor, s: number, end: number): boolean {
    const info = this.tasks.get(tid);
    return info !== undefined && info.commBytes.length === end - s && c.at(s, info.commBytes);
  }

  /**
   * The task of a name with thread `tid`, process `pid` (-1: none shown, CUT_PID: cut) and comm c[s, end):
   * IDLE_TASK for tid 0, EXITING for a negative tid.
   */
  taskOf(tid: number, pid: number, c: LineCursor, s: number, end: number, time: number, lineNo: number): number {
    if (tid === 0) return IDLE_TASK;
    if (tid < 0) return EXITING;
    const info = this.infoOf(tid, c, s, end, time);
    if (pid !== info.tgid) {
      if (pid > 0) {
        this.b.setTgid(info.index, pid);
        info.tgid = pid;
      } else if (pid === CUT_PID) {
        this.truncatedNames++;
        if (this.firstTruncatedLine === 0) this.firstTruncatedLine = lineNo;
      }
    }
    return info.index;
  }

  /** The task of a `next: comm[tid]` name (no pid there). */
  nextTaskOf(tid: number, c: LineCursor, s: number, end: number, time: number): number {
    if (tid === 0) return IDLE_TASK;
    return this.infoOf(tid, c, s, end, time).index;
  }

  /**
   * A thread perf shows as `:-1[-1/pid]`: the sample had no tid because the thread was
   * exiting, and timehist does not print prev_pid. The pid is no help either: perf keeps
   * one thread object for tid -1, with the pid of the first such sample. So all of them
   * are one placeholder task.
   */
  exitingTask(): number {
    if (this.exitingPlaceholder < 0)
      this.exitingPlaceholder = this.b.placeholderTask(TaskKind.Unknown, 'exiting thread (tid not shown)');
    this.exiting++;
    return this.exitingPlaceholder;
  }

  /** End of input: say how many lines named exiting threads or had a name perf cut. */
  finish(): void {
    if (this.exiting > 0) {
      this.b.warn(
        0,
        `${thousands(this.exiting)} events of exiting threads: perf shows such a thread as \`:-1[-1/pid]\`, without its thread id (and with a pid that may be another process's); they are shown as one placeholder task`,
      );
    }
    if (this.truncatedNames > 0) {
      this.b.warn(
        this.firstTruncatedLine,
        `${thousands(this.truncatedNames)} lines have a task name cut at ${COMMSTR_MAX} characters by perf (long comm and ids): their process id is unknown`,
      );
    }
  }

  /**
   * Thread tid named by the comm at c[s, end): its known entry, or a new task when the tid is new or
   * shows another comm (threads are renamed).
   */
  private infoOf(tid: number, c: LineCursor, s: number, end: number, time: number): TaskInfo {
    let info = this.recent[tid & RECENT_MASK];
    if (info === undefined || info.tid !== tid) {
      info = this.tasks.get(tid);
      if (info !== undefined) this.recent[tid & RECENT_MASK] = info;
    }
    if (info === undefined || info.commBytes.length !== end - s || !c.at(s, info.commBytes)) {
      const comm = c.text(s, end);
      const index = this.b.task(tid, comm, time);
      if (info === undefined) {
        info = { tid, index, comm, commBytes: c.buf.slice(s, end), tgid: -1 };
        this.recent[tid & RECENT_MASK] = info;
        this.tasks.set(tid, info);
      } else {
        info.index = index;
        info.comm = comm;
        info.commBytes = c.buf.slice(s, end);
      }
    }
    return info;
  }
}
