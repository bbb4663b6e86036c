// The time axis under a pane's map: d3-axis into an SVG group, the labels' decimals following the step of
// the ticks drawn.

import { axisBottom, select } from 'd3';
import { useLayoutEffect, useRef } from 'react';
import { tickLabelAnchor, timeScale, timeTickFormat } from '../../render/timeAxis';
import type { Viewport } from '../../render/viewport';

export function TimeAxis(props: { view: Viewport; cssWidth: number; labelWidth: number; height: number }) {
  const { view, cssWidth, labelWidth, height } = props;
  const axisRef = useRef<SVGGElement>(null);
  useLayoutEffect(() => {
    if (!axisRef.current) return;
    const scale = timeScale(view, cssWidth);
    // One tick per 110 px, and the same count for the format's step.
    const count = Math.max(2, Math.floor(cssWidth / 110));
    const g = select(axisRef.current);
    g.call(axisBottom(scale).ticks(count).tickFormat(timeTickFormat(scale, count)));
    // A label near an end is flush with it, not cut by the edge (the last one at the right, mostly).
    g.selectAll<SVGTextElement, number>('.tick text').each(function (t) {
      const anchor = tickLabelAnchor(scale(t), this.getComputedTextLength(), -labelWidth, cssWidth);
      select(this).attr('text-anchor', anchor).attr('data-anchor', anchor);
    });
  }, [view, cssWidth, labelWidth]);
  return (
    <svg className="time-axis" width={cssWidth + labelWidth} height={height}>
      <g ref={axisRef} transform={`translate(${labelWidth},0)`} />
    </svg>
  );
}
