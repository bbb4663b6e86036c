// Switches that contradict what the trace has running (issue 15), found as the
// builder takes them, in time order, by the slice rule of slices.ts:
//
// - lost-switch-in: a switch on CPU c whose switched-out task (prev_pid) is not
//   the task the trace has running on c (the next task of c's last switch):
//   the switch that put prev there is missing (lost events, a cut trace).
// - double-running: a task switched in on CPU b while the trace still has it
//   running on CPU a: its switch-out on a is missing. The migration rule ends
//   its slice on a there. A switch on a at the same time that switches it out
//   (equal timestamps in the other order) is not one, nor is a CPU whose trace
//   ends with the task on it (see finish()).
//
// Placeholder tasks (map `-` cells, unknown short names, timehist's tasks not in
// the output) and the idle task (one task for every CPU) are no task to check;
// map input has no prev_pid, so only double-running applies to it.

import { TaskKind } from './types';
import { FIRST_LINES_KEPT } from './warningKinds';

const NONE = -1;

export class SwitchChecks {
  lostSwitchIns = 0;
  doubleRunning = 0;
  /** The first occurrences (for the one message the builder writes per kind). */
  firstLost: { line: number; cpu: number; prev: number; running: number } | null = null;
  firstDouble: { line: number; task: number; cpu: number; otherCpu: number } | null = null;
  /** Lines of the first few occurrences (line 0: not known, not kept). */
  readonly lostLines: number[] = [];
  readonly doubleLines: number[] = [];

  /** Per CPU: the task running (next of its last switch), NONE when not known. */
  private running = new Int32Array(64).fill(NONE);
  /** Per task: the CPU it runs on, NONE when it is not running. */
  private onCpu = new Int32Array(1024).fill(NONE);
  /** Per CPU: a task switched in elsewhere while running here, confirmed by this CPU's next switch; NONE for none. */
  private pendingTask = new Int32Array(64).fill(NONE);
  private pendingTime = new Float64Array(64);
  private pendingLine = new Int32Array(64);
  private pendingCpu = new Int32Array(64);

  constructor(
    /** The kind of a task (TaskKind). */
    private readonly kindOf: (task: number) => number,
  ) {}

  add(time: number, cpu: number, prev: number, next: number, line: number): void {
    if (cpu >= this.running.length) this.growCpus(cpu);
    const pending = this.pendingTask[cpu];
    if (pending !== NONE) {
      this.pendingTask[cpu] = NONE;
      // The same instant, switching it out (or no prev_pid to say otherwise): equal stamps, not a missing switch.
      if (!(time === this.pendingTime[cpu] && (prev === pending || prev < 0)))
        this.confirmDouble(pending, this.pendingCpu[cpu], cpu, this.pendingLine[cpu]);
    }
    const r = this.running[cpu];
    if (r !== NONE && prev >= 0 && prev !== r && this.checked(r) && this.checked(prev)) {
      this.lostSwitchIns++;
      if (this.firstLost === null) this.firstLost = { line, cpu, prev, running: r };
      keepLine(this.lostLines, line);
    }
    if (r !== NONE && r < this.onCpu.length && this.onCpu[r] === cpu) this.onCpu[r] = NONE;
    this.running[cpu] = next;
    if (this.kindOf(next) !== TaskKind.Normal) return; // placeholders are no task to check, idle runs everywhere
    if (next >= this.onCpu.length) this.growTasks(next);
    const other = this.onCpu[next];
    if (other !== NONE && other !== cpu) {
      // The migration rule: its slice there ends now; that CPU runs nothing known until its next switch.
      this.running[other] = NONE;
      this.pendingTask[other] = next;
      this.pendingTime[other] = time;
      this.pendingLine[other] = line;
      this.pendingCpu[other] = cpu;
    }
    this.onCpu[next] = cpu;
  }

  /** A gap in the input (a `[...]` in a paste): what runs where is not known after it, until each CPU's next switch. */
  gap(): void {
    this.running.fill(NONE);
    this.onCpu.fill(NONE);
    this.pendingTask.fill(NONE);
  }

  /**
   * End of the switches. A double no later switch on its CPU settled is not
   * counted: that CPU's trace ended with the task on it, which is how a
   * recorder that stops CPU by CPU ends every recording (perf, switched in on
   * the last CPU it stops, is still running on the ones it stopped before).
   */
  finish(): void {
    this.pendingTask.fill(NONE);
  }

  private confirmDouble(task: number, cpu: number, otherCpu: number, line: number): void {
    this.doubleRunning++;
    if (this.firstDouble === null) this.firstDouble = { line, task, cpu, otherCpu };
    keepLine(this.doubleLines, line);
  }

  /** A real task (or idle): placeholders stand for unknown or several tasks. */
  private checked(task: number): boolean {
    const k = this.kindOf(task);
    return k === TaskKind.Normal || k === TaskKind.Idle;
  }

  private growCpus(cpu: number): void {
    let n = this.running.length;
    while (n <= cpu) n *= 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, fill: number): T => {
      const out = new (a.constructor as new (n: number) => T)(n).fill(fill) as T;
      out.set(a);
      return out;
    };
    this.running = grow(this.running, NONE);
    this.pendingTask = grow(this.pendingTask, NONE);
    this.pendingTime = grow(this.pendingTime, 0);
    this.pendingLine = grow(this.pendingLine, 0);
    this.pendingCpu = grow(this.pendingCpu, 0);
  }

  private growTasks(task: number): void {
    let n = this.onCpu.length;
    while (n <= task) n *= 2;
    const out = new Int32Array(n).fill(NONE);
    out.set(this.onCpu);
    this.onCpu = out;
  }
}

function keepLine(lines: number[], line: number): void {
  if (line > 0 && lines.length < FIRST_LINES_KEPT && !lines.includes(line)) lines.push(line);
}
