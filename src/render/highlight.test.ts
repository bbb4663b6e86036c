// The slices of a hovered run-slice histogram bar as pixel runs on the map's lanes.

import { describe, expect, it } from 'vitest';
import { logBin } from '../analysis/panel';
import { drawnRunOf } from '../model/drawnRun';
import { panelTrace } from '../testing/panelTrace';
import { US } from '../testing/runs';
import { highlightRuns } from './highlight';
import { cpuLanes, vcpuLanes } from './lanes';

describe('histogram hover marks', () => {
  it('pixel runs of the bar’s slices, per lane, in CPU and vCPU lanes', () => {
    const { run: full } = panelTrace();
    // The page's view of the run: its drawn slices.
    const run = drawnRunOf(full);
    const k = logBin(190 * US);
    const h = { vm: 0, bin: k, perDecade: 4, query: { range: null, cpus: null } };
    // 400 px over [0, 400 µs): 1 px per µs. a1's slice [110, 300) on cpu0.
    expect(highlightRuns(run, cpuLanes(run.model), h, 0, 400 * US, 400)).toEqual([{ lane: 0, x0: 110, x1: 300 }]);
    const lanes = vcpuLanes(run);
    expect(highlightRuns(run, lanes, h, 0, 400 * US, 400)).toEqual([{ lane: 1, x0: 110, x1: 300 }]);
    // Zoomed into [200, 250): clipped to the frame.
    expect(highlightRuns(run, cpuLanes(run.model), h, 200 * US, 250 * US, 50)).toEqual([{ lane: 0, x0: 0, x1: 50 }]);
    // The 100 µs bin: a0's two slices.
    const h100 = { ...h, bin: logBin(100 * US) };
    expect(highlightRuns(run, cpuLanes(run.model), h100, 0, 400 * US, 400)).toEqual([
      { lane: 0, x0: 0, x1: 100 },
      { lane: 0, x0: 300, x1: 400 },
    ]);
    // A range that ends before a0's second slice does: only the first.
    expect(
      highlightRuns(
        run,
        cpuLanes(run.model),
        { ...h100, query: { range: [0, 350 * US], cpus: null } },
        0,
        400 * US,
        400,
      ),
    ).toEqual([{ lane: 0, x0: 0, x1: 100 }]);
    // Outside the panel's range: nothing.
    expect(
      highlightRuns(run, cpuLanes(run.model), { ...h, query: { range: [0, 100 * US], cpus: null } }, 0, 400 * US, 400),
    ).toEqual([]);
  });
});
