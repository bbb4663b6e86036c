// One line of facts about a run, and the VMs found in it. Task names are
// untrusted trace text: React renders them as text only.

import { summarizeRun } from '../analysis/summary';
import type { Run } from '../model/runs';

export function RunSummary({ run }: { run: Run }) {
  const s = summarizeRun(run);
  return (
    <section className="run-summary">
      <div
        className="summary-line"
        data-testid="trace-summary"
        data-switches={s.switches}
        data-cpus={s.cpus}
        data-vms={s.vms.length}
      >
        <strong>{s.file}</strong> — {s.formatDetail}: {s.switches.toLocaleString()} switches on {s.cpus} CPUs over{' '}
        {s.durationSec.toFixed(3)} s, {s.vms.length} VMs
        {s.skippedLines > 0 && <>, {s.skippedLines} lines skipped</>}
      </div>
      <ul className="vm-legend">
        {s.vms.map((vm) => (
          <li key={vm.name} data-testid="vm-legend-item" data-vm-name={vm.name}>
            <strong>{vm.name}</strong> ({vm.vcpus.length} vCPUs, grouped by {vm.grouping}
            {vm.ambiguous ? ', ambiguous' : ''}): {vm.vcpus.map((v) => `${v.comm}:${v.tid}`).join(', ')}
          </li>
        ))}
      </ul>
      {s.warnings.length > 0 && (
        <details className="warnings">
          <summary>{s.warningCount} warnings</summary>
          <ul>
            {s.warnings.map((w, i) => (
              <li key={i}>
                line {w.line}: {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
