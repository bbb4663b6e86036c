// The basic facts of a run, as `schedmap analyze --json` reports them and the
// app's summary line shows them.

import type { Run } from '../model/runs';
import type { LineMessage, RecordingHost, TraceFormat } from '../model/types';
import { warningSummaryReport, type WarningSummaryReport } from './warningBias';

export interface VmSummary {
  name: string;
  tgid: number | null;
  grouping: string;
  ambiguous: boolean;
  ambiguityReason: string | null;
  /** How the vCPU threads were told: name, kvm, companion, vm-map or estimate. */
  vcpuSource: string;
  /** The vCPU threads are an estimate (QEMU without thread names or KVM events); estimateReason says how. */
  vcpusEstimated: boolean;
  estimateReason: string | null;
  /** Some otherThreads (those with guessed: true) are attached by tid order, without a process id. */
  otherThreadsGuessed: boolean;
  otherThreadsGuessReason: string | null;
  /** The companion file the name comes from, null for vm<tgid> / vmN and VM-map names. */
  nameFrom: string | null;
  /** Host CPUs per vCPU index from a domain XML. */
  pins: { vcpu: number; cpus: number[] }[];
  vcpus: { index: number; tid: number; comm: string }[];
  otherThreads: { tid: number; comm: string; guessed: boolean }[];
}

export interface TraceSummary {
  file: string;
  format: TraceFormat;
  formatDetail: string;
  /** The recording machine (perf.data features, trace.dat's uname), null for text traces. */
  recordedOn: RecordingHost | null;
  /** sched_switch events the input shows (timehist: its lines). */
  switches: number;
  /** Switches the reader inferred (timehist: from run times, after a gap or before a CPU's first line): kept apart. */
  inferredSwitches: number;
  /** CPUs with at least one switch. */
  cpus: number;
  /** Latest switch time minus earliest, in seconds. */
  durationSec: number;
  /** Distinct tids other than 0 that some switch switched in. */
  tasks: number;
  wakeups: number;
  migrations: number;
  kvmExits: number;
  skippedLines: number;
  ambiguousLines: number;
  lostEvents: { line: number; cpu: number | null; count: number | null; message: string }[];
  ignoredEvents: Record<string, number>;
  warningCount: number;
  warnings: LineMessage[];
  /** One entry per warning kind present: count, first lines, what it means, which metrics it can bias. */
  warningSummary: WarningSummaryReport[];
  companions: string[];
  /** What the VM grouping could not settle or use, and what to drop to fix it. */
  vmNotes: string[];
  vms: VmSummary[];
}

export function switchedInTaskCount(run: Run): number {
  const { switches, tasks } = run.model;
  const seen = new Uint8Array(tasks.length);
  let n = 0;
  for (let i = 0; i < switches.length; i++) {
    const t = switches.next[i];
    if (seen[t] === 0 && tasks.tid[t] > 0) {
      seen[t] = 1;
      n++;
    }
  }
  return n;
}

export function durationNs(run: Run): number {
  const { switches } = run.model;
  return switches.length === 0 ? 0 : switches.time[switches.length - 1] - switches.time[0];
}

export function summarizeRun(run: Run): TraceSummary {
  const m = run.model;
  return {
    file: run.name,
    format: m.format,
    formatDetail: m.formatDetail,
    recordedOn: m.recordedOn,
    switches: m.switches.length - m.inferredSwitchRows.length,
    inferredSwitches: m.inferredSwitchRows.length,
    cpus: m.cpus.length,
    durationSec: durationNs(run) / 1e9,
    tasks: switchedInTaskCount(run),
    wakeups: m.wakeups.length,
    migrations: m.migrations.length,
    kvmExits: m.kvmExits.length,
    skippedLines: m.skippedLines,
    ambiguousLines: m.ambiguousLines,
    lostEvents: m.lost.map(({ line, cpu, count, message }) => ({ line, cpu, count, message })),
    ignoredEvents: m.ignoredEvents,
    warningCount: m.warningCount,
    warnings: m.warnings,
    warningSummary: warningSummaryReport(m.warningSummary),
    companions: run.companions,
    vmNotes: run.vmNotes ?? [],
    vms: run.vms.map((vm) => ({
      name: vm.name,
      tgid: vm.tgid,
      grouping: vm.grouping,
      ambiguous: vm.ambiguous,
      ambiguityReason: vm.ambiguityReason,
      vcpuSource: vm.vcpuSource ?? vm.grouping,
      vcpusEstimated: (vm.estimateReason ?? null) !== null,
      estimateReason: vm.estimateReason ?? null,
      otherThreadsGuessed: (vm.otherThreadsGuess ?? null) !== null,
      otherThreadsGuessReason: vm.otherThreadsGuess ?? null,
      nameFrom: vm.nameFrom ?? null,
      pins: vm.pins ?? [],
      vcpus: vm.vcpus.map(({ index, tid, comm }) => ({ index, tid, comm })),
      otherThreads: vm.otherThreads.map(({ tid, comm, guessed }) => ({ tid, comm, guessed: guessed === true })),
    })),
  };
}
