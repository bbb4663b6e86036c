// Switches per second over the map's window, right under the map and on its
// time axis: all switches on the CPUs shown (line) and each VM's vCPU
// switch-ins stacked in its colour. Recomputed (in the worker) as the window
// moves; until the new bins arrive the old ones are drawn at their own times,
// so the chart stays aligned with the map while panning. Before the first bins
// (the worker busy with a big trace's first jobs) it says so, with no axis.

import { area, curveStepAfter, line, scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { switchesIn } from '../../model/cpuSlices';
import { LABEL_WIDTH } from '../map/useMapSize';
import { usePane } from '../pane/PaneContext';
import type { AnalysisJob } from '../../worker/protocol';
import { countTicks } from '../../model/format';
import type { Timeline } from '../../analysis/panel';
import { timelineReadout } from '../../analysis/timelineReadout';
import { stepPoints, type StepPoint } from '../../analysis/timelineSteps';
import { useJob } from './useJob';
import { usePanelQuery, useVmColors, useVmNames } from './usePaneBits';

const HEIGHT = 78;
const TOP = 6;
const BOTTOM = 4;

const xScale = (start: number, end: number, width: number) => scaleLinear().domain([start, end]).range([0, width]);
const yScale = (maxY: number) =>
  scaleLinear()
    .domain([0, maxY])
    .range([HEIGHT - BOTTOM, TOP])
    .nice(3);

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
  const inView = switchesIn(run.slices, view.start, view.end);
  const bins = Math.max(20, Math.min(Math.round(width / 3), Math.round(inView / 12)));
  const job = useMemo<AnalysisJob>(
    () => ({
      kind: 'timeline',
      query: { start: Math.floor(view.start), end: Math.ceil(view.end), bins, cpus: query.cpus },
    }),
    [view.start, view.end, bins, query.cpus],
  );
  const { value: tl, error } = useJob<Timeline>(run, job, `${paneId}:timeline`, 40);

  const x = xScale(view.start, view.end, width);
  const maxY = useMemo(() => (tl ? tl.total.reduce<number>((a, b) => Math.max(a, b ?? 0), 1) : 1), [tl]);
  const y = yScale(maxY);
  const paths = useMemo(() => {
    if (!tl) return null;
    const cum = new Array<number>(tl.bins).fill(0);
    const bands = tl.vms.map((series) => {
      const y0 = cum.slice();
      for (let k = 0; k < tl.bins; k++) cum[k] += series[k] ?? 0;
      const y1 = cum.slice();
      return stepPoints(tl, (k) => (series[k] === null ? null : { y0: y0[k], y1: y1[k] }));
    });
    const total = stepPoints(tl, (k) => (tl.total[k] === null ? null : { v: tl.total[k] }));
    return { bands, total };
  }, [tl]);

  // The path strings, only when the bins or the window change (not on every pointer move over the map).
  const d = useMemo(() => {
    if (!paths) return null;
    const px = xScale(view.start, view.end, width);
    const py = yScale(maxY);
    const bandPath = area<StepPoint<{ y0: number; y1: number }>>()
      .defined((p) => p.value !== null)
      .x((p) => px(p.t))
      .y0((p) => py(p.value!.y0))
      .y1((p) => py(p.value!.y1))
      .curve(curveStepAfter);
    const totalPath = line<StepPoint<{ v: number }>>()
      .defined((p) => p.value !== null)
      .x((p) => px(p.t))
      .y((p) => py(p.value!.v))
      .curve(curveStepAfter);
    return { bands: paths.bands.map((pts) => bandPath(pts) ?? ''), total: totalPath(paths.total) ?? '' };
  }, [paths, view.start, view.end, width, maxY]);

  const cursor = hoverX ?? pointer?.x ?? null;
  const readout = tl && cursor !== null ? timelineReadout(tl, x.invert(cursor), names) : null;

  return (
    <div
      className="switch-timeline"
      ref={wrap}
      data-testid="switch-timeline"
      data-state={tl ? 'ready' : error ? 'error' : 'pending'}
      data-max-rate={tl ? maxY : ''}
    >
      <svg width={width + LABEL_WIDTH} height={HEIGHT}>
        <g className="y-axis">
          {/* No axis before the first bins: an empty 0..1/s axis reads as a window without switches. */}
          {(tl ? y.ticks(3) : []).map((v, i, ticks) => (
            <g key={v} transform={`translate(0,${y(v)})`}>
              <text x={LABEL_WIDTH - 6} dy="0.32em" textAnchor="end" className="tick">
                {v === 0 ? '0' : `${countTicks(ticks)[i]}/s`}
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
            {d?.bands.map((band, v) => (
              <path key={v} d={band} fill={colors[v]} opacity={0.85} />
            ))}
            {d && <path d={d.total} className="total-line" />}
          </g>
          {cursor !== null && cursor >= 0 && cursor <= width && (
            <line x1={cursor} x2={cursor} y1={0} y2={HEIGHT} className="cursor-line" />
          )}
        </g>
      </svg>
      <div className="timeline-readout" style={{ left: LABEL_WIDTH + 6 }}>
        {readout ??
          (tl
            ? 'switches/s in the window: line = all switches on the CPUs shown; areas = vCPU switch-ins per VM'
            : error
              ? `switches/s in the window: not computed (${error})`
              : 'switches/s in the window: computing…')}
      </div>
    </div>
  );
}
