// The events the model knows by name, and near misses of their names: an
// ignored event whose name is one character off a known one
// (`sched_swItch`, `sched_swtich`) is most likely a damaged line of that event, so it is warned
// about with its line instead of vanishing into the ignored counts.

import { NumaEventKind } from './types';

/** The first NUMA balancing EventKind (the one after StatRuntime). */
const NUMA_FIRST = 9;

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
  /**
   * NUMA balancing: sched_move_numa, sched_stick_numa, sched_swap_numa, migrate:mm_migrate_pages. Each is
   * NUMA_FIRST plus its NumaEventKind (types.ts), the one list of those kinds (numaKindOf).
   */
  NumaMove = NUMA_FIRST + NumaEventKind.Move,
  NumaStick = NUMA_FIRST + NumaEventKind.Stick,
  NumaSwap = NUMA_FIRST + NumaEventKind.Swap,
  MigratePages = NUMA_FIRST + NumaEventKind.MigratePages,
}

/** The events of NUMA balancing. */
export type NumaKind = EventKind.NumaMove | EventKind.NumaStick | EventKind.NumaSwap | EventKind.MigratePages;

/** The NUMA balancing kind of a NUMA event. */
export function numaKindOf(kind: NumaKind): NumaEventKind {
  return kind - NUMA_FIRST;
}

function isNumaKind(kind: EventKind): kind is NumaKind {
  return kind >= EventKind.NumaMove && kind <= EventKind.MigratePages;
}

export interface KnownEvent {
  name: string;
  system: string;
  kind: EventKind;
}

/**
 * The one list of event names: the text classifier (parse/schedPayload.ts) and
 * the binary readers (parse/tracefs/schedModel.ts), which look each recording's
 * event format up in it by name and system, read it, and so do the NUMA marks'
 * legend and the metric catalogue (through NUMA_EVENT_NAMES). The Other rows are
 * read as ignored events; `perf sched record` records them beside the modelled
 * ones, so a near miss of them is warned about too.
 */
export const KNOWN_EVENTS: readonly KnownEvent[] = [
  { name: 'sched_switch', system: 'sched', kind: EventKind.Switch },
  { name: 'sched_waking', system: 'sched', kind: EventKind.Waking },
  { name: 'sched_wakeup', system: 'sched', kind: EventKind.Wakeup },
  { name: 'sched_wakeup_new', system: 'sched', kind: EventKind.WakeupNew },
  { name: 'sched_migrate_task', system: 'sched', kind: EventKind.Migrate },
  { name: 'sched_stat_runtime', system: 'sched', kind: EventKind.StatRuntime },
  { name: 'sched_process_exit', system: 'sched', kind: EventKind.Other },
  { name: 'sched_process_fork', system: 'sched', kind: EventKind.Other },
  { name: 'kvm_exit', system: 'kvm', kind: EventKind.KvmExit },
  { name: 'kvm_entry', system: 'kvm', kind: EventKind.KvmEntry },
  { name: 'sched_move_numa', system: 'sched', kind: EventKind.NumaMove },
  { name: 'sched_stick_numa', system: 'sched', kind: EventKind.NumaStick },
  { name: 'sched_swap_numa', system: 'sched', kind: EventKind.NumaSwap },
  { name: 'mm_migrate_pages', system: 'migrate', kind: EventKind.MigratePages },
];

/** The tracepoint name of each NUMA balancing kind (indexed by NumaEventKind). */
export const NUMA_EVENT_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const e of KNOWN_EVENTS) if (isNumaKind(e.kind)) names[numaKindOf(e.kind)] = e.name;
  return names;
})();

/** What event `name` of `system` is to the model; `system` '' (a format that names none) matches any. */
export function eventKindOf(system: string, name: string): EventKind {
  const e = KNOWN_EVENTS.find((m) => m.name === name);
  return e !== undefined && (system === '' || system === e.system) ? e.kind : EventKind.Other;
}

/** The name of the modelled event of `kind`, as messages give it. */
export function eventName(kind: Exclude<EventKind, EventKind.Other>): string {
  const e = KNOWN_EVENTS.find((m) => m.kind === kind);
  if (e === undefined) throw new Error(`eventNames: no event of kind ${kind}`);
  return e.name;
}

const NAMES = KNOWN_EVENTS.map((e) => e.name);

/** The known event `name` (with or without its `system:`) is one edit away from, or null. */
export function nearMissOf(name: string): string | null {
  const bare = name.slice(name.indexOf(':') + 1);
  if (NAMES.includes(bare)) return null;
  for (const known of NAMES) if (oneEditApart(bare, known)) return known;
  return null;
}

/** One substituted, inserted or deleted character, or two neighbours swapped (letter case counts). */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length)
    return (
      a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
    );
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
