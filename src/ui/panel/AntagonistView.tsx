// Lock-holder preemption: for the pinned vCPU, while it was runnable but not
// running, what ran on the CPUs it could have used, ranked by time. Its own
// VM's siblings are marked: a spinning sibling that holds the CPU a preempted
// lock holder needs is the case PLE and yield_to() exist for.

import { useMemo } from 'react';
import type { AntagonistRelation, AntagonistReport } from '../../analysis/antagonists';
import { usePane } from '../pane/PaneContext';
import type { AnalysisJob } from '../../worker/protocol';
import { cpuListText } from '../../model/cpuList';
import { taskRows } from '../../model/cpuSlices';
import { ns, pct } from '../../model/format';
import type { PanelQuery } from '../../analysis/panel';
import { useJob } from './useJob';

const RELATION_TEXT: Record<AntagonistRelation, string> = {
  sibling: 'sibling vCPU',
  'own-vm-thread': 'own VM thread',
  'other-vm': 'other VM',
  host: 'host task',
  idle: 'idle',
};

export function AntagonistView({ query, names, colors }: { query: PanelQuery; names: string[]; colors: string[] }) {
  const run = usePane((s) => s.run);
  const pinned = usePane((s) => s.pinned);
  const paneId = usePane((s) => s.paneId);
  const setPinned = usePane((s) => s.setPinned);
  const vcpus = useMemo(
    () =>
      run.vms.flatMap((vm, v) =>
        vm.vcpus.filter((c) => c.task >= 0).map((c) => ({ vm: v, index: c.index, tid: c.tid, task: c.task })),
      ),
    [run],
  );
  const pinnedVcpu = pinned ? (vcpus.find((c) => c.task === pinned.task) ?? null) : null;
  const job = useMemo<AnalysisJob | null>(
    () => (pinnedVcpu && run.model.hasStates ? { kind: 'antagonists', task: pinnedVcpu.task, query } : null),
    [pinnedVcpu, run, query],
  );
  const { value, loading } = useJob<AntagonistReport | null>(run, job, `${paneId}:antagonists`, 60);
  const report = job && value && value.task === pinnedVcpu?.task ? value : null;

  const pick = (task: number): void => {
    // Its first slice.
    const { taskOffset } = run.slices;
    setPinned({ task, slice: taskOffset[task + 1] > taskOffset[task] ? taskRows(run.slices)[taskOffset[task]] : -1 });
  };

  const picker = (
    <select
      aria-label="vCPU for the preemption view"
      data-testid="antagonist-pick"
      value={pinnedVcpu ? String(pinnedVcpu.task) : ''}
      onChange={(e) => (e.target.value === '' ? setPinned(null) : pick(Number(e.target.value)))}
    >
      <option value="">pick a vCPU…</option>
      {vcpus.map((c) => (
        <option key={c.task} value={c.task}>
          {names[c.vm]} vCPU {c.index} (tid {c.tid})
        </option>
      ))}
    </select>
  );

  if (!run.model.hasStates)
    return (
      <p className="panel-note">
        Needs switch states (prev_state): load perf script, ftrace or trace-cmd output. perf sched map and timehist do
        not say whether a vCPU left the CPU runnable.
      </p>
    );
  if (!pinnedVcpu)
    return (
      <p className="panel-note">
        Click a vCPU slice on the map to pin it, or {picker}: while it was runnable but not running, which tasks held
        the CPUs it could have used?
      </p>
    );
  return (
    <div className="antagonists" data-testid="antagonists" data-task={pinnedVcpu.task}>
      <p className="antagonist-head">
        {picker}{' '}
        {report ? (
          <span data-testid="antagonist-summary" data-waiting-ns={report.waitingNs} data-intervals={report.intervals}>
            waited runnable for <strong>{ns(report.waitingNs)}</strong> in {report.intervals} waits (longest{' '}
            {ns(report.longestNs)}) on {report.cpus.length === 1 ? 'CPU' : 'CPUs'} {cpuListText(report.cpus) || 'none'}
            {report.unknownNs > 0 ? `; ${ns(report.unknownNs)} of their time unknown` : ''}
            {report.gapNs > 0 ? `; ${ns(report.gapNs)} more where the pasted text was cut, not in the trace` : ''}.
            {report.antagonists.length > 0 && ' Meanwhile on those CPUs:'}
          </span>
        ) : (
          <span className="muted">{loading ? 'computing…' : ''}</span>
        )}
      </p>
      {report && report.antagonists.length > 0 && (
        <div className="task-scroll">
          <table className="small-table">
            <thead>
              <tr>
                <th>task</th>
                <th>tid</th>
                <th>who</th>
                <th title="Time it ran on those CPUs while the vCPU waited">time</th>
                <th title="Of the waiting time × CPUs it could have used">share</th>
                <th title="Its slices that overlap a wait">slices</th>
              </tr>
            </thead>
            <tbody>
              {report.antagonists.slice(0, 30).map((a) => (
                <tr
                  key={a.task}
                  data-testid="antagonist-row"
                  data-relation={a.relation}
                  data-tid={a.tid}
                  data-time-ns={a.timeNs}
                  className={a.relation === 'sibling' ? 'sibling-row' : undefined}
                >
                  <td className="comm" title={a.comm}>
                    {a.vm >= 0 && <span className="swatch" style={{ background: colors[a.vm] }} />} {a.comm || '?'}
                  </td>
                  <td className="num">{a.tid >= 0 ? a.tid : '?'}</td>
                  <td>
                    <span className={`rel rel-${a.relation}`}>{RELATION_TEXT[a.relation]}</span>
                    {a.vm >= 0 && a.relation === 'other-vm' ? ` ${names[a.vm]}` : ''}
                  </td>
                  <td className="num">{ns(a.timeNs)}</td>
                  <td className="num">{pct(a.share)}</td>
                  <td className="num">{a.slices}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.antagonists.length > 30 && <p className="muted">and {report.antagonists.length - 30} more</p>}
        </div>
      )}
    </div>
  );
}
