// The bias table names real catalogue metrics, for every kind; the report
// entries carry what the model counted plus what each kind means and biases.

import { describe, expect, it } from 'vitest';
import { WARNING_KIND_NAMES, WARNING_KINDS } from '../model/warningKinds';
import { HOST_METRICS, vmMetricsFor } from './catalogue';
import { WARNING_BIAS, warningSummaryReport } from './warningBias';

describe('which metrics each warning kind can bias', () => {
  it('has an entry for every kind, naming only catalogue keys', () => {
    const keys = new Set([...vmMetricsFor(true).map((m) => m.key), ...HOST_METRICS.map((m) => m.key)]);
    expect(Object.keys(WARNING_BIAS).sort()).toEqual([...WARNING_KIND_NAMES].sort());
    for (const kind of WARNING_KIND_NAMES)
      for (const key of WARNING_BIAS[kind]) expect(keys.has(key), `${kind}: ${key}`).toBe(true);
    // Lost events bias every switch-based metric; a rejoined row biases none.
    expect(WARNING_BIAS['lost-events']).toEqual(
      expect.arrayContaining(['cpuShare', 'runSliceMedianUs', 'switchInsPerSec']),
    );
    expect(WARNING_BIAS['wrapped-line']).toEqual([]);
  });

  it('reports each present kind with its meaning and biases', () => {
    const r = warningSummaryReport([
      { kind: 'lost-events', count: 2, firstLines: [4, 9], events: 1185 },
      { kind: 'other-tracer', count: 40, firstLines: [1, 2, 3, 5, 6] },
    ]);
    expect(r).toEqual([
      {
        kind: 'lost-events',
        count: 2,
        firstLines: [4, 9],
        events: 1185,
        means: WARNING_KINDS['lost-events'],
        biases: [...WARNING_BIAS['lost-events']],
      },
      {
        kind: 'other-tracer',
        count: 40,
        firstLines: [1, 2, 3, 5, 6],
        means: WARNING_KINDS['other-tracer'],
        biases: [],
      },
    ]);
  });
});
