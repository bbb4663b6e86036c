// Under a map whose trace has AutoNUMA events: each kind's mark colour and its count in the window drawn.

import type { NumaEventKind } from '../../model/types';
import { NUMA_EVENT_NAMES } from '../../model/eventNames';
import { NUMA_MARK_COLORS, numaCountsByKind, type NumaMark } from '../../render/numaMarks';

export function NumaLegend({ marks }: { marks: readonly NumaMark[] }) {
  const counts = numaCountsByKind(marks);
  return (
    <div
      className="numa-legend"
      data-testid="numa-legend"
      title="NUMA balancing events of the window, as marks on their lanes"
    >
      NUMA balancing in view:
      {counts.map((n, k) => {
        const kind = k as NumaEventKind;
        return (
          <span key={kind} data-kind={NUMA_EVENT_NAMES[kind]} data-count={n} style={{ color: NUMA_MARK_COLORS[kind] }}>
            <span className="tri" />
            <span className="muted">
              {NUMA_EVENT_NAMES[kind]} {n}
            </span>
          </span>
        );
      })}
    </div>
  );
}
