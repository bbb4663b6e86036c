// The events the model is built from, and near misses of their names: an
// ignored event whose name is one character off a modelled one
// (`sched_swItch`, `sched_swtich`) is most likely a damaged line of that event, so it is warned
// about with its line instead of vanishing into the ignored counts.

const MODELLED = [
  'sched_switch',
  'sched_waking',
  'sched_wakeup',
  'sched_wakeup_new',
  'sched_migrate_task',
  'sched_stat_runtime',
  'sched_process_exit',
  'sched_process_fork',
  'kvm_exit',
  'kvm_entry',
];

/** The modelled event `name` (with or without its `system:`) is one edit away from, or null. */
export function nearMissOf(name: string): string | null {
  const bare = name.slice(name.indexOf(':') + 1);
  if (MODELLED.includes(bare)) return null;
  for (const known of MODELLED) if (oneEditApart(bare, known)) return known;
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
