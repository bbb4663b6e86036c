// A selection's CPU time: per VM (its vCPUs and its other threads), host tasks,
// idle and unknown, then the tasks that ran most, each with its share of the
// selection's known CPU time (D less a paste's gaps, × P; the gaps' time is said apart). Task names are untrusted: React text only.

import { ns, pct, thousands } from '../../model/format';
import type { SelectionBreakdown, TaskClass } from '../../analysis/panel';
import { GAP_LABEL } from '../../render/legendColors';

const CLASS_TEXT: Record<TaskClass, string> = {
  vcpu: 'vCPU',
  'vm-thread': 'VM thread',
  host: 'host',
  idle: 'idle',
  placeholder: 'unidentified',
};

function ShareBar({ share, color }: { share: number | null; color?: string }) {
  const w = share === null ? 0 : Math.max(0, Math.min(1, share)) * 80;
  return (
    <span className="share-bar" title={share === null ? undefined : String(share)}>
      <span style={{ width: w, background: color ?? 'var(--accent)' }} />
    </span>
  );
}

export function SelectionTables({
  sel,
  names,
  colors,
}: {
  sel: SelectionBreakdown;
  names: string[];
  colors: string[];
}) {
  const share = (x: number): number | null => (sel.cpuTimeNs > 0 ? x / sel.cpuTimeNs : null);
  const rest: [string, number][] = [
    ['host tasks', sel.hostNs],
    ['idle', sel.idleNs],
    ['unknown', sel.unknownNs],
  ];
  return (
    <div className="selection-tables" data-testid="selection-tables">
      <div>
        <h4>
          Time per VM{' '}
          <span className="muted">
            of {ns(sel.cpuTimeNs)} CPU time ({ns(sel.knownNs)} × {sel.cpus} CPUs)
            {sel.gapNs > 0 &&
              `; ${ns(sel.durationNs - sel.knownNs)} of the selection is ${GAP_LABEL}: not in the trace, in no share`}
          </span>
        </h4>
        <table className="small-table">
          <thead>
            <tr>
              <th>VM</th>
              <th>vCPUs</th>
              <th>other threads</th>
              <th>total</th>
              <th>share</th>
            </tr>
          </thead>
          <tbody>
            {sel.vms.map((v) => (
              <tr
                key={v.vm}
                data-testid="selection-vm-row"
                data-vm-name={names[v.vm]}
                data-time-ns={v.timeNs}
                data-share={v.share ?? 'null'}
              >
                <td>
                  <span className="swatch" style={{ background: colors[v.vm] }} /> {names[v.vm]}
                </td>
                <td className="num">{ns(v.vcpuNs)}</td>
                <td className="num">{ns(v.otherNs)}</td>
                <td className="num">{ns(v.timeNs)}</td>
                <td className="num">
                  {pct(v.share)} <ShareBar share={v.share} color={colors[v.vm]} />
                </td>
              </tr>
            ))}
            {rest.map(([label, t]) => (
              <tr
                key={label}
                className="muted-row"
                data-testid="selection-other-row"
                data-kind={label}
                data-time-ns={t}
              >
                <td>{label}</td>
                <td />
                <td />
                <td className="num">{ns(t)}</td>
                <td className="num">
                  {pct(share(t))} <ShareBar share={share(t)} color="#6b7380" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h4>
          Time per task{' '}
          <span className="muted">
            {sel.tasks.length < sel.taskCount
              ? `top ${sel.tasks.length} of ${thousands(sel.taskCount)}`
              : `${thousands(sel.taskCount)} tasks`}
          </span>
        </h4>
        <div className="task-scroll">
          <table className="small-table">
            <thead>
              <tr>
                <th>task</th>
                <th>tid</th>
                <th>kind</th>
                <th>time</th>
                <th>share</th>
              </tr>
            </thead>
            <tbody>
              {sel.tasks.map((t) => (
                <tr key={t.task} data-testid="selection-task-row" data-tid={t.tid} data-time-ns={t.timeNs}>
                  <td className="comm" title={t.comm}>
                    {t.vm >= 0 && <span className="swatch" style={{ background: colors[t.vm] }} />} {t.comm || '?'}
                  </td>
                  <td className="num">{t.tid >= 0 ? t.tid : '?'}</td>
                  <td>
                    {CLASS_TEXT[t.cls]}
                    {t.vm >= 0 ? ` · ${names[t.vm]}` : ''}
                  </td>
                  <td className="num">{ns(t.timeNs)}</td>
                  <td className="num">
                    {pct(t.share)} <ShareBar share={t.share} color={t.vm >= 0 ? colors[t.vm] : '#6b7380'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
