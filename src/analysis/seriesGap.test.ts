// The report's time series (`analyze --series`) over a paste's gap (TraceModel.gaps): on a real recording
// with a stretch of lines behind `[...]`, bins wholly inside the gap have no mean or rate (null, not a
// measured 0), bins partly in it divide by their known time, and bins away from it are those of the text
// without the mark.

import { describe, expect, it } from 'vitest';
import { cutScript } from '../testing/cutPaste';
import { runningLevels } from './runningCount';
import { seriesForRun } from './series';
import { switchPass } from './switchPass';
import { analyzeTopology } from './topology';
import { makeTopology } from '../model/topology';
import { indexVms } from './vmIndex';
import { resolveWindow } from './window';

describe('the report series over a gap in the pasted text', () => {
  it('null over the gap, known-time rates at its edges, the unmarked values away from it', async () => {
    const { cut, plain } = await cutScript();
    expect(cut.model.gaps.length).toBe(1);
    const binNs = 5e6;
    const a = seriesForRun(cut, binNs);
    const b = seriesForRun(plain, binNs);
    expect(a.binStartsUs).toEqual(b.binStartsUs);
    expect(b.binKnownUs).toEqual(b.binWidthsUs);
    const [s, e] = [cut.model.gaps.start[0] / 1000, cut.model.gaps.end[0] / 1000];
    let wholly = 0;
    let partly = 0;
    for (let k = 0; k < a.binStartsUs.length; k++) {
      const b0 = a.binStartsUs[k];
      const b1 = b0 + a.binWidthsUs[k];
      const over = Math.max(0, Math.min(e, b1) - Math.max(s, b0));
      expect(a.binKnownUs[k]).toBeCloseTo(a.binWidthsUs[k] - over, 6);
      for (let v = 0; v < a.vms.length; v++) {
        const [x, y] = [a.vms[v], b.vms[v]];
        if (s <= b0 && b1 <= e) {
          expect(x.meanRunning[k]).toBeNull();
          expect(x.switchInsPerSec[k]).toBeNull();
          expect(x.switchIns[k]).toBe(0);
        } else if (over > 0) {
          expect(x.switchInsPerSec[k]).toBeCloseTo((x.switchIns[k] * 1e6) / a.binKnownUs[k], 6);
          expect(x.meanRunning[k]).not.toBeNull();
        } else if (b1 <= s - binNs / 1000 || b0 >= e + binNs / 1000) {
          // A bin away from the gap (the slices the mark ends reach at most into the next bin).
          expect(x.meanRunning[k]).toBeCloseTo(y.meanRunning[k]!, 9);
          expect(x.switchInsPerSec[k]).toBe(y.switchInsPerSec[k]);
        }
      }
      if (s <= b0 && b1 <= e) wholly++;
      else if (over > 0) partly++;
    }
    expect(wholly).toBeGreaterThan(3);
    expect(partly).toBe(2);
  });

  it('r(t) over a cut text: both replays equal the vCPU slices counted one by one', async () => {
    const { cut } = await cutScript();
    const m = cut.model;
    const w = resolveWindow(m);
    const idx = indexVms(cut);
    // Brute force: +1 at each vCPU slice's start, -1 at its end (whatever ended it), time per level; the gap's
    // time is in no level (nothing is known there).
    const [gs, ge] = [m.gaps.start[0], m.gaps.end[0]];
    const outside = (a: number, b: number) => b - a - Math.max(0, Math.min(b, ge) - Math.max(a, gs));
    const steps: [number, number, number][] = [];
    for (let i = 0; i < m.switches.length; i++) {
      const x = m.switches.next[i];
      if (idx.vcpuOfTask[x] < 0) continue;
      const a = Math.max(m.switches.time[i], w.start);
      const b = Math.min(m.slices.end[i], w.end);
      if (b > a) steps.push([a, idx.vmOfTask[x], +1], [b, idx.vmOfTask[x], -1]);
    }
    steps.sort((p, q) => p[0] - q[0] || p[2] - q[2]);
    const want = Array.from({ length: idx.vmCount }, (_, v) => new Array<number>(idx.vcpuCount[v] + 1).fill(0));
    const level = new Array<number>(idx.vmCount).fill(0);
    const since = new Array<number>(idx.vmCount).fill(w.start);
    for (const [t, v, d] of steps) {
      want[v][level[v]] += outside(since[v], t);
      since[v] = t;
      level[v] += d;
    }
    for (let v = 0; v < idx.vmCount; v++) want[v][level[v]] += outside(since[v], w.end);
    const levels = runningLevels(m, idx, w);
    const pass = switchPass(m, idx, w);
    for (let v = 0; v < idx.vmCount; v++) {
      const n = idx.vcpuCount[v];
      const fromPass = Array.from(pass.levels.subarray(v * pass.levelStride, v * pass.levelStride + n + 1));
      for (let j = 0; j <= n; j++) {
        expect(levels[v][j]).toBeCloseTo(want[v][j], 3);
        expect(fromPass[j]).toBeCloseTo(want[v][j], 3);
      }
    }
  });

  it('topology over a cut text: no two vCPUs counted on a one-CPU core after the gap', async () => {
    const { cut } = await cutScript();
    expect(cut.model.cpus).toEqual([0, 1]);
    // Each CPU its own core: two vCPUs of a VM are never on one core, so none of their co-running is on siblings.
    const topo = makeTopology(
      'lscpu',
      [0, 1].map((cpu) => ({ cpu, core: cpu, socket: 0, node: 0 })),
    );
    const t = analyzeTopology(cut, topo);
    expect(t.vms.length).toBe(2);
    for (const vm of t.vms) expect(vm.smtSiblingCoRunFraction ?? 0).toBe(0);
  });
});
