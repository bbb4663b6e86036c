// The whole-trace metrics over a paste's gap (TraceModel.gaps): nothing is known there, so every metric over
// trace time divides by the window less the gap. On the real QEMU recording with lines 401-1400 behind `[...]`,
// the expectations come from the unmarked twin (the same lines without the mark): its vCPU slices with the cut
// interval's time taken out, swept one by one here, over D less the cut.

import { describe, expect, it } from 'vitest';
import { cutScript } from '../testing/cutPaste';
import { analyzeRun } from './analyze';
import { indexVms } from './vmIndex';
import { resolveWindow } from './window';

describe('whole-trace metrics over a gap in the pasted text', () => {
  it('co-running, shares and rates leave the gap out: the twin without the mark, its cut time taken out', async () => {
    const { cut, plain } = await cutScript();
    const g = cut.model.gaps;
    expect(g.length).toBe(1);
    const [gs, ge] = [g.start[0], g.end[0]];
    const m = plain.model;
    const w = resolveWindow(m);
    expect(resolveWindow(cut.model)).toMatchObject({ start: w.start, end: w.end });
    expect(ge - gs).toBeGreaterThan(0.05 * w.duration);
    const known = w.duration - (Math.min(ge, w.end) - Math.max(gs, w.start));
    const idx = indexVms(plain);

    // The twin's vCPU slices, each ended at the gap's start when it reaches past it (the cut paste ends it
    // there; the time after the gap until its CPU's next switch is unknown in the cut and not counted there).
    const steps: [number, number, number][] = [];
    const run = new Array<number>(idx.vcpus.length).fill(0);
    for (let i = 0; i < m.switches.length; i++) {
      const x = m.switches.next[i];
      const k = idx.vcpuOfTask[x];
      if (k < 0) continue;
      const t = m.switches.time[i];
      expect(t <= gs || t >= ge).toBe(true);
      const a = Math.max(t, w.start);
      const b = Math.min(t < ge ? Math.min(m.slices.end[i], gs) : m.slices.end[i], w.end);
      if (!(b > a)) continue;
      steps.push([a, idx.vmOfTask[x], +1], [b, idx.vmOfTask[x], -1]);
      run[k] += b - a;
    }
    steps.sort((p, q) => p[0] - q[0] || p[2] - q[2]);
    const time = Array.from({ length: idx.vmCount }, (_, v) => new Array<number>(idx.vcpuCount[v] + 1).fill(0));
    const level = new Array<number>(idx.vmCount).fill(0);
    const since = new Array<number>(idx.vmCount).fill(w.start);
    for (const [t, v, d] of steps) {
      time[v][level[v]] += t - since[v];
      since[v] = t;
      level[v] += d;
    }

    const a = analyzeRun(cut);
    const b = analyzeRun(plain);
    expect(a.window).toEqual(b.window);
    const P = w.cpus.length;
    for (let v = 0; v < idx.vmCount; v++) {
      const n = idx.vcpuCount[v];
      const k = Math.min(n, P);
      const vm = a.vms[v];
      const busy = time[v].slice(1).reduce((s, x) => s + x, 0);
      expect(busy).toBeGreaterThan(0);
      const hist = time[v].map((x, j) => (j === 0 ? known - busy : x) / known);
      vm.coRunHistogram.forEach((x, j) => expect(x).toBeCloseTo(hist[j], 12));
      const atLeastK = time[v].slice(k).reduce((s, x) => s + x, 0);
      expect(vm.allRunningFraction).toBeCloseTo(atLeastK / busy, 12);
      const integral = time[v].reduce((s, x, j) => s + j * x, 0);
      expect(vm.gangScore).toBeCloseTo(integral / (k * busy), 12);

      const ps = Array.from({ length: n }, (_, j) => run[idx.vcpuOffset[v] + j] / known);
      const sumP = ps.reduce((s, p) => s + p, 0);
      const allIdle = ps.reduce((s, p) => s * (1 - p), 1);
      const independent = sumP / (k * (1 - allIdle));
      expect(vm.gangScoreIndependent).toBeCloseTo(independent, 12);
      expect(vm.coScheduling).toBeCloseTo((integral / (k * busy) - independent) / (1 - independent), 12);
      // Poisson-binomial of the run shares, by enumerating which vCPUs run.
      const indep = new Array<number>(n + 1).fill(0);
      for (let mask = 0; mask < 1 << n; mask++) {
        let p = 1;
        let c = 0;
        for (let j = 0; j < n; j++) {
          const on = (mask >> j) & 1;
          p *= on ? ps[j] : 1 - ps[j];
          c += on;
        }
        indep[c] += p;
      }
      vm.coRunIndependent.forEach((x, j) => expect(x).toBeCloseTo(indep[j], 12));
      expect(vm.cpuShare).toBeCloseTo((sumP * known) / (known * P), 12);
      vm.vcpus.forEach((c, j) => expect(c.runFraction).toBeCloseTo(ps[j], 12));

      // The same lines hold the same switch-ins: the cut paste's rate is over the known time only.
      const twin = b.vms[v];
      expect(vm.switchInsPerSec).toBeCloseTo((twin.switchInsPerSec! * w.duration) / known, 6);
      expect(vm.siblingHandoffs).toBe(twin.siblingHandoffs);
      expect(vm.siblingHandoffsPerSec).toBeCloseTo((twin.siblingHandoffsPerSec! * w.duration) / known, 6);
    }
    expect(a.switchesPerSecPerCpu).toBeCloseTo((b.switchesPerSecPerCpu! * w.duration) / known, 6);
  });

  it('preempted time across the gap leaves the gap out: the sum of the windows before and after it', async () => {
    const { cut } = await cutScript();
    const m = cut.model;
    expect(m.hasStates).toBe(true);
    const [gs, ge] = [m.gaps.start[0], m.gaps.end[0]];
    const w = resolveWindow(m);
    const known = w.duration - (ge - gs);
    // Time integrals are clipped to a range's window, so the ranges before and after the gap add up to the
    // whole window's integral less the gap (neither range holds any of it).
    const whole = analyzeRun(cut);
    const before = analyzeRun(cut, { range: [w.start, gs] });
    const after = analyzeRun(cut, { range: [ge, w.end + 1] });
    const [d1, d2] = [gs - w.start, w.end - ge];
    expect(before.window.durationUs * 1000).toBeCloseTo(d1, 3);
    expect(after.window.durationUs * 1000).toBeCloseTo(d2, 3);
    let crossing = 0;
    whole.vms.forEach((vm, v) => {
      const x = before.vms[v].preemptedVcpusMean! * d1 + after.vms[v].preemptedVcpusMean! * d2;
      expect(vm.preemptedVcpusMean).toBeCloseTo(x / known, 12);
      vm.vcpus.forEach((c, j) => {
        const y = before.vms[v].vcpus[j].preemptedFraction! * d1 + after.vms[v].vcpus[j].preemptedFraction! * d2;
        expect(c.preemptedFraction).toBeCloseTo(y / known, 12);
      });
      // The run time adds up the same way.
      vm.vcpus.forEach((c, j) => {
        const y = before.vms[v].vcpus[j].runFraction! * d1 + after.vms[v].vcpus[j].runFraction! * d2;
        expect(c.runFraction).toBeCloseTo(y / known, 12);
      });
      if (x > 0) crossing++;
    });
    expect(crossing).toBeGreaterThan(0);
  });
});
