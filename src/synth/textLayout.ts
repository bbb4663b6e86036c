// Pieces shared by the text writers: timestamps as perf and ftrace print them,
// and the kernel's print formats of the traced events (Linux 6.18, the host
// of the recordings in test/fixtures; kvm_exit / kvm_entry as in its format
// files, test/fixtures/tracefs/linux-6.18.44-x86_64/).

import { EXIT_REASON_NAME, GUEST_RIP, type ExitReason, type GuestSite } from './events';
import type { SynthHost } from './hostModel';

/** Uptime of the simulated host when the simulation starts. */
export const BASE_SEC = 52013;

/** Whole seconds of a simulation time. */
export function secOf(ns: number): number {
  return BASE_SEC + Math.floor(ns / 1e9);
}

/** The six microsecond digits of a simulation time (truncated, as perf's timestamp__scnprintf_usec). */
export function usecOf(ns: number): string {
  return String(Math.floor((((ns % 1e9) + 1e9) % 1e9) / 1000)).padStart(6, '0');
}

/** `sec.usec` */
export function usecTime(ns: number): string {
  return `${secOf(ns)}.${usecOf(ns)}`;
}

export const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** Per-task strings of the kernel's sched_* print formats. */
export class TaskText {
  readonly comm: string[];
  readonly tid: number[];
  readonly tgid: number[];
  readonly prio: number[];
  /** `prev_comm=... prev_pid=... prev_prio=... prev_state=` (without the state). */
  private readonly prevPart: string[];
  /** `next_comm=... next_pid=... next_prio=...` */
  private readonly nextPart: string[];
  /** `comm=... pid=... prio=...` */
  private readonly wakePart: string[];

  constructor(host: SynthHost) {
    this.comm = host.tasks.map((t) => t.comm);
    this.tid = host.tasks.map((t) => t.tid);
    this.tgid = host.tasks.map((t) => t.tgid);
    this.prio = host.tasks.map((t) => t.prio);
    this.prevPart = host.tasks.map((t) => `prev_comm=${t.comm} prev_pid=${t.tid} prev_prio=${t.prio} prev_state=`);
    this.nextPart = host.tasks.map((t) => `next_comm=${t.comm} next_pid=${t.tid} next_prio=${t.prio}`);
    this.wakePart = host.tasks.map((t) => `comm=${t.comm} pid=${t.tid} prio=${t.prio}`);
  }

  /** sched_switch payload; the idle task is swapper/CPU, pid 0, prio 120. */
  switchPayload(cpu: number, prev: number, state: string, next: number): string {
    const p = prev < 0 ? `prev_comm=swapper/${cpu} prev_pid=0 prev_prio=120 prev_state=` : this.prevPart[prev];
    const n = next < 0 ? `next_comm=swapper/${cpu} next_pid=0 next_prio=120` : this.nextPart[next];
    return `${p}${state} ==> ${n}`;
  }

  /** sched_waking payload. */
  wakingPayload(task: number, targetCpu: number): string {
    return `${this.wakePart[task]} target_cpu=${pad3(targetCpu)}`;
  }

  /** sched_migrate_task payload. */
  migratePayload(task: number, orig: number, dest: number): string {
    return `${this.wakePart[task]} orig_cpu=${orig} dest_cpu=${dest}`;
  }
}

const Z8 = '0x00000000';
const Z16 = '0x0000000000000000';

/** kvm_exit payload (VMX): `vcpu %u reason %s%s%s rip 0x%lx info1 0x%016llx info2 0x%016llx intr_info 0x%08x error_code 0x%08x requests 0x%016llx`. */
export function kvmExitPayload(vcpu: number, reason: ExitReason, site: GuestSite, intrInfo: number): string {
  const intr = intrInfo === 0 ? Z8 : `0x${intrInfo.toString(16).padStart(8, '0')}`;
  return `vcpu ${vcpu} reason ${EXIT_REASON_NAME[reason]} rip 0x${GUEST_RIP[site]} info1 ${Z16} info2 ${Z16} intr_info ${intr} error_code ${Z8} requests ${Z16}`;
}

/** kvm_entry payload: `vcpu %u, rip 0x%lx intr_info 0x%08x error_code 0x%08x%s` (no immediate exit). */
export function kvmEntryPayload(vcpu: number, site: GuestSite): string {
  return `vcpu ${vcpu}, rip 0x${GUEST_RIP[site]} intr_info ${Z8} error_code ${Z8}`;
}
