// What a drop does to the open runs (the drop/join rule), as pure functions of
// what is open and what was dropped: companions (a VM map, ps output, a
// topology, a timehist that matches an open trace) join the open runs; any
// other trace opens fresh. The model worker applies them; the page only shows
// the runs they give.

import { assembleRuns, type DroppedInput, type Run } from './runs';

export interface OpenRuns {
  /** Everything dropped that the runs are made of (traces and companions). */
  inputs: DroppedInput[];
  runs: Run[];
}

export const NOTHING_OPEN: OpenRuns = { inputs: [], runs: [] };

/** Companion inputs (VM maps, ps output, host topologies): they apply to every run (a topology only where it fits). */
export function companionsOf(inputs: readonly DroppedInput[]): DroppedInput[] {
  return inputs.filter((i) => i.kind !== 'trace');
}

/** The trace inputs behind a run: its trace and the timehists that joined it as companions. */
export function inputsOfRun(inputs: readonly DroppedInput[], run: Run): Set<DroppedInput> {
  return new Set(
    inputs.filter(
      (i) =>
        i.kind === 'trace' &&
        (i.model === run.model || (i.model.format === 'perf-sched-timehist' && run.companions.includes(i.name))),
    ),
  );
}

/**
 * A drop on the app: companions alone join the open runs (re-assembled with them); anything that makes a
 * run of its own replaces them all. Nothing dropped: nothing changes.
 */
export function dropOnApp(open: OpenRuns, added: readonly DroppedInput[]): OpenRuns {
  if (added.length === 0) return open;
  const joined = [...open.inputs, ...added];
  const joinedRuns = assembleRuns(joined);
  const onlyCompanions = open.inputs.length > 0 && joinedRuns.length === open.runs.length;
  if (onlyCompanions) return { inputs: joined, runs: joinedRuns };
  return { inputs: [...added], runs: assembleRuns(added) };
}

/** Traces opened next to the open runs (the open companions apply to them too). */
export function addRuns(open: OpenRuns, added: readonly DroppedInput[]): OpenRuns {
  const fresh = assembleRuns([...companionsOf(open.inputs), ...added]);
  return { inputs: [...open.inputs, ...added], runs: [...open.runs, ...fresh] };
}

/**
 * Traces put in place of one run; the other runs stay as they are. Null when the drop has no trace (the
 * run stays).
 */
export function replaceRun(open: OpenRuns, run: Run, added: readonly DroppedInput[]): OpenRuns | null {
  const fresh = assembleRuns([...companionsOf(open.inputs), ...added]);
  if (fresh.length === 0 || !open.runs.includes(run)) return null;
  const drop = inputsOfRun(open.inputs, run);
  return {
    inputs: [...open.inputs.filter((i) => !drop.has(i)), ...added],
    runs: open.runs.flatMap((r) => (r === run ? fresh : [r])),
  };
}

/** One run closed; the last one closed leaves nothing for companions to join. */
export function closeRun(open: OpenRuns, run: Run): OpenRuns {
  const drop = inputsOfRun(open.inputs, run);
  const runs = open.runs.filter((r) => r !== run);
  return { inputs: runs.length === 0 ? [] : open.inputs.filter((i) => !drop.has(i)), runs };
}

/** Whether a drop holds only companions (no trace): dropped while a trace is parsed, it joins that trace. */
export function onlyCompanions(added: readonly DroppedInput[]): boolean {
  return added.length > 0 && added.every((i) => i.kind !== 'trace');
}
