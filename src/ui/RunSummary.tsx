// One line of facts about a run (format, switches, CPUs, VMs, duration, skipped lines).

import { useMemo } from 'react';
import { summarizeRun } from '../analysis/summary';
import type { Run } from '../model/runs';

export function RunSummary({ run }: { run: Run }) {
  // A run never changes; its summary scans every switch once, not on every render.
  const s = useMemo(() => summarizeRun(run), [run]);
  return (
    <div
      className="summary-line"
      data-testid="trace-summary"
      data-switches={s.switches}
      data-cpus={s.cpus}
      data-vms={s.vms.length}
    >
      <strong>{s.file}</strong> — {s.formatDetail}: {s.switches.toLocaleString('en')} switches on {s.cpus} CPUs,{' '}
      {s.vms.length} VMs, {s.durationSec.toFixed(3)} s
      {s.companions.length > 0 && <>, with {s.companions.join(', ')}</>}
      {s.skippedLines > 0 && <>, {s.skippedLines} lines skipped</>}
    </div>
  );
}
