// Which of the open runs' files a reload can bring back: pure rules, no storage.
// Only pages served over http(s) keep anything: a page opened from file:// (the
// one-file build, a report) shares its storage with every other local file.

/** A file to keep: its name and size (bytes). */
export interface KeepItem {
  name: string;
  size: number;
}

/** Whether this page may keep traces: served over http(s), and not a report (which carries its own). */
export function mayKeep(protocol: string, hasEmbeddedTraces: boolean): boolean {
  return (protocol === 'http:' || protocol === 'https:') && !hasEmbeddedTraces;
}

/** The files that reopen the runs, in run order: each run's trace, then its companions; each file once. */
export function filesOfRuns(runs: readonly { name: string; companions: readonly string[] }[]): string[][] {
  const seen = new Set<string>();
  return runs.map((r) =>
    [r.name, ...r.companions].filter((n) => {
      if (seen.has(n)) return false;
      seen.add(n);
      return true;
    }),
  );
}

export interface KeepPlan<T extends KeepItem> {
  kept: T[];
  /** Not kept, with why (the browser's storage would be over its quota). */
  notKept: { item: T; why: string }[];
}

/**
 * Keep runs whole, in order, while they fit in `available` bytes (the quota left, counting what this app holds
 * now, since the new set replaces it); a run that does not fit is not kept, nor are the runs after it (a
 * reload reopens a prefix of the panes, in order).
 */
export function planKeep<T extends KeepItem>(runs: readonly T[][], available: number): KeepPlan<T> {
  const plan: KeepPlan<T> = { kept: [], notKept: [] };
  let used = 0;
  let full = false;
  for (const files of runs) {
    const size = files.reduce((n, f) => n + f.size, 0);
    if (!full && used + size <= available) {
      plan.kept.push(...files);
      used += size;
      continue;
    }
    full = true;
    for (const item of files) plan.notKept.push({ item, why: 'over the storage quota' });
  }
  return plan;
}
