// Small multiples, one per VM, sharing their axes so they read at a glance:
// the run-slice length histogram on a log axis (hovering a bar marks those
// slices on the map), and the co-running histogram r(t): the share of the
// window with j of the VM's vCPUs running at once. d3 makes the scales; React
// renders the SVG.

import { scaleBand, scaleLinear, scaleLog } from 'd3';
import { useState } from 'react';
import type { RunMetrics } from '../../analysis/metrics';
import { usePane } from '../pane/PaneContext';
import { pct, durationTick, thousands } from '../../model/format';
import { binEdgeNs, type PanelQuery, type SliceHistogram } from '../../analysis/panel';
import { decadeTicks, type HistogramAxes } from '../../analysis/histogramAxes';

const W = 176;
const H = 104;
const M = { top: 16, right: 8, bottom: 18, left: 8 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** Compact duration for axis ticks, from ns: "1µs", "10ms", "1s". */
const tickNs = durationTick;

function rangeText(loNs: number, hiNs: number): string {
  return `${tickNs(loNs)}–${tickNs(hiNs)}`;
}

/** A small multiple's caption: the VM's colour and name, and what the chart (or the hovered bar) says. */
function MultipleCaption({ color, name, label }: { color: string; name: string; label: string }) {
  return (
    <figcaption>
      <span className="mult-title">
        <span className="swatch" style={{ background: color }} />
        <span className="mult-name" title={name}>
          {name}
        </span>
      </span>
      <span className="mult-note" title={label}>
        {label}
      </span>
    </figcaption>
  );
}

export function SliceHistograms({
  hist,
  metrics,
  names,
  colors,
  query,
  axes,
}: {
  hist: SliceHistogram;
  metrics: RunMetrics;
  names: string[];
  colors: string[];
  query: PanelQuery;
  /** The axes (histogramAxes): this run's, or shared with the runs compared beside it. */
  axes: HistogramAxes;
}) {
  const setSliceHighlight = usePane((s) => s.setSliceHighlight);
  const [hover, setHover] = useState<{ vm: number; i: number } | null>(null);
  if (hist.bins === 0 || !axes.sliceBins)
    return <p className="panel-note">No complete vCPU run slices in this window.</p>;
  const lo = binEdgeNs(axes.sliceBins[0], hist.perDecade);
  const hi = binEdgeNs(axes.sliceBins[1], hist.perDecade);
  const x = scaleLog().domain([lo, hi]).range([0, PW]);
  const maxShare = axes.sliceMaxShare;
  const y = scaleLinear()
    .domain([0, maxShare || 1])
    .range([PH, 0]);
  const ticks = decadeTicks(lo, hi);
  return (
    <div
      className="multiples"
      data-testid="slice-histograms"
      data-x-domain={JSON.stringify([lo, hi])}
      data-y-max={maxShare}
    >
      {hist.vms.map((v, vm) => {
        const median = metrics.vms[vm]?.runSliceMedianUs;
        const h = hover?.vm === vm ? hover.i : null;
        const label =
          h !== null
            ? `${rangeText(binEdgeNs(hist.firstBin + h, hist.perDecade), binEdgeNs(hist.firstBin + h + 1, hist.perDecade))}: ${thousands(v.counts[h])} (${pct(v.total ? v.counts[h] / v.total : null)})`
            : `${thousands(v.total)} slices${v.zero ? `, ${thousands(v.zero)} of 0 µs` : ''}`;
        return (
          <figure key={vm} className="multiple">
            <MultipleCaption color={colors[vm]} name={names[vm]} label={label} />
            <svg width={W} height={H} role="img" aria-label={`Run-slice lengths of ${names[vm]}, log scale`}>
              <g transform={`translate(${M.left},${M.top})`}>
                <line x1={0} x2={PW} y1={PH} y2={PH} className="axis-line" />
                {v.counts.map((c, i) => {
                  if (c === 0) return null;
                  const x0 = x(binEdgeNs(hist.firstBin + i, hist.perDecade));
                  const x1 = x(binEdgeNs(hist.firstBin + i + 1, hist.perDecade));
                  const top = Math.min(PH - 1, y(c / v.total));
                  return (
                    <rect
                      key={i}
                      data-testid="slice-hist-bar"
                      data-vm={vm}
                      data-bin={hist.firstBin + i}
                      data-count={c}
                      x={x0 + 0.5}
                      width={Math.max(1, x1 - x0 - 1)}
                      y={top}
                      height={PH - top}
                      fill={colors[vm]}
                      className={h === i ? 'bar hovered' : 'bar'}
                      onMouseEnter={() => {
                        setHover({ vm, i });
                        setSliceHighlight({ vm, bin: hist.firstBin + i, perDecade: hist.perDecade, query });
                      }}
                      onMouseLeave={() => {
                        setHover(null);
                        setSliceHighlight(null);
                      }}
                    />
                  );
                })}
                {median !== null && median !== undefined && median * 1000 >= lo && median * 1000 <= hi && (
                  <line className="median-line" x1={x(median * 1000)} x2={x(median * 1000)} y1={-4} y2={PH}>
                    <title>median {tickNs(median * 1000)}</title>
                  </line>
                )}
                {ticks.map((t) => (
                  <g key={t} transform={`translate(${x(t)},${PH})`}>
                    <line y2={3} className="axis-line" />
                    <text y={13} textAnchor={x(t) < 12 ? 'start' : x(t) > PW - 12 ? 'end' : 'middle'} className="tick">
                      {tickNs(t)}
                    </text>
                  </g>
                ))}
              </g>
            </svg>
          </figure>
        );
      })}
    </div>
  );
}

export function CoRunHistograms({
  metrics,
  names,
  colors,
  axes,
}: {
  metrics: RunMetrics;
  names: string[];
  colors: string[];
  /** The axes (histogramAxes): this run's, or shared with the runs compared beside it. */
  axes: HistogramAxes;
}) {
  const [hover, setHover] = useState<{ vm: number; j: number } | null>(null);
  const max = axes.coRunMax;
  const y = scaleLinear()
    .domain([0, max || 1])
    .range([PH, 0]);
  return (
    <div className="multiples" data-testid="corun-histograms" data-y-max={max}>
      {metrics.vms.map((v, vm) => {
        const n = v.coRunHistogram.length - 1;
        const x = scaleBand<number>()
          .domain(v.coRunHistogram.map((_, j) => j))
          .range([0, PW])
          .paddingInner(n > 16 ? 0.05 : 0.2);
        const h = hover?.vm === vm ? hover.j : null;
        const label =
          h !== null
            ? `${h} running: ${pct(v.coRunHistogram[h])} (independent ${pct(v.coRunIndependent[h])})`
            : `all ${v.k}: ${pct(v.allRunningFraction)} of busy time`;
        const step = Math.max(1, Math.ceil((n + 1) / 8));
        // The independent expectation: a dark step line over the bars (Poisson-binomial of the p_i).
        const expected = v.coRunIndependent
          .map((f, j) => (f === null ? null : `M${x(j) ?? 0},${y(f)}h${x.step()}`))
          .filter((d): d is string => d !== null)
          .join('');
        return (
          <figure key={vm} className="multiple">
            <MultipleCaption color={colors[vm]} name={names[vm]} label={label} />
            <svg width={W} height={H} role="img" aria-label={`How many vCPUs of ${names[vm]} ran at once`}>
              <g transform={`translate(${M.left},${M.top})`}>
                <line x1={0} x2={PW} y1={PH} y2={PH} className="axis-line" />
                {v.coRunHistogram.map((f, j) => {
                  if (f === null) return null;
                  const top = f > 0 ? Math.min(PH - 1, y(f)) : PH;
                  return (
                    <rect
                      key={j}
                      data-testid="corun-bar"
                      data-vm={vm}
                      data-j={j}
                      data-fraction={f}
                      data-independent={v.coRunIndependent[j] ?? 'null'}
                      x={x(j)}
                      width={x.bandwidth()}
                      y={top}
                      height={PH - top}
                      fill={j === 0 ? '#4a515d' : colors[vm]}
                      opacity={j === 0 ? 1 : j >= v.k ? 1 : 0.55}
                      className={h === j ? 'bar hovered' : 'bar'}
                      onMouseEnter={() => setHover({ vm, j })}
                      onMouseLeave={() => setHover(null)}
                    >
                      <title>
                        {`${j === 0 ? 'none running (or unknown)' : `${j} of ${n} running`}: ${pct(f)}; independent ${pct(v.coRunIndependent[j])}`}
                      </title>
                    </rect>
                  );
                })}
                {expected && <path d={expected} className="independent-line" data-testid="corun-independent" />}
                {v.coRunHistogram.map((_, j) =>
                  j % step === 0 || j === n ? (
                    <text key={j} x={(x(j) ?? 0) + x.bandwidth() / 2} y={PH + 13} textAnchor="middle" className="tick">
                      {j}
                    </text>
                  ) : null,
                )}
              </g>
            </svg>
          </figure>
        );
      })}
    </div>
  );
}
