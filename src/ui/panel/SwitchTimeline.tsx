// Switches per second over the map's window, right under the map and on its
// time axis: all switches on the CPUs shown (line) and each VM's vCPU
// switch-ins stacked in its colour. Recomputed (in the worker) as the window
// moves; until the new bins arrive the old ones are drawn at their own times,
// so the chart stays aligned with the map while panning.

import { area, curveStepAfter, line, scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { lowerBound } from '../../analysis/window';
import { LABEL_WIDTH } from '../map/MapView';
import { usePane } from '../pane/PaneContext';
import type { AnalysisJob } from './analysisProtocol';
import { num, sec } from './format';
import type { Timeline } from './panelCompute';
import { useJob } from './useJob';
import { usePanelQuery, useVmColors, useVmNames } from './usePaneBits';

const HEIGHT = 78;
const TOP = 6;
const BOTTOM = 4;

export function SwitchTimeline() {
  const run = usePane((s) => s.run);
  const view = usePane((s) => s.view);
  const pointer = usePane((s) => s.pointer);
  const paneId = usePane((s) => s.paneId);
  const query = usePanelQuery();
  const colors = useVmColors();
  const names = useVmNames();
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [hoverX, setHoverX] = useState<number | null>(null);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(100, el.clientWidth - LABEL_WIDTH)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Bins: at most one per 3 px, and about a dozen switches per bin on average, so sparse
  // windows do not turn into noise.
  const time = run.model.switches.time;
  const inView = lowerBound(time, view.end) - lowerBound(time, view.start);
  const bins = Math.max(20, Math.min(Math.round(width / 3), Math.round(inView / 12)));
  const job = useMemo<AnalysisJob>(
    () => ({
      kind: 'timeline',
      query: { start: Math.floor(view.start), end: Math.ceil(view.end), bins, cpus: query.cpus },
    }),
    [view.start, view.end, bins, query.cpus],
  );
  const { value: tl } = useJob<Timeline>(run, job, `${paneId}:timeline`, 40);

  const x = scaleLinear().domain([view.start, view.end]).range([0, width]);
  const maxY = tl ? Math.max(1, ...tl.total) : 1;
  const y = scaleLinear()
    .domain([0, maxY])
    .range([HEIGHT - BOTTOM, TOP])
    .nice(3);
  const paths = useMemo(() => {
    if (!tl) return null;
    const xs = Array.from({ length: tl.bins + 1 }, (_, k) => tl.start + k * tl.binNs);
    const cum = new Array<number>(tl.bins).fill(0);
    const bands = tl.vms.map((series) => {
      const y0 = cum.slice();
      for (let k = 0; k < tl.bins; k++) cum[k] += series[k];
      const y1 = cum.slice();
      const pts = xs.map((t, k) => ({ t, y0: y0[Math.min(k, tl.bins - 1)], y1: y1[Math.min(k, tl.bins - 1)] }));
      return pts;
    });
    const total = xs.map((t, k) => ({ t, v: tl.total[Math.min(k, tl.bins - 1)] }));
    return { bands, total };
  }, [tl]);

  const bandPath = area<{ t: number; y0: number; y1: number }>()
    .x((d) => x(d.t))
    .y0((d) => y(d.y0))
    .y1((d) => y(d.y1))
    .curve(curveStepAfter);
  const totalPath = line<{ t: number; v: number }>()
    .x((d) => x(d.t))
    .y((d) => y(d.v))
    .curve(curveStepAfter);

  const cursor = hoverX ?? pointer?.x ?? null;
  let readout: string | null = null;
  if (tl && cursor !== null) {
    const t = x.invert(cursor);
    const k = Math.floor((t - tl.start) / tl.binNs);
    if (k >= 0 && k < tl.bins) {
      const top = tl.vms
        .map((s, v) => [v, s[k]] as const)
        .filter(([, r]) => r > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([v, r]) => `${names[v]} ${num(r)}`);
      readout = `${sec(t)}: ${num(tl.total[k])} switches/s${top.length ? ` · vCPU switch-ins/s ${top.join(', ')}` : ''}`;
    }
  }

  return (
    <div className="switch-timeline" ref={wrap} data-testid="switch-timeline">
      <svg width={width + LABEL_WIDTH} height={HEIGHT}>
        <g className="y-axis">
          {y.ticks(3).map((v) => (
            <g key={v} transform={`translate(0,${y(v)})`}>
              <text x={LABEL_WIDTH - 6} dy="0.32em" textAnchor="end" className="tick">
                {v === 0 ? '0' : `${num(v)}/s`}
              </text>
              <line x1={LABEL_WIDTH - 3} x2={LABEL_WIDTH + width} className="grid-line" />
            </g>
          ))}
        </g>
        <g
          transform={`translate(${LABEL_WIDTH},0)`}
          onMouseMove={(e) => setHoverX(e.nativeEvent.offsetX - LABEL_WIDTH)}
          onMouseLeave={() => setHoverX(null)}
        >
          <rect width={width} height={HEIGHT} fill="transparent" />
          <clipPath id={`tl-clip-${paneId}`}>
            <rect width={width} height={HEIGHT} />
          </clipPath>
          <g clipPath={`url(#tl-clip-${paneId})`}>
            {paths?.bands.map((pts, v) => (
              <path key={v} d={bandPath(pts) ?? ''} fill={colors[v]} opacity={0.85} />
            ))}
            {paths && <path d={totalPath(paths.total) ?? ''} className="total-line" />}
          </g>
          {cursor !== null && cursor >= 0 && cursor <= width && (
            <line x1={cursor} x2={cursor} y1={0} y2={HEIGHT} className="cursor-line" />
          )}
        </g>
      </svg>
      <div className="timeline-readout" style={{ left: LABEL_WIDTH + 6 }}>
        {readout ?? 'switches/s in the window: line = all switches on the CPUs shown; areas = vCPU switch-ins per VM'}
      </div>
    </div>
  );
}
