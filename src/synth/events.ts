// The simulator's event stream: what the simulated host did, in time order,
// before any text is rendered. Every writer (perf script, ftrace, map,
// timehist text here; a binary perf.data writer later) is a HostEventSink.
//
// Contract:
//  - calls come in nondecreasing timeNs (integer nanoseconds from the start of
//    the simulation); events at one time come in the order the kernel would
//    emit them (sched_waking before the sched_migrate_task it causes, before
//    the sched_switch to the woken task);
//  - task arguments are indices into SynthHost.tasks; -1 is the CPU's idle
//    task (swapper/N, pid 0);
//  - `cpu` is the CPU the event was recorded on, and `current` (or `prev` of a
//    switch, the vCPU of a kvm event) the task running there: the line prefix
//    of perf script and ftrace, a sample's pid/tid in perf.data;
//  - `end(timeNs)` comes once, after the last event.
// The sink must not call back into the simulation.

/** prev_state of a sched_switch as the kernel prints it (>= 4.14). */
export type SwitchState = 'R' | 'R+' | 'S' | 'D' | 'I';

/** Where an event was emitted: task context, or inside a hard / soft interrupt (ftrace's flags column). */
export const enum EventContext {
  Task = 0,
  HardIrq = 1,
  SoftIrq = 2,
}

/** VMX basic exit reasons the simulator produces (Intel SDM vol. 3 appendix C; kernel vmx.h). */
export const enum ExitReason {
  ExternalInterrupt = 1,
  Hlt = 12,
  MsrWrite = 32,
  PauseInstruction = 40,
}

/** The names the kernel's kvm_exit format prints for those codes (VMX_EXIT_REASONS). */
export const EXIT_REASON_NAME: Readonly<Record<ExitReason, string>> = {
  [ExitReason.ExternalInterrupt]: 'EXTERNAL_INTERRUPT',
  [ExitReason.Hlt]: 'HLT',
  [ExitReason.MsrWrite]: 'MSR_WRITE',
  [ExitReason.PauseInstruction]: 'PAUSE_INSTRUCTION',
};

/**
 * Guest instruction pointers: where the simulated guest kernel was when it
 * exited (a spin loop, the idle HLT, the x2APIC ICR write, anywhere for an
 * interrupt). Hex without 0x, 64-bit guest kernel addresses.
 */
export const enum GuestSite {
  SpinLoop = 0,
  Halt = 1,
  IcrWrite = 2,
  Work = 3,
  CriticalSection = 4,
}

export const GUEST_RIP: readonly string[] = [
  'ffffffff810a3c52', // ticket spinlock slow path: the PAUSE loop
  'ffffffff8104b3f6', // native_safe_halt
  'ffffffff81064d38', // native_x2apic_icr_write (wrmsr 0x830)
  'ffffffff811c7a1e', // guest work (dbench: VFS paths)
  'ffffffff811d20b4', // inside a critical section
];

/** Interruption information of an EXTERNAL_INTERRUPT exit: valid bit | vector (0xec local timer, 0xfd reschedule IPI). */
export const INTR_INFO_TIMER = 0x800000ec;
export const INTR_INFO_RESCHED = 0x800000fd;

export interface HostEventSink {
  /** sched_switch on `cpu`: `prev` leaves in `prevState` ('R' for the idle task), `next` runs. */
  switch(timeNs: number, cpu: number, prev: number, prevState: SwitchState, next: number): void;
  /**
   * sched_waking: `task` is being woken by whatever runs on `cpu` (`ctx`: task
   * or interrupt context); `targetCpu` is the task's CPU at that moment (the
   * kernel traces it before choosing a runqueue).
   */
  waking(timeNs: number, cpu: number, current: number, ctx: EventContext, task: number, targetCpu: number): void;
  /** sched_migrate_task: `task` moves from `origCpu` to `destCpu`, traced on `cpu` while `current` runs there. */
  migrate(timeNs: number, cpu: number, current: number, ctx: EventContext, task: number, origCpu: number, destCpu: number): void;
  /** kvm_exit of vCPU thread `task` (running on `cpu`). */
  kvmExit(timeNs: number, cpu: number, task: number, reason: ExitReason, site: GuestSite, intrInfo: number): void;
  /** kvm_entry of vCPU thread `task` back into the guest at `site`. */
  kvmEntry(timeNs: number, cpu: number, task: number, site: GuestSite): void;
  end(timeNs: number): void;
}

/** A sink that fans one stream out to several. */
export function teeSinks(sinks: HostEventSink[]): HostEventSink {
  if (sinks.length === 1) return sinks[0];
  return {
    switch: (t, c, p, s, n) => sinks.forEach((x) => x.switch(t, c, p, s, n)),
    waking: (t, c, r, x, k, g) => sinks.forEach((y) => y.waking(t, c, r, x, k, g)),
    migrate: (t, c, r, x, k, o, d) => sinks.forEach((y) => y.migrate(t, c, r, x, k, o, d)),
    kvmExit: (t, c, k, r, s, i) => sinks.forEach((y) => y.kvmExit(t, c, k, r, s, i)),
    kvmEntry: (t, c, k, s) => sinks.forEach((y) => y.kvmEntry(t, c, k, s)),
    end: (t) => sinks.forEach((y) => y.end(t)),
  };
}

/** A sink that only counts events per kind (ftrace's header needs the total before the first line). */
export class CountingSink implements HostEventSink {
  switches = 0;
  wakings = 0;
  migrations = 0;
  kvmExits = 0;
  kvmEntries = 0;
  switch(): void {
    this.switches++;
  }
  waking(): void {
    this.wakings++;
  }
  migrate(): void {
    this.migrations++;
  }
  kvmExit(): void {
    this.kvmExits++;
  }
  kvmEntry(): void {
    this.kvmEntries++;
  }
  end(): void {}
  get total(): number {
    return this.switches + this.wakings + this.migrations + this.kvmExits + this.kvmEntries;
  }
}

/**
 * The recorded window of a longer simulation: events before `fromNs` (the
 * warm-up: the host ran before perf started) are dropped, later ones are
 * passed on with times relative to `fromNs`.
 */
export class RecordingWindow implements HostEventSink {
  constructor(
    private readonly sink: HostEventSink,
    private readonly fromNs: number,
  ) {}
  switch(t: number, cpu: number, prev: number, state: SwitchState, next: number): void {
    if (t >= this.fromNs) this.sink.switch(t - this.fromNs, cpu, prev, state, next);
  }
  waking(t: number, cpu: number, current: number, ctx: EventContext, task: number, target: number): void {
    if (t >= this.fromNs) this.sink.waking(t - this.fromNs, cpu, current, ctx, task, target);
  }
  migrate(t: number, cpu: number, current: number, ctx: EventContext, task: number, orig: number, dest: number): void {
    if (t >= this.fromNs) this.sink.migrate(t - this.fromNs, cpu, current, ctx, task, orig, dest);
  }
  kvmExit(t: number, cpu: number, task: number, reason: ExitReason, site: GuestSite, intrInfo: number): void {
    if (t >= this.fromNs) this.sink.kvmExit(t - this.fromNs, cpu, task, reason, site, intrInfo);
  }
  kvmEntry(t: number, cpu: number, task: number, site: GuestSite): void {
    if (t >= this.fromNs) this.sink.kvmEntry(t - this.fromNs, cpu, task, site);
  }
  end(t: number): void {
    this.sink.end(t - this.fromNs);
  }
}
