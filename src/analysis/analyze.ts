// analyzeRun: every metric of a run (docs/metrics.md), from one pass over the
// switches (switchPass.ts) and one over the kvm_exit events (pleExits.ts), then
// quantiles of each vCPU's and each VM's range of values (quantiles.ts).

import type { Run } from '../model/runs';
import type { CpuMetrics, RunMetrics, VcpuMetrics, VmMetrics } from './metrics';
import { countExits } from './pleExits';
import { poissonBinomial } from './poissonBinomial';
import { spanQuantiles } from './quantiles';
import { switchPass } from './switchPass';
import { indexVms } from './vmIndex';
import { knownDuration, perSecond, ratio, resolveWindow, toUs, type AnalysisOptions } from './window';

export function analyzeRun(run: Run, options: AnalysisOptions = {}): RunMetrics {
  const m = run.model;
  const w = resolveWindow(m, options);
  const idx = indexVms(run);
  // Every denominator of trace time leaves out a paste's gaps: nothing is known there (D for a trace without).
  const D = knownDuration(m, w);
  const P = w.cpus.length;

  const pass = switchPass(m, idx, w);
  const { sliceLengths, delays } = pass;
  const exits = countExits(m, idx, w);

  let totalSwitches = 0;
  const perCpu: CpuMetrics[] = w.cpus.map((c) => {
    totalSwitches += pass.switches[c];
    return {
      cpu: c,
      switches: pass.switches[c],
      switchesPerSec: perSecond(pass.switches[c], D),
      idleFraction: ratio(pass.idle[c], pass.known[c]),
    };
  });

  const vms: VmMetrics[] = run.vms.map((vm, v) => {
    const n = idx.vcpuCount[v];
    const k = Math.min(n, P);
    const first = idx.vcpuOffset[v];
    const entries = Array.from({ length: n }, (_, j) => first + j);

    // r(t): time at each level j = 0..n.
    const lv = pass.levels.subarray(v * pass.levelStride, v * pass.levelStride + n + 1);
    let busy = 0;
    let integral = 0;
    let atLeastK = 0;
    for (let j = 1; j <= n; j++) {
      busy += lv[j];
      integral += j * lv[j];
      if (j >= k) atLeastK += lv[j];
    }
    const coRunHistogram: (number | null)[] = [];
    for (let j = 0; j <= n; j++) coRunHistogram.push(ratio(j === 0 ? Math.max(0, D - busy) : lv[j], D));

    // Quantiles per vCPU (its own range of values) and per VM (the range of all its vCPUs).
    const slices = spanQuantiles(sliceLengths, first, n, [0.5], [0.5, 0.9, 0.99, 1]);
    const delay = delays ? spanQuantiles(delays, first, n, [0.99], [0.5, 0.99]) : null;
    const vcpuSliceMedian = slices.entries.map((q) => q[0]);
    const vcpuDelayP99 = entries.map((_, j) => (delay ? delay.entries[j][0] : null));
    const [sliceP50, sliceP90, sliceP99, sliceMax] = slices.span;
    const [delayP50, delayP99] = delay ? delay.span : [null, null];

    let switchIns = 0;
    let migrations = 0;
    let runTime = 0;
    let preempted = 0;
    // Independent scheduling at the same run shares p_i: E[r] = Σp_i, P(r > 0) = 1 - Π(1 - p_i).
    let sumP = 0;
    let allIdle = 1;
    const ps: number[] = [];
    for (const e of entries) {
      switchIns += pass.switchIns[e];
      migrations += pass.migrations[e];
      runTime += pass.run[e];
      const p = D > 0 ? pass.run[e] / D : 0;
      sumP += p;
      allIdle *= 1 - p;
      ps.push(p);
      if (pass.preempted) preempted += pass.preempted[e];
    }
    // Host noise on the CPUs its vCPUs used (ran on for a positive time in the window).
    let noise = 0;
    let known = 0;
    for (const c of w.cpus) {
      if (pass.vmCpuRun[v * pass.cpuSlots + c] > 0) {
        noise += pass.host[c];
        known += pass.known[c];
      }
    }

    const vcpus: VcpuMetrics[] = entries.map((e, j) => {
      const ref = idx.vcpus[e];
      return {
        index: ref.index,
        tid: ref.tid,
        comm: ref.comm,
        runSliceMedianUs: toUs(vcpuSliceMedian[j]),
        switchInsPerSec: perSecond(pass.switchIns[e], D),
        runFraction: ratio(pass.run[e], D),
        preemptedFraction: pass.preempted ? ratio(pass.preempted[e], D) : null,
        migrationsPerSec: perSecond(pass.migrations[e], D),
        runDelayP99Us: toUs(vcpuDelayP99[j]),
      };
    });

    const gangScore = ratio(integral, k * busy);
    const gangScoreIndependent = ratio(sumP, k * (1 - allIdle));
    return {
      name: vm.name,
      vcpuCount: n,
      k,
      gangScore,
      gangScoreIndependent,
      coScheduling: coScheduling(gangScore, gangScoreIndependent),
      allRunningFraction: ratio(atLeastK, busy),
      coRunHistogram,
      coRunIndependent: D > 0 ? poissonBinomial(ps) : coRunHistogram.map(() => null),
      runSliceMedianUs: toUs(sliceP50),
      runSliceP90Us: toUs(sliceP90),
      runSliceP99Us: toUs(sliceP99),
      runSliceMaxUs: toUs(sliceMax),
      switchInsPerSec: perSecond(switchIns, D),
      siblingHandoffs: pass.siblingHandoffs[v],
      siblingHandoffsPerSec: perSecond(pass.siblingHandoffs[v], D),
      cpuShare: ratio(runTime, D * P),
      hostNoiseShare: ratio(noise, known),
      vcpuMigrationsPerSec: perSecond(migrations, D),
      preemptedVcpusMean: pass.preempted ? ratio(preempted, D) : null,
      runDelayP50Us: toUs(delayP50),
      runDelayP99Us: toUs(delayP99),
      pleExitsPerSec: exits ? perSecond(exits.pause[v], D) : null,
      exitReasons: exits ? exits.reasons[v] : null,
      vcpus,
    };
  });

  return {
    window: { startUs: w.start / 1000, endUs: w.end / 1000, durationUs: w.duration / 1000, cpus: w.cpus },
    switchesPerSecPerCpu: P > 0 ? perSecond(totalSwitches, D * P) : null,
    perCpu,
    vms,
  };
}

/** How far the gang score is above what independent scheduling gives, on the scale independent = 0, gang = 1. */
export function coScheduling(gangScore: number | null, independent: number | null): number | null {
  if (gangScore === null || independent === null || independent === 1) return null;
  return (gangScore - independent) / (1 - independent);
}
