// Host CPUs: switches per second and idle share per CPU (bars, and a table
// with the exact values), with a checkbox per CPU that shows or hides it on
// the map and in the analysis.

import { scaleBand, scaleLinear } from 'd3';
import type { RunMetrics } from '../../analysis/metrics';
import { usePane } from '../pane/PaneContext';
import { attr, DASH, num, pct } from '../../model/format';

const H = 40;

export function HostCpus({ metrics }: { metrics: RunMetrics }) {
  const run = usePane((s) => s.run);
  const hiddenCpus = usePane((s) => s.hiddenCpus);
  const setHiddenCpus = usePane((s) => s.setHiddenCpus);
  const cpus = run.model.cpus;
  const byCpu = new Map(metrics.perCpu.map((c) => [c.cpu, c]));
  const width = Math.min(640, Math.max(160, cpus.length * 14));
  const x = scaleBand<number>()
    .domain(cpus)
    .range([0, width])
    .paddingInner(cpus.length > 64 ? 0 : 0.15);
  const maxRate = Math.max(1, ...metrics.perCpu.map((c) => c.switchesPerSec ?? 0));
  const yRate = scaleLinear().domain([0, maxRate]).range([H, 0]);
  const yIdle = scaleLinear().domain([0, 1]).range([0, H]);
  const toggle = (c: number): void => {
    const next = new Set(hiddenCpus);
    if (next.has(c)) next.delete(c);
    else if (cpus.length - next.size > 1) next.add(c);
    setHiddenCpus(next);
  };
  return (
    <div className="host-cpus">
      <div className="host-head">
        <strong>Host</strong>: {num(metrics.switchesPerSecPerCpu)} switches/s per CPU over {metrics.window.cpus.length}{' '}
        CPUs
        <span
          className="muted"
          data-testid="host-switch-rate"
          data-switches-per-sec-per-cpu={attr(metrics.switchesPerSecPerCpu)}
        />
      </div>
      <svg width={width + 70} height={2 * H + 24} role="img" aria-label="Switches per second and idle share per CPU">
        <text x={0} y={12} className="chart-label">
          switches/s
        </text>
        <text x={0} y={H + 24} className="chart-label">
          idle
        </text>
        <g transform="translate(66,4)">
          {cpus.map((c) => {
            const m = byCpu.get(c);
            const hidden = hiddenCpus.has(c);
            const rate = m?.switchesPerSec ?? 0;
            const idle = m?.idleFraction ?? 0;
            return (
              <g key={c} opacity={hidden ? 0.25 : 1} onClick={() => toggle(c)} className="cpu-bar">
                <title>
                  {hidden
                    ? `CPU ${c}: hidden (click to show)`
                    : `CPU ${c}: ${num(m?.switchesPerSec)} switches/s, idle ${pct(m?.idleFraction)} (click to hide)`}
                </title>
                <rect x={x(c)} width={x.bandwidth()} y={yRate(rate)} height={H - yRate(rate)} className="rate-bar" />
                <rect x={x(c)} width={x.bandwidth()} y={H + 4} height={H} className="idle-track" />
                <rect x={x(c)} width={x.bandwidth()} y={H + 4} height={yIdle(idle)} className="idle-bar" />
                <rect x={x(c)} width={x.bandwidth()} y={0} height={2 * H + 4} fill="transparent" />
              </g>
            );
          })}
          <line x1={0} x2={width} y1={H + 2} y2={H + 2} className="axis-line" />
        </g>
      </svg>
      <details className="cpu-details" open={cpus.length <= 8}>
        <summary>Per CPU ({cpus.length})</summary>
        <table className="cpu-table" data-testid="cpu-table">
          <thead>
            <tr>
              <th title="Shown on the map and counted in the analysis">shown</th>
              <th>CPU</th>
              <th>switches</th>
              <th>switches/s</th>
              <th title="Idle time / known time on that CPU">idle</th>
            </tr>
          </thead>
          <tbody>
            {cpus.map((c) => {
              const m = byCpu.get(c);
              return (
                <tr
                  key={c}
                  data-testid="cpu-row"
                  data-cpu={c}
                  data-hidden={hiddenCpus.has(c) ? 'true' : 'false'}
                  data-switches={m ? m.switches : ''}
                  data-switches-per-sec={m ? attr(m.switchesPerSec) : ''}
                  data-idle-fraction={m ? attr(m.idleFraction) : ''}
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Show CPU ${c}`}
                      checked={!hiddenCpus.has(c)}
                      onChange={() => toggle(c)}
                    />
                  </td>
                  <td>{c}</td>
                  <td className="num">{m ? num(m.switches) : DASH}</td>
                  <td className="num" title={m ? String(m.switchesPerSec) : undefined}>
                    {m ? num(m.switchesPerSec) : 'hidden'}
                  </td>
                  <td className="num" title={m ? String(m.idleFraction) : undefined}>
                    {m ? pct(m.idleFraction) : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </div>
  );
}
