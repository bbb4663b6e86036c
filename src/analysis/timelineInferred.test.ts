// The switch timeline counts switches as the metrics do (docs/metrics.md): `total` the input's switches, as
// switchesPerSecPerCpu (a reader's inferred switch-ins make slices, not counts), and each VM its vCPUs'
// switch-ins, as switchInsPerSec. On a real timehist excerpt, whose first row on each CPU infers its switch-in.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { runOfLines } from '../testing/cutPaste';
import { analyzeRun } from './analyze';
import { computeTimeline } from './panel';

describe('the switch timeline over inferred switches', () => {
  it('total leaves the inferred switches out, as the per-CPU switch counts do', async () => {
    const lines = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n');
    const run = await runOfLines('excerpt.timehist.txt', lines.slice(1400, 3000));
    const { time } = run.model.switches;
    expect(run.model.inferredSwitchRows.length).toBeGreaterThan(0);
    const [t0, t1] = [time[0], time[time.length - 1]];
    // One bin [t0, t1): wholly inside the trace, so its rate is its count over t1 - t0.
    const tl = computeTimeline(run, { start: t0, end: t1, bins: 1, cpus: null });
    const a = analyzeRun(run, { range: [t0, t1] });
    const D = (t1 - t0) / 1e9;
    const switches = a.perCpu.reduce((s, c) => s + (c.switches ?? 0), 0);
    expect(tl.total[0]! * D).toBeCloseTo(switches, 6);
    a.vms.forEach((vm, v) => {
      const switchIns = vm.vcpus.reduce((s, c) => s + (c.switchInsPerSec ?? 0) * D, 0);
      expect(tl.vms[v][0]! * D).toBeCloseTo(switchIns, 6);
    });
  });
});
