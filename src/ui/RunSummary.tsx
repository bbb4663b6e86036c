// One line of facts about a run (format, switches, CPUs, VMs, duration, skipped lines), and for a binary
// recording a second line with the machine it was recorded on and the command that recorded it.

import type { DrawnRun } from '../model/drawnRun';
import { fixed, thousands } from '../model/format';
import { recordingHostText } from '../analysis/recordingHost';

export function RunSummary({ run }: { run: DrawnRun }) {
  // Only facts the model holds: no pass over the switches (summarizeRun counts tasks, which this line does
  // not show, and would cost the page a scan of the whole trace the moment it arrives).
  const m = run.model;
  // The input's switches; the ones the reader inferred (timehist) are said apart.
  const inferred = m.inferredSwitchRows.length;
  const switches = m.switchCount - inferred;
  const cpus = m.cpus.length;
  const vms = run.vms.length;
  const host = m.recordedOn;
  const hostText = host ? recordingHostText(host) : '';
  return (
    <>
      <div className="summary-line" data-testid="trace-summary" data-switches={switches} data-inferred-switches={inferred} data-cpus={cpus} data-vms={vms}>
        <strong>{run.name}</strong> — {m.formatDetail}: {thousands(switches)} switches
        {inferred > 0 && <> (and {thousands(inferred)} inferred)</>} on {cpus} CPUs, {vms}{' '}
        VMs, {fixed((m.t1 - m.t0) / 1e9, 3)} s
        {run.companions.length > 0 && <>, with {run.companions.join(', ')}</>}
        {m.skippedLines > 0 && <>, {m.skippedLines} lines skipped</>}
      </div>
      {host && (hostText !== '' || host.cmdline) && (
        <div className="recorded-on" data-testid="recorded-on" title={host.cmdline ?? undefined}>
          {hostText !== '' && <>Recorded on {hostText}</>}
          {host.cmdline && (
            <>
              {hostText !== '' ? ' by ' : 'Recorded by '}
              <code>{host.cmdline}</code>
            </>
          )}
        </div>
      )}
    </>
  );
}
