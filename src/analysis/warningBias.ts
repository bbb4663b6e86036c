// Which metrics each warning kind (src/model/warningKinds.ts) can bias, by
// catalogue key (catalogue.ts), and the summary entries a run reports: the
// model's warningSummary with what each kind means and what it can bias. The
// README's table "Warning kinds" says the same in words.

import type { WarningSummaryEntry } from '../model/types';
import { WARNING_KINDS, type WarningKind } from '../model/warningKinds';
import { HOST_METRICS, vmMetricsFor } from './catalogue';
import { thousands } from '../model/format';

/** Lengths of run slices. */
const SLICES = ['runSliceMedianUs', 'runSliceP90Us', 'runSliceP99Us', 'runSliceMaxUs'];
/** Integrals of who ran where and when. */
const RUN_TIME = [
  'cpuShare',
  'hostNoiseShare',
  'gangScore',
  'gangScoreIndependent',
  'coScheduling',
  'allRunningFraction',
  'smtSiblingCoRunFraction',
  'homeNodeFraction',
  'localRunFraction',
  'idleFraction',
];
/** Counts of switches and switch-ins. */
const SWITCH_COUNTS = [
  'switchInsPerSec',
  'siblingHandoffs',
  'siblingHandoffsPerSec',
  'vcpuMigrationsPerSec',
  'crossNodeMigrationsPerSec',
  'switchesPerSecPerCpu',
];
/** Waits: from a wakeup or a preemption to the next switch-in. */
const WAITS = ['preemptedVcpusMean', 'runDelayP50Us', 'runDelayP99Us'];
const OTHER_EVENTS = ['pleExitsPerSec', 'numaBalancingPerSec'];
const EVERY_EVENT_METRIC = [...SLICES, ...RUN_TIME, ...SWITCH_COUNTS, ...WAITS, ...OTHER_EVENTS];

/** Per kind: the catalogue keys of the metrics it can bias ([] = none). */
export const WARNING_BIAS: Record<WarningKind, readonly string[]> = {
  // Whatever was lost is missing from every count and integral over that stretch.
  'lost-events': EVERY_EVENT_METRIC,
  // The task that really ran is not known: its slice goes to the task before it, one switch-in is missing.
  'lost-switch-in': [...SLICES, ...RUN_TIME, ...SWITCH_COUNTS, ...WAITS],
  // The slice on the other CPU is cut at the new switch-in (the migration rule); that CPU is unknown until its next switch.
  'double-running': [...SLICES, ...RUN_TIME, 'vcpuMigrationsPerSec', 'crossNodeMigrationsPerSec'],
  // Switches are sorted; a wakeup matched to a switch-in across the disorder gives a wrong wait.
  'unordered-time': WAITS,
  // The switch is dropped: its slice joins its neighbour's.
  'time-outlier': [...SLICES, ...RUN_TIME, ...SWITCH_COUNTS],
  'skipped-line': EVERY_EVENT_METRIC,
  // A guessed task identity moves run time and switch-ins between tasks (and so between VMs).
  ambiguous: [...SLICES, ...RUN_TIME, ...SWITCH_COUNTS, ...WAITS],
  // Not scheduler events: nothing is read from them.
  'other-tracer': [],
  // The event it should have been is missing.
  'near-miss-event': EVERY_EVENT_METRIC,
  // Rejoined rows are read whole (a row that cannot be rejoined is a skipped line).
  'wrapped-line': [],
  // The window is what the input holds; nothing inside it changes.
  'truncated-input': [],
  // What ran in the gap is not there: slices open at it end there (shorter), switch counts and waits miss it.
  'elided-gap': EVERY_EVENT_METRIC,
  // The tasks in between are one placeholder (host) task; their own switches are not counted.
  'inferred-switch': [
    'hostNoiseShare',
    'idleFraction',
    'switchesPerSecPerCpu',
    'siblingHandoffs',
    'siblingHandoffsPerSec',
  ],
  note: [],
};

export interface WarningSummaryReport extends WarningSummaryEntry {
  /** What the kind means (WARNING_KINDS). */
  means: string;
  /** Catalogue keys of the metrics the kind can bias. */
  biases: string[];
}

/** The model's warning summary with what each kind means and which metrics it can bias. */
export function warningSummaryReport(summary: readonly WarningSummaryEntry[]): WarningSummaryReport[] {
  return summary.map((e) => ({ ...e, means: WARNING_KINDS[e.kind], biases: [...WARNING_BIAS[e.kind]] }));
}

/** The label (the VM table's and the CLI's name) of a metric WARNING_BIAS names, by its key. */
export function biasLabel(key: string): string {
  return (vmMetricsFor(true).find((m) => m.key === key) ?? HOST_METRICS.find((m) => m.key === key))?.label ?? key;
}

/** `lost-events: 3 (12570412 events lost), first at lines 5, 9; can bias slice p50, …`: the CLI's line, the panel's row. */
export function warningKindText(e: WarningSummaryReport): { head: string; lines: string; biases: string } {
  const events = e.events !== undefined ? ` (${thousands(e.events)} events lost)` : '';
  const n = e.firstLines.length;
  return {
    head: `${e.kind}: ${thousands(e.count)}${events}`,
    lines: n === 0 ? 'the whole input' : `first at line${n > 1 ? 's' : ''} ${e.firstLines.join(', ')}`,
    biases: e.biases.length > 0 ? `can bias ${e.biases.map(biasLabel).join(', ')}` : 'biases no metric',
  };
}
