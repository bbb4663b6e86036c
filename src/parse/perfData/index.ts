// perf.data in, a trace model out (or a clear message why not): the mode from
// the header, file mode by ranges, pipe mode forward. See readPerfData.ts.

import type { TraceModel } from '../../model/types';
import type { ByteSource } from '../bytes';
import { collect, type RandomAccessSource } from '../source';
import { PerfDataError } from './binary';
import { perfDataMode } from './header';
import { readPerfDataFile, readPerfDataPipe, type PerfDataModel, type PerfDataOptions } from './readPerfData';
import { thousands } from '../../model/format';

/**
 * `head`: the file's first bytes; `stream`: the whole file from its first byte;
 * `random`: the same file by ranges, when it is one (not gzip, not stdin).
 */
export async function readPerfData(
  head: Uint8Array,
  stream: ByteSource,
  random: RandomAccessSource | undefined,
  options: PerfDataOptions = {},
): Promise<PerfDataModel> {
  const mode = perfDataMode(head);
  const r =
    mode === 'pipe'
      ? await readPerfDataPipe(stream, options)
      : await readPerfDataFile(random ?? (await collect(stream)), options);
  if (options.signal?.aborted) return r;
  if (r.model.switches.length === 0) throw new PerfDataError(noSwitches(r.model));
  return r;
}

/** Why a perf.data gives no map: what it holds, what was wrong, and what to record. */
function noSwitches(m: TraceModel): string {
  const held = Object.entries(m.ignoredEvents)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, n]) => `${thousands(n)} ${name}`);
  const why = m.warnings
    .slice(0, 2)
    .map((w) => w.message)
    .join('; ');
  return (
    `it has no sched:sched_switch samples (it holds ${thousands(m.lineCount)} samples${held.length > 0 ? `: ${held.join(', ')}` : ''})` +
    (why !== '' ? `; ${why}` : '') +
    '. Record the scheduler with `perf sched record -a -- sleep 5` (add `-e kvm:kvm_exit -e kvm:kvm_entry` through `perf record -e sched:sched_switch -e sched:sched_waking -e sched:sched_migrate_task ...` for kvm events)'
  );
}
